import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { AppointmentStatus, RequestChannel } from '../../src-shared/domain/enums.js';
import type { RefusalCode } from '../../src-shared/rules/decision.js';
import { registerOutcome } from '../../src-shared/rules/register-outcome.js';
import { STATUS_CHANGES, type StatusOp } from '../../src-shared/rules/transitions.js';
import { opArgs } from '../../src-shared/sync/protocol.js';
import { appointments, changeLog, orgRows, referralUses } from '../db/schema.js';
import { type ElectronicFacts, judgeBooking, judgeStatusChange, loadPatients, loadReferral, loadSpentReferrals } from '../rules/judge.js';
import { putCallTask, takenSlots } from './call-tasks.js';
import { logChange, type OpContext } from './context.js';

/**
 * The booking ops as the server decides them: a new booking, a move (one op: both or neither),
 * and the status changes of the shared status machine.
 */

export type Outcome = { status: 'applied' | 'conflict' | 'rejected'; detail: string };

/** The stored and published form of a booking: its sync state, and the register row of the request that made this change. */
export const appointmentRow = (a: Appointment, syncState: 'confirmed' | 'conflict', register: unknown): string => JSON.stringify({ ...a, syncState, register });

/** The appointment and its change-log entry in one statement (one round trip on the hot path). */
async function putAppointment(ctx: OpContext, a: Appointment, syncState: 'confirmed' | 'conflict', register: unknown): Promise<void> {
  const row = appointmentRow(a, syncState, register);
  await ctx.tx.execute(sql`SELECT kezek_put_appointment(${ctx.orgId}, ${a.id}, ${a.patientId}, ${a.slotId}, ${a.status}, ${syncState}, ${row}::jsonb, ${ctx.now})`);
}

/** The losing booking stays; a call-the-patient task carries alternatives to offer (R4, R8). */
async function conflictTask(ctx: OpContext, a: Appointment, reason: string): Promise<void> {
  await putCallTask(ctx, a, { id: randomUUID(), reason, taken: await takenSlots(ctx) });
}

/** R15: the server's refusal of a booking is a row of the organization's register too. */
async function serverRefusal(ctx: OpContext, a: Appointment, code: RefusalCode, applicant: string): Promise<void> {
  const row = {
    id: randomUUID(),
    at: ctx.now,
    patientId: a.patientId,
    applicant,
    specialtyId: a.specialtyId,
    doctorId: a.doctorId,
    channel: a.channel,
    ...registerOutcome(ctx.dir.profile, code),
    appointmentId: a.id,
    appointedAt: a.startUtc,
    userId: a.createdBy,
    deviceId: ctx.deviceId,
  };
  await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'register_entry', id: row.id, row });
  await logChange(ctx, 'register_entry', row.id, 'put', row);
}

export type BookArgs = ReturnType<(typeof opArgs)['appointments.book']['parse']>;
export type Verdict = { known: true } | { known: false; lost: null; spendsReferral: string | null } | { known: false; lost: string; refusal: RefusalCode | null };

/**
 * The server's verdict on a new booking: already known; lost (refused by a rule, its time taken or
 * leased to another device — `lease_lost` when it cited a lease that did not hold); or accepted.
 * The organization is locked (kezek_position), so this check and the insert cannot race; the partial
 * unique index stands behind it all the same.
 */
export async function judgeNew(ctx: OpContext, b: BookArgs, electronic?: ElectronicFacts): Promise<Verdict> {
  const a = b.appointment;
  const state = ((await ctx.tx.execute(sql`SELECT kezek_slot_state(${ctx.orgId}, ${a.id}, ${a.slotId}, ${ctx.deviceId}, ${ctx.now}) AS s`)) as unknown as { rows: Array<{ s: string }> }).rows[0]!.s;
  if (state === 'known') return { known: true };
  const patients = await loadPatients(ctx.tx, ctx.orgId, [a.patientId]);
  const named = await loadReferral(ctx.tx, ctx.orgId, a.referralId);
  const { decision, spendsReferral } = judgeBooking(ctx.dir, ctx.device, a, b.preventive, ctx.at, patients.get(a.patientId), named, ctx.by.role, electronic);
  if (!decision.ok) return { known: false, lost: `refused:${decision.code}`, refusal: decision.code };
  if (state === 'taken' || state === 'leased') return { known: false, lost: b.leaseEpoch != null ? 'lease_lost' : state === 'taken' ? 'slot_taken' : 'slot_leased', refusal: null };
  return { known: false, lost: null, spendsReferral };
}

/** A booking is born booked (issue 19 finding 2): arrival, a visit done, a no-show come only through their own ops. */
const misfit = (ctx: OpContext, a: Appointment): Outcome | null =>
  a.orgId !== ctx.orgId ? { status: 'rejected', detail: 'wrong_org' } : a.status !== 'booked' ? { status: 'rejected', detail: `bad_status:${a.status}` } : null;

/** A lost booking stays visible, with a call task (and a register row naming the rule) — never silently dropped, never holding the slot. */
async function keepLost(ctx: OpContext, b: BookArgs, lost: string, refusal: RefusalCode | null): Promise<Outcome> {
  await putAppointment(ctx, b.appointment, 'conflict', b.register);
  await conflictTask(ctx, b.appointment, lost);
  if (refusal) await serverRefusal(ctx, b.appointment, refusal, b.register?.applicant ?? '');
  return { status: 'conflict', detail: lost };
}

export async function confirm(ctx: OpContext, b: BookArgs, spendsReferral: string | null): Promise<void> {
  await putAppointment(ctx, b.appointment, 'confirmed', b.register);
  if (spendsReferral) await ctx.tx.insert(referralUses).values({ orgId: ctx.orgId, referralId: spendsReferral, appointmentId: b.appointment.id });
}

export async function book(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['appointments.book'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const bad = misfit(ctx, parsed.data.appointment);
  if (bad) return bad;
  // The server decides: the desk's decision was a prediction.
  const v = await judgeNew(ctx, parsed.data);
  if (v.known) return { status: 'applied', detail: 'already_known' };
  if (v.lost !== null) return keepLost(ctx, parsed.data, v.lost, v.refusal);
  await confirm(ctx, parsed.data, v.spendsReferral);
  return { status: 'applied', detail: 'confirmed' };
}

type Current = { id: string; status: string; syncState: string; row: Appointment & { syncState: string; updatedAt?: number } };

/** A booking as the server holds it: its full row is its latest change-log entry (see the appointments table). */
async function held(ctx: OpContext, appointmentId: string): Promise<Current | undefined> {
  const [cur] = await ctx.tx
    .select({ id: appointments.id, status: appointments.status, syncState: appointments.syncState, row: changeLog.row })
    .from(appointments)
    .innerJoin(changeLog, and(eq(changeLog.orgId, appointments.orgId), eq(changeLog.seq, appointments.serverSeq)))
    .where(and(eq(appointments.id, appointmentId), eq(appointments.orgId, ctx.orgId)));
  return cur ? { ...cur, row: cur.row as Current['row'] } : undefined;
}

/** The desk already shows a change the server refused: publishing the booking as the server holds it brings every desk back to it. */
const republish = (ctx: OpContext, cur: Current) => logChange(ctx, 'appointment', cur.id, 'put', { ...cur.row, register: undefined });

/** Write a status change the server accepted; each change carries only the register row of its own request. */
async function writeStatus(ctx: OpContext, cur: Current, name: StatusOp, extra: { liveQueue?: boolean; register?: unknown }): Promise<void> {
  const to = STATUS_CHANGES[name].to;
  const row = { ...cur.row, status: to, updatedAt: ctx.now, ...(extra.liveQueue !== undefined ? { liveQueue: extra.liveQueue } : {}), register: extra.register };
  const seq = await logChange(ctx, 'appointment', cur.id, 'put', { ...row, syncState: cur.syncState });
  await ctx.tx
    .update(appointments)
    .set({ status: to, serverSeq: seq })
    .where(and(eq(appointments.orgId, ctx.orgId), eq(appointments.id, cur.id)));
  // A cancelled booking gives its referral back (R5), as on the desk.
  if (to === 'cancelled') await ctx.tx.delete(referralUses).where(and(eq(referralUses.orgId, ctx.orgId), eq(referralUses.appointmentId, cur.id)));
  // An undone cancellation spends it again (the guard saw it free).
  if (name === 'appointments.restore' && cur.row.referralId) await ctx.tx.insert(referralUses).values({ orgId: ctx.orgId, referralId: cur.row.referralId, appointmentId: cur.id });
}

/** A check of the server's own state a status change needs beyond the status machine: a refusal code, or null. */
type Guard = (ctx: OpContext, cur: Current) => Promise<string | null>;

/**
 * Undoing a cancellation takes the time back only if it is still free — no confirmed booking
 * of it since, no other device's lease on it — and the booking's referral is not spent elsewhere.
 */
export const stillFree: Guard = async (ctx, cur) => {
  if (cur.syncState !== 'confirmed') return 'bad_status';
  // No appointment id to recognize here (''): only whether the slot is taken or leased.
  const state = ((await ctx.tx.execute(sql`SELECT kezek_slot_state(${ctx.orgId}, '', ${cur.row.slotId}, ${ctx.deviceId}, ${ctx.now}) AS s`)) as unknown as { rows: Array<{ s: string }> }).rows[0]!.s;
  if (state === 'taken') return 'slot_taken';
  if (state === 'leased') return 'slot_reserved';
  if (cur.row.referralId) {
    const spent = await loadSpentReferrals(ctx.tx, ctx.orgId, [cur.row.referralId]);
    if (spent.size > 0) return 'referral_required';
  }
  return null;
};

/** Status changes by the shared status machine (STATUS_CHANGES), judged by the server at the op's time. */
export function transition(name: StatusOp, guard: Guard = async () => null) {
  return async (ctx: OpContext, args: unknown): Promise<Outcome> => {
    const parsed = opArgs[name].safeParse(args);
    if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
    const cur = await held(ctx, parsed.data.appointmentId);
    if (!cur) return { status: 'rejected', detail: 'unknown_appointment' };
    const decision = judgeStatusChange(name, ctx.dir, { ...cur.row, status: cur.status as AppointmentStatus }, ctx.at, (parsed.data as { channel?: RequestChannel }).channel ?? 'registry');
    const refusal = decision.ok ? await guard(ctx, cur) : decision.code;
    if (refusal) {
      await republish(ctx, cur);
      return { status: 'rejected', detail: refusal === 'bad_status' ? `bad_status:${cur.status}` : refusal };
    }
    await writeStatus(ctx, cur, name, {
      // R12: late or not is the server's to compute, at the moment the desk checked the patient in.
      ...(decision.ok && decision.liveQueue !== undefined ? { liveQueue: decision.liveQueue } : {}),
      register: 'register' in parsed.data ? parsed.data.register : undefined,
    });
    return { status: 'applied', detail: STATUS_CHANGES[name].to };
  };
}

/**
 * A move (issue 19 finding 2): the old booking cancelled and the new one confirmed in one transaction,
 * or neither. When the new time is lost (taken, leased, refused by a rule) or the old booking can no
 * longer be cancelled (the patient was checked in meanwhile), the patient keeps the old time — published
 * again as the server holds it — and the new booking is kept as lost with a call task, like a booking.
 */
export async function move(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['appointments.move'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { appointmentId, ...b } = parsed.data;
  const bad = misfit(ctx, b.appointment);
  if (bad) return bad;
  if (b.appointment.replacesId !== appointmentId) return { status: 'rejected', detail: 'bad_args' };
  const old = await held(ctx, appointmentId);
  if (!old) return { status: 'rejected', detail: 'unknown_appointment' };
  const v = await judgeNew(ctx, b);
  if (v.known) return { status: 'applied', detail: 'already_known' };
  // Cancelled meanwhile (at another desk, by the patient online): nothing to cancel — the move is a booking.
  const alreadyGone = old.status === 'cancelled';
  const cancel = alreadyGone ? ({ ok: true } as const) : judgeStatusChange('appointments.cancel', ctx.dir, { ...old.row, status: old.status as AppointmentStatus }, ctx.at, 'registry');
  // Checked in, seen or a no-show at the old time meanwhile: the move no longer makes sense and does not happen.
  const lost = !cancel.ok ? `move_failed:${cancel.code === 'bad_status' ? `bad_status:${old.status}` : cancel.code}` : v.lost;
  if (lost !== null) {
    await republish(ctx, old);
    return keepLost(ctx, b, lost, v.lost !== null && cancel.ok ? v.refusal : null);
  }
  if (!alreadyGone) await writeStatus(ctx, old, 'appointments.cancel', {});
  await confirm(ctx, b, v.lost === null ? v.spendsReferral : null);
  return { status: 'applied', detail: 'moved' };
}
