import type { ScheduleException } from '../../src-shared/domain/directory.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import { absenceTaskId, decideAbsence, isUrgentCall, OPEN_END, type AbsenceRequest } from '../../src-shared/rules/absences.js';
import { suggestAlternatives } from '../../src-shared/slots/alternatives.js';
import type { OpArgs } from '../../src-shared/sync/protocol.js';
import type { AbsenceView } from '../../src-shared/rpc/views.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { journal, newId } from './journal.js';
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
    stmt(s, 'INSERT INTO schedule_exceptions (id, org_id, doctor_id, kind, from_date, to_date, intervals_json, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      e.id,
      env.org.id,
      e.doctorId,
      e.kind,
      e.fromDate,
      e.toDate,
      e.intervals ? JSON.stringify(e.intervals) : null,
      e.note,
    );
    journal(env, actor, { name: 'schedule.absence', args: { ...req, userId: actor.userId } satisfies OpArgs<'schedule.absence'> }, { entity: 'exception', entityId: e.id, detail: e.kind });
    ensureSlots(env, true);
    calls = callTasksFor(env, e, today);
  })();
  return { ...toView(env, e), calls };
}

/**
 * The bookings the absence took away (their slots are blocked now), each a call-list task by the
 * id the server will use too. Returns how many.
 */
function callTasksFor(env: Env, e: ScheduleException, today: string): number {
  const s = env.db.sqlite;
  const lost = stmt(
    s,
    `SELECT a.id, a.patient_id AS patientId, a.doctor_id AS doctorId, a.date, a.start_utc AS startUtc FROM appointments a JOIN slots sl ON sl.id = a.slot_id
      WHERE a.doctor_id = ? AND a.date >= ? AND a.date <= ? AND a.date >= ? AND a.status = 'booked' AND a.sync_state != 'conflict' AND sl.blocked = 1
      ORDER BY a.start_utc`,
  ).all(e.doctorId, e.fromDate, e.toDate, today) as Array<{ id: string; patientId: string; doctorId: string; date: string; startUtc: number }>;
  if (lost.length === 0) return 0;
  const { templates, exceptions } = loadSchedules(env, today);
  const me = (stmt(s, "SELECT value FROM meta WHERE key = 'server_device_id'").get() as { value: string } | undefined)?.value ?? '';
  const taken = new Set(
    (stmt(s, 'SELECT id FROM slots WHERE appointment_id IS NOT NULL AND date >= ? UNION SELECT slot_id FROM leases WHERE device_id != ?').all(today, me) as Array<{ id: string }>).map((r) => r.id),
  );
  const put = stmt(s, "INSERT OR IGNORE INTO tasks (id, org_id, kind, patient_id, appointment_id, reason, status, created_at, row_json) VALUES (?, ?, 'call_patient', ?, ?, ?, 'open', ?, ?)");
  for (const a of lost) {
    const alternatives = suggestAlternatives({
      lost: a,
      doctors: [...env.directory.doctors.values()],
      templates,
      exceptions,
      profile: env.profile,
      timezone: env.org.timezone,
      taken,
      now: env.clock(),
    });
    const id = absenceTaskId(e.id, a.id);
    const reason = `absence:${e.kind}`;
    put.run(id, env.org.id, a.patientId, a.id, reason, env.clock(), JSON.stringify({ id, alternatives, urgent: isUrgentCall(e, a.date, today), absenceId: e.id }));
  }
  return lost.length;
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
    .filter((e) => e.kind !== 'changed_hours')
    .sort((a, b) => (a.fromDate < b.fromDate ? -1 : a.fromDate > b.fromDate ? 1 : 0))
    .map((e) => ({ ...toView(env, e), calls: calls.get(e.id) ?? 0 }));
}
