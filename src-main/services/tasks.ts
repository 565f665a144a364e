import type { WaitingOffer } from '../../src-shared/domain/waiting-entry.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import { stmt } from '../db/stmt.js';
import { getAppointment } from './appointment-views.js';
import type { Actor, Env } from './env.js';
import type { OpArgs } from '../../src-shared/sync/protocol.js';
import type { BookResult, TaskView } from '../../src-shared/rpc/views.js';
import { decideCallOutcome, taskStatusAfter, type CallOutcome } from '../../src-shared/rules/call-outcomes.js';
import { book, cancelForAbsence, move } from './booking.js';
import { journal } from './journal.js';

/**
 * The call list: open tasks first — those R8 says to phone first (an absence known less than two days
 * ahead: its first day's patients), then by the time of the booking lost, then newest — with the
 * patient's phone and the offers to make.
 */
export function listTasks(env: Env, status: 'open' | 'all'): TaskView[] {
  const rows = stmt(
    env.db.sqlite,
    `SELECT t.id, t.kind, t.status, t.reason, t.created_at AS createdAt, t.patient_id AS patientId, t.appointment_id AS appointmentId,
      t.row_json AS rowJson, p.full_name AS patientName, p.phone FROM tasks t LEFT JOIN patients p ON p.id = t.patient_id
      LEFT JOIN appointments a ON a.id = t.appointment_id
      WHERE (? = 'all' OR t.status = 'open')
      ORDER BY t.status = 'open' DESC, coalesce(json_extract(t.row_json, '$.urgent'), 0) DESC, a.start_utc IS NULL, a.start_utc, t.created_at DESC LIMIT 200`,
  ).all(status) as Array<{
    id: string;
    kind: string;
    status: string;
    reason: string;
    createdAt: number;
    patientId: string;
    appointmentId: string | null;
    rowJson: string;
    patientName: string | null;
    phone: string | null;
  }>;
  return rows.map(({ rowJson, appointmentId, ...t }) => {
    const row = JSON.parse(rowJson) as {
      alternatives?: Array<Omit<TaskView['alternatives'][number], 'kind'> & { kind?: TaskView['alternatives'][number]['kind'] }>;
      urgent?: boolean;
      attempts?: number;
      entryId?: string;
      offer?: WaitingOffer;
    };
    return {
      ...t,
      urgent: row.urgent === true,
      attempts: row.attempts ?? 0,
      offer: row.entryId && row.offer ? { ...row.offer, entryId: row.entryId } : null,
      appointment: appointmentId ? (getAppointment(env, appointmentId) ?? null) : null,
      alternatives: (row.alternatives ?? []).map(({ slotId, doctorId, date, time, sameDoctor, kind }) => ({
        slotId,
        doctorId,
        date,
        time,
        sameDoctor,
        kind: kind ?? (sameDoctor ? 'same_doctor' : 'same_time'),
      })),
    };
  });
}

function resolveInTx(env: Env, actor: Actor, taskId: string, outcome: CallOutcome): void {
  const task = stmt(env.db.sqlite, 'SELECT kind, status FROM tasks WHERE id = ?').get(taskId) as { kind: string; status: string } | undefined;
  if (!task) throw new AppError('not_found');
  const d = decideCallOutcome(task, outcome);
  if (!d.ok) throw new AppError(d.code, d.params);
  const r = stmt(
    env.db.sqlite,
    `UPDATE tasks SET status = ?, row_json = CASE WHEN ? THEN json_set(row_json, '$.attempts', coalesce(json_extract(row_json, '$.attempts'), 0) + 1) ELSE row_json END WHERE id = ?`,
  ).run(taskStatusAfter(outcome), outcome === 'unreachable' ? 1 : 0, taskId);
  if (r.changes !== 1) throw new AppError('not_found');
  journal(env, actor, { name: 'tasks.resolve', args: { taskId, outcome } satisfies OpArgs<'tasks.resolve'> }, { entity: 'task', entityId: taskId, detail: outcome });
}

const taskOf = (env: Env, taskId: string) => {
  const task = stmt(env.db.sqlite, 'SELECT patient_id AS patientId, appointment_id AS appointmentId FROM tasks WHERE id = ?').get(taskId) as
    | { patientId: string; appointmentId: string | null }
    | undefined;
  if (!task) throw new AppError('not_found');
  return task;
};

/**
 * The outcome of the call: recorded here at once and sent to the server, so every desk's call list agrees.
 * A patient who declines another time has the booking the clinic cannot keep cancelled with it (R8).
 */
export function resolveTask(env: Env, actor: Actor, taskId: string, outcome: CallOutcome): void {
  if (outcome === 'declined') {
    const lost = taskOf(env, taskId).appointmentId;
    const a = lost ? getAppointment(env, lost) : undefined;
    if (a?.status === 'booked') {
      cancelForAbsence(env, actor, a.id, () => resolveInTx(env, actor, taskId, outcome));
      return;
    }
  }
  env.db.sqlite.transaction(() => resolveInTx(env, actor, taskId, outcome))();
}

/**
 * The patient on the call list agreed to another time. A lost booking that is still open is
 * *moved* there — the lost one cancelled, the new one pointing at it, the task resolved, all in
 * one transaction — so the patient never holds two bookings, the conflict clears on every desk,
 * and the register shows a move. Anything else (a task without an open booking) is a new booking.
 */
export function rebookFromTask(env: Env, actor: Actor, taskId: string, slotId: string): BookResult {
  const task = taskOf(env, taskId);
  const lost = task.appointmentId ? getAppointment(env, task.appointmentId) : undefined;
  if (lost?.status === 'booked') return move(env, actor, lost.id, slotId, () => resolveInTx(env, actor, taskId, 'rebooked'));
  const r = book(env, actor, { patientId: task.patientId, slotId, channel: 'registry', preventive: false });
  resolveTask(env, actor, taskId, 'rebooked');
  return r;
}
