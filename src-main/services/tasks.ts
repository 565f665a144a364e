import { AppError } from '../../src-shared/rpc/errors.js';
import type { TaskView } from '../../src-shared/rpc/views.js';
import { stmt } from '../db/stmt.js';
import { getAppointment } from './appointment-views.js';
import type { Actor, Env } from './env.js';
import type { OpArgs } from '../../src-shared/sync/protocol.js';
import { journal } from './journal.js';

/** The call list: open tasks first, newest first, with the patient's phone and the alternatives to offer. */
export function listTasks(env: Env, status: 'open' | 'all'): TaskView[] {
  const rows = stmt(env.db.sqlite, `SELECT t.id, t.kind, t.status, t.reason, t.created_at AS createdAt, t.patient_id AS patientId, t.appointment_id AS appointmentId,
      t.row_json AS rowJson, p.full_name AS patientName, p.phone FROM tasks t LEFT JOIN patients p ON p.id = t.patient_id
      WHERE (? = 'all' OR t.status = 'open') ORDER BY t.status = 'open' DESC, t.created_at DESC LIMIT 200`)
    .all(status) as Array<{ id: string; kind: string; status: string; reason: string; createdAt: number; patientId: string; appointmentId: string | null; rowJson: string; patientName: string | null; phone: string | null }>;
  return rows.map(({ rowJson, appointmentId, ...t }) => {
    const row = JSON.parse(rowJson) as { alternatives?: TaskView['alternatives'] };
    return { ...t, appointment: appointmentId ? (getAppointment(env, appointmentId) ?? null) : null, alternatives: (row.alternatives ?? []).map(({ slotId, doctorId, date, time, sameDoctor }) => ({ slotId, doctorId, date, time, sameDoctor })) };
  });
}

/** The outcome of the call: recorded here at once and sent to the server, so every desk's call list agrees. */
export function resolveTask(env: Env, actor: Actor, taskId: string, outcome: 'reached' | 'unreachable' | 'rebooked'): void {
  env.db.sqlite.transaction(() => {
    const r = stmt(env.db.sqlite, 'UPDATE tasks SET status = ? WHERE id = ?').run(outcome, taskId);
    if (r.changes !== 1) throw new AppError('not_found');
    journal(env, actor, { name: 'tasks.resolve', args: { taskId, outcome } satisfies OpArgs<'tasks.resolve'> }, { entity: 'task', entityId: taskId, detail: outcome });
  })();
}
