import type { AppointmentStatus, RequestChannel } from '../domain/enums.js';
import { ELECTRONIC_CHANNELS } from '../domain/enums.js';
import type { PolicyProfile } from '../policy/types.js';
import { refuse, type Decision } from './decision.js';

interface Current { status: AppointmentStatus; startUtc: number; date: string }

/** R9: the patient may cancel any time; electronic channels only up to the cut-off. */
export function decideCancel(profile: PolicyProfile, a: Current, channel: RequestChannel, now: number): Decision {
  if (a.status !== 'booked') return refuse('bad_status', { status: a.status });
  const cutoff = a.startUtc - profile.electronicCancelCutoffMinutes * 60_000;
  if (ELECTRONIC_CHANNELS.includes(channel) && now > cutoff) {
    return refuse('cancel_cutoff', { minutes: profile.electronicCancelCutoffMinutes });
  }
  return { ok: true };
}

/** R18 arrival, R12 lateness: more than N minutes late → live queue. */
export function decideCheckIn(profile: PolicyProfile, a: Current, today: string, now: number): Decision<{ liveQueue: boolean }> {
  if (a.status !== 'booked') return refuse('bad_status', { status: a.status });
  if (a.date !== today) return refuse('not_today', { date: a.date });
  return { ok: true, liveQueue: now > a.startUtc + profile.liveQueueAfterMinutes * 60_000 };
}

/** A no-show can only be marked once the visit time has come. */
export function decideNoShow(a: Current, now: number): Decision {
  if (a.status !== 'booked') return refuse('bad_status', { status: a.status });
  if (now < a.startUtc) return refuse('not_started');
  return { ok: true };
}

export function decideFulfil(a: Current): Decision {
  if (a.status !== 'arrived') return refuse('bad_status', { status: a.status });
  return { ok: true };
}
