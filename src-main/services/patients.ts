import type { Patient } from '../../src-shared/domain/patient.js';
import { checkNationalId, guessIdKind } from '../../src-shared/ids/index.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { PatientCard, PatientSummary } from '../../src-shared/rpc/views.js';
import { noShowBlockedUntil, type PastVisit } from '../../src-shared/rules/booking.js';
import { ageOn } from '../../src-shared/time/dates.js';
import { stmt } from '../db/stmt.js';
import { listAppointments } from './appointment-views.js';
import { clinicToday } from './clinic-time.js';
import type { Env } from './env.js';

/** Name search key: lower case, ё→е, single spaces — how registrars type names. */
export const nameKey = (name: string): string => name.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
/** Phone search key: the last 9 digits (the subscriber number without +996 / 8 / 0 prefixes). */
export const phoneKey = (phone: string): string => phone.replace(/\D/g, '').slice(-9);

const SUMMARY = `SELECT id, national_id AS nationalId, full_name AS fullName, birth_date AS birthDate, phone,
  (attached_org_id IS NOT NULL AND attached_org_id = ?) AS attached FROM patients`;

type SummaryRow = Omit<PatientSummary, 'attached'> & { attached: number };
const summary = (r: SummaryRow): PatientSummary => ({ ...r, attached: r.attached === 1 });

/** Find by national ID (exact), phone (last 9 digits) or name prefix; a malformed ID is an error, not "not found". */
export function findPatients(env: Env, query: string): PatientSummary[] {
  const s = env.db.sqlite;
  const compact = query.replace(/[\s\-()+]/g, '');
  if (/^\d+$/.test(compact)) {
    const kind = guessIdKind(compact, env.profile);
    if (kind) {
      const check = checkNationalId(kind, compact, env.profile, clinicToday(env).today);
      if (!check.ok) throw new AppError(check.error);
      return (stmt(s, `${SUMMARY} WHERE national_id = ?`).all(env.org.id, check.normalized) as SummaryRow[]).map(summary);
    }
    if (compact.length >= 9) return (stmt(s, `${SUMMARY} WHERE phone_key = ? LIMIT 20`).all(env.org.id, phoneKey(compact)) as SummaryRow[]).map(summary);
    throw new AppError('id_format');
  }
  const key = nameKey(query);
  return (stmt(s, `${SUMMARY} WHERE name_key >= ? AND name_key < ? ORDER BY name_key LIMIT 20`).all(env.org.id, key, `${key}\uffff`) as SummaryRow[]).map(summary);
}

type PatientRow = Omit<Patient, 'attachment' | 'dispensarySpecialtyIds' | 'priority'> & {
  attachedOrgId: string | null;
  attachedDepartmentId: string | null;
  attachedDoctorId: string | null;
  attachedSince: string | null;
  priority: number;
};

export function loadPatient(env: Env, patientId: string): Patient | undefined {
  const s = env.db.sqlite;
  const r = stmt(
    s,
    `SELECT id, national_id AS nationalId, national_id_kind AS nationalIdKind, full_name AS fullName, birth_date AS birthDate,
      sex, address, phone, attached_org_id AS attachedOrgId, attached_department_id AS attachedDepartmentId,
      attached_doctor_id AS attachedDoctorId, attached_since AS attachedSince, priority FROM patients WHERE id = ?`,
  ).get(patientId) as PatientRow | undefined;
  if (!r) return undefined;
  const { attachedOrgId, attachedDepartmentId, attachedDoctorId, attachedSince, priority, ...rest } = r;
  const dispensary = stmt(s, 'SELECT specialty_id AS id FROM dispensary WHERE patient_id = ?').all(patientId) as Array<{ id: string }>;
  return {
    ...rest,
    attachment: attachedOrgId && attachedDepartmentId && attachedSince ? { orgId: attachedOrgId, departmentId: attachedDepartmentId, doctorId: attachedDoctorId, since: attachedSince } : null,
    dispensarySpecialtyIds: dispensary.map((d) => d.id),
    priority: priority === 1,
  };
}

/** The patient's visits before now, newest first — what R10 looks at. */
export function patientHistory(env: Env, patientId: string): PastVisit[] {
  return stmt(env.db.sqlite, 'SELECT start_utc AS startUtc, status FROM appointments WHERE patient_id = ? AND start_utc < ? ORDER BY start_utc DESC LIMIT 20').all(
    patientId,
    env.clock(),
  ) as PastVisit[];
}

export function patientCard(env: Env, patientId: string): PatientCard {
  const patient = loadPatient(env, patientId);
  if (!patient) throw new AppError('not_found');
  const { now, today } = clinicToday(env);
  const attached = patient.attachment?.orgId === env.org.id;
  const dep = patient.attachment ? env.directory.departments.get(patient.attachment.departmentId) : undefined;
  const famDoc = patient.attachment?.doctorId ? env.directory.doctor(patient.attachment.doctorId) : undefined;
  const referrals = stmt(
    env.db.sqlite,
    `SELECT id, patient_id AS patientId, specialty_id AS specialtyId, issued_by_doctor_id AS issuedByDoctorId,
      issued_at AS issuedAt, valid_until AS validUntil, used_by_appointment_id AS usedByAppointmentId
      FROM referrals WHERE patient_id = ? AND used_by_appointment_id IS NULL AND valid_until >= ?`,
  ).all(patientId, today) as PatientCard['referrals'];
  return {
    patient,
    age: ageOn(patient.birthDate, today),
    attached,
    attachedOrgName: attached ? env.org.name : null,
    departmentName: attached ? (dep?.name ?? null) : null,
    familyDoctorId: attached ? (famDoc?.id ?? null) : null,
    familyDoctorName: attached ? (famDoc?.fullName ?? null) : null,
    upcoming: listAppointments(env, "a.patient_id = ? AND a.date >= ? AND a.status IN ('booked', 'arrived') ORDER BY a.start_utc", patientId, today),
    referrals,
    noShowBlockedUntil: noShowBlockedUntil(env.profile, patientHistory(env, patientId), now),
  };
}
