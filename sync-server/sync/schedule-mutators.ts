import { and, eq, sql } from 'drizzle-orm';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import { absenceTaskId, decideAbsence, isUrgentCall } from '../../src-shared/rules/absences.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { opArgs } from '../../src-shared/sync/protocol.js';
import { datesBetween, earlierDate, laterDate, localParts } from '../../src-shared/time/dates.js';
import { horizonEnd } from '../../src-shared/time/working-days.js';
import { appointments, changeLog, organizations, orgRows } from '../db/schema.js';
import { roleOf } from '../rules/staff.js';
import { putCallTask, takenSlots } from './call-tasks.js';
import { logChange, type OpContext } from './context.js';

type Outcome = { status: 'applied' | 'rejected'; detail: string };

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
  const today = localParts(ctx.at, ctx.dir.timezone).date;
  const role = await roleOf(ctx.tx, ctx.orgId, userId);
  const decision = decideAbsence(req, { today, role, doctorActive: ctx.dir.doctors.get(req.doctorId)?.active === true });
  if (!decision.ok) {
    // The desk that entered it applied it already: it takes it back (no other desk ever had it).
    if (!ctx.dir.exceptions.get(req.doctorId)?.some((x) => x.id === req.id)) await logChange(ctx, 'exception', req.id, 'remove', null);
    return { status: 'rejected', detail: decision.code };
  }
  const e = decision.exception;
  const inserted = await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'exception', id: e.id, row: e }).onConflictDoNothing().returning({ id: orgRows.id });
  if (inserted.length === 0) return { status: 'applied', detail: 'already_known' };
  await logChange(ctx, 'exception', e.id, 'put', e);
  // Every server process reloads its copy of the rules' directory when this moves.
  await ctx.tx
    .update(organizations)
    .set({ directoryVersion: sql`${organizations.directoryVersion} + 1` })
    .where(eq(organizations.id, ctx.orgId));

  // The doctor's bookings on the days it covers, as the server holds them (full rows: their latest change-log entry).
  const lastDay = earlierDate(e.toDate, horizonEnd(ctx.dir.profile, today));
  const held = await ctx.tx
    .select({ row: changeLog.row })
    .from(appointments)
    .innerJoin(changeLog, and(eq(changeLog.orgId, appointments.orgId), eq(changeLog.seq, appointments.serverSeq)))
    .where(and(eq(appointments.orgId, ctx.orgId), eq(appointments.status, 'booked'), eq(appointments.syncState, 'confirmed'), sql`starts_with(${appointments.slotId}, ${`${e.doctorId}@`})`));
  const bookings = held.map((h) => h.row as Appointment).filter((a) => a.date >= e.fromDate && a.date <= lastDay && a.date >= today);
  if (bookings.length === 0) return { status: 'applied', detail: 'recorded:0' };
  const doctor = ctx.dir.doctors.get(e.doctorId)!;
  const exceptions = [...(ctx.dir.exceptions.get(e.doctorId) ?? []), e];
  const blocked = new Set(
    (ctx.dir.templates.get(e.doctorId) ?? [])
      .flatMap((template) =>
        generateDoctorSlots({
          template,
          exceptions,
          specialtyId: doctor.specialtyId,
          dates: datesBetween(laterDate(e.fromDate, today), lastDay),
          profile: ctx.dir.profile,
          timezone: ctx.dir.timezone,
        }),
      )
      .filter((s) => s.blocked)
      .map((s) => s.id),
  );
  const taken = await takenSlots(ctx);
  const affected = bookings.filter((a) => blocked.has(a.slotId)).sort((x, y) => x.startUtc - y.startUtc);
  for (const a of affected) {
    await putCallTask(ctx, a, {
      id: absenceTaskId(e.id, a.id),
      reason: `absence:${e.kind}`,
      taken,
      extraExceptions: [e],
      extra: { urgent: isUrgentCall(e, a.date, today), absenceId: e.id },
    });
  }
  return { status: 'applied', detail: `recorded:${affected.length}` };
}
