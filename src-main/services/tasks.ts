import { AppError } from '../../src-shared/rpc/errors.js';
import { stmt } from '../db/stmt.js';
import { getAppointment } from './appointment-views.js';
import type { Actor, Env } from './env.js';
import type { OpArgs } from '../../src-shared/sync/protocol.js';
import type { BookResult, TaskView } from '../../src-shared/rpc/views.js';
import { book, move } from './booking.js';
import { journal } from './journal.js';

/** The call list: open tasks first, newest first, with the patient's phone and the alternatives to offer. */
export function listTasks(env: Env, status: 'open' | 'all'): TaskView[] {
  const rows = stmt(
    env.db.sqlite,
    `SELECT t.id, t.kind, t.status, t.reason, t.created_at AS createdAt, t.patient_id AS patientId, t.appointment_id AS appointmentId,
      t.row_json AS rowJson, p.full_name AS patientName, p.phone FROM tasks t LEFT JOIN patients p ON p.id = t.patient_id
      WHERE (? = 'all' OR t.status = 'open') ORDER BY t.status = 'open' DESC, t.created_at DESC LIMIT 200`,
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
    const row = JSON.parse(rowJson) as { alternatives?: TaskView['alternatives'] };
    return {
      ...t,
      appointment: appointmentId ? (getAppointment(env, appointmentId) ?? null) : null,
      alternatives: (row.alternatives ?? []).map(({ slotId, doctorId, date, time, sameDoctor }) => ({ slotId, doctorId, date, time, sameDoctor })),
    };
  });
}

type Outcome = 'reached' | 'unreachable' | 'rebooked';

function resolveInTx(env: Env, actor: Actor, taskId: string, outcome: Outcome): void {
  const r = stmt(env.db.sqlite, 'UPDATE tasks SET status = ? WHERE id = ?').run(outcome, taskId);
  if (r.changes !== 1) throw new AppError('not_found');
  journal(env, actor, { name: 'tasks.resolve', args: { taskId, outcome } satisfies OpArgs<'tasks.resolve'> }, { entity: 'task', entityId: taskId, detail: outcome });
}

/** The outcome of the call: recorded here at once and sent to the server, so every desk's call list agrees. */
export function resolveTask(env: Env, actor: Actor, taskId: string, outcome: Outcome): void {
  env.db.sqlite.transaction(() => resolveInTx(env, actor, taskId, outcome))();
}

/**
 * The patient on the call list agreed to another time. A lost booking that is still open is
 * *moved* there — the lost one cancelled, the new one pointing at it, the task resolved, all in
 * one transaction — so the patient never holds two bookings, the conflict clears on every desk,
 * and the register shows a move. Anything else (a task without an open booking) is a new booking.
 */
export function rebookFromTask(env: Env, actor: Actor, taskId: string, slotId: string): BookResult {
  const task = stmt(env.db.sqlite, 'SELECT patient_id AS patientId, appointment_id AS appointmentId FROM tasks WHERE id = ?').get(taskId) as
    | { patientId: string; appointmentId: string | null }
    | undefined;
  if (!task) throw new AppError('not_found');
  const lost = task.appointmentId ? getAppointment(env, task.appointmentId) : undefined;
  if (lost?.status === 'booked') return move(env, actor, lost.id, slotId, () => resolveInTx(env, actor, taskId, 'rebooked'));
  const r = book(env, actor, { patientId: task.patientId, slotId, channel: 'registry', preventive: false });
  resolveTask(env, actor, taskId, 'rebooked');
  return r;
}
