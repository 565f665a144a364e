import { ACTIVE_STATUSES, sqlList } from '../../src-shared/domain/enums.js';
import type { Report, ReportFilter } from '../../src-shared/reports/report.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { addDays, datesBetween, wallToUtc } from '../../src-shared/time/dates.js';
import { stmt } from '../db/stmt.js';
import type { WaitingEntry } from '../../src-shared/domain/waiting-entry.js';
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
  return { from: f.from, to: f.to, requests, refusals, attendance, occupancy, earliest, waiting: waitingFigures(env, f, params.start, params.end), today, horizonEnd };
}

/** The waiting list's figures (issue 21): entries put on it in the period, per specialty, by what became of them. */
function waitingFigures(env: Env, f: ReportFilter, start: number, end: number): Report['waiting'] {
  const rows = stmt(
    env.db.sqlite,
    "SELECT w.row_json AS j, a.doctor_id AS bookedWith FROM waiting_entries w LEFT JOIN appointments a ON a.id = json_extract(w.row_json, '$.appointmentId') WHERE w.created_at >= ? AND w.created_at < ?",
  ).all(start, end) as Array<{
    j: string;
    bookedWith: string | null;
  }>;
  const by = new Map<string, { added: number; booked: number; hours: number[]; closed: number; open: number }>();
  for (const r of rows) {
    const e = JSON.parse(r.j) as WaitingEntry;
    if (f.specialtyId && e.specialtyId !== f.specialtyId) continue;
    if (f.doctorId && e.doctorId !== f.doctorId && r.bookedWith !== f.doctorId) continue;
    const x = by.get(e.specialtyId) ?? { added: 0, booked: 0, hours: [], closed: 0, open: 0 };
    x.added++;
    if (e.status === 'booked') {
      x.booked++;
      if (e.closedAt !== null) x.hours.push((e.closedAt - e.createdAt) / 3_600_000);
    } else if (e.status === 'removed' || e.status === 'lapsed') x.closed++;
    else x.open++;
    by.set(e.specialtyId, x);
  }
  return [...by].map(([specialtyId, x]) => ({ specialtyId, added: x.added, booked: x.booked, medianHours: median(x.hours), closed: x.closed, open: x.open }));
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round((s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2) * 10) / 10;
}
