import type { Cabinet, Doctor, ScheduleException, ScheduleTemplate } from '../../src-shared/domain/directory.js';
import type { Db } from './open.js';
import { stmt } from './stmt.js';

/**
 * The desk's writes of the clinic's directory and schedules — one place for the rows that arrive
 * from the server and the ones the head enters here, so both are stored alike.
 */
export function putCabinet(db: Db, x: Cabinet): void {
  stmt(db.sqlite, 'INSERT INTO cabinets (id, org_id, number, floor) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET number = excluded.number, floor = excluded.floor').run(
    x.id,
    x.orgId,
    x.number,
    x.floor,
  );
}

export function putDoctor(db: Db, d: Doctor): void {
  stmt(
    db.sqlite,
    `INSERT INTO doctors (id, org_id, department_id, specialty_id, cabinet_id, full_name, active) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET department_id = excluded.department_id, specialty_id = excluded.specialty_id, cabinet_id = excluded.cabinet_id, full_name = excluded.full_name, active = excluded.active`,
  ).run(d.id, d.orgId, d.departmentId, d.specialtyId, d.cabinetId, d.fullName, d.active ? 1 : 0);
}

export function putTemplate(db: Db, orgId: string, t: ScheduleTemplate): void {
  stmt(
    db.sqlite,
    `INSERT INTO schedule_templates (id, org_id, doctor_id, valid_from, valid_to, slot_minutes, week_json) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET valid_from = excluded.valid_from, valid_to = excluded.valid_to, slot_minutes = excluded.slot_minutes, week_json = excluded.week_json`,
  ).run(t.id, orgId, t.doctorId, t.validFrom, t.validTo, t.slotMinutes, JSON.stringify(t.week));
}

export function putException(db: Db, orgId: string, e: ScheduleException): void {
  stmt(
    db.sqlite,
    `INSERT INTO schedule_exceptions (id, org_id, doctor_id, kind, from_date, to_date, intervals_json, note, share) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, from_date = excluded.from_date, to_date = excluded.to_date, intervals_json = excluded.intervals_json, note = excluded.note, share = excluded.share`,
  ).run(e.id, orgId, e.doctorId, e.kind, e.fromDate, e.toDate, e.intervals ? JSON.stringify(e.intervals) : null, e.note, e.share ?? null);
}
