import { z } from 'zod';
import { registerResult } from '../domain/appointment.js';
import { requestChannel } from '../domain/enums.js';
import { id, isoDate } from '../domain/primitives.js';

/** A report's period and narrowing: at most a year, any doctor or specialty of the clinic. */
export const reportFilter = z
  .object({ from: isoDate, to: isoDate, doctorId: id.optional(), specialtyId: id.optional() })
  .refine((f) => f.from <= f.to, { message: 'from ≤ to', path: ['to'] })
  .refine((f) => Date.parse(f.to) - Date.parse(f.from) <= 366 * 86_400_000, { message: 'at most a year', path: ['to'] });
export type ReportFilter = z.infer<typeof reportFilter>;

/** What the head of registry reads for a period (issue 11): each part from the desk's replica of the whole clinic. */
export const report = z.object({
  from: isoDate,
  to: isoDate,
  /** R15: requests of the register by channel and what came of them. */
  requests: z.array(z.object({ channel: requestChannel, result: registerResult, n: z.number().int() })),
  /** R3, R15: refusals (closed-list grounds) and declines (a rule) by reason. */
  refusals: z.array(z.object({ result: z.enum(['refused', 'declined']), reason: z.string(), rule: z.string().nullable(), n: z.number().int() })),
  /** Per doctor: bookings for the period, no-shows, cancellations (moves aside), late arrivals served in the live queue (R12, R22). */
  attendance: z.array(z.object({ doctorId: id, booked: z.number().int(), noShows: z.number().int(), cancelled: z.number().int(), late: z.number().int() })),
  /** Per doctor: booked times ÷ bookable times of the schedule over the period. */
  occupancy: z.array(z.object({ doctorId: id, bookable: z.number().int(), booked: z.number().int() })),
  /** Per specialty, today: days to the earliest free registry time (null: none up to the horizon). */
  earliest: z.array(z.object({ specialtyId: id, date: isoDate.nullable(), days: z.number().int().nullable() })),
  /**
   * Per specialty, the waiting list (issue 21) of patients put on it in the period: how many, how many got a time from
   * it, the median hours from being put on it to the booking, how many were taken off or outlived their dates, and how
   * many still wait.
   */
  waiting: z.array(
    z.object({
      specialtyId: id,
      added: z.number().int(),
      booked: z.number().int(),
      medianHours: z.number().nullable(),
      closed: z.number().int(),
      open: z.number().int(),
    }),
  ),
  /** The day the earliest-time figures are counted from, and the horizon they look up to. */
  today: isoDate,
  horizonEnd: isoDate,
});
export type Report = z.infer<typeof report>;
