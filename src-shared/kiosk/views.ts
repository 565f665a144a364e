import { z } from 'zod';
import { hhmm, id, instant, isoDate } from '../domain/primitives.js';
import { appointmentStatus } from '../domain/enums.js';

/**
 * What the hall's kiosk shows a patient who identified (issue 21 part 1): their name shortened to initials, their
 * bookings from today on, and whether the electronic channels are closed to them (R10) — nothing of anyone else.
 */
export const kioskBooking = z.object({
  appointmentId: id,
  date: isoDate,
  time: hhmm,
  startUtc: instant,
  doctorName: z.string(),
  specialtyId: id,
  cabinet: z.string(),
  floor: z.number().int(),
  status: appointmentStatus,
  queueNumber: z.number().int(),
  /** Today's, not checked in yet: the kiosk checks it in (R18). */
  canCheckIn: z.boolean(),
});
export type KioskBooking = z.infer<typeof kioskBooking>;

export const kioskPatient = z.object({
  patientId: id,
  /** «Дүйшөнбиев А. Э.»: enough for the patient to see it is them, little for a stranger behind them. */
  name: z.string(),
  attached: z.boolean(),
  /** R10: the electronic channels — the kiosk among them — are closed until this date; the registry books them. */
  blockedUntil: isoDate.nullable(),
  bookings: z.array(kioskBooking),
});
export type KioskPatient = z.infer<typeof kioskPatient>;

/** A time the kiosk offers: the earliest free ones of a specialty the kiosk may book (its share of the internet times). */
export const kioskTime = z.object({ slotId: id, date: isoDate, time: hhmm, doctorName: z.string(), cabinet: z.string() });
export type KioskTime = z.infer<typeof kioskTime>;

/** How a check-in went: in time, or more than 15 minutes late — the live queue (R12), said plainly. */
export const kioskCheckIn = z.object({ liveQueue: z.boolean(), queueNumber: z.number().int(), cabinet: z.string(), floor: z.number().int(), time: hhmm });

/** "Surname I. O." from a full name. */
export function initials(fullName: string): string {
  const [surname, ...rest] = fullName.trim().split(/\s+/);
  return [surname, ...rest.map((p) => `${p[0]!.toUpperCase()}.`)].join(' ');
}

/** The digits of a national ID in what a scanner or the keypad gave (an ID card's or policy's barcode carries more). */
export function nationalIdIn(code: string, lengths: readonly number[]): string | null {
  for (const run of code.match(/\d+/g) ?? []) if (lengths.includes(run.length)) return run;
  return null;
}
