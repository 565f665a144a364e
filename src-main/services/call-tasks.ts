import { suggestAlternatives } from '../../src-shared/slots/alternatives.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Env } from './env.js';
import { loadSchedules } from './slots.js';

interface Lost {
  id: string;
  patientId: string;
  doctorId: string;
  date: string;
  startUtc: number;
}

/**
 * The bookings of a doctor from a day to a day (from today on) that a schedule change just took
 * away — their times are blocked now, or gone from the new weekly schedule (ensureSlots blocks a
 * booked time the schedules no longer have) — each a call-list task with R8's offers, by the id the
 * server derives too. A patient already on the call list is not listed twice. Returns how many.
 * Call inside the change's transaction, after ensureSlots.
 */
export function callLostBookings(
  env: Env,
  change: { doctorId: string; fromDate: string; toDate: string; taskId(appointmentId: string): string; reason: string; extra?(a: Lost): Record<string, unknown> },
): number {
  const s = env.db.sqlite;
  const { today } = clinicToday(env);
  const lost = stmt(
    s,
    `SELECT a.id, a.patient_id AS patientId, a.doctor_id AS doctorId, a.date, a.start_utc AS startUtc FROM appointments a JOIN slots sl ON sl.id = a.slot_id
      WHERE a.doctor_id = ? AND a.date >= ? AND a.date <= ? AND a.date >= ? AND a.status = 'booked' AND a.sync_state != 'conflict' AND sl.blocked = 1
        AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.appointment_id = a.id AND t.status = 'open' AND t.kind = 'call_patient')
      ORDER BY a.start_utc`,
  ).all(change.doctorId, change.fromDate, change.toDate, today) as Lost[];
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
    const id = change.taskId(a.id);
    put.run(id, env.org.id, a.patientId, a.id, change.reason, env.clock(), JSON.stringify({ id, alternatives, ...change.extra?.(a) }));
  }
  return lost.length;
}
