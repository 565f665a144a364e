import type { RequestChannel, SlotChannel } from '../domain/enums.js';
import type { PolicyProfile } from '../policy/types.js';
import { addDays, localParts } from '../time/dates.js';

/**
 * R7's internet share belongs to the patients' own channels until the profile's release (PolicyProfile.internetRelease):
 * then the times nobody took go back to the registry. The last date whose internet times are released at `now`, in
 * the clinic's time zone — with the default (the day before, 18:00) tomorrow's from 18:00 today, today's all day.
 */
export function internetReleasedThrough(profile: PolicyProfile, now: number, timezone: string): string {
  const { date, time } = localParts(now, timezone);
  const r = profile.internetRelease;
  return addDays(date, time >= r.at ? r.daysBefore : r.daysBefore - 1);
}

/** Whether a request channel may take a time of this slot channel on this date (R7, R13, R21 and the release). */
export function slotOpenTo(profile: PolicyProfile, slot: { channel: SlotChannel; date: string }, channel: RequestChannel, releasedThrough: string): boolean {
  if (profile.slotAccess[slot.channel].includes(channel)) return true;
  return slot.channel === 'internet' && profile.internetRelease.to.includes(channel) && slot.date <= releasedThrough;
}
