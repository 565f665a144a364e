import { AHEAD_SQL } from '../../src-shared/domain/enums.js';
import { and, eq, sql } from 'drizzle-orm';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { ScheduleException, ScheduleTemplate } from '../../src-shared/domain/directory.js';
import { absenceTaskId, decideAbsence, isUrgentCall } from '../../src-shared/rules/absences.js';
import { decideDoctorEdit, decideQuota, decideTemplate, scheduleTaskId } from '../../src-shared/rules/schedule-edits.js';
import { opArgs } from '../../src-shared/sync/protocol.js';
import { localParts } from '../../src-shared/time/dates.js';
import { appointments, changeLog, orgRows } from '../db/schema.js';
import { roleOf } from '../rules/staff.js';
import { callLostBookings, schedulesOf } from './call-tasks.js';
import { directoryMoved, logChange, type OpContext, orgRowsOf } from './context.js';

type Outcome = { status: 'applied' | 'rejected'; detail: string };

const today = (ctx: OpContext) => localParts(ctx.at, ctx.dir.timezone).date;

/** A directory row as the server now holds it, published to every desk. */
async function putRow(ctx: OpContext, entity: string, row: { id: string }): Promise<void> {
  await ctx.tx
    .insert(orgRows)
    .values({ orgId: ctx.orgId, entity, id: row.id, row })
    .onConflictDoUpdate({ target: [orgRows.orgId, orgRows.entity, orgRows.id], set: { row } });
  await logChange(ctx, entity, row.id, 'put', row);
}

/**
 * A refused change was applied at the desk that made it (so it works offline): publish the row as
 * the server holds it again, or as removed when the server never had it — that desk takes it back.
 */
async function restore(ctx: OpContext, entity: string, id: string, current: object | undefined): Promise<void> {
  await logChange(ctx, entity, id, current ? 'put' : 'remove', current ?? null);
}

/**
 * R8 (000 §1, 004 §3.4.3): a doctor's absence entered at a desk. The server decides it again —
 * the account's role as the server holds it, the doctor, the dates — records the schedule
 * exception for every desk, and puts each booking it takes away on the call list with R8's
 * offers (the same task id the desk used, so an absence entered offline is phoned once).
 */
export async function enterAbsence(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['schedule.absence'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { userId, ...req } = parsed.data;
  const decision = decideAbsence(req, { today: today(ctx), role: await roleOf(ctx.tx, ctx.orgId, userId), doctorActive: ctx.dir.doctors.get(req.doctorId)?.active === true });
  if (!decision.ok) {
    if (!ctx.dir.exceptions.get(req.doctorId)?.some((x) => x.id === req.id)) await restore(ctx, 'exception', req.id, undefined);
    return { status: 'rejected', detail: decision.code };
  }
  const e = decision.exception;
  const inserted = await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'exception', id: e.id, row: e }).onConflictDoNothing().returning({ id: orgRows.id });
  if (inserted.length === 0) return { status: 'applied', detail: 'already_known' };
  await logChange(ctx, 'exception', e.id, 'put', e);
  await directoryMoved(ctx);
  const now = schedulesOf(ctx);
  const calls = await callLostBookings(ctx, {
    doctorId: e.doctorId,
    fromDate: e.fromDate,
    toDate: e.toDate,
    schedules: { templates: now.templates, exceptions: [...now.exceptions, e] },
    taskId: (a) => absenceTaskId(e.id, a.id),
    reason: `absence:${e.kind}`,
    extra: (a) => ({ urgent: isUrgentCall(e, a.date, today(ctx)), absenceId: e.id }),
  });
  return { status: 'applied', detail: `recorded:${calls}` };
}

/** The doctor's bookings from today on, as the server holds them: a dismissal waits until they are moved. */
async function bookingsAhead(ctx: OpContext, doctorId: string): Promise<number> {
  const rows = await ctx.tx
    .select({ row: changeLog.row })
    .from(appointments)
    .innerJoin(changeLog, and(eq(changeLog.orgId, appointments.orgId), eq(changeLog.seq, appointments.serverSeq)))
    .where(
      and(
        eq(appointments.orgId, ctx.orgId),
        sql`${appointments.status} IN ${sql.raw(AHEAD_SQL)}`,
        eq(appointments.syncState, 'confirmed'),
        sql`starts_with(${appointments.slotId}, ${`${doctorId}@`})`,
      ),
    );
  const from = today(ctx);
  return rows.filter((r) => (r.row as Appointment).date >= from).length;
}

/** Hiring, changing or dismissing a doctor (the cabinet by its number). */
export async function editDoctor(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['directory.doctor'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { userId, ...edit } = parsed.data;
  const current = ctx.dir.doctors.get(edit.id);
  const decision = decideDoctorEdit(edit, {
    role: await roleOf(ctx.tx, ctx.orgId, userId),
    orgId: ctx.orgId,
    specialties: new Set(ctx.dir.specialtyKinds.keys()),
    departments: ctx.dir.departments,
    cabinets: await orgRowsOf(ctx.tx, ctx.orgId, 'cabinet'),
    current,
    bookingsAhead: current?.active && !edit.active ? await bookingsAhead(ctx, edit.id) : 0,
  });
  if (!decision.ok) {
    await restore(ctx, 'doctor', edit.id, current);
    return { status: 'rejected', detail: decision.code };
  }
  if (decision.cabinet) await putRow(ctx, 'cabinet', decision.cabinet);
  await putRow(ctx, 'doctor', decision.doctor);
  await directoryMoved(ctx);
  return { status: 'applied', detail: current ? 'changed' : 'hired' };
}

/**
 * A doctor's new weekly schedule from a day on: the one before it ends the day before, and every
 * booking whose time the new schedule does not have goes to the call list — never dropped silently.
 */
export async function saveTemplate(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['schedule.template'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { userId, ...t } = parsed.data;
  const held = ctx.dir.templates.get(t.doctorId) ?? [];
  const decision = decideTemplate(t, {
    role: await roleOf(ctx.tx, ctx.orgId, userId),
    today: today(ctx),
    profile: ctx.dir.profile,
    doctorActive: ctx.dir.doctors.get(t.doctorId)?.active === true,
    others: held,
  });
  if (!decision.ok) {
    // The desk also cut short the schedule before it: those go back as the server holds them.
    for (const o of held) await restore(ctx, 'template', o.id, o);
    if (!held.some((o) => o.id === t.id)) await restore(ctx, 'template', t.id, undefined);
    return { status: 'rejected', detail: decision.code };
  }
  for (const row of [...decision.ended, decision.template]) await putRow(ctx, 'template', row);
  await directoryMoved(ctx);
  const changed = new Set([t.id, ...decision.ended.map((o) => o.id)]);
  const templates: ScheduleTemplate[] = [...schedulesOf(ctx).templates.filter((o) => !changed.has(o.id)), ...decision.ended, decision.template];
  const calls = await callLostBookings(ctx, {
    doctorId: t.doctorId,
    fromDate: t.validFrom,
    toDate: '9999-12-31',
    schedules: { templates, exceptions: schedulesOf(ctx).exceptions },
    taskId: (a) => scheduleTaskId(t.id, a.id),
    reason: 'schedule_change',
  });
  return { status: 'applied', detail: `recorded:${calls}` };
}

/** R7 (000 §5): an internet quota for a doctor and a period. */
export async function setQuota(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['schedule.quota'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { userId, ...q } = parsed.data;
  const current = ctx.dir.exceptions.get(q.doctorId)?.find((x) => x.id === q.id);
  const decision = decideQuota(q, { role: await roleOf(ctx.tx, ctx.orgId, userId), today: today(ctx), profile: ctx.dir.profile, doctorActive: ctx.dir.doctors.get(q.doctorId)?.active === true });
  if (!decision.ok) {
    await restore(ctx, 'exception', q.id, current);
    return { status: 'rejected', detail: decision.code };
  }
  await putRow(ctx, 'exception', decision.exception satisfies ScheduleException);
  await directoryMoved(ctx);
  return { status: 'applied', detail: 'recorded' };
}
