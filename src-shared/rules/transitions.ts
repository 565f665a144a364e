import type { AppointmentStatus, RequestChannel } from '../domain/enums.js';
import { ELECTRONIC_CHANNELS } from '../domain/enums.js';
import type { PolicyProfile } from '../policy/types.js';
import { refuse, type Decision } from './decision.js';

/** The status machine of a booking: each op, the one status it starts from and the one it leads to. Desk and server read this table. */
export const STATUS_CHANGES = {
  'appointments.cancel': { from: 'booked', to: 'cancelled' },
  'appointments.checkIn': { from: 'booked', to: 'arrived' },
  'appointments.noShow': { from: 'booked', to: 'noshow' },
  'appointments.fulfil': { from: 'arrived', to: 'fulfilled' },
  'appointments.restore': { from: 'cancelled', to: 'booked' },
} as const satisfies Record<string, { from: AppointmentStatus; to: AppointmentStatus }>;
export type StatusOp = keyof typeof STATUS_CHANGES;

interface Current {
  status: AppointmentStatus;
  startUtc: number;
  date: string;
  /** When it was last changed — for a cancelled booking, when it was cancelled. */
  updatedAt?: number | null;
}

/** A cancellation can be taken back this long after it was made: a registrar's slip, not a new booking. */
export const UNDO_CANCEL_MINUTES = 5;

const from = (op: StatusOp, a: Current): Decision<never> | null => (a.status === STATUS_CHANGES[op].from ? null : refuse('bad_status', { status: a.status }));

/** R9: the patient may cancel any time; electronic channels only up to the cut-off. */
export function decideCancel(profile: PolicyProfile, a: Current, channel: RequestChannel, now: number): Decision {
  const bad = from('appointments.cancel', a);
  if (bad) return bad;
  const cutoff = a.startUtc - profile.electronicCancelCutoffMinutes * 60_000;
  if (ELECTRONIC_CHANNELS.includes(channel) && now > cutoff) {
    return refuse('cancel_cutoff', { minutes: profile.electronicCancelCutoffMinutes });
  }
  return { ok: true };
}

/** R18 arrival, R12 lateness: more than N minutes late → live queue. */
export function decideCheckIn(profile: PolicyProfile, a: Current, today: string, now: number): Decision<{ liveQueue: boolean }> {
  const bad = from('appointments.checkIn', a);
  if (bad) return bad;
  if (a.date !== today) return refuse('not_today', { date: a.date });
  return { ok: true, liveQueue: now > a.startUtc + profile.liveQueueAfterMinutes * 60_000 };
}

/** A no-show can only be marked once the visit time has come. */
export function decideNoShow(a: Current, now: number): Decision {
  return from('appointments.noShow', a) ?? (now < a.startUtc ? refuse('not_started') : { ok: true });
}

export function decideFulfil(a: Current): Decision {
  return from('appointments.fulfil', a) ?? { ok: true };
}

/**
 * Undo a cancellation: within UNDO_CANCEL_MINUTES, before the visit. Whether the time is still
 * free (nobody booked it since, no other desk holds it) is the slot guard's to say, as for a booking.
 */
export function decideRestore(a: Current, now: number): Decision {
  const bad = from('appointments.restore', a);
  if (bad) return bad;
  if (a.updatedAt == null || now - a.updatedAt > UNDO_CANCEL_MINUTES * 60_000) return refuse('undo_expired', { minutes: UNDO_CANCEL_MINUTES });
  if (now >= a.startUtc) return refuse('slot_in_past');
  return { ok: true };
}

/** Any status change by its op name: what the server runs on every pushed status op. */
export function decideStatusChange(op: StatusOp, profile: PolicyProfile, a: Current, at: { now: number; today: string; channel: RequestChannel }): Decision<{ liveQueue?: boolean }> {
  switch (op) {
    case 'appointments.cancel':
      return decideCancel(profile, a, at.channel, at.now);
    case 'appointments.checkIn':
      return decideCheckIn(profile, a, at.today, at.now);
    case 'appointments.noShow':
      return decideNoShow(a, at.now);
    case 'appointments.fulfil':
      return decideFulfil(a);
    case 'appointments.restore':
      return decideRestore(a, at.now);
  }
}
