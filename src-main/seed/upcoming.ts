import { stmt } from '../db/stmt.js';
import type { Env } from '../services/env.js';
import { Rng } from './random.js';

/** Fill part of the horizon with bookings, as a clinic already in use looks: more taken near today. */
export function seedUpcomingBookings(env: Env, seed: number): void {
  const s = env.db.sqlite;
  const rng = new Rng(seed + 1);
  const now = env.clock();
  const slots = s
    .prepare(
      "SELECT id, doctor_id AS doctorId, specialty_id AS specialtyId, date, time, start_utc AS startUtc FROM slots WHERE start_utc > ? AND blocked = 0 AND channel IN ('registry', 'internet') ORDER BY start_utc",
    )
    .all(now) as Array<{ id: string; doctorId: string; specialtyId: string; date: string; time: string; startUtc: number }>;
  const patients = (s.prepare('SELECT id FROM patients WHERE attached_org_id = ? ORDER BY id').all(env.org.id) as Array<{ id: string }>).map((p) => p.id);
  if (slots.length === 0 || patients.length === 0) return;
  const first = slots[0]!.startUtc;
  const span = slots[slots.length - 1]!.startUtc - first || 1;
  const ins = s.prepare(`INSERT INTO appointments (id, org_id, patient_id, slot_id, doctor_id, specialty_id, date, time, start_utc, status, channel,
    referral_id, replaces_id, ticket_code, queue_number, live_queue, created_at, created_by, device_id, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', 'registry', NULL, NULL, ?, ?, 0, ?, 'user-registrar', 'seed', ?)`);
  const hold = stmt(s, 'UPDATE slots SET appointment_id = ? WHERE id = ?');
  let n = 0;
  s.transaction(() => {
    for (const slot of slots) {
      // 75 % taken at the start of the horizon, falling to 10 % at its end.
      if (!rng.chance(0.75 - 0.65 * ((slot.startUtc - first) / span))) continue;
      n++;
      const id = `seed-${n}`;
      const { q } = stmt(s, 'SELECT count(*) AS q FROM slots WHERE doctor_id = ? AND date = ? AND time <= ?').get(slot.doctorId, slot.date, slot.time) as { q: number };
      ins.run(id, env.org.id, rng.pick(patients), slot.id, slot.doctorId, slot.specialtyId, slot.date, slot.time, slot.startUtc, `S${String(n).padStart(7, '0')}`, q, now, now);
      hold.run(id, slot.id);
    }
  })();
}
