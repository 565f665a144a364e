import { internetReleasedThrough } from '../../src-shared/rules/internet-release.js';
import { localParts } from '../../src-shared/time/dates.js';
import { horizonEnd } from '../../src-shared/time/working-days.js';
import type { Env } from './env.js';

/**
 * Today in the clinic's zone, the last bookable date (R1), and the last date whose internet-share times are the
 * registry's already (R7's release), for the current clock.
 */
export function clinicToday(env: Env): { now: number; today: string; horizonEnd: string; releasedThrough: string } {
  const now = env.clock();
  const today = localParts(now, env.org.timezone).date;
  return { now, today, horizonEnd: horizonEnd(env.profile, today), releasedThrough: internetReleasedThrough(env.profile, now, env.org.timezone) };
}
