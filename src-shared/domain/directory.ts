import { z } from 'zod';
import { hhmm, id, isoDate } from './primitives.js';
import { exceptionKind, profileId, slotChannel, specialtyKind } from './enums.js';

export const region = z.object({ id, name: z.string().min(1) });
export type Region = z.infer<typeof region>;

export const organization = z.object({
  id,
  regionId: id,
  name: z.string().min(1),
  address: z.string(),
  phone: z.string(),
  profileId,
  /** IANA zone; slot wall-clock times are in this zone. */
  timezone: z.string().min(1),
});
export type Organization = z.infer<typeof organization>;

/** Department or family-medicine group (ГСВ). */
export const department = z.object({ id, orgId: id, name: z.string().min(1), isFamilyGroup: z.boolean() });
export type Department = z.infer<typeof department>;

export const specialtyAges = z.enum(['all', 'children', 'adults']);
export type SpecialtyAges = z.infer<typeof specialtyAges>;

export const specialty = z.object({
  id,
  kind: specialtyKind,
  /** Russian and Kyrgyz always; Kazakh where the directory has it (a desk in Kazakh shows the Russian one otherwise). */
  name: z.object({ ru: z.string(), ky: z.string(), kk: z.string().min(1).optional() }),
  /** Whom the specialty sees (a pediatrician children, a therapist adults): booking someone else is warned about. */
  patientAges: specialtyAges.default('all'),
});
export type Specialty = z.infer<typeof specialty>;

export const cabinet = z.object({ id, orgId: id, number: z.string(), floor: z.number().int() });
export type Cabinet = z.infer<typeof cabinet>;

export const doctor = z.object({
  id,
  orgId: id,
  departmentId: id,
  specialtyId: id,
  cabinetId: id,
  fullName: z.string().min(1),
  active: z.boolean(),
});
export type Doctor = z.infer<typeof doctor>;

/** One part of a working day; the gaps between intervals are breaks. */
export const templateInterval = z.object({ from: hhmm, to: hhmm, channel: slotChannel });
export type TemplateInterval = z.infer<typeof templateInterval>;

/** Weekly pattern: ISO weekday (1 = Monday … 7 = Sunday) → intervals. */
export const scheduleTemplate = z.object({
  id,
  doctorId: id,
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  slotMinutes: z.number().int().min(5).max(120),
  week: z.record(z.string().regex(/^[1-7]$/), z.array(templateInterval)),
});
export type ScheduleTemplate = z.infer<typeof scheduleTemplate>;

export const scheduleException = z.object({
  id,
  doctorId: id,
  kind: exceptionKind,
  fromDate: isoDate,
  toDate: isoDate,
  /** For changed_hours: the day's intervals instead of the template's; for absenteeism: the hours missed. */
  intervals: z.array(templateInterval).nullable(),
  note: z.string(),
  /** For internet_quota (R7): the most of each day's bookable times the internet channel keeps, 0–1. */
  share: z.number().min(0).max(1).nullable().optional(),
});
export type ScheduleException = z.infer<typeof scheduleException>;
