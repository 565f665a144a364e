import { z } from 'zod';
import { id, instant, isoDate } from './primitives.js';
import { nationalIdKind, sex } from './enums.js';

export const attachment = z.object({
  orgId: id,
  departmentId: id,
  /** The family doctor of the patient's участок. */
  doctorId: id.nullable(),
  since: isoDate,
});
export type Attachment = z.infer<typeof attachment>;

/** R16: full name, address, birth date, sex, national ID, phone. */
export const patient = z.object({
  id,
  nationalId: z.string().min(1),
  nationalIdKind,
  fullName: z.string().min(1),
  birthDate: isoDate,
  sex,
  address: z.string(),
  phone: z.string(),
  attachment: attachment.nullable(),
  /** Specialties that keep this patient under dispensary observation (R5 exemption). */
  dispensarySpecialtyIds: z.array(id),
  /** Entitled to priority windows (R13). */
  priority: z.boolean(),
});
export type Patient = z.infer<typeof patient>;

/** A family doctor's referral to a narrow specialist (FHIR ServiceRequest, R5). */
export const referral = z.object({
  id,
  patientId: id,
  specialtyId: id,
  issuedByDoctorId: id,
  issuedAt: instant,
  validUntil: isoDate,
  usedByAppointmentId: id.nullable(),
});
export type Referral = z.infer<typeof referral>;
