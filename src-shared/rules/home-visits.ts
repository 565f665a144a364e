import { addDays } from '../time/dates.js';
import type { HomeVisitStatus } from '../domain/home-visit.js';
import { refuse, type Decision } from './decision.js';

/** A home visit is for today or the next few days: further out it is a booking, not a call. */
export const HOME_VISIT_DAYS_AHEAD = 7;

/**
 * R24: a home-visit request is valid for a patient of this organization, for an active doctor
 * of it, on a day from today up to a week ahead. Desk and server run this same check.
 */
export function decideHomeVisit(f: { today: string; date: string; patientKnown: boolean; doctorActive: boolean }): Decision {
  if (!f.patientKnown) return refuse('unknown_patient');
  if (!f.doctorActive) return refuse('unknown_department');
  if (f.date < f.today || f.date > addDays(f.today, HOME_VISIT_DAYS_AHEAD)) return refuse('home_visit_date', { days: HOME_VISIT_DAYS_AHEAD });
  return { ok: true };
}

/** An open visit is done or cancelled; a finished one stays as it is. */
export const canSetHomeVisitStatus = (from: HomeVisitStatus, to: HomeVisitStatus): boolean => from === 'open' && to !== 'open';
