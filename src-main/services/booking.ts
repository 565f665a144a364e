import { ACTIVE_SQL } from '../../src-shared/domain/enums.js';
import type { RequestChannel, SlotChannel } from '../../src-shared/domain/enums.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { Appointment, VisitReason } from '../../src-shared/domain/appointment.js';
import type { OpArgs } from '../../src-shared/sync/protocol.js';
import { ticketCodeFromScan } from '../../src-shared/print/ticket-layout.js';
import type { AppointmentView, BookResult } from '../../src-shared/rpc/views.js';
import { decideBooking, needsReferral, type BookingFacts } from '../../src-shared/rules/booking.js';
import { allowedChannels } from '../../src-shared/rules/channels.js';
import { REFUSALS, type Decision, type RefusalCode } from '../../src-shared/rules/decision.js';
import { registerOutcome } from '../../src-shared/rules/register-outcome.js';
import { decideCancel, decideRestore, decideStatusChange, STATUS_CHANGES, type StatusOp } from '../../src-shared/rules/transitions.js';
import { stmt } from '../db/stmt.js';
import { getAppointment } from './appointment-views.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { journal, newId } from './journal.js';
import { loadPatient, patientHistory } from './patients.js';
import { appendRegister, recordRefusal } from './register.js';
import { modeFor } from './leases.js';
import { ensureSlots } from './slots.js';
import { nextTicketCode } from './ticket-codes.js';
import { ticketFor } from './tickets.js';

interface SlotRow {
  id: string;
  doctorId: string;
  specialtyId: string;
  date: string;
  time: string;
  startUtc: number;
  channel: SlotChannel;
  blocked: number;
  appointmentId: string | null;
}

export interface BookArgs {
  patientId: string;
  slotId: string;
  channel: RequestChannel;
  preventive: boolean;
  /** Who asked, when not the patient (a parent for a child). */
  applicant?: string | undefined;
  /** R14: the reason for the visit (default: illness, or check-up for a preventive booking). */
  visitReason?: VisitReason | undefined;
}

function must<T>(d: Decision<T>): asserts d is Extract<Decision<T>, { ok: true }> {
  if (!d.ok) throw new AppError(d.code, d.params);
}

function loadSlot(env: Env, slotId: string): SlotRow {
  const slot = stmt(
    env.db.sqlite,
    `SELECT id, doctor_id AS doctorId, specialty_id AS specialtyId, date, time, start_utc AS startUtc, channel, blocked,
      appointment_id AS appointmentId FROM slots WHERE id = ?`,
  ).get(slotId) as SlotRow | undefined;
  if (!slot) throw new AppError('not_found');
  return slot;
}

/** Decide and write one booking. Runs inside the caller's transaction; throws AppError to roll back. */
function bookInTx(env: Env, actor: Actor, a: BookArgs, replacesId: string | null): string {
  const s = env.db.sqlite;
  const { now, horizonEnd, releasedThrough } = clinicToday(env);
  const slot = loadSlot(env, a.slotId);
  const patient = loadPatient(env, a.patientId);
  if (!patient) throw new AppError('not_found');
  const kind = env.directory.specialtyKind(slot.specialtyId);
  if (!kind) throw new AppError('specialty_not_offered');
  const actorDoctor = actor.doctorId ? env.directory.doctor(actor.doctorId) : undefined;
  const referral = stmt(
    s,
    `SELECT id FROM referrals WHERE patient_id = ? AND specialty_id = ? AND used_by_appointment_id IS NULL
      AND valid_until >= ? ORDER BY valid_until LIMIT 1`,
  ).get(a.patientId, slot.specialtyId, slot.date) as { id: string } | undefined;
  const sameDay = stmt(
    s,
    `SELECT count(*) AS n FROM appointments WHERE patient_id = ? AND specialty_id = ? AND date = ?
      AND status IN ${ACTIVE_SQL}`,
  ).get(a.patientId, slot.specialtyId, slot.date) as { n: number };
  const facts: BookingFacts = {
    profile: env.profile,
    now,
    horizonEnd,
    releasedThrough,
    orgId: env.org.id,
    patient: { attachedOrgId: patient.attachment?.orgId ?? null, dispensarySpecialtyIds: patient.dispensarySpecialtyIds, priority: patient.priority },
    slot: { date: slot.date, startUtc: slot.startUtc, channel: slot.channel, blocked: slot.blocked === 1, taken: slot.appointmentId !== null, specialtyId: slot.specialtyId },
    specialtyKind: kind,
    channel: a.channel,
    allowedChannels: allowedChannels(env.device.kind, actor.role),
    actor: { role: actor.role, doctorSpecialtyId: actorDoctor?.specialtyId ?? null },
    hasReferral: referral !== undefined,
    preventive: a.preventive,
    history: patientHistory(env, a.patientId),
    sameSpecialtySameDay: sameDay.n,
  };
  must(decideBooking(facts));

  // Offline guarantees come only from leases; outside them a booking is online, tentative or refused.
  const { mode, leaseEpoch } = modeFor(env, slot.id);
  const id = newId();
  const { n: queueNumber } = stmt(s, 'SELECT count(*) AS n FROM slots WHERE doctor_id = ? AND date = ? AND time <= ?').get(slot.doctorId, slot.date, slot.time) as { n: number };
  const ticketCode = nextTicketCode(env.db);
  // R14: a preventive booking is a check-up unless the registrar said otherwise.
  const visitReason: VisitReason = a.visitReason ?? (a.preventive ? 'checkup' : 'illness');
  // Only a referral the rules needed is spent (R5): a preventive or dispensary booking leaves it for later.
  const usesReferral = referral && needsReferral(facts) ? referral.id : null;
  stmt(
    s,
    `INSERT INTO appointments (id, org_id, patient_id, slot_id, doctor_id, specialty_id, date, time, start_utc, status, channel,
      referral_id, replaces_id, ticket_code, queue_number, live_queue, created_at, created_by, device_id, updated_at, mode, visit_reason)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    env.org.id,
    a.patientId,
    slot.id,
    slot.doctorId,
    slot.specialtyId,
    slot.date,
    slot.time,
    slot.startUtc,
    a.channel,
    usesReferral,
    replacesId,
    ticketCode,
    queueNumber,
    now,
    actor.userId,
    env.device.id,
    now,
    mode,
    visitReason,
  );
  // Compare-and-set on the slot holder: the guard that makes double booking impossible locally.
  const held = stmt(s, 'UPDATE slots SET appointment_id = ? WHERE id = ? AND appointment_id IS NULL AND blocked = 0').run(id, slot.id);
  if (held.changes !== 1) throw new AppError('slot_taken');
  if (usesReferral) stmt(s, 'UPDATE referrals SET used_by_appointment_id = ? WHERE id = ?').run(id, usesReferral);
  const register = appendRegister(env, actor, {
    patientId: a.patientId,
    applicant: a.applicant || patient.fullName,
    specialtyId: slot.specialtyId,
    doctorId: slot.doctorId,
    channel: a.channel,
    result: replacesId ? 'moved' : 'booked',
    reason: null,
    rule: null,
    appointmentId: id,
    appointedAt: slot.startUtc,
  });
  const appointment: Appointment = {
    id,
    orgId: env.org.id,
    patientId: a.patientId,
    slotId: slot.id,
    doctorId: slot.doctorId,
    specialtyId: slot.specialtyId,
    date: slot.date,
    time: slot.time,
    startUtc: slot.startUtc,
    status: 'booked',
    channel: a.channel,
    referralId: usesReferral,
    replacesId,
    ticketCode,
    queueNumber,
    liveQueue: false,
    createdAt: now,
    createdBy: actor.userId,
    deviceId: env.device.id,
    visitReason,
  };
  const booking = { appointment, preventive: a.preventive, mode, leaseEpoch, register } satisfies OpArgs<'appointments.book'>;
  // A move is one op for the server to decide whole (both or neither). It is filed under the booking it moves
  // away from: until the server has it, that booking's time is not free for a guarantee (see releasesInDoubt).
  if (replacesId)
    journal(
      env,
      actor,
      { name: 'appointments.move', args: { appointmentId: replacesId, ...booking } satisfies OpArgs<'appointments.move'> },
      { entity: 'appointment', entityId: replacesId, detail: slot.id },
    );
  else journal(env, actor, { name: 'appointments.book', args: booking }, { entity: 'appointment', entityId: id, detail: slot.id });
  return id;
}

/** Policy refusals are recorded in the register (R2, R15) after the failed transaction rolled back. */
function withRefusalRecord<T>(env: Env, actor: Actor, a: { patientId: string; slotId: string; channel: RequestChannel; applicant?: string | undefined }, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof AppError && e.code in REFUSALS && REFUSALS[e.code as keyof typeof REFUSALS].kind === 'policy') {
      const slot = stmt(env.db.sqlite, 'SELECT doctor_id AS doctorId, specialty_id AS specialtyId FROM slots WHERE id = ?').get(a.slotId) as { doctorId: string; specialtyId: string };
      const patient = loadPatient(env, a.patientId);
      const outcome = registerOutcome(env.profile, e.code as RefusalCode);
      recordRefusal(env, actor, {
        patientId: a.patientId,
        applicant: a.applicant || (patient?.fullName ?? ''),
        specialtyId: slot.specialtyId,
        doctorId: slot.doctorId,
        channel: a.channel,
        ...outcome,
        appointmentId: null,
      });
    }
    throw e;
  }
}

export function book(env: Env, actor: Actor, a: BookArgs): BookResult {
  ensureSlots(env);
  const id = withRefusalRecord(env, actor, a, () => env.db.sqlite.transaction(() => bookInTx(env, actor, a, null))());
  return { appointment: getAppointment(env, id)!, ticket: ticketFor(env, id) };
}

function mustFind(env: Env, appointmentId: string): AppointmentView {
  const a = getAppointment(env, appointmentId);
  if (!a) throw new AppError('not_found');
  return a;
}

/** Cancel inside a transaction; `journalled` false when the cancellation travels inside another op (a move). */
function cancelInTx(env: Env, actor: Actor, a: AppointmentView, channel: RequestChannel, registerResult: 'cancelled' | null, rule: string | null = null, journalled = true): void {
  const s = env.db.sqlite;
  must(decideCancel(env.profile, a, channel, env.clock()));
  const { from, to } = STATUS_CHANGES['appointments.cancel'];
  stmt(s, 'UPDATE appointments SET status = ?, updated_at = ? WHERE id = ? AND status = ?').run(to, env.clock(), a.id, from);
  // Frees the slot exactly once: only if this appointment still holds it.
  stmt(s, 'UPDATE slots SET appointment_id = NULL WHERE id = ? AND appointment_id = ?').run(a.slotId, a.id);
  if (a.referralId) stmt(s, 'UPDATE referrals SET used_by_appointment_id = NULL WHERE id = ? AND used_by_appointment_id = ?').run(a.referralId, a.id);
  const register = registerResult
    ? appendRegister(env, actor, {
        patientId: a.patientId,
        applicant: a.patientName,
        specialtyId: a.specialtyId,
        doctorId: a.doctorId,
        channel,
        result: registerResult,
        reason: null,
        rule,
        appointmentId: a.id,
        appointedAt: a.startUtc,
      })
    : undefined;
  if (journalled)
    journal(
      env,
      actor,
      { name: 'appointments.cancel', args: { appointmentId: a.id, channel, ...(register ? { register } : {}) } satisfies OpArgs<'appointments.cancel'> },
      { entity: 'appointment', entityId: a.id },
    );
}

/** R9: cancel; the slot is free again at once. */
export function cancel(env: Env, actor: Actor, appointmentId: string, channel: RequestChannel): AppointmentView {
  const a = mustFind(env, appointmentId);
  try {
    env.db.sqlite.transaction(() => cancelInTx(env, actor, a, channel, 'cancelled'))();
  } catch (e) {
    // R15: a cancellation refused by a rule (R9's cut-off) is a request too, and goes in the register.
    if (e instanceof AppError && e.code === 'cancel_cutoff') {
      const outcome = registerOutcome(env.profile, e.code);
      recordRefusal(env, actor, { patientId: a.patientId, applicant: a.patientName, specialtyId: a.specialtyId, doctorId: a.doctorId, channel, ...outcome, appointmentId: a.id });
    }
    throw e;
  }
  return mustFind(env, appointmentId);
}

/**
 * R8: the clinic cancels a booking its doctor cannot keep, the patient having declined another time
 * on the phone. The register names the rule; `alongside` (the call-list task) commits with it.
 */
export function cancelForAbsence(env: Env, actor: Actor, appointmentId: string, alongside: () => void): AppointmentView {
  const a = mustFind(env, appointmentId);
  env.db.sqlite.transaction(() => {
    cancelInTx(env, actor, a, 'phone', 'cancelled', 'R8');
    alongside();
  })();
  return mustFind(env, appointmentId);
}

/**
 * Move = cancel + new booking pointing at the old one, atomically: either both happen or neither —
 * here, and on the server, which receives it as one op.
 * `alongside` runs in the same transaction (the call-list task a rebooking resolves).
 */
export function move(env: Env, actor: Actor, appointmentId: string, slotId: string, alongside: () => void = () => undefined): BookResult {
  ensureSlots(env);
  const old = mustFind(env, appointmentId);
  const args: BookArgs = { patientId: old.patientId, slotId, channel: old.channel === 'phone' ? 'phone' : 'registry', preventive: false };
  const id = withRefusalRecord(env, actor, args, () =>
    env.db.sqlite.transaction(() => {
      cancelInTx(env, actor, old, 'registry', null, null, false);
      const moved = bookInTx(env, actor, args, old.id);
      alongside();
      return moved;
    })(),
  );
  return { appointment: getAppointment(env, id)!, ticket: ticketFor(env, id) };
}

/**
 * Undo a cancellation made a moment ago (the registrar's slip): the same booking, ticket and
 * queue number again — if its time is still free and this desk may still book it (its lease,
 * or online), and it was not moved elsewhere meanwhile. Refused with nothing written otherwise.
 */
export function restore(env: Env, actor: Actor, appointmentId: string): BookResult {
  const s = env.db.sqlite;
  env.db.sqlite.transaction(() => {
    const a = mustFind(env, appointmentId);
    const { updatedAt } = stmt(s, 'SELECT updated_at AS updatedAt FROM appointments WHERE id = ?').get(a.id) as { updatedAt: number };
    must(decideRestore({ ...a, updatedAt }, env.clock()));
    if (stmt(s, `SELECT 1 FROM appointments WHERE replaces_id = ? AND status != 'cancelled'`).get(a.id)) throw new AppError('bad_status', { status: a.status });
    const held = stmt(s, 'UPDATE slots SET appointment_id = ? WHERE id = ? AND appointment_id IS NULL AND blocked = 0').run(a.id, a.slotId);
    if (held.changes !== 1) throw new AppError('slot_taken');
    modeFor(env, a.slotId); // offline outside this desk's lease: refused as a booking would be
    const { from, to } = STATUS_CHANGES['appointments.restore'];
    stmt(s, 'UPDATE appointments SET status = ?, updated_at = ? WHERE id = ? AND status = ?').run(to, env.clock(), a.id, from);
    if (a.referralId) {
      const spent = stmt(s, 'UPDATE referrals SET used_by_appointment_id = ? WHERE id = ? AND used_by_appointment_id IS NULL').run(a.id, a.referralId);
      if (spent.changes !== 1) throw new AppError('referral_required');
    }
    // R15: the register says the cancellation was taken back (the cancellation's own row stays).
    const register = appendRegister(env, actor, {
      patientId: a.patientId,
      applicant: a.patientName,
      specialtyId: a.specialtyId,
      doctorId: a.doctorId,
      channel: a.channel,
      result: 'booked',
      reason: null,
      rule: 'cancel_undone',
      appointmentId: a.id,
      appointedAt: a.startUtc,
    });
    journal(env, actor, { name: 'appointments.restore', args: { appointmentId: a.id, register } satisfies OpArgs<'appointments.restore'> }, { entity: 'appointment', entityId: a.id, detail: to });
  })();
  return { appointment: mustFind(env, appointmentId), ticket: ticketFor(env, appointmentId) };
}

/** A status change by the shared status machine (STATUS_CHANGES): decided, written with its outbox op, or refused with nothing written. */
function transition(env: Env, actor: Actor, appointmentId: string, op: Exclude<StatusOp, 'appointments.cancel' | 'appointments.restore'>): AppointmentView {
  const a = mustFind(env, appointmentId);
  const { today, now } = clinicToday(env);
  const d = decideStatusChange(op, env.profile, a, { now, today, channel: 'registry' });
  must(d);
  const { from, to } = STATUS_CHANGES[op];
  env.db.sqlite.transaction(() => {
    const r = stmt(env.db.sqlite, 'UPDATE appointments SET status = ?, live_queue = COALESCE(?, live_queue), updated_at = ? WHERE id = ? AND status = ?').run(
      to,
      d.liveQueue === undefined ? null : Number(d.liveQueue),
      env.clock(),
      a.id,
      from,
    );
    if (r.changes !== 1) throw new AppError('bad_status', { status: a.status });
    journal(
      env,
      actor,
      { name: op, args: op === 'appointments.checkIn' ? { appointmentId: a.id, liveQueue: Boolean(d.liveQueue) } : { appointmentId: a.id } },
      { entity: 'appointment', entityId: a.id, detail: to },
    );
  })();
  return mustFind(env, appointmentId);
}

/** R18: a scanned ticket (Code128 or QR text) checks its patient in; anything else is refused and changes nothing. */
export function checkInByScan(env: Env, actor: Actor, scan: string): AppointmentView {
  const code = ticketCodeFromScan(scan);
  if (!code) throw new AppError('not_a_ticket');
  // Should two bookings ever share a code (see the ticket index), the scan means today's open one.
  const row = stmt(
    env.db.sqlite,
    `SELECT id FROM appointments WHERE ticket_code = ? AND org_id = ?
      ORDER BY date = ? DESC, status = 'booked' DESC, created_at DESC LIMIT 1`,
  ).get(code, env.org.id, clinicToday(env).today) as { id: string } | undefined;
  if (!row) throw new AppError('ticket_unknown', { code });
  return checkIn(env, actor, row.id);
}

/** R18 arrival; R12: more than 15 minutes late → live queue. */
export const checkIn = (env: Env, actor: Actor, id: string) => transition(env, actor, id, 'appointments.checkIn');
export const noShow = (env: Env, actor: Actor, id: string) => transition(env, actor, id, 'appointments.noShow');
export const fulfil = (env: Env, actor: Actor, id: string) => transition(env, actor, id, 'appointments.fulfil');
