import { z } from 'zod';
import { hhmm, id, instant, isoDate } from './primitives.js';
import { appointmentStatus, requestChannel, role, slotChannel } from './enums.js';

export const slot = z.object({
  /** Deterministic: doctor + local start, so every device derives the same ID. */
  id,
  doctorId: id,
  specialtyId: id,
  date: isoDate,
  time: hhmm,
  startUtc: instant,
  endUtc: instant,
  channel: slotChannel,
  blocked: z.boolean(),
  appointmentId: id.nullable(),
});
export type Slot = z.infer<typeof slot>;

/** R14 (004 App. 3 item 7): the reason for the visit, as the paper ticket lists it. */
export const visitReason = z.enum(['illness', 'checkup', 'vaccination', 'certificate', 'other']);
export type VisitReason = z.infer<typeof visitReason>;

export const appointment = z.object({
  id,
  orgId: id,
  patientId: id,
  slotId: id,
  doctorId: id,
  specialtyId: id,
  date: isoDate,
  time: hhmm,
  startUtc: instant,
  status: appointmentStatus,
  channel: requestChannel,
  referralId: id.nullable(),
  /** "Moved" is a cancel plus a new booking that points at the one it replaces. */
  replacesId: id.nullable(),
  ticketCode: z.string(),
  queueNumber: z.number().int().positive(),
  liveQueue: z.boolean(),
  createdAt: instant,
  createdBy: id,
  deviceId: id,
  visitReason: visitReason.default('illness'),
});
export type Appointment = z.infer<typeof appointment>;

/** R14: what the ticket (талон) shows. */
export const ticket = z.object({
  appointmentId: id,
  code: z.string(),
  queueNumber: z.number().int(),
  organization: z.string(),
  department: z.string(),
  address: z.string(),
  doctorName: z.string(),
  specialty: z.object({ ru: z.string(), ky: z.string(), kk: z.string().optional() }),
  cabinet: z.string(),
  floor: z.number().int(),
  date: isoDate,
  time: hhmm,
  patientName: z.string(),
  patientIdMasked: z.string(),
  /** R14 (004 App. 3 item 6): child 0–14 inclusive, adult from 15, on the day of the visit. */
  ageGroup: z.enum(['child', 'adult']),
  visitReason,
  issuedAt: instant,
  status: appointmentStatus,
  /** Booked offline outside the desk's lease and not yet confirmed by the server: the ticket says so. */
  tentative: z.boolean(),
});
export type Ticket = z.infer<typeof ticket>;

export const registerResult = z.enum(['booked', 'refused', 'declined', 'cancelled', 'moved', 'out_of_schedule', 'home_visit', 'waiting_list']);

/** R6 (000 §3; 001 §2): where an emergency goes without a booking — recorded as "out of schedule". */
export const emergencyDestination = z.enum(['pre_doctor_room', 'duty_doctor']);
export type EmergencyDestination = z.infer<typeof emergencyDestination>;
export type RegisterResult = z.infer<typeof registerResult>;

/** R15: one row of the register of requests. */
export const registerEntry = z.object({
  id,
  at: instant,
  patientId: id.nullable(),
  applicant: z.string(),
  specialtyId: id.nullable(),
  doctorId: id.nullable(),
  channel: requestChannel,
  /**
   * `out_of_schedule`: an emergency sent on without a booking (R6); `reason` says where to.
   * `refused`: a refusal on one of the profile's closed grounds (R3), named in `reason`.
   * `declined`: the request could not be met as asked (no referral, reserved time, a late
   * cancellation…) — no legal refusal, the rule that decided is in `rule`.
   */
  result: registerResult,
  reason: z.string().nullable(),
  /** The rule that decided an automatic refusal or decline (a refusal code); null for a registrar's own. */
  rule: z.string().nullable().default(null),
  appointmentId: id.nullable(),
  appointedAt: instant.nullable(),
  tookPlace: z.boolean().nullable(),
  userId: id,
  deviceId: id,
});
export type RegisterEntry = z.infer<typeof registerEntry>;

export const callTask = z.object({
  id,
  kind: z.enum(['call_patient']),
  patientId: id,
  appointmentId: id.nullable(),
  reason: z.string(),
  status: z.enum(['open', 'reached', 'unreachable', 'rebooked']),
  createdAt: instant,
});
export type CallTask = z.infer<typeof callTask>;

export const auditEntry = z.object({
  id,
  at: instant,
  userId: id,
  deviceId: id,
  action: z.string(),
  entity: z.string(),
  entityId: id,
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const user = z.object({ id, username: z.string(), fullName: z.string(), role, doctorId: id.nullable() });
export type User = z.infer<typeof user>;
