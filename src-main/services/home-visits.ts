import type { HomeVisit, HomeVisitRequest, HomeVisitStatus } from '../../src-shared/domain/home-visit.js';
import type { RequestChannel } from '../../src-shared/domain/enums.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { HomeVisitView } from '../../src-shared/rpc/views.js';
import { canSetHomeVisitStatus, decideHomeVisit } from '../../src-shared/rules/home-visits.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { journal, newId } from './journal.js';
import { appendRegister } from './register.js';

/** Store a home visit (taken down here, or pulled from the server). */
export function putHomeVisit(db: Db, v: HomeVisit): void {
  stmt(
    db.sqlite,
    `INSERT INTO home_visits (id, org_id, patient_id, doctor_id, date, address, reason, callback_phone, status, created_at, created_by, device_id)
      VALUES (@id, '', @patientId, @doctorId, @date, @address, @reason, @callbackPhone, @status, @createdAt, @createdBy, @deviceId)
      ON CONFLICT(id) DO UPDATE SET doctor_id = excluded.doctor_id, date = excluded.date, address = excluded.address, reason = excluded.reason,
        callback_phone = excluded.callback_phone, status = excluded.status`,
  ).run(v);
}

/** R24: take down a home visit for the area's doctor (checked by the rule the server runs too). */
export function requestHomeVisit(env: Env, actor: Actor, input: HomeVisitRequest & { channel: RequestChannel }): HomeVisitView {
  const { channel, ...r } = input;
  const patientKnown = stmt(env.db.sqlite, 'SELECT 1 FROM patients WHERE id = ?').get(r.patientId) !== undefined;
  const d = decideHomeVisit({ today: clinicToday(env).today, date: r.date, patientKnown, doctorActive: env.directory.doctor(r.doctorId)?.active === true });
  if (!d.ok) throw new AppError(d.code, d.params);
  const v: HomeVisit = { ...r, id: newId(), status: 'open', createdAt: env.clock(), createdBy: actor.userId, deviceId: env.device.id };
  env.db.sqlite.transaction(() => {
    putHomeVisit(env.db, v);
    // R15: a home visit is a request too — in the register of requests, for the doctor it was given to.
    const patient = stmt(env.db.sqlite, 'SELECT full_name AS name FROM patients WHERE id = ?').get(r.patientId) as { name: string };
    const register = appendRegister(env, actor, {
      patientId: r.patientId,
      applicant: patient.name,
      specialtyId: env.directory.doctor(r.doctorId)?.specialtyId ?? null,
      doctorId: r.doctorId,
      channel,
      result: 'home_visit',
      reason: null,
      rule: null,
      appointmentId: null,
      appointedAt: null,
    });
    journal(env, actor, { name: 'homeVisits.request', args: { ...r, id: v.id, userId: actor.userId, register } }, { entity: 'home_visit', entityId: v.id, detail: r.date });
  })();
  return listHomeVisits(env, { id: v.id })[0]!;
}

/** R24: the visit was made, or is no longer needed. */
export function setHomeVisitStatus(env: Env, actor: Actor, id: string, status: HomeVisitStatus): HomeVisitView {
  env.db.sqlite.transaction(() => {
    const cur = stmt(env.db.sqlite, 'SELECT status FROM home_visits WHERE id = ?').get(id) as { status: HomeVisitStatus } | undefined;
    if (!cur) throw new AppError('not_found');
    if (!canSetHomeVisitStatus(cur.status, status)) throw new AppError('bad_status', { status: cur.status });
    stmt(env.db.sqlite, 'UPDATE home_visits SET status = ? WHERE id = ?').run(status, id);
    journal(env, actor, { name: 'homeVisits.setStatus', args: { id, status } }, { entity: 'home_visit', entityId: id, detail: status });
  })();
  return listHomeVisits(env, { id })[0]!;
}

/** The day's home visits (one doctor's, or everyone's), with the patient's name and age. */
export function listHomeVisits(env: Env, f: { id?: string; date?: string; doctorId?: string }): HomeVisitView[] {
  const rows = stmt(
    env.db.sqlite,
    `SELECT v.id, v.patient_id AS patientId, v.doctor_id AS doctorId, v.date, v.address, v.reason, v.callback_phone AS callbackPhone, v.status,
      v.created_at AS createdAt, v.created_by AS createdBy, v.device_id AS deviceId, p.full_name AS patientName, p.birth_date AS patientBirthDate
      FROM home_visits v JOIN patients p ON p.id = v.patient_id
      WHERE (@id IS NOT NULL AND v.id = @id) OR (@id IS NULL AND v.date = @date AND (@doctorId IS NULL OR v.doctor_id = @doctorId))
      ORDER BY v.doctor_id, v.created_at`,
  ).all({ id: f.id ?? null, date: f.date ?? clinicToday(env).today, doctorId: f.doctorId ?? null }) as Array<Omit<HomeVisitView, 'doctorName'>>;
  return rows.map((r) => ({ ...r, doctorName: env.directory.doctor(r.doctorId)?.fullName ?? '' }));
}
