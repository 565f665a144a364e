import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Doctor, ScheduleException, ScheduleTemplate } from '../../src-shared/domain/directory.js';
import { getProfile } from '../../src-shared/policy/profiles.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { leaseWindow, planLeases, type DeviceKind, type LeaseCandidate, type LeaseHolder } from '../../src-shared/sync/leases.js';
import type { LeaseResponse } from '../../src-shared/sync/protocol.js';
import { localParts } from '../../src-shared/time/dates.js';
import type { ServerDb } from '../db/connect.js';
import { appointments, changeLog, devices, leaseSets, organizations, slotLeases } from '../db/schema.js';
import { lockOrg, orgRowsOf, type Tx } from './context.js';

/** Free, unblocked, future slots of the lease window, in time order. */
async function candidates(tx: Tx, orgId: string, now: number): Promise<{ list: LeaseCandidate[]; profile: ReturnType<typeof getProfile> } | null> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId));
  if (!org) return null;
  const profile = getProfile(org.profileId as Parameters<typeof getProfile>[0]);
  const dates = leaseWindow(profile, localParts(now, org.timezone).date);
  const doctors = (await orgRowsOf<Doctor>(tx, orgId, 'doctor')).filter((d) => d.active);
  const templates = await orgRowsOf<ScheduleTemplate>(tx, orgId, 'template');
  const exceptions = await orgRowsOf<ScheduleException>(tx, orgId, 'exception');
  const list = doctors
    .flatMap((d) =>
      templates
        .filter((t) => t.doctorId === d.id)
        .flatMap((t) => generateDoctorSlots({ template: t, exceptions: exceptions.filter((e) => e.doctorId === d.id), specialtyId: d.specialtyId, dates, profile, timezone: org.timezone })),
    )
    .filter((s) => !s.blocked && s.startUtc > now)
    .sort((a, b) => a.startUtc - b.startUtc)
    .map((s) => ({ slotId: s.id, doctorId: s.doctorId, date: s.date, channel: s.channel }));
  return { list, profile };
}

/** Append lease changes to the pull feed in one statement; returns the sequence of each slot's entry. */
async function logLeases(tx: Tx, orgId: string, now: number, deviceId: string, slots: string[], op: 'put' | 'remove'): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < slots.length; i += 1000) {
    const batch = slots.slice(i, i + 1000);
    const rows = await tx
      .insert(changeLog)
      .values(batch.map((slotId) => ({ orgId, entity: 'lease', entityId: slotId, op, row: op === 'put' ? { slotId, deviceId } : null, at: now })))
      .returning({ seq: changeLog.seq, slotId: changeLog.entityId });
    for (const r of rows) out.set(r.slotId, r.seq);
  }
  return out;
}

/**
 * Renew this device's leases (it calls while online, with nothing left to
 * upload): in one transaction under the organization's lock, extend its expiry,
 * give back what is over its share, and grant free slots nobody else may still
 * use. Every change travels to every desk through the pull feed.
 */
export async function renewLeases(db: ServerDb, device: { id: string; orgId: string }, now: number): Promise<LeaseResponse> {
  return db.transaction(async (tx) => {
    // The slots of the window come from the directory alone: worked out before taking the organization's
    // lock, so pushes of the clinic wait only for the part that must be consistent (who holds what, what is taken).
    const c = await candidates(tx, device.orgId, now);
    await lockOrg(tx, device.orgId);
    const [me] = await tx.select({ kind: devices.kind, doctorId: devices.doctorId }).from(devices).where(eq(devices.id, device.id));
    if (!me || !c) return { expiresAt: now, held: 0, granted: 0, released: 0 };
    const slotIds = c.list.map((x) => x.slotId);
    const taken = new Set<string>();
    const holders = new Map<string, LeaseHolder>();
    for (let i = 0; i < slotIds.length; i += 5000) {
      const part = slotIds.slice(i, i + 5000);
      for (const r of await tx
        .select({ slotId: appointments.slotId })
        .from(appointments)
        .where(
          and(eq(appointments.orgId, device.orgId), inArray(appointments.slotId, part), eq(appointments.syncState, 'confirmed'), inArray(appointments.status, ['booked', 'arrived', 'fulfilled'])),
        ))
        taken.add(r.slotId);
    }
    // Every lease of the organization (past slots included, so the device's own stale ones are released too).
    for (const r of await tx
      .select({ slotId: slotLeases.slotId, deviceId: slotLeases.deviceId, reclaimAfter: leaseSets.reclaimAfter })
      .from(slotLeases)
      .leftJoin(leaseSets, eq(leaseSets.deviceId, slotLeases.deviceId))
      .where(eq(slotLeases.orgId, device.orgId))) {
      holders.set(r.slotId, { deviceId: r.deviceId, live: r.reclaimAfter !== null && r.reclaimAfter > now });
    }
    const liveDesks = await tx
      .select({ id: devices.id })
      .from(leaseSets)
      .innerJoin(devices, eq(devices.id, leaseSets.deviceId))
      .where(and(eq(leaseSets.orgId, device.orgId), eq(devices.kind, 'desk'), sql`${leaseSets.reclaimAfter} > ${now}`, sql`${devices.revokedAt} IS NULL`));
    const plan = planLeases({
      device: { id: device.id, kind: me.kind as DeviceKind, doctorId: me.doctorId },
      candidates: c.list,
      taken,
      holders,
      desks: liveDesks.map((d) => d.id),
      share: c.profile.leases.deskShare,
    });

    if (plan.release.length) {
      await tx.delete(slotLeases).where(and(eq(slotLeases.orgId, device.orgId), eq(slotLeases.deviceId, device.id), inArray(slotLeases.slotId, plan.release)));
      await logLeases(tx, device.orgId, now, device.id, plan.release, 'remove');
    }
    if (plan.grant.length) {
      const epochs = await logLeases(tx, device.orgId, now, device.id, plan.grant, 'put');
      for (let i = 0; i < plan.grant.length; i += 1000) {
        await tx
          .insert(slotLeases)
          .values(plan.grant.slice(i, i + 1000).map((slotId) => ({ orgId: device.orgId, slotId, deviceId: device.id, epoch: epochs.get(slotId)! })))
          .onConflictDoUpdate({ target: [slotLeases.orgId, slotLeases.slotId], set: { deviceId: sql`excluded.device_id`, epoch: sql`excluded.epoch` } });
      }
    }
    const expiresAt = now + c.profile.leases.ttlMs;
    const reclaimAfter = expiresAt + c.profile.leases.graceMs;
    await tx.insert(leaseSets).values({ deviceId: device.id, orgId: device.orgId, expiresAt, reclaimAfter }).onConflictDoUpdate({ target: leaseSets.deviceId, set: { expiresAt, reclaimAfter } });
    await tx.insert(changeLog).values({ orgId: device.orgId, entity: 'lease_set', entityId: device.id, op: 'put', row: { deviceId: device.id, expiresAt, reclaimAfter }, at: now });
    const held = [...holders.values()].filter((h) => h.deviceId === device.id).length - plan.release.length + plan.grant.length;
    return { expiresAt, held, granted: plan.grant.length, released: plan.release.length };
  });
}

/** A revoked device can never upload again: its slots go back to the pool at once (caller holds the organization's lock). */
export async function dropLeases(tx: Tx, orgId: string, deviceId: string, now: number): Promise<void> {
  const rows = await tx
    .delete(slotLeases)
    .where(and(eq(slotLeases.orgId, orgId), eq(slotLeases.deviceId, deviceId)))
    .returning({ slotId: slotLeases.slotId });
  await logLeases(
    tx,
    orgId,
    now,
    deviceId,
    rows.map((r) => r.slotId),
    'remove',
  );
  await tx.delete(leaseSets).where(eq(leaseSets.deviceId, deviceId));
  await tx.insert(changeLog).values({ orgId, entity: 'lease_set', entityId: deviceId, op: 'remove', row: null, at: now });
}
