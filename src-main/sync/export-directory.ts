import { loadSchedules } from '../services/slots.js';
import type { Cabinet, Department, Doctor, Region, Specialty } from '../../src-shared/domain/directory.js';
import type { Referral } from '../../src-shared/domain/patient.js';
import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';
import { loadPatient } from '../services/patients.js';
import type { Env } from '../services/env.js';

/** A desk's directory as the server's import file (how the demo clinic reaches the server). */
export function exportDirectory(env: Env): DirectoryFile {
  const s = env.db.sqlite;
  const all = <T>(sql: string, ...p: unknown[]) => s.prepare(sql).all(...p) as T[];
  const org = env.org;
  const regions = all<Region>('SELECT id, name FROM regions');
  const specialties: Specialty[] = [...env.directory.specialties.values()];
  const departments: Department[] = [...env.directory.departments.values()];
  const cabinets = all<Cabinet>('SELECT id, org_id AS orgId, number, floor FROM cabinets WHERE org_id = ?', org.id);
  const doctors: Doctor[] = [...env.directory.doctors.values()].map(({ cabinet: _c, ...d }) => d);
  const { templates, exceptions } = loadSchedules(env);
  const patients = all<{ id: string }>('SELECT id FROM patients ORDER BY id').map((p) => loadPatient(env, p.id)!);
  const referrals = all<Referral>(`SELECT id, patient_id AS patientId, specialty_id AS specialtyId, issued_by_doctor_id AS issuedByDoctorId, issued_at AS issuedAt,
      valid_until AS validUntil, used_by_appointment_id AS usedByAppointmentId FROM referrals`);
  return { format: 'kezek-directory/1', regions, specialties, organizations: [{ organization: org, departments, cabinets, doctors, templates, exceptions, patients, referrals }] };
}
