import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { AppointmentStatus, RequestChannel } from '../../src-shared/domain/enums.js';
import { STATUS_CHANGES, type StatusOp } from '../../src-shared/rules/transitions.js';
import { judgeBooking, judgeStatusChange, loadPatients, loadReferral, loadSpentReferrals } from '../rules/judge.js';
import { opArgs, type OpName } from '../../src-shared/sync/protocol.js';
import { REFUSALS, type RefusalCode } from '../../src-shared/rules/decision.js';
import { isClosedGround, registerOutcome } from '../../src-shared/rules/register-outcome.js';
import { checkPhone, decideNewPatient } from '../../src-shared/rules/new-patient.js';
import type { Patient } from '../../src-shared/domain/patient.js';
import type { HomeVisitStatus } from '../../src-shared/domain/home-visit.js';
import { canSetHomeVisitStatus, decideHomeVisit } from '../../src-shared/rules/home-visits.js';
import { decideReferral } from '../../src-shared/rules/referrals.js';
import { decideCallOutcome, taskStatusAfter } from '../../src-shared/rules/call-outcomes.js';
import { localParts } from '../../src-shared/time/dates.js';
import { appointments, changeLog, orgRows, referralUses, tasks } from '../db/schema.js';
import { putCallTask, takenSlots } from './call-tasks.js';
import { editDoctor, enterAbsence, saveTemplate, setQuota } from './schedule-mutators.js';
import { changePassword, putAccountChange } from './account-mutators.js';
import { logChange, type OpContext } from './context.js';

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

async function book(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['appointments.book'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const a = parsed.data.appointment;
  if (a.orgId !== ctx.orgId) return { status: 'rejected', detail: 'wrong_org' };
  // A booking is born booked (issue 19 finding 2): arrival, a visit done, a no-show come only through the status
  // machine's own ops — a booking pushed as 'fulfilled' or 'arrived' would skip every rule they have.
  if (a.status !== 'booked') return { status: 'rejected', detail: `bad_status:${a.status}` };
  // One query: is this booking already known, who holds its slot, who holds its lease? The organization
  // is locked (kezek_position), so this check and the insert cannot race; the partial unique index stands behind it all the same.
  const state = ((await ctx.tx.execute(sql`SELECT kezek_slot_state(${ctx.orgId}, ${a.id}, ${a.slotId}, ${ctx.deviceId}, ${ctx.now}) AS s`)) as unknown as { rows: Array<{ s: string }> }).rows[0]!.s;
  if (state === 'known') return { status: 'applied', detail: 'already_known' };
  // The server decides: the desk's decision was a prediction. A refused booking stays visible as lost, with a call
  // task and a register row naming the rule — never silently dropped, never holding the slot.
  const patients = await loadPatients(ctx.tx, ctx.orgId, [a.patientId]);
  const named = await loadReferral(ctx.tx, ctx.orgId, a.referralId);
  const { decision, spendsReferral } = judgeBooking(ctx.dir, ctx.device, a, parsed.data.preventive, ctx.at, patients.get(a.patientId), named);
  if (!decision.ok) {
    const reason = `refused:${decision.code}`;
    await putAppointment(ctx, a, 'conflict', parsed.data.register);
    await conflictTask(ctx, a, reason);
    await serverRefusal(ctx, a, decision.code, parsed.data.register?.applicant ?? '');
    return { status: 'conflict', detail: reason };
  }
  if (state === 'taken' || state === 'leased') {
    // A booking made under a lease that did not hold is a lease_lost conflict: never a silent loss.
    const reason = parsed.data.leaseEpoch != null ? 'lease_lost' : state === 'taken' ? 'slot_taken' : 'slot_leased';
    await putAppointment(ctx, a, 'conflict', parsed.data.register);
    await conflictTask(ctx, a, reason);
    return { status: 'conflict', detail: reason };
  }
  await putAppointment(ctx, a, 'confirmed', parsed.data.register);
  if (spendsReferral) await ctx.tx.insert(referralUses).values({ orgId: ctx.orgId, referralId: spendsReferral, appointmentId: a.id });
  return { status: 'applied', detail: 'confirmed' };
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

type Current = { id: string; status: string; syncState: string; row: Appointment & { syncState: string } };
/** A check of the server's own state a status change needs beyond the status machine: a refusal code, or null. */
type Guard = (ctx: OpContext, cur: Current) => Promise<string | null>;

/**
 * Undoing a cancellation takes the time back only if it is still free — no confirmed booking
 * of it since, no other device's lease on it — and the booking's referral is not spent elsewhere.
 */
const stillFree: Guard = async (ctx, cur) => {
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
function transition(name: StatusOp, guard: Guard = async () => null) {
  return async (ctx: OpContext, args: unknown): Promise<Outcome> => {
    const parsed = opArgs[name].safeParse(args);
    if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
    // The booking's full row is its latest change-log entry (see the appointments table).
    const [cur] = await ctx.tx
      .select({ id: appointments.id, status: appointments.status, syncState: appointments.syncState, row: changeLog.row })
      .from(appointments)
      .innerJoin(changeLog, and(eq(changeLog.orgId, appointments.orgId), eq(changeLog.seq, appointments.serverSeq)))
      .where(and(eq(appointments.id, parsed.data.appointmentId), eq(appointments.orgId, ctx.orgId)));
    if (!cur) return { status: 'rejected', detail: 'unknown_appointment' };
    const current = cur.row as Appointment & { syncState: string; updatedAt?: number };
    const decision = judgeStatusChange(name, ctx.dir, { ...current, status: cur.status as AppointmentStatus }, ctx.at, (parsed.data as { channel?: RequestChannel }).channel ?? 'registry');
    const refusal = decision.ok ? await guard(ctx, { ...cur, row: current }) : decision.code;
    if (refusal) {
      // The desk already shows the change: publishing the booking as the server holds it again brings every desk back to it.
      await logChange(ctx, 'appointment', cur.id, 'put', { ...current, register: undefined });
      return { status: 'rejected', detail: refusal === 'bad_status' ? `bad_status:${cur.status}` : refusal };
    }
    const to = STATUS_CHANGES[name].to;
    // Each change carries only the register row of its own request (a cancellation's; none for the rest).
    const row = {
      ...current,
      status: to,
      updatedAt: ctx.now,
      // R12: late or not is the server's to compute, at the moment the desk checked the patient in.
      ...(decision.ok && decision.liveQueue !== undefined ? { liveQueue: decision.liveQueue } : {}),
      register: 'register' in parsed.data ? parsed.data.register : undefined,
    };
    const seq = await logChange(ctx, 'appointment', cur.id, 'put', { ...row, syncState: cur.syncState });
    await ctx.tx
      .update(appointments)
      .set({ status: to, serverSeq: seq })
      .where(and(eq(appointments.orgId, ctx.orgId), eq(appointments.id, cur.id)));
    // A cancelled booking gives its referral back (R5), as on the desk.
    if (to === 'cancelled') await ctx.tx.delete(referralUses).where(and(eq(referralUses.orgId, ctx.orgId), eq(referralUses.appointmentId, cur.id)));
    // An undone cancellation spends it again (the guard saw it free).
    if (name === 'appointments.restore' && current.referralId) await ctx.tx.insert(referralUses).values({ orgId: ctx.orgId, referralId: current.referralId, appointmentId: cur.id });
    return { status: 'applied', detail: to };
  };
}

/**
 * A call's outcome from any desk. Tasks are never deleted; the latest outcome in
 * server order stands (a patient unreachable at 10:00 may be rebooked at 11:00),
 * and every outcome is kept in the task's history.
 */
async function resolveTask(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['tasks.resolve'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const [cur] = await ctx.tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, parsed.data.taskId), eq(tasks.orgId, ctx.orgId)));
  if (!cur) return { status: 'rejected', detail: 'unknown_task' };
  const old = cur.row as { history?: unknown[]; attempts?: number };
  const outcome = parsed.data.outcome;
  // The task's own transitions (issue 19 finding 2): refused, the task is published again as the server holds it.
  const d = decideCallOutcome({ kind: cur.kind, status: cur.status }, outcome);
  if (!d.ok) {
    await logChange(ctx, 'task', cur.id, 'put', cur.row);
    return { status: 'rejected', detail: `bad_status:${cur.status}` };
  }
  // Not reached: the task stays open to be tried again, counting the attempts (R8: each patient is told by phone).
  const status = taskStatusAfter(outcome);
  const attempts = (old.attempts ?? 0) + (outcome === 'unreachable' ? 1 : 0);
  const row = { ...old, status, attempts, history: [...(old.history ?? []), { outcome, at: ctx.now, deviceId: ctx.deviceId }] };
  const seq = await logChange(ctx, 'task', cur.id, 'put', row);
  await ctx.tx.update(tasks).set({ status, row, serverSeq: seq }).where(eq(tasks.id, cur.id));
  return { status: 'applied', detail: parsed.data.outcome };
}

/** R15: a refusal recorded at a desk joins the organization's register of requests. */
async function refuse(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['register.refuse'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const profile = ctx.dir.profile;
  // A desk before closed-list outcomes sent a rule's code as the reason: the server files it as today's desks do.
  const legacy = parsed.data.result === 'refused' && !isClosedGround(profile, parsed.data.reason) && parsed.data.reason !== null && Object.hasOwn(REFUSALS, parsed.data.reason);
  const outcome = legacy ? registerOutcome(profile, parsed.data.reason as RefusalCode) : parsed.data;
  // R3: a refusal names a ground of the organization's closed list; a decline names the rule that decided.
  if (outcome.result === 'refused' ? !isClosedGround(profile, outcome.reason) : !outcome.rule) return { status: 'rejected', detail: 'unknown_reason' };
  const row = { ...parsed.data, result: outcome.result, reason: outcome.reason, rule: outcome.rule, at: ctx.now, deviceId: ctx.deviceId };
  await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'register_entry', id: row.id, row }).onConflictDoNothing();
  await logChange(ctx, 'register_entry', row.id, 'put', row);
  return { status: 'applied', detail: 'recorded' };
}

/** R6: an emergency sent to the pre-doctor room or the duty doctor joins the register as "out of schedule". */
async function outOfSchedule(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['register.outOfSchedule'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { destination, ...e } = parsed.data;
  // A named patient must be one of this organization's (an unnamed emergency — no record — is fine).
  if (e.patientId !== null && !(await loadPatients(ctx.tx, ctx.orgId, [e.patientId])).has(e.patientId)) return { status: 'rejected', detail: 'unknown_patient' };
  const row = {
    ...e,
    specialtyId: null,
    doctorId: null,
    result: 'out_of_schedule',
    reason: destination,
    rule: null,
    appointmentId: null,
    appointedAt: null,
    at: ctx.now,
    deviceId: ctx.deviceId,
  };
  await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'register_entry', id: row.id, row }).onConflictDoNothing();
  await logChange(ctx, 'register_entry', row.id, 'put', row);
  return { status: 'applied', detail: 'recorded' };
}

/**
 * R16: a patient registered at a desk. The server derives the record by the same rules
 * (decideNewPatient) from what was typed; the id follows from the national ID, so the same
 * person registered at two desks offline is one record (the first stands). A different
 * record with the same national ID — imported from the attachment register — refuses it.
 */
async function registerPatient(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['patients.register'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const dir = ctx.dir;
  const decision = decideNewPatient(dir.profile, parsed.data, localParts(ctx.at, dir.timezone).date, {
    orgId: ctx.orgId,
    hasDepartment: (id) => dir.departments.has(id),
    doctorDepartment: (id) => {
      const d = dir.doctors.get(id);
      return d?.active ? d.departmentId : null;
    },
  });
  if (!decision.ok) return { status: 'rejected', detail: decision.code };
  const p = decision.patient;
  const same = (await ctx.tx.execute(sql`SELECT id FROM org_rows WHERE org_id = ${ctx.orgId} AND entity = 'patient' AND row->>'nationalId' = ${p.nationalId} LIMIT 1`)) as unknown as {
    rows: Array<{ id: string }>;
  };
  const existing = same.rows[0]?.id;
  if (existing === p.id) {
    // Registered at another desk first: that record stands, and is sent again so this desk's own copy gives way to it.
    const [first] = await ctx.tx
      .select({ row: orgRows.row })
      .from(orgRows)
      .where(and(eq(orgRows.orgId, ctx.orgId), eq(orgRows.entity, 'patient'), eq(orgRows.id, p.id)));
    await logChange(ctx, 'patient', p.id, 'put', first!.row);
    return { status: 'applied', detail: 'already_registered' };
  }
  if (existing) return { status: 'rejected', detail: 'patient_exists' };
  await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'patient', id: p.id, row: p });
  await logChange(ctx, 'patient', p.id, 'put', p);
  return { status: 'applied', detail: 'registered' };
}

/** R16: a patient's phone and address corrected at a desk; the latest correction in server order stands. */
async function updatePatient(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['patients.update'].safeParse(args);
  if (!parsed.success || !checkPhone(parsed.data.phone)) return { status: 'rejected', detail: 'bad_args' };
  const [cur] = await ctx.tx
    .select({ row: orgRows.row })
    .from(orgRows)
    .where(and(eq(orgRows.orgId, ctx.orgId), eq(orgRows.entity, 'patient'), eq(orgRows.id, parsed.data.patientId)));
  if (!cur) return { status: 'rejected', detail: 'unknown_patient' };
  const row = { ...(cur.row as Patient), phone: parsed.data.phone, address: parsed.data.address };
  await ctx.tx
    .update(orgRows)
    .set({ row })
    .where(and(eq(orgRows.orgId, ctx.orgId), eq(orgRows.entity, 'patient'), eq(orgRows.id, parsed.data.patientId)));
  await logChange(ctx, 'patient', parsed.data.patientId, 'put', row);
  return { status: 'applied', detail: 'updated' };
}

/** R24: a home visit taken down at a desk, checked by the shared rule against the server's own register and staff. */
async function requestHomeVisit(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['homeVisits.request'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const v = parsed.data;
  const patients = await loadPatients(ctx.tx, ctx.orgId, [v.patientId]);
  const doctor = ctx.dir.doctors.get(v.doctorId);
  const decision = decideHomeVisit({ today: localParts(ctx.at, ctx.dir.timezone).date, date: v.date, patientKnown: patients.has(v.patientId), doctorActive: doctor?.active === true });
  if (!decision.ok) return { status: 'rejected', detail: decision.code };
  const { userId, register, ...request } = v;
  const row = { ...request, status: 'open', createdAt: ctx.now, createdBy: userId ?? ctx.deviceId, deviceId: ctx.deviceId };
  const inserted = await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'home_visit', id: v.id, row }).onConflictDoNothing().returning({ id: orgRows.id });
  if (inserted.length === 0) return { status: 'applied', detail: 'already_known' };
  await logChange(ctx, 'home_visit', v.id, 'put', row);
  // R15: its row of the register of requests, for every desk.
  if (register) {
    const entry = { ...register, result: 'home_visit', at: ctx.now, deviceId: ctx.deviceId };
    await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'register_entry', id: entry.id, row: entry }).onConflictDoNothing();
    await logChange(ctx, 'register_entry', entry.id, 'put', entry);
  }
  return { status: 'applied', detail: 'recorded' };
}

/** R24: done or cancelled — only an open visit changes; the first outcome in server order stands. */
async function setHomeVisitStatus(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['homeVisits.setStatus'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const where = and(eq(orgRows.orgId, ctx.orgId), eq(orgRows.entity, 'home_visit'), eq(orgRows.id, parsed.data.id));
  const [cur] = await ctx.tx.select({ row: orgRows.row }).from(orgRows).where(where);
  if (!cur) return { status: 'rejected', detail: 'unknown_home_visit' };
  const visit = cur.row as { status: HomeVisitStatus };
  if (!canSetHomeVisitStatus(visit.status, parsed.data.status)) {
    // The desk shows its change already: the visit as the server holds it goes out again.
    await logChange(ctx, 'home_visit', parsed.data.id, 'put', cur.row);
    return { status: 'rejected', detail: `bad_status:${visit.status}` };
  }
  const row = { ...visit, status: parsed.data.status };
  await ctx.tx.update(orgRows).set({ row }).where(where);
  await logChange(ctx, 'home_visit', parsed.data.id, 'put', row);
  return { status: 'applied', detail: parsed.data.status };
}

/**
 * R5: a referral issued at a cabinet PC. The issuing doctor is the PC's own (its enrollment),
 * never what the op says; only a family doctor refers, only to a narrow specialist.
 */
async function issueReferral(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['referrals.issue'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const r = parsed.data;
  const issuer = ctx.device.kind === 'cabinet' && ctx.device.doctorId ? ctx.dir.doctors.get(ctx.device.doctorId) : undefined;
  const patients = await loadPatients(ctx.tx, ctx.orgId, [r.patientId]);
  const decision = decideReferral({
    issuerKind: issuer?.active ? (ctx.dir.specialtyKinds.get(issuer.specialtyId) ?? null) : null,
    targetKind: ctx.dir.specialtyKinds.get(r.specialtyId) ?? null,
    patientKnown: patients.has(r.patientId),
    today: localParts(ctx.at, ctx.dir.timezone).date,
    validUntil: r.validUntil,
  });
  if (!decision.ok) return { status: 'rejected', detail: decision.code };
  const row = { ...r, issuedByDoctorId: issuer!.id, issuedAt: ctx.now, usedByAppointmentId: null };
  const inserted = await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'referral', id: r.id, row }).onConflictDoNothing().returning({ id: orgRows.id });
  if (inserted.length === 0) return { status: 'applied', detail: 'already_known' };
  await logChange(ctx, 'referral', r.id, 'put', row);
  return { status: 'applied', detail: 'issued' };
}

/** Ops that change the schedules the rules read: the ops after them in a push are judged on the new ones. */
export const SCHEDULE_OPS: ReadonlySet<string> = new Set<OpName>(['schedule.absence', 'schedule.template', 'schedule.quota', 'directory.doctor']);

export const MUTATORS: Record<OpName, (ctx: OpContext, args: unknown) => Promise<Outcome>> = {
  'schedule.absence': enterAbsence,
  'schedule.template': saveTemplate,
  'schedule.quota': setQuota,
  'directory.doctor': editDoctor,
  'accounts.put': putAccountChange,
  'accounts.password': changePassword,
  'referrals.issue': issueReferral,
  'homeVisits.request': requestHomeVisit,
  'homeVisits.setStatus': setHomeVisitStatus,
  'patients.register': registerPatient,
  'patients.update': updatePatient,
  'register.refuse': refuse,
  'register.outOfSchedule': outOfSchedule,
  'tasks.resolve': resolveTask,
  'appointments.book': book,
  'appointments.cancel': transition('appointments.cancel'),
  'appointments.checkIn': transition('appointments.checkIn'),
  'appointments.noShow': transition('appointments.noShow'),
  'appointments.fulfil': transition('appointments.fulfil'),
  'appointments.restore': transition('appointments.restore', stillFree),
};

export const isKnownOp = (name: string): name is OpName => Object.hasOwn(MUTATORS, name);
