import type { Patient } from '../../src-shared/domain/patient.js';
import { checkNationalId, guessIdKind, idLengths } from '../../src-shared/ids/index.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { PatientCard, PatientMatches, PatientSummary } from '../../src-shared/rpc/views.js';
import { digitsKey, MAX_PHONE_DIGITS, nameKey, phoneKey } from '../../src-shared/search/keys.js';
import { noShowBlockedUntil, type PastVisit } from '../../src-shared/rules/booking.js';
import { ageOn } from '../../src-shared/time/dates.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { listAppointments } from './appointment-views.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { journal } from './journal.js';
import { decideContacts, decideNewPatient, type NewPatient } from '../../src-shared/rules/new-patient.js';

const SUMMARY = `SELECT id, national_id AS nationalId, full_name AS fullName, birth_date AS birthDate, phone,
  (attached_org_id IS NOT NULL AND attached_org_id = @org) AS attached FROM patients`;

type SummaryRow = Omit<PatientSummary, 'attached'> & { attached: number };
const summary = (r: SummaryRow): PatientSummary => ({ ...r, attached: r.attached === 1 });

/** Matches shown per page; more are counted and paged through. */
export const PAGE = 20;

/**
 * Find by national ID (exact), phone (last 9 digits) or name prefix. A string of digits too long
 * for a phone but not an ID of the profile (a PIN with a digit missing or doubled) is a format
 * error, and a malformed ID is an error too — never "not found", never a phone search.
 */
export function findPatients(env: Env, query: string, offset = 0): PatientMatches {
  const s = env.db.sqlite;
  const compact = digitsKey(query);
  const page = (where: string, params: Record<string, string>) => {
    const { n } = stmt(s, `SELECT count(*) AS n FROM patients WHERE ${where}`).get(params) as { n: number };
    const items = (stmt(s, `${SUMMARY} WHERE ${where} ORDER BY name_key, id LIMIT ${PAGE} OFFSET @offset`).all({ ...params, org: env.org.id, offset }) as SummaryRow[]).map(summary);
    return { items, total: n, offset };
  };
  if (/^\d+$/.test(compact)) {
    const kind = guessIdKind(compact, env.profile);
    if (kind) {
      const check = checkNationalId(kind, compact, env.profile, clinicToday(env).today);
      if (!check.ok) throw new AppError(check.error);
      return page('national_id = @id', { id: check.normalized });
    }
    if (compact.length >= 9 && compact.length <= MAX_PHONE_DIGITS) return page('phone_key = @phone', { phone: phoneKey(compact) });
    throw new AppError('id_length', { digits: compact.length, expected: idLengths(env.profile) });
  }
  const key = nameKey(query);
  return page('name_key >= @key AND name_key < @end', { key, end: `${key}\uffff` });
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
    messages: stmt(
      env.db.sqlite,
      `SELECT id, patient_id AS patientId, appointment_id AS appointmentId, kind, status, channel, recipient, segments, text, error, at
        FROM patient_messages WHERE patient_id = ? ORDER BY at DESC LIMIT 10`,
    ).all(patientId) as PatientCard['messages'],
  };
}

/** Store a patient record (pulled from the server or registered here), with its search keys and dispensary rows. */
export function putPatient(db: Db, p: Patient): void {
  const s = db.sqlite;
  stmt(
    s,
    `INSERT INTO patients (id, org_id, national_id, national_id_kind, full_name, name_key, birth_date, sex, address, phone, phone_key,
      attached_org_id, attached_department_id, attached_doctor_id, attached_since, priority)
      VALUES (@id, @orgId, @nationalId, @nationalIdKind, @fullName, @nameKey, @birthDate, @sex, @address, @phone, @phoneKey, @aOrg, @aDep, @aDoc, @aSince, @priority)
      ON CONFLICT(id) DO UPDATE SET national_id = excluded.national_id, full_name = excluded.full_name, name_key = excluded.name_key, birth_date = excluded.birth_date,
      sex = excluded.sex, address = excluded.address, phone = excluded.phone, phone_key = excluded.phone_key, attached_org_id = excluded.attached_org_id,
      attached_department_id = excluded.attached_department_id, attached_doctor_id = excluded.attached_doctor_id, attached_since = excluded.attached_since, priority = excluded.priority`,
  ).run({
    ...p,
    orgId: p.attachment?.orgId ?? '',
    nameKey: nameKey(p.fullName),
    phoneKey: phoneKey(p.phone),
    priority: p.priority ? 1 : 0,
    aOrg: p.attachment?.orgId ?? null,
    aDep: p.attachment?.departmentId ?? null,
    aDoc: p.attachment?.doctorId ?? null,
    aSince: p.attachment?.since ?? null,
  });
  stmt(s, 'DELETE FROM dispensary WHERE patient_id = ?').run(p.id);
  for (const sp of p.dispensarySpecialtyIds) stmt(s, 'INSERT INTO dispensary (patient_id, specialty_id, since) VALUES (?, ?, ?)').run(p.id, sp, p.attachment?.since ?? '');
}

/**
 * R16: likely the same person already here — the same birth date and the same surname and first
 * name (however typed: the search key folds layouts and look-alike letters). Shown before saving.
 */
export function similarPatients(env: Env, q: { fullName: string; birthDate: string }): PatientSummary[] {
  const [surname = '', first = ''] = nameKey(q.fullName).split(' ');
  const key = `${surname} ${first}`.trim();
  return (
    stmt(env.db.sqlite, `${SUMMARY} WHERE birth_date = @birthDate AND name_key >= @key AND name_key < @end ORDER BY name_key LIMIT ${PAGE}`).all({
      org: env.org.id,
      birthDate: q.birthDate,
      key,
      end: `${key}\uffff`,
    }) as SummaryRow[]
  ).map(summary);
}

/**
 * R16: register a new patient — checked by the profile's rules (decideNewPatient, as the server
 * does), refused if the national ID is already here, stored and sent to the server as an op.
 */
export function registerPatient(env: Env, actor: Actor, input: NewPatient): PatientCard {
  const { today } = clinicToday(env);
  // Someone already here with this ID is the first thing to say (their card is what the registrar wants).
  const existing = stmt(env.db.sqlite, 'SELECT full_name AS name FROM patients WHERE national_id = ?').get(digitsKey(input.nationalId)) as { name: string } | undefined;
  if (existing) throw new AppError('patient_exists', { name: existing.name });
  const decision = decideNewPatient(env.profile, input, today, {
    orgId: env.org.id,
    hasDepartment: (id) => env.directory.departments.has(id),
    doctorDepartment: (id) => {
      const d = env.directory.doctor(id);
      return d?.active ? d.departmentId : null;
    },
  });
  if (!decision.ok) throw new AppError(decision.code, decision.params);
  const p = decision.patient;
  env.db.sqlite.transaction(() => {
    putPatient(env.db, p);
    journal(env, actor, { name: 'patients.register', args: input }, { entity: 'patient', entityId: p.id });
  })();
  return patientCard(env, p.id);
}

/** R16: correct a patient's phone and address (an op the server applies; the latest correction stands). */
export function updatePatientContacts(env: Env, actor: Actor, patientId: string, c: { phone: string; address: string }): PatientCard {
  const d = decideContacts(c);
  if (!d.ok) throw new AppError(d.code);
  env.db.sqlite.transaction(() => {
    const r = stmt(env.db.sqlite, 'UPDATE patients SET phone = ?, phone_key = ?, address = ? WHERE id = ?').run(c.phone, phoneKey(c.phone), c.address, patientId);
    if (r.changes !== 1) throw new AppError('not_found');
    journal(env, actor, { name: 'patients.update', args: { patientId, ...c } }, { entity: 'patient', entityId: patientId });
  })();
  return patientCard(env, patientId);
}
