import type { DayLists } from '../../src-shared/rpc/views.js';
import { addDays } from '../../src-shared/time/dates.js';
import { isWorkingDay } from '../../src-shared/time/working-days.js';
import { stmt } from '../db/stmt.js';
import { listAppointments } from './appointment-views.js';
import { clinicToday } from './clinic-time.js';
import type { Env } from './env.js';

/** The next working day: what the end-of-day lists are for (R17). */
export function nextWorkingDay(env: Env): string {
  let d = addDays(clinicToday(env).today, 1);
  while (!isWorkingDay(env.profile, d)) d = addDays(d, 1);
  return d;
}

/** R17: per-doctor lists and the medical cards to pull, for a day (default: the next working day). */
export function dayLists(env: Env, date = nextWorkingDay(env)): DayLists {
  const booked = listAppointments(env, "a.date = ? AND a.status IN ('booked', 'arrived') ORDER BY a.time", date);
  const doctors = [...env.directory.doctors.values()]
    .filter((d) => d.active)
    .map((d) => ({ doctorId: d.id, doctorName: d.fullName, specialtyId: d.specialtyId, cabinet: d.cabinet.number, appointments: booked.filter((a) => a.doctorId === d.id) }))
    .filter((d) => d.appointments.length > 0);
  const seen = new Set<string>();
  const cards = booked
    .filter((a) => !seen.has(a.patientId) && seen.add(a.patientId))
    .map((a) => {
      const birthDate = (stmt(env.db.sqlite, 'SELECT birth_date AS b FROM patients WHERE id = ?').get(a.patientId) as { b: string }).b;
      return { patientId: a.patientId, patientName: a.patientName, nationalId: a.patientNationalId, birthDate, doctorName: a.doctorName, cabinet: a.cabinet, time: a.time };
    })
    .sort((x, y) => x.patientName.localeCompare(y.patientName, 'ru'));
  return { date, doctors, cards };
}
