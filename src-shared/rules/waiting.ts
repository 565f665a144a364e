import type { AppointmentStatus } from '../domain/enums.js';
import type { PolicyProfile } from '../policy/types.js';

/**
 * R22 (001 order 2.3): a patient waits at most `maxWaitMinutes` past the appointed time. For a
 * checked-in patient not yet seen, the minutes since the appointed time once they pass the limit,
 * else null. Not for the live queue (R12): who came too late has no appointed time left to keep.
 */
export function overdueWaitMinutes(profile: PolicyProfile, a: { status: AppointmentStatus; startUtc: number; liveQueue: boolean }, now: number): number | null {
  if (a.status !== 'arrived' || a.liveQueue) return null;
  const waited = Math.floor((now - a.startUtc) / 60_000);
  return waited > profile.maxWaitMinutes ? waited : null;
}
