import { z } from 'zod';
import type { ScheduleException } from '../domain/directory.js';
import type { Role } from '../domain/enums.js';
import { hhmm, id, isoDate } from '../domain/primitives.js';
import { addDays, minutesOf } from '../time/dates.js';
import { refuse, type Decision } from './decision.js';

/** Who may change the clinic's schedules: the head of registry and the administrator (004 §3.4.3: on the head's order). */
export const MANAGERS: readonly Role[] = ['head', 'admin'];

/**
 * R8's grounds for a doctor's absence (000 §1, 004 §3.4.3), and the one-off change of a day's hours.
 * Absenteeism is hours of one day away; changed hours are the hours of one day the doctor works; the rest are whole days.
 */
export const absenceKind = z.enum(['vacation', 'sick', 'training', 'absenteeism', 'dismissal', 'changed_hours']);
export type AbsenceKind = z.infer<typeof absenceKind>;

/** 004 §3.4.3.3: an absence of more than four hours in a row changes the schedule (a shorter one is the doctor's own business). */
export const MIN_ABSENCE_HOURS = 4;
/** No absence is entered for longer than a year ahead; a dismissal runs to the end of time. */
export const MAX_ABSENCE_DAYS = 366;
export const OPEN_END = '9999-12-31';

export const absenceRequest = z.object({
  id,
  doctorId: id,
  kind: absenceKind,
  fromDate: isoDate,
  /** The last day away; a dismissal has none (it lasts). */
  toDate: isoDate.nullable(),
  /** Absenteeism: the hours of that day the doctor is away; changed hours: the hours the doctor works that day instead. */
  hours: z.object({ from: hhmm, to: hhmm }).nullable().default(null),
  note: z.string().trim().max(200).default(''),
});
export type AbsenceRequest = z.infer<typeof absenceRequest>;

/**
 * R8: an absence as the schedule records it — a schedule exception blocking the doctor's slots
 * from `fromDate` to `toDate` (or the given hours of one day). Desk and server decide it by this
 * one rule: only the head or administrator, for an active doctor, from today on, dates in order.
 */
export function decideAbsence(req: AbsenceRequest, f: { today: string; role: Role | null; doctorActive: boolean }): Decision<{ exception: ScheduleException }> {
  if (!f.role || !MANAGERS.includes(f.role)) return refuse('not_manager');
  if (!f.doctorActive) return refuse('unknown_doctor');
  const toDate = req.kind === 'dismissal' ? OPEN_END : req.toDate;
  if (toDate === null || toDate < req.fromDate) return refuse('absence_dates');
  if (toDate < f.today) return refuse('absence_past');
  if (req.kind !== 'dismissal' && toDate > addDays(f.today, MAX_ABSENCE_DAYS)) return refuse('absence_dates');
  let intervals: ScheduleException['intervals'] = null;
  if (req.kind === 'absenteeism') {
    const h = req.hours;
    if (!h || req.fromDate !== toDate) return refuse('absence_hours', { hours: MIN_ABSENCE_HOURS });
    if (minutesOf(h.to) - minutesOf(h.from) < MIN_ABSENCE_HOURS * 60) return refuse('absence_hours', { hours: MIN_ABSENCE_HOURS });
    intervals = [{ from: h.from, to: h.to, channel: 'registry' }];
  }
  if (req.kind === 'changed_hours') {
    // A one-off day of other hours (for the registry): times outside them close, their patients go to the call list.
    const h = req.hours;
    if (!h || req.fromDate !== toDate || minutesOf(h.to) <= minutesOf(h.from)) return refuse('day_hours');
    intervals = [{ from: h.from, to: h.to, channel: 'registry' }];
  }
  return { ok: true, exception: { id: req.id, doctorId: req.doctorId, kind: req.kind, fromDate: req.fromDate, toDate, intervals, note: req.note } };
}

/** The call-list task of one booking an absence took away: the same id on every desk and on the server, so nobody phones twice. */
export const absenceTaskId = (exceptionId: string, appointmentId: string): string => callTaskId('ab', exceptionId, appointmentId);

/** A call-list task's id from the change that caused it and the booking it lost: derived alike on every desk and on the server. */
export function callTaskId(prefix: string, causeId: string, appointmentId: string): string {
  const id = `${prefix}:${causeId}:${appointmentId}`;
  return id.length <= 80 ? id : `${prefix}:${fnv1a(causeId)}:${fnv1a(appointmentId)}`;
}

/** A short stable digest for ids too long to join (not a security measure: ids are the organization's own). */
function fnv1a(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ s.charCodeAt(s.length - 1 - i), 0x811c9dc5) >>> 0;
  }
  return h1.toString(36) + h2.toString(36);
}

/**
 * R8, 004 §3.4.3.2: an absence known less than two days before it starts — its first day's
 * patients are phoned first (they may already be on their way tomorrow morning).
 */
export const isUrgentCall = (absence: Pick<ScheduleException, 'fromDate'>, bookingDate: string, today: string): boolean => bookingDate === absence.fromDate && absence.fromDate <= addDays(today, 1);
