import type { PolicyProfile } from '../policy/types.js';
import { addDays, addMonths, isoWeekday } from './dates.js';

/** R20: a working day is open by the working week, not a public holiday, or a decreed working weekend. */
export function isWorkingDay(profile: PolicyProfile, date: string): boolean {
  if (profile.extraWorkingDays.includes(date)) return true;
  if (profile.holidays.includes(date)) return false;
  return profile.workingWeek[isoWeekday(date)] !== null;
}

/**
 * R1: the last bookable date, counted from today. "14 working days" means the
 * 14th working day after today (today itself is always bookable, R4); calendar
 * horizons count calendar days or months.
 */
export function horizonEnd(profile: PolicyProfile, today: string): string {
  const { unit, count } = profile.horizon;
  if (unit === 'calendar_days') return addDays(today, count);
  if (unit === 'months') return addMonths(today, count);
  let d = today;
  for (let n = 0; n < count; ) {
    d = addDays(d, 1);
    if (isWorkingDay(profile, d)) n++;
  }
  return d;
}
