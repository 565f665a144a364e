import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { datesBetween, earlierDate, laterDate, localParts } from '../../src-shared/time/dates.js';
import { horizonEnd } from '../../src-shared/time/working-days.js';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { ScheduleException, ScheduleTemplate } from '../../src-shared/domain/directory.js';
import { ACTIVE_STATUSES } from '../../src-shared/domain/enums.js';
import { suggestAlternatives } from '../../src-shared/slots/alternatives.js';
import { appointments, changeLog, leaseSets, slotLeases, tasks } from '../db/schema.js';
import { logChange, type OpContext } from './context.js';

/** Slots no patient on the call list can be offered: held by a confirmed booking, or leased to a device that may use it offline. */
export async function takenSlots(ctx: OpContext): Promise<Set<string>> {
  const taken = await ctx.tx
    .select({ slotId: appointments.slotId })
    .from(appointments)
    .where(and(eq(appointments.orgId, ctx.orgId), eq(appointments.syncState, 'confirmed'), inArray(appointments.status, [...ACTIVE_STATUSES])));
  const leased = await ctx.tx
    .select({ slotId: slotLeases.slotId })
    .from(slotLeases)
    .innerJoin(leaseSets, eq(leaseSets.deviceId, slotLeases.deviceId))
    .where(and(eq(slotLeases.orgId, ctx.orgId), gt(leaseSets.reclaimAfter, ctx.now)));
  return new Set([...taken, ...leased].map((t) => t.slotId));
}

/** The organization's schedules as an op sees them: the rules' copy, or that copy with the op's own change. */
export interface Schedules {
  templates: ScheduleTemplate[];
  exceptions: ScheduleException[];
}
export const schedulesOf = (ctx: OpContext): Schedules => ({ templates: [...ctx.dir.templates.values()].flat(), exceptions: [...ctx.dir.exceptions.values()].flat() });

/**
 * A call-the-patient task for a booking that lost its time, with R8's offers computed on the
 * server's schedules (plus `extraExceptions` the op is adding). Published to every desk; an id
 * the desk already used (an absence entered offline) is kept, and the server's row replaces the desk's.
 */
export async function putCallTask(
  ctx: OpContext,
  a: Pick<Appointment, 'id' | 'patientId' | 'doctorId' | 'date' | 'startUtc'>,
  task: { id: string; reason: string; taken: ReadonlySet<string>; schedules?: Schedules; extra?: Record<string, unknown> },
): Promise<boolean> {
  // Once per id: a task already on the server (an absence imported twice, a patient told and the schedule changed again) is left as it is.
  const [known] = await ctx.tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.id, task.id), eq(tasks.orgId, ctx.orgId)));
  if (known) return false;
  const schedules = task.schedules ?? schedulesOf(ctx);
  const alternatives = suggestAlternatives({
    lost: { doctorId: a.doctorId, date: a.date, startUtc: a.startUtc },
    doctors: [...ctx.dir.doctors.values()],
    templates: schedules.templates,
    exceptions: schedules.exceptions,
    profile: ctx.dir.profile,
    timezone: ctx.dir.timezone,
    taken: task.taken,
    now: ctx.now,
  });
  const row = {
    id: task.id,
    kind: 'call_patient',
    patientId: a.patientId,
    appointmentId: a.id,
    reason: task.reason,
    status: 'open',
    createdAt: ctx.now,
    alternatives,
    deviceId: ctx.deviceId,
    ...task.extra,
  };
  const seq = await logChange(ctx, 'task', task.id, 'put', row);
  await ctx.tx.insert(tasks).values({ id: task.id, orgId: ctx.orgId, kind: 'call_patient', status: 'open', row, serverSeq: seq }).onConflictDoNothing();
  return true;
}

/**
 * The confirmed bookings of a doctor from a day to a day (from today, within the horizon) whose
 * time the changed schedules no longer offer — an absence blocks it, a new weekly schedule has no
 * such time — each put on the call list with R8's offers, by a task id the desk derives alike.
 * Returns how many were put on the list now (one already phoned about this change is not again).
 */
export async function callLostBookings(
  ctx: OpContext,
  lost: {
    doctorId: string;
    fromDate: string;
    toDate: string;
    schedules: Schedules;
    taskId(a: Appointment): string;
    reason: string | ((a: Appointment) => string);
    extra?(a: Appointment): Record<string, unknown>;
  },
): Promise<number> {
  const today = localParts(ctx.at, ctx.dir.timezone).date;
  const from = laterDate(lost.fromDate, today);
  const to = earlierDate(lost.toDate, horizonEnd(ctx.dir.profile, today));
  if (to < from) return 0;
  const doctor = ctx.dir.doctors.get(lost.doctorId);
  // The doctor's bookings, as the server holds them (full rows: their latest change-log entry).
  const held = await ctx.tx
    .select({ row: changeLog.row })
    .from(appointments)
    .innerJoin(changeLog, and(eq(changeLog.orgId, appointments.orgId), eq(changeLog.seq, appointments.serverSeq)))
    .where(and(eq(appointments.orgId, ctx.orgId), eq(appointments.status, 'booked'), eq(appointments.syncState, 'confirmed'), sql`starts_with(${appointments.slotId}, ${`${lost.doctorId}@`})`));
  const bookings = held.map((h) => h.row as Appointment).filter((a) => a.date >= from && a.date <= to);
  if (bookings.length === 0) return 0;
  const offered = new Set(
    (doctor?.active ? lost.schedules.templates.filter((t) => t.doctorId === lost.doctorId) : [])
      .flatMap((template) =>
        generateDoctorSlots({
          template,
          exceptions: lost.schedules.exceptions.filter((e) => e.doctorId === lost.doctorId),
          specialtyId: doctor!.specialtyId,
          dates: datesBetween(from, to),
          profile: ctx.dir.profile,
          timezone: ctx.dir.timezone,
        }),
      )
      .filter((s) => !s.blocked)
      .map((s) => s.id),
  );
  // A patient already on the call list (an earlier absence) is phoned once, not once per change.
  const open = await ctx.tx
    .select({ appointmentId: sql<string>`${tasks.row}->>'appointmentId'` })
    .from(tasks)
    .where(and(eq(tasks.orgId, ctx.orgId), eq(tasks.kind, 'call_patient'), eq(tasks.status, 'open')));
  const listed = new Set(open.map((o) => o.appointmentId));
  const affected = bookings.filter((a) => !offered.has(a.slotId) && !listed.has(a.id)).sort((x, y) => x.startUtc - y.startUtc);
  const taken = affected.length ? await takenSlots(ctx) : new Set<string>();
  let called = 0;
  for (const a of affected) {
    const reason = typeof lost.reason === 'string' ? lost.reason : lost.reason(a);
    if (await putCallTask(ctx, a, { id: lost.taskId(a), reason, taken, schedules: lost.schedules, extra: lost.extra?.(a) ?? {} })) called++;
  }
  return called;
}
