import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClinicServer, ORG } from '../support/clinic-server.js';

const clinic = new ClinicServer();
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

describe('desks converge on what the server decided (issue 9: the simulation now compares registers and call lists too)', () => {
  it('a cancellation the server rejects (the patient was checked in at another desk first) leaves no trace: status and register of requests as the server has them', async () => {
    const a = await clinic.enrolledDesk('Регистратура 1');
    const b = await clinic.enrolledDesk('Регистратура 2');
    for (const d of [a, b]) await d.desk.sync!.syncOnce();
    const s = a.desk.env.db.sqlite;
    const slot = s
      .prepare(`SELECT s.id FROM slots s LEFT JOIN leases l ON l.slot_id = s.id WHERE s.date = '2026-11-23' AND s.channel = 'registry' AND s.appointment_id IS NULL
        AND l.slot_id IS NULL AND s.start_utc > ? AND s.specialty_id IN (SELECT id FROM specialties WHERE kind = 'family') ORDER BY s.start_utc LIMIT 1`)
      .get(clinic.now()) as { id: string };
    const patient = s.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 1 OFFSET 90').get(ORG) as { id: string };
    const booked = await a.call('appointments.book', { patientId: patient.id, slotId: slot.id });
    expect(booked.appointment.syncState).toBe('confirmed');
    await b.desk.sync!.syncOnce();
    // B checks the patient in (online); A, not yet synced, cancels the same booking.
    await b.call('appointments.checkIn', { appointmentId: booked.appointment.id });
    await b.desk.sync!.syncOnce();
    a.desk.sync!.online = false;
    await a.call('appointments.cancel', { appointmentId: booked.appointment.id });
    expect((await a.call('register.list', {})).some((r) => r.result === 'cancelled' && r.appointmentId === booked.appointment.id)).toBe(true);
    await a.desk.sync!.syncOnce();
    await a.desk.sync!.syncOnce();
    expect(s.prepare('SELECT status FROM outbox WHERE name = ? ORDER BY seq DESC LIMIT 1').get('appointments.cancel')).toEqual({ status: 'rejected' });
    expect(s.prepare('SELECT status FROM appointments WHERE id = ?').get(booked.appointment.id)).toEqual({ status: 'arrived' });
    expect((await a.call('register.list', {})).some((r) => r.result === 'cancelled' && r.appointmentId === booked.appointment.id)).toBe(false);
    await a.desk.close();
    await b.desk.close();
  });

  it('issue 19 finding 2: a move made offline into a time another desk gave away meanwhile leaves the patient the old time (the server decides the move whole), and the lost new one on the call list', async () => {
    const a = await clinic.enrolledDesk('Регистратура 1');
    const b = await clinic.enrolledDesk('Регистратура 2');
    for (const d of [a, b]) await d.desk.sync!.syncOnce();
    const s = a.desk.env.db.sqlite;
    const [t1, t2] = s
      .prepare(`SELECT s.id FROM slots s LEFT JOIN leases l ON l.slot_id = s.id WHERE s.date = '2026-11-24' AND s.channel = 'registry' AND s.appointment_id IS NULL
        AND l.slot_id IS NULL AND s.specialty_id IN (SELECT id FROM specialties WHERE kind = 'family') ORDER BY s.start_utc LIMIT 2`)
      .all() as Array<{ id: string }>;
    const [p, q] = s.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 2 OFFSET 95').all(ORG) as Array<{ id: string }>;
    const kept = await a.call('appointments.book', { patientId: p!.id, slotId: t1!.id });
    expect(kept.appointment.syncState).toBe('confirmed');
    // A is cut off and moves the patient to t2 (tentative: the common pool); B, online, gives t2 to someone else first.
    await clinic.down();
    const moved = await a.call('appointments.move', { appointmentId: kept.appointment.id, slotId: t2!.id });
    expect(moved.appointment.mode).toBe('tentative');
    await clinic.up();
    await b.desk.sync!.syncOnce();
    await b.call('appointments.book', { patientId: q!.id, slotId: t2!.id });
    await a.desk.sync!.syncOnce();
    await a.desk.sync!.syncOnce();
    // The patient still has t1 — confirmed, holding its slot — and the move's new booking is lost, on the call list.
    expect(s.prepare('SELECT status, sync_state AS state FROM appointments WHERE id = ?').get(kept.appointment.id)).toEqual({ status: 'booked', state: 'confirmed' });
    expect(s.prepare('SELECT appointment_id AS holder FROM slots WHERE id = ?').get(t1!.id)).toEqual({ holder: kept.appointment.id });
    expect(s.prepare('SELECT sync_state AS state FROM appointments WHERE id = ?').get(moved.appointment.id)).toEqual({ state: 'conflict' });
    expect((await a.call('tasks.list', {})).some((t) => t.appointment?.id === moved.appointment.id)).toBe(true);
    expect(s.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get()).toEqual({ n: 0 });
    await a.desk.close();
    await b.desk.close();
  });
});
