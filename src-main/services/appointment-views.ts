import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { AppointmentView } from '../../src-shared/rpc/views.js';
import { overdueWaitMinutes } from '../../src-shared/rules/waiting.js';
import { stmt } from '../db/stmt.js';
import type { Env } from './env.js';

/** Columns of `appointments a JOIN patients p` that make an AppointmentView (doctor fields come from the directory). */
export const APPOINTMENT_COLUMNS = `a.id, a.org_id AS orgId, a.patient_id AS patientId, a.slot_id AS slotId, a.doctor_id AS doctorId,
  a.specialty_id AS specialtyId, a.date, a.time, a.start_utc AS startUtc, a.status, a.channel, a.referral_id AS referralId,
  a.replaces_id AS replacesId, a.ticket_code AS ticketCode, a.queue_number AS queueNumber, a.live_queue AS liveQueue,
  a.created_at AS createdAt, a.created_by AS createdBy, a.device_id AS deviceId, a.sync_state AS syncState, a.mode,
  a.visit_reason AS visitReason, p.full_name AS patientName, p.national_id AS patientNationalId, p.birth_date AS patientBirthDate,
  (SELECT t.reason FROM tasks t WHERE t.appointment_id = a.id AND t.kind = 'call_patient' AND t.status = 'open' ORDER BY t.created_at DESC LIMIT 1) AS callReason,
  (SELECT CASE WHEN h.kind = 'dismiss' THEN NULL ELSE h.at END FROM hall_calls h WHERE h.appointment_id = a.id ORDER BY h.rowid DESC LIMIT 1) AS calledAt`;

type Row = Omit<AppointmentView, 'liveQueue' | 'doctorName' | 'cabinet' | 'floor' | 'overdueWaitMinutes'> & { liveQueue: number };

export function toView(env: Env, r: Row): AppointmentView {
  const d = env.directory.doctor(r.doctorId);
  const liveQueue = r.liveQueue === 1;
  return {
    ...r,
    liveQueue,
    doctorName: d?.fullName ?? '?',
    cabinet: d?.cabinet.number ?? '',
    floor: d?.cabinet.floor ?? 0,
    overdueWaitMinutes: overdueWaitMinutes(env.profile, { status: r.status, startUtc: r.startUtc, liveQueue }, env.clock()),
  };
}

export function getAppointment(env: Env, id: string): AppointmentView | undefined {
  const r = stmt(env.db.sqlite, `SELECT ${APPOINTMENT_COLUMNS} FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.id = ?`).get(id) as Row | undefined;
  return r && toView(env, r);
}

export function listAppointments(env: Env, where: string, ...params: unknown[]): AppointmentView[] {
  const rows = stmt(env.db.sqlite, `SELECT ${APPOINTMENT_COLUMNS} FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE ${where}`).all(...params) as Row[];
  return rows.map((r) => toView(env, r));
}

export type { Appointment };
