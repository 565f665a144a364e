import { z } from 'zod';
import type { Patient } from '../domain/patient.js';
import { nationalIdKind, sex } from '../domain/enums.js';
import { id, isoDate } from '../domain/primitives.js';
import { checkNationalId } from '../ids/index.js';
import type { PolicyProfile } from '../policy/types.js';
import { ageOn } from '../time/dates.js';
import { refuse, type Decision } from './decision.js';

/** R16: what the registrar types for a new patient (the rest is derived or starts empty). */
export const newPatient = z.object({
  nationalId: z.string().trim().min(1).max(32),
  nationalIdKind,
  fullName: z
    .string()
    .trim()
    .min(3)
    .max(200)
    .transform((s) => s.replace(/\s+/g, ' ')),
  birthDate: isoDate,
  sex,
  address: z.string().trim().max(300).default(''),
  phone: z.string().trim().max(40).default(''),
  /** Attach to this organization's ГСВ (and its family doctor), where the patient applies for it. */
  attach: z.object({ departmentId: id, doctorId: id.nullable() }).nullable().default(null),
});
export type NewPatient = z.infer<typeof newPatient>;

/**
 * A patient's id follows from their national ID: two desks that register the same person
 * offline make the same record, which the server merges, never two people.
 */
export const patientIdFor = (kind: string, normalizedId: string): string => `p-${kind.toLowerCase()}-${normalizedId}`;

/** What the directory must hold for the attachment to be valid (desk and server pass their own). */
export interface AttachTargets {
  orgId: string;
  hasDepartment(id: string): boolean;
  /** The doctor's department, if the doctor works here and is active. */
  doctorDepartment(id: string): string | null;
}

/**
 * R16: check a new patient by the profile's rules — the ID kind is one the country uses and
 * the number is valid; where the ID encodes birth date and sex (KG PIN, KZ IIN) they agree
 * with what was typed; the attachment names a ГСВ of this organization and one of its
 * doctors. Desk and server run this same check.
 */
export function decideNewPatient(profile: PolicyProfile, p: NewPatient, today: string, targets: AttachTargets): Decision<{ patient: Omit<Patient, 'id'> & { id: string } }> {
  if (!profile.nationalIdKinds.includes(p.nationalIdKind)) return refuse('id_kind_not_used');
  const check = checkNationalId(p.nationalIdKind, p.nationalId, profile, today);
  if (!check.ok) return refuse(check.error);
  if ((check.birthDate && check.birthDate !== p.birthDate) || (check.sex && check.sex !== p.sex)) return refuse('id_mismatch');
  if (p.birthDate > today) return refuse('id_date');
  if (ageOn(p.birthDate, today) > profile.maxPatientAgeYears) return refuse('birth_date_implausible', { years: profile.maxPatientAgeYears });
  const contacts = decideContacts(p);
  if (!contacts.ok) return contacts;
  if (p.attach) {
    if (!targets.hasDepartment(p.attach.departmentId)) return refuse('unknown_department');
    if (p.attach.doctorId && targets.doctorDepartment(p.attach.doctorId) !== p.attach.departmentId) return refuse('unknown_department');
  }
  return {
    ok: true,
    patient: {
      id: patientIdFor(p.nationalIdKind, check.normalized),
      nationalId: check.normalized,
      nationalIdKind: p.nationalIdKind,
      fullName: p.fullName,
      birthDate: p.birthDate,
      sex: p.sex,
      address: p.address,
      phone: p.phone,
      attachment: p.attach ? { orgId: targets.orgId, departmentId: p.attach.departmentId, doctorId: p.attach.doctorId, since: today } : null,
      dispensarySpecialtyIds: [],
      priority: false,
    },
  };
}

/** R16: the contact details a registrar corrects. */
export const patientContacts = z.object({ phone: z.string().trim().max(40), address: z.string().trim().max(300) });
const checkPhone = (phone: string): boolean => phone === '' || /^\+?[\d\s()-]{9,20}$/.test(phone);

/**
 * R16: a phone and an address as a patient's record keeps them — when registered and whenever corrected,
 * one rule on desk and server (issue 19 finding 2): the phone a number or nothing, the address printable
 * (no line breaks or control characters, which would break the ticket and the lists).
 */
export function decideContacts(c: { phone: string; address: string }): Decision {
  if (!checkPhone(c.phone)) return refuse('phone_format');
  if (/\p{Cc}/u.test(c.address)) return refuse('address_format');
  return { ok: true };
}
