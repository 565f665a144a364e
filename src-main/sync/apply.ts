import { ACTIVE_SQL, ACTIVE_STATUSES } from '../../src-shared/domain/enums.js';
import { checkChange, type ChangeRow } from '../../src-shared/sync/change-rows.js';
import type { Change } from '../../src-shared/sync/protocol.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { insertRegister } from '../services/register.js';
import { putPatient } from '../services/patients.js';
import { putHomeVisit } from '../services/home-visits.js';
import { putWaitingEntry } from '../services/waiting-list.js';
import { noteTicketCode } from '../services/ticket-codes.js';
import { saveAccounts } from '../auth/accounts.js';
import { putCabinet, putDoctor, putException, putTemplate } from '../db/schedules.js';

type ServerAppointment = ChangeRow<'appointment'>;

/** Does an op of ours that the server has not processed yet touch this row? Then the local state wins until it does. */
const pendingHere = (db: Db, id: string): boolean => stmt(db.sqlite, "SELECT 1 FROM outbox WHERE entity_id = ? AND status = 'pending' LIMIT 1").get(id) !== undefined;

/** Upsert one server appointment; the slot goes to whoever the server says holds it. */
function applyAppointment(db: Db, a: ServerAppointment): void {
  const s = db.sqlite;
  // Ops of ours the server has not processed yet still win locally (they will reach it next push):
  // only the sync state is taken from the server for such rows.
  const pending = pendingHere(db, a.id);
  const exists = stmt(s, 'SELECT 1 FROM appointments WHERE id = ?').get(a.id) !== undefined;
  const holds = ACTIVE_STATUSES.includes(a.status) && a.syncState === 'confirmed';
  if (holds) {
    // A confirmed booking by the server is final: a local booking of ours on the same slot lost it.
    stmt(s, `UPDATE appointments SET sync_state = 'conflict' WHERE slot_id = ? AND id != ? AND status IN ${ACTIVE_SQL} AND sync_state != 'conflict'`).run(a.slotId, a.id);
  }
  if (exists && pending) {
    stmt(s, 'UPDATE appointments SET sync_state = ? WHERE id = ?').run(a.syncState, a.id);
  } else {
    stmt(
      s,
      `INSERT INTO appointments (id, org_id, patient_id, slot_id, doctor_id, specialty_id, date, time, start_utc, status, channel, referral_id, replaces_id,
        ticket_code, queue_number, live_queue, created_at, created_by, device_id, updated_at, sync_state, visit_reason)
        VALUES (@id, @orgId, @patientId, @slotId, @doctorId, @specialtyId, @date, @time, @startUtc, @status, @channel, @referralId, @replacesId,
        @ticketCode, @queueNumber, @liveQueue, @createdAt, @createdBy, @deviceId, @createdAt, @syncState, @visitReason)
        ON CONFLICT(id) DO UPDATE SET status = excluded.status, live_queue = excluded.live_queue, sync_state = excluded.sync_state`,
    ).run({ ...a, liveQueue: a.liveQueue ? 1 : 0 });
  }
  noteTicketCode(db, a.ticketCode);
  // R5: the referral a booking spent is spent on every desk; a cancelled or refused booking gives it back.
  if (a.referralId) {
    if (a.status !== 'cancelled' && a.syncState !== 'conflict') stmt(s, 'UPDATE referrals SET used_by_appointment_id = ? WHERE id = ?').run(a.id, a.referralId);
    else stmt(s, 'UPDATE referrals SET used_by_appointment_id = NULL WHERE id = ? AND used_by_appointment_id = ?').run(a.referralId, a.id);
  }
  // The register row of the request behind this change (another desk's booking or cancellation; ours is already here).
  if (a.register) insertRegister(s, a.orgId, a.register);
  const holder = stmt(s, `SELECT id FROM appointments WHERE slot_id = ? AND status IN ${ACTIVE_SQL} AND sync_state != 'conflict' LIMIT 1`).get(a.slotId) as { id: string } | undefined;
  stmt(s, 'UPDATE slots SET appointment_id = ? WHERE id = ?').run(holder?.id ?? null, a.slotId);
}

/** What a change touched, so the caller refreshes only what it must. */
export interface Applied {
  directory: boolean;
  schedules: boolean;
  appointments: number;
  tasks: number;
  skipped: number;
  /** Every kind of row the page held (what the desk tells its windows changed). */
  entities: Set<string>;
}

/** Apply one page of server changes (call inside a transaction). Each row is checked against its entity's schema first. */
export function applyChanges(db: Db, changes: readonly Change[]): Applied {
  const s = db.sqlite;
  const out: Applied = { directory: false, schedules: false, appointments: 0, tasks: 0, skipped: 0, entities: new Set() };
  for (const raw of changes) {
    const c = checkChange(raw);
    // A newer server's entity, or a row this version cannot read: left alone (and counted), never half-applied.
    if (!c) {
      out.skipped++;
      continue;
    }
    out.entities.add(c.entity);
    if (c.op === 'remove' || c.row === null) {
      if (c.entity === 'lease') stmt(s, 'DELETE FROM leases WHERE slot_id = ?').run(c.id);
      else if (c.entity === 'lease_set') stmt(s, 'DELETE FROM lease_sets WHERE device_id = ?').run(c.id);
      else if (c.entity === 'signer') stmt(s, 'DELETE FROM signers WHERE device_id = ?').run(c.id);
      // An account the server refused to create: gone from the desk that made it offline (the organization's only).
      else if (c.entity === 'account' && !pendingHere(db, c.id)) stmt(s, 'DELETE FROM users WHERE id = ? AND shared = 1').run(c.id);
      // A schedule change the server refused (an absence, a quota, a weekly schedule): this desk's times are as before again.
      else if ((c.entity === 'exception' || c.entity === 'template') && !pendingHere(db, c.id)) {
        stmt(s, `DELETE FROM ${c.entity === 'exception' ? 'schedule_exceptions' : 'schedule_templates'} WHERE id = ?`).run(c.id);
        out.schedules = true;
      }
      // A doctor the server refused to hire: kept as a row (bookings may name it) but not working.
      else if (c.entity === 'doctor' && !pendingHere(db, c.id)) {
        stmt(s, 'UPDATE doctors SET active = 0 WHERE id = ?').run(c.id);
        out.directory = true;
        out.schedules = true;
      }
      continue;
    }
    switch (c.entity) {
      case 'appointment':
        applyAppointment(db, c.row);
        out.appointments++;
        break;
      case 'task': {
        const t = c.row;
        stmt(
          s,
          `INSERT INTO tasks (id, org_id, kind, patient_id, appointment_id, reason, status, created_at, row_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET status = CASE WHEN ? THEN tasks.status ELSE excluded.status END, row_json = excluded.row_json`,
        ).run(t.id, '', t.kind, t.patientId ?? '', t.appointmentId ?? null, t.reason ?? '', t.status, t.createdAt, JSON.stringify(t), pendingHere(db, t.id) ? 1 : 0);
        out.tasks++;
        break;
      }
      case 'organization': {
        const o = c.row;
        stmt(
          s,
          `INSERT INTO organizations (id, region_id, name, address, phone, profile_id, timezone) VALUES (@id, @regionId, @name, @address, @phone, @profileId, @timezone)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, address = excluded.address, phone = excluded.phone, profile_id = excluded.profile_id, timezone = excluded.timezone`,
        ).run(o);
        stmt(s, 'INSERT OR IGNORE INTO regions (id, name) VALUES (?, ?)').run(o.regionId, o.regionId);
        out.directory = true;
        break;
      }
      case 'specialty': {
        const x = c.row;
        stmt(
          s,
          `INSERT INTO specialties (id, kind, name_ru, name_ky, name_kk, patient_ages) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name_ru = excluded.name_ru, name_ky = excluded.name_ky, name_kk = excluded.name_kk,
              patient_ages = excluded.patient_ages`,
        ).run(x.id, x.kind, x.name.ru, x.name.ky, x.name.kk ?? null, x.patientAges);
        out.directory = true;
        break;
      }
      case 'department': {
        const d = c.row;
        stmt(s, 'INSERT INTO departments (id, org_id, name, is_family_group) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, is_family_group = excluded.is_family_group').run(
          d.id,
          d.orgId,
          d.name,
          d.isFamilyGroup ? 1 : 0,
        );
        out.directory = true;
        break;
      }
      case 'cabinet':
        putCabinet(db, c.row);
        out.directory = true;
        break;
      case 'doctor':
        putDoctor(db, c.row);
        out.directory = true;
        break;
      case 'template':
        putTemplate(db, orgOfDoctor(db, c.row.doctorId), c.row);
        out.schedules = true;
        break;
      case 'exception':
        putException(db, orgOfDoctor(db, c.row.doctorId), c.row);
        out.schedules = true;
        break;
      case 'patient':
        putPatient(db, c.row);
        break;
      case 'home_visit':
        putHomeVisit(db, c.row);
        break;
      case 'waiting_entry':
        // An answer or removal of ours the server has not decided yet stays as this desk took it until it has.
        if (!pendingHere(db, c.id)) putWaitingEntry(db, c.row);
        break;
      case 'referral': {
        const x = c.row;
        stmt(
          s,
          `INSERT INTO referrals (id, org_id, patient_id, specialty_id, issued_by_doctor_id, issued_at, valid_until, used_by_appointment_id) VALUES (?, '', ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET valid_until = excluded.valid_until`,
        ).run(x.id, x.patientId, x.specialtyId, x.issuedByDoctorId, x.issuedAt, x.validUntil, x.usedByAppointmentId);
        break;
      }
      case 'lease':
        // The grant's own feed position is its epoch: what a guaranteed booking cites.
        stmt(s, 'INSERT INTO leases (slot_id, device_id, epoch) VALUES (?, ?, ?) ON CONFLICT(slot_id) DO UPDATE SET device_id = excluded.device_id, epoch = excluded.epoch').run(
          c.id,
          c.row.deviceId,
          c.seq,
        );
        break;
      case 'lease_set':
        stmt(
          s,
          'INSERT INTO lease_sets (device_id, expires_at, reclaim_after) VALUES (?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET expires_at = excluded.expires_at, reclaim_after = excluded.reclaim_after',
        ).run(c.id, c.row.expiresAt, c.row.reclaimAfter);
        break;
      case 'signer':
        stmt(
          s,
          `INSERT INTO signers (device_id, install_id, doctor_id, user_id, public_key) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(device_id) DO UPDATE SET install_id = excluded.install_id, doctor_id = excluded.doctor_id, user_id = excluded.user_id, public_key = excluded.public_key`,
        ).run(c.id, c.row.installId, c.row.doctorId, c.row.userId, c.row.publicKey);
        break;
      case 'account':
        // A password this desk changed and has not sent yet stays until the server has it.
        if (!pendingHere(db, c.id)) saveAccounts(db, [c.row], true);
        break;
      case 'message': {
        // What the server's outbox told the patient (issue 20): the card's "Messages"; a later end of one message replaces it.
        const m = c.row;
        stmt(
          s,
          `INSERT INTO patient_messages (id, patient_id, appointment_id, kind, status, channel, recipient, segments, text, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET status = excluded.status, channel = excluded.channel, recipient = excluded.recipient, segments = excluded.segments,
              text = excluded.text, error = excluded.error, at = excluded.at`,
        ).run(m.id, m.patientId, m.appointmentId, m.kind, m.status, m.channel, m.recipient, m.segments, m.text, m.error, m.at);
        break;
      }
      case 'register_stamp':
        stmt(s, "INSERT INTO meta (key, value) VALUES ('register_imported_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(c.row.importedAt));
        break;
      case 'register_entry': {
        // A refusal recorded at another desk (R15): one register for the organization.
        const orgId = (stmt(s, "SELECT value FROM meta WHERE key = 'server_org_id'").get() as { value: string } | undefined)?.value ?? '';
        insertRegister(s, orgId, { patientId: null, specialtyId: null, doctorId: null, reason: null, appointmentId: null, appointedAt: null, userId: 'unknown', deviceId: 'unknown', ...c.row });
        break;
      }
    }
  }
  return out;
}

const orgOfDoctor = (db: Db, doctorId: string): string => (stmt(db.sqlite, 'SELECT org_id AS o FROM doctors WHERE id = ?').get(doctorId) as { o: string } | undefined)?.o ?? '';
