import { localParts } from '../../src-shared/time/dates.js';
import { horizonEnd } from '../../src-shared/time/working-days.js';
import type { Env } from './env.js';

/** Today in the clinic's zone and the last bookable date (R1), for the current clock. */
export function clinicToday(env: Env): { now: number; today: string; horizonEnd: string } {
  const now = env.clock();
  const today = localParts(now, env.org.timezone).date;
  return { now, today, horizonEnd: horizonEnd(env.profile, today) };
}
