import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { ScheduleException } from '../../src-shared/domain/directory.js';
import { ACTIVE_STATUSES } from '../../src-shared/domain/enums.js';
import { suggestAlternatives } from '../../src-shared/slots/alternatives.js';
import { appointments, leaseSets, slotLeases, tasks } from '../db/schema.js';
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

/**
 * A call-the-patient task for a booking that lost its time, with R8's offers computed on the
 * server's schedules (plus `extraExceptions` the op is adding). Published to every desk; an id
 * the desk already used (an absence entered offline) is kept, and the server's row replaces the desk's.
 */
export async function putCallTask(
  ctx: OpContext,
  a: Pick<Appointment, 'id' | 'patientId' | 'doctorId' | 'date' | 'startUtc'>,
  task: { id: string; reason: string; taken: ReadonlySet<string>; extraExceptions?: readonly ScheduleException[]; extra?: Record<string, unknown> },
): Promise<void> {
  const alternatives = suggestAlternatives({
    lost: { doctorId: a.doctorId, date: a.date, startUtc: a.startUtc },
    doctors: [...ctx.dir.doctors.values()],
    templates: [...ctx.dir.templates.values()].flat(),
    exceptions: [...[...ctx.dir.exceptions.values()].flat(), ...(task.extraExceptions ?? [])],
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
}
