import type { WaitingEntry, WaitingStatus, WaitingWish, WaitPart } from '../domain/waiting-entry.js';
import type { PolicyProfile } from '../policy/types.js';

/**
 * The waiting list's rules (issue 21), one definition for desk and server: what a wish may ask, which time fits it,
 * how long an offer holds, who is offered a freed time first, and what an entry may still become. The server alone
 * makes offers (sync-server/waiting/offers.ts); a desk only predicts what the server will say of an entry.
 */

/** Where the morning ends, by the clinic's local time: 08:00–12:59 is the morning shift of every seed's schedules. */
export const AFTERNOON_FROM = '13:00';

export const dayPart = (time: string): Exclude<WaitPart, 'any'> => (time < AFTERNOON_FROM ? 'morning' : 'afternoon');

export type WishRefusal = 'unknown_patient' | 'specialty_not_offered' | 'doctor_not_of_specialty' | 'wish_dates' | 'beyond_horizon' | 'already_waiting';

/** Whether a wish can go on the list: a known patient and specialty, the doctor of that specialty, dates from today within the horizon, not twice. */
export function decideWish(
  wish: WaitingWish,
  facts: { today: string; horizonEnd: string; patientKnown: boolean; specialtyKnown: boolean; doctorSpecialtyId: string | null | undefined; alreadyWaiting: boolean },
): { ok: true } | { ok: false; code: WishRefusal } {
  if (!facts.patientKnown) return { ok: false, code: 'unknown_patient' };
  if (!facts.specialtyKnown) return { ok: false, code: 'specialty_not_offered' };
  if (wish.doctorId !== null && facts.doctorSpecialtyId !== wish.specialtyId) return { ok: false, code: 'doctor_not_of_specialty' };
  if (wish.fromDate < facts.today || wish.toDate < wish.fromDate) return { ok: false, code: 'wish_dates' };
  if (wish.fromDate > facts.horizonEnd) return { ok: false, code: 'beyond_horizon' };
  // One live entry per patient and specialty: a second would be offered a second time for the same need.
  if (facts.alreadyWaiting) return { ok: false, code: 'already_waiting' };
  return { ok: true };
}

/** A time the wish would take: the specialty, the doctor if named, a day of the range, the part of the day. */
export function wishMatches(
  wish: Pick<WaitingWish, 'specialtyId' | 'doctorId' | 'fromDate' | 'toDate' | 'part'>,
  slot: { doctorId: string; specialtyId: string; date: string; time: string },
): boolean {
  if (slot.specialtyId !== wish.specialtyId) return false;
  if (wish.doctorId !== null && slot.doctorId !== wish.doctorId) return false;
  if (slot.date < wish.fromDate || slot.date > wish.toDate) return false;
  return wish.part === 'any' || dayPart(slot.time) === wish.part;
}

/**
 * Until when an offer made at `now` holds a time starting at `startUtc`: the profile's hold, but never later than
 * its lead before the visit (the patient must still be able to come); null when less than a quarter of an hour would be left to answer.
 */
export function offerExpiry(profile: PolicyProfile, now: number, startUtc: number): number | null {
  const w = profile.waitingList;
  const until = Math.min(now + w.offerHoldMinutes * 60_000, startUtc - w.leadMinutes * 60_000);
  return until - now >= 15 * 60_000 ? until : null;
}

/** First come, first offered: the order of the list. */
export const listOrder = (a: Pick<WaitingEntry, 'createdAt' | 'id'>, b: Pick<WaitingEntry, 'createdAt' | 'id'>): number => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A time that could be offered. */
export interface OfferCandidate {
  slotId: string;
  doctorId: string;
  specialtyId: string;
  date: string;
  time: string;
  startUtc: number;
}

/**
 * Who is offered which time: entries in list order, each the earliest time that fits its wish, that it has not passed
 * on, and that `fits` (the booking rules, the channel) — each time to one entry only. `candidates` in time order.
 */
export function assignOffers<C extends OfferCandidate>(
  entries: readonly Pick<WaitingEntry, 'id' | 'createdAt' | 'specialtyId' | 'doctorId' | 'fromDate' | 'toDate' | 'part' | 'passed'>[],
  candidates: readonly C[],
  fits: (entryId: string, c: C) => boolean = () => true,
): Map<string, C> {
  const out = new Map<string, C>();
  const given = new Set<string>();
  for (const e of [...entries].sort(listOrder)) {
    const passed = new Set(e.passed);
    const c = candidates.find((x) => !given.has(x.slotId) && !passed.has(x.slotId) && wishMatches(e, x) && fits(e.id, x));
    if (!c) continue;
    given.add(c.slotId);
    out.set(e.id, c);
  }
  return out;
}

/** The entries still in the running: waiting for a time, or holding one. */
export const LIVE_WAITING: readonly WaitingStatus[] = ['waiting', 'offered'];
export const isLive = (s: WaitingStatus): boolean => LIVE_WAITING.includes(s);

/** The patient's answer to an offer: only the live offer of a live entry, for the time it names. */
export function decideAnswer(e: Pick<WaitingEntry, 'status' | 'offer'>, slotId: string, now: number): { ok: true } | { ok: false; code: 'offer_gone' } {
  if (e.status !== 'offered' || !e.offer || e.offer.slotId !== slotId || e.offer.expiresAt <= now) return { ok: false, code: 'offer_gone' };
  return { ok: true };
}

/** Taking a patient off the list: while they still wait or hold an offer. */
export const canRemove = (s: WaitingStatus): boolean => isLive(s);
