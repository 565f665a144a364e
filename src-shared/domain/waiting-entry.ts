import { z } from 'zod';
import { requestChannel } from './enums.js';
import { hhmm, id, instant, isoDate } from './primitives.js';

/**
 * The waiting list (лист ожидания, issue 21): a patient for whom no time was free, with a wish — this doctor or any
 * of the specialty, a date range, the morning or the afternoon. The server offers a freed time to the first matching
 * entry (src-shared/rules/waiting-list.ts); the entry carries its live offer, if any, and what became of earlier ones.
 */
export const WAIT_PARTS = ['any', 'morning', 'afternoon'] as const;
export const waitPart = z.enum(WAIT_PARTS);
export type WaitPart = z.infer<typeof waitPart>;

export const waitingWish = z.object({
  patientId: id,
  specialtyId: id,
  /** Null: any doctor of the specialty. */
  doctorId: id.nullable(),
  fromDate: isoDate,
  toDate: isoDate,
  part: waitPart,
  /** Where the patient asked: the registry's window or phone, the kiosk, the patient page. */
  channel: requestChannel,
});
export type WaitingWish = z.infer<typeof waitingWish>;

export const WAITING_STATUSES = ['waiting', 'offered', 'booked', 'removed', 'lapsed'] as const;
export const waitingStatus = z.enum(WAITING_STATUSES);
export type WaitingStatus = z.infer<typeof waitingStatus>;

/** A time held for this entry until `expiresAt` (server time); `via` says how the patient is told. */
export const waitingOffer = z.object({
  slotId: id,
  doctorId: id,
  date: isoDate,
  time: hhmm,
  startUtc: instant,
  offeredAt: instant,
  expiresAt: instant,
  via: z.enum(['sms', 'call']),
});
export type WaitingOffer = z.infer<typeof waitingOffer>;

export const offerOutcome = z.enum(['declined', 'expired', 'accepted', 'withdrawn']);
export type OfferOutcome = z.infer<typeof offerOutcome>;

export const waitingEntry = waitingWish.extend({
  id,
  status: waitingStatus,
  createdAt: instant,
  createdBy: id,
  deviceId: id,
  offer: waitingOffer.nullable(),
  /** Times this patient said no to, or let pass: never offered to them again. */
  passed: z.array(id).max(500),
  history: z.array(z.object({ slotId: id, offeredAt: instant, outcome: offerOutcome, at: instant })).max(500),
  appointmentId: id.nullable(),
  closedAt: instant.nullable(),
});
export type WaitingEntry = z.infer<typeof waitingEntry>;
