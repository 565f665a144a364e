import { z } from 'zod';
import { cabinet, department, doctor, organization, region, scheduleException, scheduleTemplate, specialty } from '../domain/directory.js';
import { patient, referral } from '../domain/patient.js';

/**
 * The directory an operator loads into the sync server (`npm run server -- import FILE`):
 * regions, specialties, and per organization its departments, cabinets, doctors,
 * schedules, attached patients and referrals. Desks receive it by pull.
 */
export const orgDirectory = z.object({
  organization,
  departments: z.array(department),
  cabinets: z.array(cabinet),
  doctors: z.array(doctor),
  templates: z.array(scheduleTemplate),
  exceptions: z.array(scheduleException),
  patients: z.array(patient),
  referrals: z.array(referral),
});
export type OrgDirectory = z.infer<typeof orgDirectory>;

export const directoryFile = z.object({
  format: z.literal('kezek-directory/1'),
  regions: z.array(region),
  specialties: z.array(specialty),
  organizations: z.array(orgDirectory),
});
export type DirectoryFile = z.infer<typeof directoryFile>;

/** Entity names in org_rows / the change log, and where each list lives in the file. */
export const ORG_ENTITIES = {
  department: 'departments',
  cabinet: 'cabinets',
  doctor: 'doctors',
  template: 'templates',
  exception: 'exceptions',
  patient: 'patients',
  referral: 'referrals',
} as const satisfies Record<string, keyof OrgDirectory>;
