import { addDays, localParts, wallToUtc } from '../../src-shared/time/dates.js';

/**
 * The profile's quiet hours (PolicyProfile.messages): while they last no booking message goes out. Returns the
 * instant they end when `now` falls inside them (local time, the window may cross midnight), else null.
 */
export function quietUntil(now: number, zone: string, quiet: { from: string; to: string }): number | null {
  const { date, time } = localParts(now, zone);
  const crossesMidnight = quiet.from > quiet.to;
  const inside = crossesMidnight ? time >= quiet.from || time < quiet.to : time >= quiet.from && time < quiet.to;
  if (!inside) return null;
  const endDate = crossesMidnight && time >= quiet.from ? addDays(date, 1) : date;
  return wallToUtc(endDate, quiet.to, zone);
}
