import { stmt } from '../db/stmt.js';
import { clinicToday } from '../services/clinic-time.js';
import type { Env } from '../services/env.js';
import { Rng } from './random.js';

/**
 * Fill part of the horizon with bookings, as a clinic already in use looks: more taken near today — and today's
 * hours already gone with visits done, missed and still waiting (issue 23 finding 8), so check-in, no-shows,
 * lateness and the waiting marks can be practised at whatever hour the demo is built.
 */
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
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registry', NULL, NULL, ?, ?, 0, ?, 'user-registrar', 'seed', ?)`);
  const hold = stmt(s, 'UPDATE slots SET appointment_id = ? WHERE id = ?');
  let n = 0;
  s.transaction(() => {
    for (const slot of slots) {
      // 75 % taken at the start of the horizon, falling to 10 % at its end.
      if (!rng.chance(0.75 - 0.65 * ((slot.startUtc - first) / span))) continue;
      n++;
      const id = `seed-${n}`;
      const { q } = stmt(s, 'SELECT count(*) AS q FROM slots WHERE doctor_id = ? AND date = ? AND time <= ?').get(slot.doctorId, slot.date, slot.time) as { q: number };
      ins.run(id, env.org.id, rng.pick(patients), slot.id, slot.doctorId, slot.specialtyId, slot.date, slot.time, slot.startUtc, 'booked', `S${String(n).padStart(7, '0')}`, q, now, now);
      hold.run(id, slot.id);
    }
    // Today before now: most of it booked; done an hour after, or missed (a tenth); the last 40 minutes still
    // waiting — checked in, some past R22's limit (today's list marks them).
    const { today } = clinicToday(env);
    const gone = s
      .prepare(
        "SELECT id, doctor_id AS doctorId, specialty_id AS specialtyId, date, time, start_utc AS startUtc FROM slots WHERE date = ? AND start_utc <= ? AND blocked = 0 AND channel = 'registry' ORDER BY start_utc",
      )
      .all(today, now) as typeof slots;
    for (const slot of gone) {
      if (!rng.chance(0.7)) continue;
      n++;
      const id = `seed-${n}`;
      const status = now - slot.startUtc < 40 * 60_000 ? 'arrived' : rng.chance(0.1) ? 'noshow' : 'fulfilled';
      const { q } = stmt(s, 'SELECT count(*) AS q FROM slots WHERE doctor_id = ? AND date = ? AND time <= ?').get(slot.doctorId, slot.date, slot.time) as { q: number };
      ins.run(id, env.org.id, rng.pick(patients), slot.id, slot.doctorId, slot.specialtyId, slot.date, slot.time, slot.startUtc, status, `S${String(n).padStart(7, '0')}`, q, now - 86_400_000, now);
      hold.run(id, slot.id);
    }
  })();
}
