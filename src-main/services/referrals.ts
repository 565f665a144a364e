import type { Referral } from '../../src-shared/domain/patient.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import { decideReferral, REFERRAL_VALID_DAYS } from '../../src-shared/rules/referrals.js';
import { addDays } from '../../src-shared/time/dates.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { journal, newId } from './journal.js';

/**
 * R5: the family doctor at their cabinet PC refers the patient to a narrow specialist. The
 * referral is on the patient's card at once (the registrar books it), and syncs; the server
 * checks it again and records the PC's own doctor as the issuer.
 */
export function issueReferral(env: Env, actor: Actor, r: { patientId: string; specialtyId: string; validUntil?: string | undefined }): Referral {
  const { today } = clinicToday(env);
  const issuer = actor.role === 'doctor' && actor.doctorId ? env.directory.doctor(actor.doctorId) : undefined;
  const validUntil = r.validUntil ?? addDays(today, REFERRAL_VALID_DAYS);
  const d = decideReferral({
    issuerKind: issuer?.active ? (env.directory.specialtyKind(issuer.specialtyId) ?? null) : null,
    targetKind: env.directory.specialtyKind(r.specialtyId) ?? null,
    patientKnown: stmt(env.db.sqlite, 'SELECT 1 FROM patients WHERE id = ?').get(r.patientId) !== undefined,
    today,
    validUntil,
  });
  if (!d.ok) throw new AppError(d.code, d.params);
  const referral: Referral = {
    id: newId(),
    patientId: r.patientId,
    specialtyId: r.specialtyId,
    issuedByDoctorId: issuer!.id,
    issuedAt: env.clock(),
    validUntil,
    usedByAppointmentId: null,
  };
  env.db.sqlite.transaction(() => {
    stmt(
      env.db.sqlite,
      `INSERT INTO referrals (id, org_id, patient_id, specialty_id, issued_by_doctor_id, issued_at, valid_until, used_by_appointment_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
    ).run(referral.id, env.org.id, referral.patientId, referral.specialtyId, referral.issuedByDoctorId, referral.issuedAt, referral.validUntil);
    journal(
      env,
      actor,
      { name: 'referrals.issue', args: { id: referral.id, patientId: referral.patientId, specialtyId: referral.specialtyId, validUntil } },
      { entity: 'referral', entityId: referral.id, detail: referral.specialtyId },
    );
  })();
  return referral;
}
