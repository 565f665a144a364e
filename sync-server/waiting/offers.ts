import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Appointment, Slot } from '../../src-shared/domain/appointment.js';
import { ACTIVE_STATUSES, type RequestChannel } from '../../src-shared/domain/enums.js';
import type { Patient } from '../../src-shared/domain/patient.js';
import type { WaitingEntry, WaitingOffer } from '../../src-shared/domain/waiting-entry.js';
import { assignOffers, listOrder, offerExpiry, wishMatches } from '../../src-shared/rules/waiting-list.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { datesBetween, earlierDate, laterDate, localParts } from '../../src-shared/time/dates.js';
import { serverDeviceId } from '../auth/server-devices.js';
import { appointments, changeLog, leaseSets, orgRows, slotHolds, slotLeases, tasks } from '../db/schema.js';
import { quietUntil } from '../messages/night.js';
import { usableReferral } from '../api/scheduling.js';
import type { RulesDirectory } from '../rules/directory-cache.js';
import { doctorDaySlots, horizonOf, judgeBooking, loadElectronicFacts, loadPatients, loadReferral, type ServerDevice } from '../rules/judge.js';
import { logChange, type OpContext, type Tx } from '../sync/context.js';
import { logLeases } from '../sync/lease-log.js';

/**
 * The waiting list's offers (issue 21), made by the server alone. A freed time is offered to the first entry it fits
 * by holding it as a lease of the organization's `waiting` device (server-devices.ts): every desk already refuses a
 * time another device holds (bookingMode), the server refuses other devices' bookings of it (kezek_slot_state), the
 * booking API and the lease planner skip it — so an offer needs no new path to be safe. An offer is made only on a
 * time no device's lease covers (the lease invariant, sync/leases.ts): a desk offline can book it only tentatively,
 * and the server refuses that booking. A time a desk holds that someone waits for is given back at that desk's next
 * renewal (reservedForWaiting → planLeases) and offered then.
 */

export const waitingDeviceId = (orgId: string): string => serverDeviceId('waiting', orgId);

/** The waiting device as the rules see it: a desk that books through the entry's one channel. */
export const waitingDevice = (orgId: string, channel: RequestChannel): ServerDevice => ({ id: waitingDeviceId(orgId), orgId, kind: 'desk', doctorId: null, channels: [channel] });

/** A context for the waiting list's own changes (an offer made, expired), acting as its device. */
export const waitingContext = (tx: Tx, dir: RulesDirectory, now: number, channel: RequestChannel = 'registry', by = 'waiting-list'): OpContext => ({
  tx,
  orgId: dir.orgId,
  deviceId: waitingDeviceId(dir.orgId),
  now,
  at: now,
  device: waitingDevice(dir.orgId, channel),
  dir,
  by: { userId: by, role: 'registrar' },
});

/** An entry as the server holds it. */
export async function loadEntry(tx: Tx, orgId: string, id: string): Promise<WaitingEntry | undefined> {
  const [r] = await tx
    .select({ row: orgRows.row })
    .from(orgRows)
    .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, 'waiting_entry'), eq(orgRows.id, id)));
  return r?.row as WaitingEntry | undefined;
}

/** The entries still waiting or holding an offer. */
export async function liveEntries(tx: Tx, orgId: string): Promise<WaitingEntry[]> {
  const rows = await tx
    .select({ row: orgRows.row })
    .from(orgRows)
    // Spelled as org_rows_waiting_live's predicate, literally, so the planner reads the partial index.
    .where(and(eq(orgRows.orgId, orgId), sql`${orgRows.entity} = 'waiting_entry' AND (${orgRows.row} ->> 'status') IN ('waiting', 'offered')`));
  return rows.map((r) => r.row as WaitingEntry);
}

/** Store an entry and publish it to every desk. */
export async function putEntry(ctx: OpContext, e: WaitingEntry, isNew = false): Promise<void> {
  if (isNew) await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'waiting_entry', id: e.id, row: e });
  else
    await ctx.tx
      .update(orgRows)
      .set({ row: e })
      .where(and(eq(orgRows.orgId, ctx.orgId), eq(orgRows.entity, 'waiting_entry'), eq(orgRows.id, e.id)));
  await logChange(ctx, 'waiting_entry', e.id, 'put', e);
}

/** The offer's time goes back: the waiting device's lease is let go (the server is its holder: safe at once), its call task closed. */
export async function endOffer(ctx: OpContext, e: WaitingEntry): Promise<void> {
  if (!e.offer) return;
  const gone = await ctx.tx
    .delete(slotLeases)
    .where(and(eq(slotLeases.orgId, ctx.orgId), eq(slotLeases.slotId, e.offer.slotId), eq(slotLeases.deviceId, waitingDeviceId(ctx.orgId))))
    .returning({ slotId: slotLeases.slotId });
  if (gone.length) await logLeases(ctx.tx, ctx.orgId, ctx.now, waitingDeviceId(ctx.orgId), [e.offer.slotId], 'remove');
  const taskId = offerTaskId(e.id, e.offer.slotId);
  const [task] = await ctx.tx.select({ row: tasks.row, status: tasks.status }).from(tasks).where(eq(tasks.id, taskId));
  if (task && task.status === 'open') {
    const row = { ...(task.row as object), status: 'done' };
    const seq = await logChange(ctx, 'task', taskId, 'put', row);
    await ctx.tx.update(tasks).set({ status: 'done', row, serverSeq: seq }).where(eq(tasks.id, taskId));
  }
}

export const offerTaskId = (entryId: string, slotId: string): string => `offer-${entryId}-${slotId}`.slice(0, 80);

/** The booking an accepted offer makes, as a desk would: born booked, the entry's channel, numbered by the waiting device. */
export async function offeredBooking(tx: Tx, dir: RulesDirectory, e: WaitingEntry, slot: Slot, by: string, now: number, ticketCode: string): Promise<Appointment> {
  const day = [...doctorDaySlots(dir, slot.doctorId, slot.date).values()].sort((a, b) => a.startUtc - b.startUtc);
  return {
    ...draftFor(dir, e, slot),
    id: `wl-${e.id}`.slice(0, 80),
    referralId: dir.specialtyKinds.get(slot.specialtyId) === 'narrow' ? await usableReferral(tx, dir.orgId, e.patientId, slot.specialtyId, slot.date) : null,
    ticketCode,
    queueNumber: day.findIndex((s) => s.id === slot.id) + 1,
    createdAt: now,
    createdBy: by,
  };
}

/** The organization's future, unblocked times of these specialties from `from` to `to`, in time order. */
function scheduledTimes(dir: RulesDirectory, specialtyIds: ReadonlySet<string>, from: string, to: string, now: number): Slot[] {
  const dates = from <= to ? datesBetween(from, to) : [];
  const out: Slot[] = [];
  for (const d of dir.doctors.values()) {
    if (!d.active || !specialtyIds.has(d.specialtyId)) continue;
    for (const t of dir.templates.get(d.id) ?? [])
      out.push(...generateDoctorSlots({ template: t, exceptions: dir.exceptions.get(d.id) ?? [], specialtyId: d.specialtyId, dates, profile: dir.profile, timezone: dir.timezone }));
  }
  return out.filter((s) => !s.blocked && s.startUtc > now).sort((a, b) => a.startUtc - b.startUtc);
}

/** Of these slots, those booked (confirmed), and those held by someone: a live lease of any device, a patient page's hold. */
async function busy(tx: Tx, orgId: string, slotIds: readonly string[], now: number): Promise<{ booked: Set<string>; held: Set<string> }> {
  const booked = new Set<string>();
  const held = new Set<string>();
  for (let i = 0; i < slotIds.length; i += 5000) {
    const part = slotIds.slice(i, i + 5000);
    for (const r of await tx
      .select({ slotId: appointments.slotId })
      .from(appointments)
      .where(and(eq(appointments.orgId, orgId), inArray(appointments.slotId, part), eq(appointments.syncState, 'confirmed'), inArray(appointments.status, [...ACTIVE_STATUSES]))))
      booked.add(r.slotId);
    for (const r of await tx
      .select({ slotId: slotLeases.slotId })
      .from(slotLeases)
      .innerJoin(leaseSets, eq(leaseSets.deviceId, slotLeases.deviceId))
      .where(and(eq(slotLeases.orgId, orgId), inArray(slotLeases.slotId, part), gt(leaseSets.reclaimAfter, now))))
      held.add(r.slotId);
    for (const r of await tx
      .select({ slotId: slotHolds.slotId })
      .from(slotHolds)
      .where(and(eq(slotHolds.orgId, orgId), inArray(slotHolds.slotId, part), gt(slotHolds.expiresAt, now))))
      held.add(r.slotId);
  }
  return { booked, held };
}

/**
 * Whether the entry's patient could be booked on a time by the rules the accepted offer will be judged by (R1–R11 as
 * its channel has them: the referral R5 asks for, the no-show block R10…): an offer is never made for a time the
 * acceptance would then refuse. The facts are read once per entry and day the wish covers among `times`.
 */
async function fitsFor(tx: Tx, dir: RulesDirectory, entries: readonly WaitingEntry[], times: readonly Slot[], now: number): Promise<(entryId: string, s: Slot) => boolean> {
  const patients = await loadPatients(tx, dir.orgId, [...new Set(entries.map((e) => e.patientId))]);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const facts = new Map<string, { referral: Awaited<ReturnType<typeof loadReferral>>; electronic: Awaited<ReturnType<typeof loadElectronicFacts>> | undefined }>();
  for (const e of entries) {
    const narrow = dir.specialtyKinds.get(e.specialtyId) === 'narrow';
    const electronic = e.channel === 'kiosk' || e.channel === 'internet' || e.channel === 'call_centre';
    if (!narrow && !electronic) continue;
    for (const date of new Set(times.filter((t) => wishMatches(e, t)).map((t) => t.date))) {
      const referral = narrow ? await loadReferral(tx, dir.orgId, await usableReferral(tx, dir.orgId, e.patientId, e.specialtyId, date)) : { referral: undefined, spent: false };
      facts.set(`${e.id}|${date}`, { referral, electronic: electronic ? await loadElectronicFacts(tx, dir.orgId, e.patientId, e.specialtyId, date) : undefined });
    }
  }
  return (entryId, s) => {
    const e = byId.get(entryId)!;
    const f = facts.get(`${entryId}|${s.date}`);
    const a = { ...draftFor(dir, e, s), referralId: f?.referral.referral?.id ?? null };
    return judgeBooking(dir, waitingDevice(dir.orgId, e.channel), a, false, now, patients.get(e.patientId), f?.referral ?? { referral: undefined, spent: false }, 'registrar', f?.electronic).decision
      .ok;
  };
}

/** The entry's booking of a time as the rules judge it (offeredBooking adds its id, ticket, referral and queue number). */
function draftFor(dir: RulesDirectory, e: WaitingEntry, s: Slot): Appointment {
  return {
    id: 'probe',
    orgId: dir.orgId,
    patientId: e.patientId,
    slotId: s.id,
    doctorId: s.doctorId,
    specialtyId: s.specialtyId,
    date: s.date,
    time: s.time,
    startUtc: s.startUtc,
    status: 'booked',
    channel: e.channel,
    referralId: null,
    replacesId: null,
    ticketCode: '',
    queueNumber: 1,
    liveQueue: false,
    createdAt: 0,
    createdBy: 'waiting-list',
    deviceId: waitingDeviceId(dir.orgId),
    visitReason: 'illness',
  };
}

/** The waiting device's lease set: held as long as it has offers (the server lets each go itself when its offer ends). */
async function holdForOffer(ctx: OpContext, slotId: string): Promise<void> {
  const id = waitingDeviceId(ctx.orgId);
  const [set] = await ctx.tx.select({ reclaimAfter: leaseSets.reclaimAfter }).from(leaseSets).where(eq(leaseSets.deviceId, id));
  // Desks read a lease as binding until its set's reclaim time: far ahead, since only the server ends these.
  const far = ctx.now + 366 * 24 * 3_600_000;
  if (!set || set.reclaimAfter < ctx.now + 180 * 24 * 3_600_000) {
    await ctx.tx
      .insert(leaseSets)
      .values({ deviceId: id, orgId: ctx.orgId, expiresAt: far, reclaimAfter: far, renewal: 0 })
      .onConflictDoUpdate({ target: leaseSets.deviceId, set: { expiresAt: far, reclaimAfter: far } });
    await ctx.tx.insert(changeLog).values({ orgId: ctx.orgId, entity: 'lease_set', entityId: id, op: 'put', row: { deviceId: id, expiresAt: far, reclaimAfter: far }, at: ctx.now });
  }
  const epochs = await logLeases(ctx.tx, ctx.orgId, ctx.now, id, [slotId], 'put');
  await ctx.tx
    .insert(slotLeases)
    .values({ orgId: ctx.orgId, slotId, deviceId: id, epoch: epochs.get(slotId)! })
    .onConflictDoUpdate({ target: [slotLeases.orgId, slotLeases.slotId], set: { deviceId: sql`excluded.device_id`, epoch: sql`excluded.epoch` } });
}

/** How the patient hears of an offer: an SMS where the server can send one, else a task on the registry's call list. */
export type OfferNotice = (patient: Patient | undefined) => 'sms' | 'call';

/** Tell the patient: the message (its text is made when it goes, from the entry as it then stands) or the call task. */
async function notify(ctx: OpContext, e: WaitingEntry, offer: WaitingOffer): Promise<void> {
  if (offer.via === 'sms') {
    const body = JSON.stringify({ entryId: e.id, slotId: offer.slotId });
    await ctx.tx.execute(sql`
      INSERT INTO patient_messages (org_id, patient_id, appointment_id, version, kind, body, created_at)
      VALUES (${ctx.orgId}, ${e.patientId}, NULL, ${offer.offeredAt}, 'offer', ${body}, ${ctx.now})`);
    return;
  }
  const id = offerTaskId(e.id, offer.slotId);
  const row = { id, kind: 'waiting_offer', patientId: e.patientId, appointmentId: null, reason: 'waiting_offer', status: 'open', createdAt: ctx.now, entryId: e.id, offer, deviceId: ctx.deviceId };
  const seq = await logChange(ctx, 'task', id, 'put', row);
  await ctx.tx.insert(tasks).values({ id, orgId: ctx.orgId, kind: 'waiting_offer', status: 'open', row, serverSeq: seq }).onConflictDoNothing();
}

/**
 * One pass of the waiting list of an organization (the caller holds its lock): offers past their hold end (the time
 * goes to the next), entries past their last day lapse, then each waiting entry in list order is offered the earliest
 * free time that fits its wish — outside the profile's quiet hours (the patient could not be told). Returns how many
 * entries changed.
 */
export async function runWaitingList(tx: Tx, dir: RulesDirectory, now: number, howToTell: OfferNotice): Promise<number> {
  const ctx = waitingContext(tx, dir, now);
  const today = localParts(now, dir.timezone).date;
  let changed = 0;
  const waiting: WaitingEntry[] = [];
  for (const e of (await liveEntries(tx, dir.orgId)).sort(listOrder)) {
    let cur = e;
    if (cur.status === 'offered' && cur.offer && cur.offer.expiresAt <= now) {
      await endOffer(ctx, cur);
      cur = {
        ...cur,
        status: 'waiting',
        offer: null,
        passed: [...cur.passed, cur.offer!.slotId],
        history: [...cur.history, { slotId: cur.offer!.slotId, offeredAt: cur.offer!.offeredAt, outcome: 'expired', at: now }],
      };
    }
    if (cur.toDate < today) {
      if (cur.offer) await endOffer(ctx, cur);
      cur = { ...cur, status: 'lapsed', offer: null, closedAt: now };
    }
    if (cur !== e) {
      await putEntry(ctx, cur);
      changed++;
    }
    if (cur.status === 'waiting') waiting.push(cur);
  }
  if (waiting.length === 0 || quietUntil(now, dir.timezone, dir.profile.messages.quietHours) !== null) return changed;
  const last = waiting.reduce((m, e) => laterDate(m, e.toDate), today);
  const times = scheduledTimes(
    dir,
    new Set(waiting.map((e) => e.specialtyId)),
    laterDate(
      today,
      waiting.reduce((m, e) => earlierDate(m, e.fromDate), last),
    ),
    earlierDate(last, horizonOf(dir, today)),
    now,
  );
  const { booked, held } = await busy(
    tx,
    dir.orgId,
    times.map((t) => t.id),
    now,
  );
  const open = times.filter((t) => !booked.has(t.id) && !held.has(t.id) && offerExpiry(dir.profile, now, t.startUtc) !== null);
  const fits = await fitsFor(tx, dir, waiting, open, now);
  const patients = await loadPatients(
    tx,
    dir.orgId,
    waiting.map((e) => e.patientId),
  );
  for (const [entryId, t] of assignOffers(
    waiting,
    open.map((s) => ({ ...s, slotId: s.id })),
    fits,
  )) {
    const e = waiting.find((x) => x.id === entryId)!;
    const offer: WaitingOffer = {
      slotId: t.id,
      doctorId: t.doctorId,
      date: t.date,
      time: t.time,
      startUtc: t.startUtc,
      offeredAt: now,
      expiresAt: offerExpiry(dir.profile, now, t.startUtc)!,
      via: howToTell(patients.get(e.patientId)),
    };
    await holdForOffer(ctx, t.id);
    await putEntry(ctx, { ...e, status: 'offered', offer });
    await notify(ctx, e, offer);
    changed++;
  }
  return changed;
}

/**
 * The times the lease planner must neither keep nor grant to any device (renewLeases): for each waiting entry in list
 * order, the earliest free time of the lease window that fits it, whoever's lease covers it now — so a desk that holds
 * it gives it back at its next renewal, and the next pass offers it. One time per entry: desks keep the rest.
 */
export async function reservedForWaiting(tx: Tx, dir: RulesDirectory, window: readonly Slot[], booked: ReadonlySet<string>, now: number): Promise<Set<string>> {
  const waiting = (await liveEntries(tx, dir.orgId)).filter((e) => e.status === 'waiting');
  if (waiting.length === 0) return new Set();
  const free = window.filter((s) => !booked.has(s.id) && offerExpiry(dir.profile, now, s.startUtc) !== null);
  const fits = await fitsFor(tx, dir, waiting, free, now);
  return new Set(
    [
      ...assignOffers(
        waiting,
        free.map((s) => ({ ...s, slotId: s.id })),
        fits,
      ).values(),
    ].map((s) => s.slotId),
  );
}
