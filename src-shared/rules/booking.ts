import type { AppointmentStatus, RequestChannel, Role, SlotChannel, SpecialtyKind } from '../domain/enums.js';
import { ELECTRONIC_CHANNELS } from '../domain/enums.js';
import type { PolicyProfile } from '../policy/types.js';
import { slotOpenTo } from './internet-release.js';
import { refuse, type Decision } from './decision.js';

export interface PastVisit {
  startUtc: number;
  status: AppointmentStatus;
}

export interface BookingFacts {
  profile: PolicyProfile;
  now: number;
  horizonEnd: string;
  /** The last date whose internet-share times are released to the registry now (internet-release.ts). */
  releasedThrough: string;
  orgId: string;
  patient: { attachedOrgId: string | null; dispensarySpecialtyIds: readonly string[]; priority: boolean };
  slot: { date: string; startUtc: number; channel: SlotChannel; blocked: boolean; taken: boolean; specialtyId: string };
  specialtyKind: SpecialtyKind;
  channel: RequestChannel;
  /** The channels this booking may claim, from the role and the PC (see channels.ts) — never the request's word. */
  allowedChannels: readonly RequestChannel[];
  actor: { role: Role; doctorSpecialtyId: string | null };
  /** A usable referral to the slot's specialty, if the patient has one. */
  hasReferral: boolean;
  /** Booked as a preventive examination (R5 exemption). */
  preventive: boolean;
  /** The patient's earlier visits, any order. */
  history: readonly PastVisit[];
  /** The patient's active bookings of this specialty on the slot's date. */
  sameSpecialtySameDay: number;
}

const DAY = 86_400_000;
const isElectronic = (c: RequestChannel) => ELECTRONIC_CHANNELS.includes(c);

/** R10: the instant until which electronic channels stay blocked, or null. */
export function noShowBlockedUntil(profile: PolicyProfile, history: readonly PastVisit[], now: number): number | null {
  const { inARow, withinDays, blockDays } = profile.noShowBlock;
  const outcomes = history
    .filter((v) => v.startUtc < now && (v.status === 'noshow' || v.status === 'arrived' || v.status === 'fulfilled'))
    .sort((a, b) => b.startUtc - a.startUtc)
    .slice(0, inARow);
  if (outcomes.length < inARow || outcomes.some((v) => v.status !== 'noshow')) return null;
  const newest = outcomes[0]!.startUtc;
  const oldest = outcomes[outcomes.length - 1]!.startUtc;
  if (newest - oldest > withinDays * DAY) return null;
  const until = newest + blockDays * DAY;
  return now < until ? until : null;
}

/** What R5 looks at: the specialty, the patient's dispensary observation, and how and by whom it is booked. */
export type ReferralFacts = Pick<BookingFacts, 'profile' | 'specialtyKind' | 'preventive' | 'channel' | 'actor'> & {
  patient: Pick<BookingFacts['patient'], 'dispensarySpecialtyIds'>;
  slot: Pick<BookingFacts['slot'], 'specialtyId'>;
};

/** R5: does this booking need a family doctor's referral? */
export function needsReferral(f: ReferralFacts): boolean {
  const r = f.profile.referral;
  if (f.specialtyKind !== 'narrow' || !r.requiredForNarrow) return false;
  if (r.exemptDispensary && f.patient.dispensarySpecialtyIds.includes(f.slot.specialtyId)) return false;
  if (r.exemptPreventive && f.preventive) return false;
  if (r.exemptDoctorRepeat && f.channel === 'doctor' && f.actor.role === 'doctor' && f.actor.doctorSpecialtyId === f.slot.specialtyId) return false;
  return true;
}

/** Decide a booking. Slot facts first (they are input errors), then the clinic's rules. */
export function decideBooking(f: BookingFacts): Decision {
  if (!f.allowedChannels.includes(f.channel)) return refuse('channel_not_allowed', { channel: f.channel });
  if (f.slot.startUtc <= f.now) return refuse('slot_in_past');
  if (f.slot.date > f.horizonEnd) return refuse('beyond_horizon', { horizonEnd: f.horizonEnd });
  if (f.slot.blocked) return refuse('slot_blocked');
  if (f.slot.taken) return refuse('slot_taken');
  if (f.patient.attachedOrgId !== f.orgId) return refuse('not_attached');
  if (!slotOpenTo(f.profile, f.slot, f.channel, f.releasedThrough) || (f.slot.channel === 'priority' && !f.patient.priority)) {
    return refuse('slot_channel', { slotChannel: f.slot.channel });
  }
  if (needsReferral(f) && !f.hasReferral) return refuse('referral_required');
  if (isElectronic(f.channel)) {
    const until = noShowBlockedUntil(f.profile, f.history, f.now);
    if (until !== null) return refuse('noshow_blocked', { until: new Date(until).toISOString().slice(0, 10) });
    const limit = f.profile.electronicPerSpecialtyPerDay;
    if (limit > 0 && f.sameSpecialtySameDay >= limit) return refuse('electronic_daily_limit');
  }
  return { ok: true };
}
