import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Appointment, Slot } from '../../src-shared/domain/appointment.js';
import type { Patient } from '../../src-shared/domain/patient.js';
import type { RefusalCode } from '../../src-shared/rules/decision.js';
import { hasPrefix, nextServerTicket, serverDevice, serverDeviceId } from '../auth/server-devices.js';
import type { ServerDb } from '../db/connect.js';
import { organizations, slotHolds } from '../db/schema.js';
import type { DirectoryCache, RulesDirectory } from '../rules/directory-cache.js';
import { doctorDaySlots, judgeBooking, loadElectronicFacts, type ServerDevice } from '../rules/judge.js';
import { appointmentRow, confirm, judgeNew, transition } from '../sync/booking-mutators.js';
import { lockOrg, type OpContext, type Tx } from '../sync/context.js';
import { bookInBatch } from './book-batch.js';
import { slotById } from './free-times.js';
import type { ApiClient } from './clients.js';

/**
 * The booking API's decisions (issue 20): free times, holds, bookings and cancellations by other systems — a national
 * portal, a kiosk, a call centre. Every booking is decided by the server's own path for desks' ops (judgeNew, the
 * shared rules, kezek_slot_state, the one-booking-per-slot index) under the organization's lock, with the client's
 * channel: R7 lets it take only the times that channel may (the internet share), R10 and R11 read the patient's
 * history, and a time a desk holds a lease on is never offered, held or booked — so an electronic booking never
 * collides with a desk's guaranteed offline one.
 */

/** How long a $hold keeps a time for its patient, by the server's clock. */
export const HOLD_MS = 5 * 60_000;

export type Refusal = { refused: RefusalCode | 'hold_expired' | 'unknown_slot' | 'unknown_appointment' | 'not_yours' | 'stale'; params?: Record<string, string | number> };

/** A patient as a client names them: which organization holds their record, and the record. */
export interface KnownPatient {
  orgId: string;
  patient: Patient;
}

/** The patient with this national ID in one of the organizations the client reaches (an attached patient's own clinic first). */
export async function findPatient(db: ServerDb, orgIds: readonly string[], kind: string, nationalId: string): Promise<KnownPatient | null> {
  if (orgIds.length === 0) return null;
  const rows = (await db.execute(sql`
    SELECT org_id AS "orgId", row FROM org_rows
    WHERE entity = 'patient' AND row->>'nationalId' = ${nationalId} AND row->>'nationalIdKind' = ${kind} AND org_id IN ${orgIds}`)) as unknown as {
    rows: Array<{ orgId: string; row: Patient }>;
  };
  const own = rows.rows.find((r) => r.row.attachment?.orgId === r.orgId) ?? rows.rows[0];
  return own ? { orgId: own.orgId, patient: own.row } : null;
}

const apiDeviceId = (orgId: string) => serverDeviceId('api', orgId);

/** The organization's API device as the rules see it: a desk with the client's one channel. */
const apiDeviceFor = (orgId: string, client: ApiClient): ServerDevice => ({ id: apiDeviceId(orgId), orgId, kind: 'desk', doctorId: null, channels: [client.channel] });

/** What an op of the booking API runs with: the organization's API device, acting for the client, with the client's one channel. */
export function contextFor(tx: Tx, dir: RulesDirectory, client: ApiClient, now: number): OpContext {
  const device = apiDeviceFor(dir.orgId, client);
  return { tx, orgId: dir.orgId, deviceId: device.id, now, at: now, device, dir, by: { userId: `api:${client.id}`, role: 'registrar' } };
}

/** A patient's referral to this specialty, valid that day and not spent (R5), if they hold one. */
export async function usableReferral(tx: Pick<ServerDb, 'execute'>, orgId: string, patientId: string, specialtyId: string, date: string): Promise<string | null> {
  const res = (await tx.execute(sql`
    SELECT r.id FROM org_rows r WHERE r.org_id = ${orgId} AND r.entity = 'referral' AND r.row->>'patientId' = ${patientId}
      AND r.row->>'specialtyId' = ${specialtyId} AND r.row->>'validUntil' >= ${date}
      AND NOT EXISTS (SELECT 1 FROM referral_uses u WHERE u.org_id = r.org_id AND u.referral_id = r.id)
    ORDER BY r.row->>'validUntil' LIMIT 1`)) as unknown as { rows: Array<{ id: string }> };
  return res.rows[0]?.id ?? null;
}

/** The booking the client asks for, as a desk would make it: born booked, the client's channel, a ticket of the organization. */
async function draft(tx: Pick<ServerDb, 'execute'>, dir: RulesDirectory, client: ApiClient, slot: Slot, patient: Patient, now: number): Promise<Appointment> {
  const day = [...doctorDaySlots(dir, slot.doctorId, slot.date).values()].sort((a, b) => a.startUtc - b.startUtc);
  return {
    id: randomUUID(),
    orgId: dir.orgId,
    patientId: patient.id,
    slotId: slot.id,
    doctorId: slot.doctorId,
    specialtyId: slot.specialtyId,
    date: slot.date,
    time: slot.time,
    startUtc: slot.startUtc,
    status: 'booked',
    channel: client.channel,
    // R5: only a narrow specialist needs a referral; the patient's unspent one is used.
    referralId: dir.specialtyKinds.get(slot.specialtyId) === 'narrow' ? await usableReferral(tx, dir.orgId, patient.id, slot.specialtyId, slot.date) : null,
    replacesId: null,
    // Numbered only when it is booked (bookSlot): a hold or a refusal spends no ticket number.
    ticketCode: '',
    queueNumber: day.findIndex((s) => s.id === slot.id) + 1,
    liveQueue: false,
    createdAt: now,
    createdBy: `api:${client.id}`,
    deviceId: apiDeviceId(dir.orgId),
    visitReason: 'illness',
  };
}

/** R15: the request's row of the register, as a desk writes one. */
export const registerRow = (a: Appointment, patient: Patient, now: number) => ({
  id: randomUUID(),
  at: now,
  patientId: a.patientId,
  applicant: patient.fullName,
  specialtyId: a.specialtyId,
  doctorId: a.doctorId,
  channel: a.channel,
  result: 'booked' as const,
  reason: null,
  rule: null,
  appointmentId: a.id,
  appointedAt: a.startUtc,
  userId: a.createdBy,
  deviceId: a.deviceId,
});

/**
 * Judge a booking of `slot` for `patient` without writing it: the rules, and whether the slot is free for this client.
 * Runs under the organization's lock.
 */
async function judge(ctx: OpContext, client: ApiClient, slot: Slot, p: KnownPatient): Promise<{ ok: true; a: Appointment; spends: string | null } | Refusal> {
  const a = await draft(ctx.tx, ctx.dir, client, slot, p.patient, ctx.now);
  const electronic = await loadElectronicFacts(ctx.tx, ctx.orgId, p.patient.id, slot.specialtyId, slot.date);
  const v = await judgeNew(ctx, { appointment: a, preventive: false }, electronic);
  if (v.known) return { refused: 'slot_taken' };
  // A rule's refusal names the rule; a time booked or under a desk's lease is simply taken for this client.
  if (v.lost !== null) return { refused: v.refusal ?? 'slot_taken' };
  const [held] = await ctx.tx
    .select({ patientId: slotHolds.patientId, expiresAt: slotHolds.expiresAt })
    .from(slotHolds)
    .where(and(eq(slotHolds.orgId, ctx.orgId), eq(slotHolds.slotId, slot.id)));
  if (held && held.expiresAt > ctx.now && held.patientId !== p.patient.id) return { refused: 'slot_taken' };
  return { ok: true, a, spends: v.spendsReferral };
}

export async function inOrg<T>(db: ServerDb, directories: DirectoryCache, orgId: string, run: (tx: Tx, dir: RulesDirectory) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await lockOrg(tx, orgId);
    const dir = await directories.get(tx, orgId);
    if (!dir) throw new Error(`organization ${orgId} is not on this server`);
    return run(tx, dir);
  });
}

export interface Hold {
  id: string;
  slot: Slot;
  expiresAt: number;
}

/**
 * $hold: the time kept for this patient for HOLD_MS — only a time they could book now; a new hold lets their previous
 * one go. Without the organization's lock: a hold decides nothing for good (the booking is judged again under the lock),
 * and the slot's one hold row — taken over only when expired, or by the same patient — keeps two patients from holding
 * one time. So the morning rush's holds do not queue behind each other. The rules are judged in TypeScript on a copy
 * of the directory of a moment ago, then kezek_api_hold takes the time in one statement (functions.sql); a narrow
 * specialist's time, which needs the patient's referral read, is judged in a transaction (holdWithReferral).
 */
export async function holdSlot(db: ServerDb, directories: DirectoryCache, client: ApiClient, slotId: string, p: KnownPatient, now: number): Promise<Hold | Refusal> {
  return placeHold(db, directories, client, slotId, p, now).catch((e: unknown) => {
    // The same patient holding two times at once from two tabs: the second meets the one-hold-a-patient index.
    if ((e as { code?: string; cause?: { code?: string } }).code === '23505' || (e as { cause?: { code?: string } }).cause?.code === '23505') return { refused: 'slot_taken' as const };
    throw e;
  });
}

async function placeHold(db: ServerDb, directories: DirectoryCache, client: ApiClient, slotId: string, p: KnownPatient, now: number): Promise<Hold | Refusal> {
  // The copy of a moment ago will do: a hold decides nothing for good, the booking is judged again.
  const dir = await directories.recent(db, p.orgId);
  if (!dir) throw new Error(`organization ${p.orgId} is not on this server`);
  const slot = slotById(dir, slotId);
  if (!slot) return { refused: 'unknown_slot' };
  if (dir.specialtyKinds.get(slot.specialtyId) === 'narrow') return holdWithReferral(db, directories, client, slot, p, now);
  const a = await draft(db, dir, client, slot, p.patient, now);
  const electronic = await loadElectronicFacts(db, p.orgId, p.patient.id, slot.specialtyId, slot.date);
  const { decision } = judgeBooking(dir, apiDeviceFor(dir.orgId, client), a, false, now, p.patient, { referral: undefined, spent: false }, 'registrar', electronic);
  if (!decision.ok) return { refused: decision.code, ...(decision.params ? { params: decision.params } : {}) };
  return takeHold(db, client, slot, p, now);
}

/** kezek_api_hold: the time taken for the patient (functions.sql), remembered for this process's $book. */
async function takeHold(db: Pick<ServerDb, 'execute'>, client: ApiClient, slot: Slot, p: KnownPatient, now: number): Promise<Hold | Refusal> {
  const id = randomUUID();
  const expiresAt = now + HOLD_MS;
  const res = (await db.execute(sql`SELECT kezek_api_hold(${p.orgId}, ${id}, ${slot.id}, ${p.patient.id}, ${client.id}, ${apiDeviceId(p.orgId)}, ${expiresAt}, ${now}) AS outcome`)) as unknown as {
    rows: Array<{ outcome: string }>;
  };
  return res.rows[0]!.outcome === 'held' ? remember({ id, slot, expiresAt }, p.orgId, p.patient.id, client.id) : { refused: 'slot_taken' };
}

/** A narrow specialist's time: judged in a transaction by the desks' own path, with the referral the patient holds (R5). */
async function holdWithReferral(db: ServerDb, directories: DirectoryCache, client: ApiClient, slot: Slot, p: KnownPatient, now: number): Promise<Hold | Refusal> {
  return db.transaction(async (tx) => {
    const dir = await directories.recent(tx, p.orgId);
    if (!dir) throw new Error(`organization ${p.orgId} is not on this server`);
    const verdict = await judge(contextFor(tx, dir, client, now), client, slot, p);
    if ('refused' in verdict) return verdict;
    return takeHold(tx, client, slot, p, now);
  });
}

/**
 * Holds this process placed, as it placed them: $book's fast path reads the time from here instead of asking the
 * database, because kezek_api_book checks the hold again under the lock (still there, the patient's, that time, not
 * expired). A hold placed by another process, or forgotten, is read from the database.
 */
const placed = new Map<string, { orgId: string; slotId: string; patientId: string; clientId: string; expiresAt: number }>();
const remember = (h: Hold, orgId: string, patientId: string, clientId: string) => {
  if (placed.size > 50_000) placed.clear();
  placed.set(h.id, { orgId, slotId: h.slot.id, patientId, clientId, expiresAt: h.expiresAt });
  return h;
};

/** The time a $book names: its hold's (this patient's, this client's, not expired), or the slot it names. */
async function slotAsked(
  db: Pick<ServerDb, 'select'>,
  dir: RulesDirectory,
  client: ApiClient,
  req: { slotId?: string; holdId?: string },
  p: KnownPatient,
  now: number,
  /** The hold may come from this process's memory: the caller's statement checks it in the database. */
  checkedLater = false,
): Promise<Slot | Refusal> {
  let slotId = req.slotId;
  if (req.holdId) {
    const [h] = checkedLater && placed.get(req.holdId) ? [placed.get(req.holdId)!] : await db.select().from(slotHolds).where(eq(slotHolds.id, req.holdId));
    if (!h || h.patientId !== p.patient.id || h.clientId !== client.id || h.orgId !== p.orgId) return { refused: 'not_yours' };
    if (h.expiresAt <= now) return { refused: 'hold_expired' };
    slotId = h.slotId;
  }
  return (slotId ? slotById(dir, slotId) : null) ?? { refused: 'unknown_slot' };
}

/**
 * $book: the time (held or not) booked for the patient, confirmed at once and published to every desk of the clinic.
 * The rules are judged first, outside the lock (as desks' fast path does); then kezek_api_book decides what can
 * change meanwhile and books in one statement (functions.sql) — the organization's lock held for one round trip.
 * A narrow specialist's booking spends a referral, and a directory that moved meanwhile wants a judgement under the
 * lock: both take the whole path (bookUnderLock).
 */
export async function bookSlot(
  db: ServerDb,
  directories: DirectoryCache,
  client: ApiClient,
  req: { slotId?: string; holdId?: string },
  p: KnownPatient,
  now: number,
  /** The clinic's writers, one at a time in this process (OrgQueue): only the step that takes the lock waits there. */
  serialize: <T>(orgId: string, task: () => Promise<T>) => Promise<T> = (_o, task) => task(),
): Promise<{ appointment: Appointment; seq: number } | Refusal> {
  // A copy of a moment ago: kezek_api_book compares its version with the database's under the lock (else 'retry').
  const dir = await directories.recent(db, p.orgId);
  if (!dir) throw new Error(`organization ${p.orgId} is not on this server`);
  const slot = await slotAsked(db, dir, client, req, p, now, true);
  if ('refused' in slot) return slot;
  if (dir.specialtyKinds.get(slot.specialtyId) === 'narrow') return serialize(p.orgId, () => bookUnderLock(db, directories, client, req, p, now));
  if (!hasPrefix('api', p.orgId)) await db.transaction((tx) => serverDevice(tx, 'api', p.orgId));
  const a = await draft(db, dir, client, slot, p.patient, now);
  const electronic = await loadElectronicFacts(db, p.orgId, p.patient.id, slot.specialtyId, slot.date);
  const device = apiDeviceFor(p.orgId, client);
  const { decision } = judgeBooking(dir, device, a, false, now, p.patient, { referral: undefined, spent: false }, 'registrar', electronic);
  if (!decision.ok) return { refused: decision.code, ...(decision.params ? { params: decision.params } : {}) };
  const row = JSON.parse(appointmentRow(a, 'confirmed', registerRow(a, p.patient, now))) as object;
  const r = await bookInBatch(
    db,
    p.orgId,
    {
      device: device.id,
      dirVersion: dir.version,
      hold: req.holdId ?? null,
      patient: p.patient.id,
      slot: slot.id,
      id: a.id,
      specialty: slot.specialtyId,
      date: slot.date,
      limit: dir.profile.electronicPerSpecialtyPerDay,
      row,
      now,
    },
    serialize,
  );
  if (r.outcome === 'booked') return { appointment: { ...a, ticketCode: r.ticket! }, seq: Number(r.seq) };
  if (r.outcome === 'retry') return serialize(p.orgId, () => bookUnderLock(db, directories, client, req, p, now));
  return { refused: r.outcome as Refusal['refused'] };
}

/** $book the whole way under the organization's lock: a referral to spend, or a directory that moved under the fast one. */
async function bookUnderLock(
  db: ServerDb,
  directories: DirectoryCache,
  client: ApiClient,
  req: { slotId?: string; holdId?: string },
  p: KnownPatient,
  now: number,
): Promise<{ appointment: Appointment; seq: number } | Refusal> {
  return inOrg(db, directories, p.orgId, async (tx, dir) => {
    const slot = await slotAsked(tx, dir, client, req, p, now);
    if ('refused' in slot) return slot;
    const ctx = contextFor(tx, dir, client, now);
    const verdict = await judge(ctx, client, slot, p);
    if ('refused' in verdict) return verdict;
    const a = { ...verdict.a, ticketCode: await nextServerTicket(tx, 'api', p.orgId) };
    await confirm(ctx, { appointment: a, preventive: false, register: registerRow(a, p.patient, now) }, verdict.spends);
    await tx.delete(slotHolds).where(and(eq(slotHolds.orgId, p.orgId), eq(slotHolds.patientId, p.patient.id)));
    const res = (await tx.execute(sql`SELECT server_seq AS seq FROM appointments WHERE org_id = ${p.orgId} AND id = ${a.id}`)) as unknown as { rows: Array<{ seq: string }> };
    return { appointment: a, seq: Number(res.rows[0]!.seq) };
  });
}

/** The patient's own bookings in an organization, as the server holds them (latest row of each), with their versions. */
export async function patientAppointments(db: Pick<ServerDb, 'execute'>, orgId: string, patientId: string): Promise<Array<{ appointment: Appointment; seq: number }>> {
  const res = (await db.execute(sql`
    SELECT c.row, a.server_seq AS seq FROM appointments a JOIN change_log c ON c.org_id = a.org_id AND c.seq = a.server_seq
    WHERE a.org_id = ${orgId} AND a.patient_id = ${patientId} AND a.sync_state = 'confirmed' ORDER BY (c.row->>'startUtc')::bigint`)) as unknown as {
    rows: Array<{ row: Appointment; seq: string }>;
  };
  return res.rows.map((r) => ({ appointment: r.row, seq: Number(r.seq) }));
}

/**
 * A cancellation by the patient through the client: their own booking only, at the version they saw (If-Match),
 * and by the status machine with the client's channel — R9's cut-off for electronic cancels.
 */
export async function cancelBooking(
  db: ServerDb,
  directories: DirectoryCache,
  client: ApiClient,
  appointmentId: string,
  p: KnownPatient,
  ifMatch: number | null,
  now: number,
): Promise<{ appointment: Appointment; seq: number } | Refusal> {
  return inOrg(db, directories, p.orgId, async (tx, dir) => {
    const mine = (await patientAppointments(tx, p.orgId, p.patient.id)).find((x) => x.appointment.id === appointmentId);
    if (!mine) return { refused: 'unknown_appointment' };
    if (ifMatch !== null && ifMatch !== mine.seq) return { refused: 'stale' };
    const ctx = contextFor(tx, dir, client, now);
    const register = { ...registerRow(mine.appointment, p.patient, now), channel: client.channel, result: 'cancelled' as const };
    const out = await transition('appointments.cancel')(ctx, { appointmentId, channel: client.channel, register });
    if (out.status !== 'applied') return { refused: (out.detail.startsWith('bad_status') ? 'bad_status' : out.detail) as RefusalCode, params: { minutes: dir.profile.electronicCancelCutoffMinutes } };
    const after = (await patientAppointments(tx, p.orgId, p.patient.id)).find((x) => x.appointment.id === appointmentId)!;
    return after;
  });
}

/** Organizations a client reaches, with what the API shows of them. */
export async function orgsById(db: ServerDb, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.select().from(organizations).where(sql`${organizations.id} IN ${ids}`);
}
