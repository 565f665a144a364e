import type { EmergencyDestination, RegisterEntry } from '../../src-shared/domain/appointment.js';
import type { RegisterRecord } from '../../src-shared/sync/change-rows.js';
import type { RequestChannel } from '../../src-shared/domain/enums.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { RegisterView } from '../../src-shared/rpc/views.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import type { OpArgs } from '../../src-shared/sync/protocol.js';
import { journal, newId } from './journal.js';
import { isClosedGround } from '../../src-shared/rules/register-outcome.js';
import { digitsKey, nameKey } from '../../src-shared/search/keys.js';
import { wallToUtc, addDays } from '../../src-shared/time/dates.js';

export type RegisterInput = Omit<RegisterEntry, 'id' | 'at' | 'userId' | 'deviceId' | 'tookPlace'>;

/** One register row as it travels to the server and the other desks (tookPlace is derived, never stored). */
export type { RegisterRecord };

/** R15: append one row to the register of requests (call inside the caller's transaction). */
export function appendRegister(env: Env, actor: Actor, e: RegisterInput): RegisterRecord {
  const entry: RegisterRecord = { ...e, id: newId(), at: env.clock(), userId: actor.userId, deviceId: env.device.id };
  insertRegister(env.db.sqlite, env.org.id, entry);
  return entry;
}

/** Store a register row; a row already here (our own, coming back from the server) is left as it is. */
export function insertRegister(sqlite: Db['sqlite'], orgId: string, e: RegisterRecord): void {
  stmt(
    sqlite,
    `INSERT INTO register_entries (id, org_id, at, patient_id, applicant, specialty_id, doctor_id, channel, result, reason, rule,
      appointment_id, appointed_at, user_id, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
  ).run(e.id, orgId, e.at, e.patientId, e.applicant, e.specialtyId, e.doctorId, e.channel, e.result, e.reason, e.rule ?? null, e.appointmentId, e.appointedAt, e.userId, e.deviceId);
}

export interface Refusal {
  patientId: string | null;
  applicant: string;
  specialtyId: string | null;
  doctorId: string | null;
  channel: RequestChannel;
  /** A refusal on a closed ground (`reason`), or a request a rule declined (`rule`); see rules/register-outcome.ts. */
  result: 'refused' | 'declined';
  reason: string | null;
  rule: string | null;
  appointmentId: string | null;
}

/** A refusal or decline, recorded on its own (R2, R3, R15): register row + audit + outbox in one transaction. */
export function recordRefusal(env: Env, actor: Actor, e: Refusal): string {
  return env.db.sqlite.transaction(() => {
    const { id } = appendRegister(env, actor, { ...e, appointedAt: null });
    journal(
      env,
      actor,
      { name: 'register.refuse', args: { id, ...e, userId: actor.userId } satisfies OpArgs<'register.refuse'> },
      {
        entity: 'register',
        entityId: id,
        detail: e.reason ?? e.rule ?? '',
      },
    );
    return id;
  })();
}

/**
 * R6: an emergency needs no booking — the patient goes to the pre-doctor room or the duty
 * doctor, and the visit is recorded "out of schedule" (register row + audit + outbox).
 * Unattached patients and people not in the register at all are served too.
 */
export function recordOutOfSchedule(env: Env, actor: Actor, e: { patientId: string | null; applicant: string; channel: RequestChannel; destination: EmergencyDestination }): RegisterView {
  if (e.patientId && !stmt(env.db.sqlite, 'SELECT 1 FROM patients WHERE id = ?').get(e.patientId)) throw new AppError('not_found');
  const id = env.db.sqlite.transaction(() => {
    const row = appendRegister(env, actor, {
      patientId: e.patientId,
      applicant: e.applicant,
      specialtyId: null,
      doctorId: null,
      channel: e.channel,
      result: 'out_of_schedule',
      reason: e.destination,
      rule: null,
      appointmentId: null,
      appointedAt: null,
    });
    journal(
      env,
      actor,
      { name: 'register.outOfSchedule', args: { id: row.id, patientId: e.patientId, applicant: e.applicant, channel: e.channel, destination: e.destination, userId: actor.userId } },
      { entity: 'register', entityId: row.id, detail: e.destination },
    );
    return row.id;
  })();
  return listRegister(env, { id })[0]!;
}

/** R3: a registrar's refusal must carry one of the profile's reasons. */
export function refuseManually(env: Env, actor: Actor, e: { patientId: string | null; applicant: string; specialtyId: string | null; reason: string; channel: RequestChannel }): RegisterView {
  if (!isClosedGround(env.profile, e.reason)) throw new AppError('unknown_reason', { reason: e.reason });
  if (e.patientId && !stmt(env.db.sqlite, 'SELECT 1 FROM patients WHERE id = ?').get(e.patientId)) throw new AppError('not_found');
  const id = recordRefusal(env, actor, { ...e, doctorId: null, result: 'refused', rule: null, appointmentId: null });
  return listRegister(env, { id })[0]!;
}

const COLUMNS = `r.id, r.at, r.patient_id AS patientId, r.applicant, r.specialty_id AS specialtyId, r.doctor_id AS doctorId, r.channel,
  r.result, r.reason, r.rule, r.appointment_id AS appointmentId, r.appointed_at AS appointedAt, r.user_id AS userId, r.device_id AS deviceId,
  p.full_name AS patientName, a.status AS appointmentStatus`;

/** R15 "took place or not": derived from the booking's status, so it is never stale. */
export interface RegisterFilter {
  id?: string;
  from?: string;
  to?: string;
  result?: string;
  specialtyId?: string;
  doctorId?: string;
  channel?: string;
  patient?: string;
  limit?: number;
}

export function listRegister(env: Env, f: RegisterFilter): RegisterView[] {
  const { today } = clinicToday(env);
  const tz = env.org.timezone;
  const from = wallToUtc(f.from ?? today, '00:00', tz);
  const to = wallToUtc(addDays(f.to ?? today, 1), '00:00', tz);
  const rows = stmt(
    env.db.sqlite,
    `SELECT ${COLUMNS} FROM register_entries r
      LEFT JOIN patients p ON p.id = r.patient_id LEFT JOIN appointments a ON a.id = r.appointment_id
      WHERE (@id IS NULL OR r.id = @id) AND (@id IS NOT NULL OR (r.at >= @from AND r.at < @to))
        AND (@result IS NULL OR r.result = @result) AND (@specialtyId IS NULL OR r.specialty_id = @specialtyId)
        AND (@doctorId IS NULL OR r.doctor_id = @doctorId) AND (@channel IS NULL OR r.channel = @channel)
        AND (@name IS NULL OR p.name_key >= @name AND p.name_key < @nameEnd OR p.national_id = @nationalId)
      ORDER BY r.at DESC, r.rowid DESC LIMIT @limit`,
  ).all({
    id: f.id ?? null,
    from,
    to,
    result: f.result ?? null,
    specialtyId: f.specialtyId ?? null,
    doctorId: f.doctorId ?? null,
    channel: f.channel ?? null,
    name: f.patient ? nameKey(f.patient) : null,
    nameEnd: f.patient ? `${nameKey(f.patient)}\uffff` : null,
    nationalId: f.patient ? digitsKey(f.patient) : null,
    limit: f.limit ?? 200,
  }) as Array<Omit<RegisterView, 'tookPlace'> & { appointmentStatus: string | null }>;
  return rows.map(({ appointmentStatus, ...r }) => ({
    ...r,
    tookPlace: appointmentStatus === null ? null : appointmentStatus === 'arrived' || appointmentStatus === 'fulfilled' ? true : appointmentStatus === 'noshow' ? false : null,
  }));
}
