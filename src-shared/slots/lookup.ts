import type { Slot } from '../domain/appointment.js';
import type { ScheduleException, ScheduleTemplate } from '../domain/directory.js';
import type { PolicyProfile } from '../policy/types.js';
import { generateDoctorSlots } from './generate.js';

/** A slot id's parts (`doctorId@YYYY-MM-DDTHH:MM`), or null when it is not one. */
export function parseSlotId(id: string): { doctorId: string; date: string; time: string } | null {
  const m = /^(.+)@(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(id);
  return m ? { doctorId: m[1]!, date: m[2]!, time: m[3]! } : null;
}

/**
 * The slot an id names, generated from the doctor's schedule exactly as every desk generates
 * it — or null when the doctor has no such time (a wrong id, a day off, another clinic's doctor).
 */
export function findSlot(id: string, schedule: {
  doctorSpecialtyId: string;
  templates: readonly ScheduleTemplate[];
  exceptions: readonly ScheduleException[];
  profile: PolicyProfile;
  timezone: string;
}): Slot | null {
  const parts = parseSlotId(id);
  if (!parts) return null;
  for (const template of schedule.templates) {
    const found = generateDoctorSlots({ template, exceptions: schedule.exceptions, specialtyId: schedule.doctorSpecialtyId, dates: [parts.date], profile: schedule.profile, timezone: schedule.timezone })
      .find((s) => s.id === id);
    if (found) return found;
  }
  return null;
}
