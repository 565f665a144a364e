import { ACTIVE_STATUSES, sqlList } from '../../src-shared/domain/enums.js';
import type { Report, ReportFilter } from '../../src-shared/reports/report.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { addDays, datesBetween, wallToUtc } from '../../src-shared/time/dates.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Env } from './env.js';
import { accessibleSlotChannels, loadSchedules } from './slots.js';

const DAY = 86_400_000;
/** A booking that counts as the doctor's time taken: still booked, come, seen, or not come. */
const HELD = sqlList([...ACTIVE_STATUSES, 'noshow']);

/**
 * The head's report for a period, read from this desk's replica (every desk holds the whole clinic).
 * Narrowed to a doctor or a specialty where given. Conflicting (lost) bookings never count.
 */
export function buildReport(env: Env, f: ReportFilter): Report {
  const s = env.db.sqlite;
  const { today, horizonEnd } = clinicToday(env);
  const zone = env.org.timezone;
  const doctors = [...env.directory.doctors.values()].filter((d) => (!f.doctorId || d.id === f.doctorId) && (!f.specialtyId || d.specialtyId === f.specialtyId));
  const narrow = (col: string) => `${f.doctorId ? ` AND ${col}doctor_id = @doctorId` : ''}${f.specialtyId ? ` AND ${col}specialty_id = @specialtyId` : ''}`;
  const params = { from: f.from, to: f.to, start: wallToUtc(f.from, '00:00', zone), end: wallToUtc(addDays(f.to, 1), '00:00', zone), doctorId: f.doctorId, specialtyId: f.specialtyId };
  const bind = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));

  const requests = stmt(s, `SELECT channel, result, count(*) AS n FROM register_entries WHERE at >= @start AND at < @end${narrow('')} GROUP BY channel, result ORDER BY channel, result`).all(
    bind,
  ) as Report['requests'];
  const refusals = stmt(
    s,
    `SELECT result, coalesce(reason, '') AS reason, rule, count(*) AS n FROM register_entries
      WHERE at >= @start AND at < @end AND result IN ('refused', 'declined')${narrow('')} GROUP BY result, reason, rule ORDER BY n DESC`,
  ).all(bind) as Report['refusals'];
  const attendanceRows = stmt(
    s,
    `SELECT a.doctor_id AS doctorId,
        sum(a.status IN ${HELD}) AS booked,
        sum(a.status = 'noshow') AS noShows,
        sum(a.status = 'cancelled' AND NOT EXISTS (SELECT 1 FROM appointments m WHERE m.replaces_id = a.id)) AS cancelled,
        sum(a.live_queue = 1 AND a.status IN ('arrived', 'fulfilled')) AS late
      FROM appointments a WHERE a.date >= @from AND a.date <= @to AND a.sync_state != 'conflict'${narrow('a.')} GROUP BY a.doctor_id`,
  ).all(bind) as Report['attendance'];
  const attendance = attendanceRows.filter((r) => env.directory.doctor(r.doctorId));

  // Bookable times come from the schedules themselves (as every desk and the server generate them), so a past month counts too.
  const { templates, exceptions } = loadSchedules(env, f.from);
  const dates = datesBetween(f.from, f.to);
  const bookedBy = new Map(
    (
      stmt(
        s,
        `SELECT doctor_id AS doctorId, count(*) AS n FROM appointments a WHERE date >= @from AND date <= @to AND status IN ${HELD} AND sync_state != 'conflict'${narrow('a.')} GROUP BY doctor_id`,
      ).all(bind) as Array<{ doctorId: string; n: number }>
    ).map((r) => [r.doctorId, r.n]),
  );
  const occupancy = doctors
    .map((d) => {
      const bookable = templates
        .filter((t) => t.doctorId === d.id)
        .flatMap((template) => generateDoctorSlots({ template, exceptions: exceptions.filter((e) => e.doctorId === d.id), specialtyId: d.specialtyId, dates, profile: env.profile, timezone: zone }))
        .filter((x) => !x.blocked).length;
      return { doctorId: d.id, bookable, booked: bookedBy.get(d.id) ?? 0 };
    })
    .filter((o) => o.bookable > 0 || o.booked > 0);

  const now = env.clock();
  const firstFree = new Map(
    (
      stmt(
        s,
        `SELECT specialty_id AS specialtyId, min(date) AS date FROM slots
          WHERE date >= ? AND date <= ? AND appointment_id IS NULL AND blocked = 0 AND channel IN (SELECT value FROM json_each(?)) AND (date > ? OR start_utc > ?) GROUP BY specialty_id`,
      ).all(today, horizonEnd, JSON.stringify(accessibleSlotChannels(env, 'registry', false)), today, now) as Array<{ specialtyId: string; date: string }>
    ).map((r) => [r.specialtyId, r.date]),
  );
  const earliest = [...env.directory.offeredSpecialtyIds()]
    .filter((id) => !f.specialtyId || id === f.specialtyId)
    .map((specialtyId) => {
      const date = firstFree.get(specialtyId) ?? null;
      return { specialtyId, date, days: date === null ? null : Math.round((Date.parse(date) - Date.parse(today)) / DAY) };
    });
  return { from: f.from, to: f.to, requests, refusals, attendance, occupancy, earliest, today, horizonEnd };
}
