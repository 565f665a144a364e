import { and, eq, sql } from 'drizzle-orm';
import { loadPatients } from '../rules/judge.js';
import { opArgs, type OpName } from '../../src-shared/sync/protocol.js';
import { REFUSALS, type RefusalCode } from '../../src-shared/rules/decision.js';
import { isClosedGround, registerOutcome } from '../../src-shared/rules/register-outcome.js';
import { decideContacts, decideNewPatient } from '../../src-shared/rules/new-patient.js';
import type { Patient } from '../../src-shared/domain/patient.js';
import type { HomeVisitStatus } from '../../src-shared/domain/home-visit.js';
import { canSetHomeVisitStatus, decideHomeVisit } from '../../src-shared/rules/home-visits.js';
import { decideReferral } from '../../src-shared/rules/referrals.js';
import { decideCallOutcome, taskStatusAfter } from '../../src-shared/rules/call-outcomes.js';
import { localParts } from '../../src-shared/time/dates.js';
import { orgRows, tasks } from '../db/schema.js';
import { editDoctor, enterAbsence, saveTemplate, setQuota } from './schedule-mutators.js';
import { changePassword, giveKey, putAccountChange } from './account-mutators.js';
import { logChange, type OpContext } from './context.js';
import { book, move, type Outcome, stillFree, transition } from './booking-mutators.js';
import { addToList, answerOffer, removeFromList } from '../waiting/entries.js';

/**
 * A call's outcome from any desk. Tasks are never deleted; the latest outcome in
 * server order stands (a patient unreachable at 10:00 may be rebooked at 11:00),
 * and every outcome is kept in the task's history.
 */
/** The hall's kiosk asks for the registrar (issue 21): an open task on every desk's call list, from a kiosk only. */
async function helpTask(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['tasks.help'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  if (ctx.device.kind !== 'kiosk') return { status: 'rejected', detail: 'device_op' };
  const { id, patientId } = parsed.data;
  const row = { id, kind: 'kiosk_help', patientId: patientId ?? '', appointmentId: null, reason: 'kiosk_help', status: 'open', createdAt: ctx.at, deviceId: ctx.deviceId };
  const [held] = await ctx.tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, id));
  if (held) return { status: 'applied', detail: 'open' };
  const seq = await logChange(ctx, 'task', id, 'put', row);
  await ctx.tx.insert(tasks).values({ id, orgId: ctx.orgId, kind: 'kiosk_help', status: 'open', row, serverSeq: seq });
  return { status: 'applied', detail: 'open' };
}

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
  // The register names the person the op is proven to come from (older desks left userId out).
  const row = { ...parsed.data, userId: ctx.by.userId, result: outcome.result, reason: outcome.reason, rule: outcome.rule, at: ctx.now, deviceId: ctx.deviceId };
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
    userId: ctx.by.userId,
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
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const [cur] = await ctx.tx
    .select({ row: orgRows.row })
    .from(orgRows)
    .where(and(eq(orgRows.orgId, ctx.orgId), eq(orgRows.entity, 'patient'), eq(orgRows.id, parsed.data.patientId)));
  if (!cur) return { status: 'rejected', detail: 'unknown_patient' };
  // The desk's rule, run again: refused, the record goes back to every desk as the server holds it.
  const d = decideContacts(parsed.data);
  if (!d.ok) {
    await logChange(ctx, 'patient', parsed.data.patientId, 'put', cur.row);
    return { status: 'rejected', detail: d.code };
  }
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
  const { userId: _named, register, ...request } = v;
  const row = { ...request, status: 'open', createdAt: ctx.now, createdBy: ctx.by.userId, deviceId: ctx.deviceId };
  const inserted = await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'home_visit', id: v.id, row }).onConflictDoNothing().returning({ id: orgRows.id });
  if (inserted.length === 0) return { status: 'applied', detail: 'already_known' };
  await logChange(ctx, 'home_visit', v.id, 'put', row);
  // R15: its row of the register of requests, for every desk.
  if (register) {
    const entry = { ...register, userId: ctx.by.userId, result: 'home_visit', at: ctx.now, deviceId: ctx.deviceId };
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
  'accounts.key': giveKey,
  'referrals.issue': issueReferral,
  'homeVisits.request': requestHomeVisit,
  'homeVisits.setStatus': setHomeVisitStatus,
  'patients.register': registerPatient,
  'patients.update': updatePatient,
  'register.refuse': refuse,
  'register.outOfSchedule': outOfSchedule,
  'tasks.resolve': resolveTask,
  'tasks.help': helpTask,
  'waiting.add': addToList,
  'waiting.remove': removeFromList,
  'waiting.answer': answerOffer,
  'appointments.book': book,
  'appointments.move': move,
  'appointments.cancel': transition('appointments.cancel'),
  'appointments.checkIn': transition('appointments.checkIn'),
  'appointments.noShow': transition('appointments.noShow'),
  'appointments.fulfil': transition('appointments.fulfil'),
  'appointments.restore': transition('appointments.restore', stillFree),
};

export const isKnownOp = (name: string): name is OpName => Object.hasOwn(MUTATORS, name);
