import { ACTIVE_STATUSES } from '../../src-shared/domain/enums.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Doctor, ScheduleException, ScheduleTemplate } from '../../src-shared/domain/directory.js';
import type { Slot } from '../../src-shared/domain/appointment.js';
import type { DirectoryCache } from '../rules/directory-cache.js';
import { reservedForWaiting } from '../waiting/offers.js';
import { getProfile } from '../../src-shared/policy/profiles.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { leaseWindow, planLeases, type DeviceKind, type LeaseCandidate, type LeaseHolder } from '../../src-shared/sync/leases.js';
import type { LeaseResponse } from '../../src-shared/sync/protocol.js';
import { localParts } from '../../src-shared/time/dates.js';
import type { ServerDb } from '../db/connect.js';
import { appointments, changeLog, devices, leaseSets, organizations, slotLeases } from '../db/schema.js';
import { lockOrg, orgRowsOf, type Tx } from './context.js';
import { logLeases } from './lease-log.js';

/** Free, unblocked, future slots of the lease window, in time order. */
async function candidates(tx: Tx, orgId: string, now: number): Promise<{ list: LeaseCandidate[]; slots: Slot[]; profile: ReturnType<typeof getProfile> } | null> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId));
  if (!org) return null;
  const profile = getProfile(org.profileId as Parameters<typeof getProfile>[0]);
  const dates = leaseWindow(profile, localParts(now, org.timezone).date);
  const doctors = (await orgRowsOf<Doctor>(tx, orgId, 'doctor')).filter((d) => d.active);
  const templates = await orgRowsOf<ScheduleTemplate>(tx, orgId, 'template');
  const exceptions = await orgRowsOf<ScheduleException>(tx, orgId, 'exception');
  const slots = doctors
    .flatMap((d) =>
      templates
        .filter((t) => t.doctorId === d.id)
        .flatMap((t) => generateDoctorSlots({ template: t, exceptions: exceptions.filter((e) => e.doctorId === d.id), specialtyId: d.specialtyId, dates, profile, timezone: org.timezone })),
    )
    .filter((s) => !s.blocked && s.startUtc > now)
    .sort((a, b) => a.startUtc - b.startUtc);
  return { list: slots.map((s) => ({ slotId: s.id, doctorId: s.doctorId, date: s.date, channel: s.channel })), slots, profile };
}

/*
 * THE LEASE INVARIANT (issue 25). A desk books a time as *guaranteed* only while the server has not given
 * that time to anyone else, and the server never gives a time to anyone else while a desk may still book it
 * as guaranteed. Every path that changes who holds a time keeps both halves:
 *
 * - Grant: only a free time (no confirmed booking) that no other device's lease covers until its reclaim time
 *   (planLeases). Bookings of other devices on a leased time are refused (kezek_slot_state: 'leased').
 * - Expiry: the desk stops guaranteeing LEASE_SAFETY_MS before expires_at by its estimate of this clock;
 *   the server frees the time only after reclaim_after = expires_at + the profile's grace.
 * - Give-back at renewal: the desk trusts none of its leases from the moment a renewal leaves until it has
 *   the renewal's answer and a whole pull after it (the engine's lease_renewal_in_doubt). Renewals are
 *   numbered: one the network delays or replays past that point changes nothing (lease_sets.renewal).
 * - Release of a time by the desk's own op (a cancellation, a move): until the server has applied it, the
 *   server still gives the time to that booking and may refuse the release — not guaranteed (bookingMode's
 *   releaseInDoubt; seed 7142).
 * - Absence, schedule change, dismissal: a blocked time is nobody's to book; its lease goes at the holder's
 *   next renewal. A booking on it is the clinic's call task (R8), not a lease given to someone else.
 * - Revocation (dropLeases) and a server restored from a backup: the device's leases are gone on the server;
 *   a revoked desk can never upload again, and a desk that finds the server forgot it drops its lease table,
 *   pulls everything again and trusts nothing until its next renewal (startOver). A desk restored from its
 *   own backup likewise trusts no lease until then (restoreDesk).
 * - A wall clock moved back: the desk sees it (clockWentBack) against its last contact and guarantees nothing.
 *   What no desk can see is a clock moved back between contacts by more than the grace while the desk is cut
 *   off past its expiry; the grace (12 h in every profile) is the bound.
 */

/** The latest renewal carried out for the device, with what it holds: the answer to a stale renewal. */
async function currentAnswer(tx: Tx, orgId: string, deviceId: string, set: { expiresAt: number; renewal: number }): Promise<LeaseResponse> {
  const [held] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(slotLeases)
    .where(and(eq(slotLeases.orgId, orgId), eq(slotLeases.deviceId, deviceId)));
  return { expiresAt: set.expiresAt, held: held?.n ?? 0, granted: 0, released: 0, renewal: set.renewal, stale: true };
}

/**
 * Renew this device's leases (it calls while online, with nothing left to
 * upload): in one transaction under the organization's lock, extend its expiry,
 * give back what is over its share, and grant free slots nobody else may still
 * use. Every change travels to every desk through the pull feed. `renewal` is
 * the desk's number for this request (see leaseRequest): a number no higher than
 * the last one carried out changes nothing.
 */
export async function renewLeases(
  db: ServerDb,
  device: { id: string; orgId: string },
  now: number,
  renewal?: number,
  /** The rules' directories: with them, the times the waiting list waits for are kept out of every lease (reservedForWaiting). */
  directories?: DirectoryCache,
): Promise<LeaseResponse> {
  return db.transaction(async (tx) => {
    // The slots of the window come from the directory alone: worked out before taking the organization's
    // lock, so pushes of the clinic wait only for the part that must be consistent (who holds what, what is taken).
    const c = await candidates(tx, device.orgId, now);
    await lockOrg(tx, device.orgId);
    const [me] = await tx.select({ kind: devices.kind, doctorId: devices.doctorId }).from(devices).where(eq(devices.id, device.id));
    if (!me || !c) return { expiresAt: now, held: 0, granted: 0, released: 0 };
    const [set] = await tx.select({ expiresAt: leaseSets.expiresAt, renewal: leaseSets.renewal }).from(leaseSets).where(eq(leaseSets.deviceId, device.id));
    if (renewal !== undefined && set && renewal <= set.renewal) return currentAnswer(tx, device.orgId, device.id, set);
    const number = renewal ?? set?.renewal ?? 0;
    const slotIds = c.list.map((x) => x.slotId);
    const taken = new Set<string>();
    const holders = new Map<string, LeaseHolder>();
    for (let i = 0; i < slotIds.length; i += 5000) {
      const part = slotIds.slice(i, i + 5000);
      for (const r of await tx
        .select({ slotId: appointments.slotId })
        .from(appointments)
        .where(and(eq(appointments.orgId, device.orgId), inArray(appointments.slotId, part), eq(appointments.syncState, 'confirmed'), inArray(appointments.status, [...ACTIVE_STATUSES]))))
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
      // Kiosks share the kiosks' part of the internet share among themselves, as desks share the registry's.
      .where(and(eq(leaseSets.orgId, device.orgId), eq(devices.kind, me.kind === 'kiosk' ? 'kiosk' : 'desk'), sql`${leaseSets.reclaimAfter} > ${now}`, sql`${devices.revokedAt} IS NULL`));
    const dir = directories ? await directories.get(tx, device.orgId) : undefined;
    const reserved = dir ? await reservedForWaiting(tx, dir, c.slots, taken, now) : undefined;
    const plan = planLeases({
      device: { id: device.id, kind: me.kind as DeviceKind, doctorId: me.doctorId },
      candidates: c.list,
      taken,
      holders,
      desks: liveDesks.map((d) => d.id),
      share: me.kind === 'kiosk' ? c.profile.leases.kioskShare : c.profile.leases.deskShare,
      ...(reserved ? { reserved } : {}),
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
    await tx
      .insert(leaseSets)
      .values({ deviceId: device.id, orgId: device.orgId, expiresAt, reclaimAfter, renewal: number })
      .onConflictDoUpdate({ target: leaseSets.deviceId, set: { expiresAt, reclaimAfter, renewal: number } });
    await tx.insert(changeLog).values({ orgId: device.orgId, entity: 'lease_set', entityId: device.id, op: 'put', row: { deviceId: device.id, expiresAt, reclaimAfter }, at: now });
    const held = [...holders.values()].filter((h) => h.deviceId === device.id).length - plan.release.length + plan.grant.length;
    return { expiresAt, held, granted: plan.grant.length, released: plan.release.length, ...(renewal !== undefined ? { renewal } : {}) };
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
