import type { ScheduleException } from '../../src-shared/domain/directory.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import { absenceTaskId, decideAbsence, isUrgentCall, OPEN_END, type AbsenceRequest } from '../../src-shared/rules/absences.js';
import type { OpArgs } from '../../src-shared/sync/protocol.js';
import type { AbsenceView } from '../../src-shared/rpc/views.js';
import { putException } from '../db/schedules.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { journal, newId } from './journal.js';
import { callLostBookings } from './call-tasks.js';
import { ensureSlots, loadSchedules } from './slots.js';

/**
 * R8 (000 §1, 004 §3.4.3): the head or administrator enters a doctor's absence. It takes effect on
 * this desk at once — the doctor's slots blocked, nobody booked there any more — and every booking it
 * takes away becomes a call-list task with R8's offers; the op goes to the server, which decides it
 * again and publishes it (and the same tasks, by the same ids) to every desk. A standalone desk keeps it.
 */
export function enterAbsence(env: Env, actor: Actor, input: Omit<AbsenceRequest, 'id'>): AbsenceView {
  const req: AbsenceRequest = { ...input, id: newId() };
  const { today } = clinicToday(env);
  const decision = decideAbsence(req, { today, role: actor.role, doctorActive: env.directory.doctor(req.doctorId)?.active === true });
  if (!decision.ok) throw new AppError(decision.code, decision.params);
  const e = decision.exception;
  const s = env.db.sqlite;
  let calls = 0;
  s.transaction(() => {
    putException(env.db, env.org.id, e);
    journal(env, actor, { name: 'schedule.absence', args: { ...req, userId: actor.userId } satisfies OpArgs<'schedule.absence'> }, { entity: 'exception', entityId: e.id, detail: e.kind });
    ensureSlots(env, true);
    calls = callLostBookings(env, {
      doctorId: e.doctorId,
      fromDate: e.fromDate,
      toDate: e.toDate,
      taskId: (appointmentId) => absenceTaskId(e.id, appointmentId),
      reason: `absence:${e.kind}`,
      extra: (a) => ({ urgent: isUrgentCall(e, a.date, today), absenceId: e.id }),
    });
  })();
  return { ...toView(env, e), calls };
}

function toView(env: Env, e: ScheduleException): Omit<AbsenceView, 'calls'> {
  return {
    id: e.id,
    doctorId: e.doctorId,
    doctorName: env.directory.doctor(e.doctorId)?.fullName ?? e.doctorId,
    kind: e.kind as AbsenceView['kind'],
    fromDate: e.fromDate,
    toDate: e.toDate === OPEN_END ? null : e.toDate,
    hours: e.intervals?.[0] ? { from: e.intervals[0].from, to: e.intervals[0].to } : null,
    note: e.note,
  };
}

/** Absences that are not over yet (today's and later), with how many of their patients are still to be phoned. */
export function listAbsences(env: Env): AbsenceView[] {
  const { today } = clinicToday(env);
  const { exceptions } = loadSchedules(env, today);
  const open = stmt(env.db.sqlite, "SELECT json_extract(row_json, '$.absenceId') AS absenceId, count(*) AS n FROM tasks WHERE status = 'open' GROUP BY 1").all() as Array<{
    absenceId: string | null;
    n: number;
  }>;
  const calls = new Map(open.map((r) => [r.absenceId, r.n]));
  return exceptions
    .filter((e) => e.kind !== 'internet_quota')
    .sort((a, b) => (a.fromDate < b.fromDate ? -1 : a.fromDate > b.fromDate ? 1 : 0))
    .map((e) => ({ ...toView(env, e), calls: calls.get(e.id) ?? 0 }));
}
