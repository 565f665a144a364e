import { z } from 'zod';
import { id, instant, isoDate } from './primitives.js';

/** R24 (001 portal walkthrough): a home visit the patient asked for, for the area's doctor. */
export const homeVisitStatus = z.enum(['open', 'done', 'cancelled']);
export type HomeVisitStatus = z.infer<typeof homeVisitStatus>;

export const homeVisit = z.object({
  id,
  patientId: id,
  doctorId: id,
  date: isoDate,
  address: z.string().trim().min(3).max(300),
  reason: z.string().trim().min(2).max(300),
  callbackPhone: z.string().trim().max(40),
  status: homeVisitStatus,
  createdAt: instant,
  createdBy: id,
  deviceId: id,
});
export type HomeVisit = z.infer<typeof homeVisit>;

/** What the registrar takes down on the phone. */
export const homeVisitRequest = homeVisit.pick({ patientId: true, doctorId: true, date: true, address: true, reason: true, callbackPhone: true });
export type HomeVisitRequest = z.infer<typeof homeVisitRequest>;
