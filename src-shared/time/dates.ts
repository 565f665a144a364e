import { DateTime } from 'luxon';

/** Calendar arithmetic on clinic-local YYYY-MM-DD strings (zone-free on purpose). */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from one date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export function addMonths(iso: string, months: number): string {
  return DateTime.fromISO(iso, { zone: 'UTC' }).plus({ months }).toISODate()!;
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(iso: string): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  const wd = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return (wd === 0 ? 7 : wd) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/** The earlier / later of two ISO dates (they compare as strings; Math.min would turn them into NaN). */
export const earlierDate = (a: string, b: string): string => (a < b ? a : b);
export const laterDate = (a: string, b: string): string => (a > b ? a : b);

export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The clinic-local date and time of an instant. */
export function localParts(instantMs: number, zone: string): { date: string; time: string } {
  const dt = DateTime.fromMillis(instantMs, { zone });
  return { date: dt.toISODate()!, time: dt.toFormat('HH:mm') };
}

/** UTC instant of a clinic-local wall-clock time; throws on an unknown zone. */
export function wallToUtc(date: string, time: string, zone: string): number {
  const dt = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!dt.isValid) throw new Error(`invalid local time ${date} ${time} in ${zone}: ${dt.invalidReason}`);
  return dt.toMillis();
}

/** Per zone and date: the UTC instant of local midnight when the day's UTC offset holds all day, else null. */
const steadyDays = new Map<string, number | null>();
const DAY_SPAN_MS = (23 * 60 + 59) * 60_000;

/**
 * UTC instant of minute `minutes` of a clinic-local day. One zone lookup per day instead of one per
 * time (slot generation's cost was mostly this): a day without an offset change is linear from
 * midnight; a day with one (a DST switch) is looked up time by time.
 */
export function wallMinuteToUtc(date: string, minutes: number, zone: string): number {
  const key = `${zone}|${date}`;
  let midnight = steadyDays.get(key);
  if (midnight === undefined) {
    const start = wallToUtc(date, '00:00', zone);
    midnight = wallToUtc(date, '23:59', zone) - start === DAY_SPAN_MS ? start : null;
    if (steadyDays.size >= 10_000) steadyDays.clear();
    steadyDays.set(key, midnight);
  }
  return midnight === null ? wallToUtc(date, hhmmOf(minutes), zone) : midnight + minutes * 60_000;
}

export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export function hhmmOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
