import type { SpecialtyAges } from '../domain/directory.js';
import type { AppointmentStatus } from '../domain/enums.js';

/** Children are seen by pediatricians until their 18th birthday (KG, KZ and RU alike). */
export const ADULT_AGE = 18;
/** Two bookings of one patient closer than this overlap: nobody is in two cabinets at once. */
const OVERLAP_MS = 30 * 60_000;

export type BookingWarning = { code: 'age_mismatch'; ages: Exclude<SpecialtyAges, 'all'> } | { code: 'same_time'; appointmentId: string };

/**
 * What the registrar is warned of before confirming — a warning, not a refusal: the rules allow
 * the booking, but it is most likely a slip (an adult to a pediatrician, a second booking at
 * the same time as one the patient already has).
 */
export function bookingWarnings(f: {
  patientAge: number;
  specialtyAges: SpecialtyAges;
  slotStartUtc: number;
  patientBookings: ReadonlyArray<{ id: string; startUtc: number; status: AppointmentStatus }>;
  /** A booking being moved does not clash with itself. */
  movingId?: string | null;
}): BookingWarning[] {
  const out: BookingWarning[] = [];
  const child = f.patientAge < ADULT_AGE;
  if ((f.specialtyAges === 'children' && !child) || (f.specialtyAges === 'adults' && child)) out.push({ code: 'age_mismatch', ages: f.specialtyAges });
  const clash = f.patientBookings.find((b) => b.id !== f.movingId && (b.status === 'booked' || b.status === 'arrived') && Math.abs(b.startUtc - f.slotStartUtc) < OVERLAP_MS);
  if (clash) out.push({ code: 'same_time', appointmentId: clash.id });
  return out;
}
