import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import { backupDesk, restoreDesk } from '../../src-main/db/backup.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchFn } from '../../src-main/sync/server-client.js';
import { revokeDevice } from '../../sync-server/auth/devices.js';
import { devices, slotLeases } from '../../sync-server/db/schema.js';
import { ClinicServer, ORG } from '../support/clinic-server.js';

const clinic = new ClinicServer();
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

/** The real network, with switches: lose the answer to the next lease renewal (the server acted), or be cut off. */
function faultyNetwork() {
  const net = { loseNextRenewalAnswer: false, cut: false };
  const fetchFn: FetchFn = async (url, init) => {
    if (net.cut) throw new TypeError('network cut');
    const res = await fetch(url, init);
    if (url.pathname === '/sync/leases' && net.loseNextRenewalAnswer) {
      net.loseNextRenewalAnswer = false;
      throw new TypeError('answer lost');
    }
    return res;
  };
  return { net, fetchFn };
}

describe('leases keep their promise (issue 9, finding 8: the lease_lost the simulation found with no long outage)', () => {
  it('a desk whose renewal answer was lost trusts none of its leases until it has pulled the renewal’s outcome: a time the server took back is booked tentative, never "guaranteed"', async () => {
    const { net, fetchFn } = faultyNetwork();
    const a = await clinic.enrolledDesk('Регистратура A', fetchFn);
    await a.desk.sync!.syncOnce(); // alone: A takes the whole desk share
    const b = await clinic.enrolledDesk('Регистратура B');
    await b.desk.sync!.syncOnce(); // B waits for A to give back its excess
    const me = (a.desk.env.db.sqlite.prepare("SELECT value FROM meta WHERE key = 'server_device_id'").get() as { value: string }).value;
    const before = new Set((a.desk.env.db.sqlite.prepare('SELECT slot_id AS s FROM leases WHERE device_id = ?').all(me) as Array<{ s: string }>).map((r) => r.s));

    // A's next renewal gives back half on the server, but its answer never arrives; then A is cut off.
    a.desk.env.db.sqlite.prepare("DELETE FROM meta WHERE key = 'lease_renewed_at'").run();
    net.loseNextRenewalAnswer = true;
    await a.desk.sync!.syncOnce();
    net.cut = true;
    const held = new Set((await clinic.database.db.select({ slotId: slotLeases.slotId }).from(slotLeases).where(eq(slotLeases.deviceId, me))).map((r) => r.slotId));
    const givenBack = [...before].filter((s) => !held.has(s));
    expect(givenBack.length).toBeGreaterThan(0);

    const s = a.desk.env.db.sqlite;
    const slot = s
      .prepare(`SELECT id FROM slots WHERE id IN (SELECT value FROM json_each(?)) AND appointment_id IS NULL AND start_utc > ?
      AND specialty_id IN (SELECT id FROM specialties WHERE kind = 'family') ORDER BY start_utc LIMIT 1`)
      .get(JSON.stringify(givenBack), clinic.now()) as { id: string };
    const patient = s.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 1 OFFSET 77').get(ORG) as { id: string };
    const booked = await a.call('appointments.book', { patientId: patient.id, slotId: slot.id });
    expect(booked.appointment.mode).toBe('tentative');
    expect(booked.ticket.tentative).toBe(true);

    // Once A is back and has pulled, its remaining leases are trusted again.
    net.cut = false;
    await a.desk.sync!.syncOnce();
    expect(s.prepare("SELECT value FROM meta WHERE key = 'lease_renewal_in_doubt'").get()).toEqual({ value: '0' });
    const stillMine = [...held].find((x) => (s.prepare('SELECT appointment_id AS h, start_utc AS t FROM slots WHERE id = ?').get(x) as { h: string | null; t: number } | undefined)?.h === null);
    const day = await a.call('slots.day', { doctorId: stillMine!.split('@')[0]!, date: stillMine!.split('@')[1]!.slice(0, 10) });
    expect(day.find((x) => x.slotId === stillMine)?.lease).toBe('mine');
    await a.desk.close();
    await b.desk.close();
  });
});

describe('issue 25: a guaranteed booking never loses its time (seed 7142, without the simulator)', () => {
  it('a time freed only by this desk’s cancellation the server has not applied is booked tentative, not "guaranteed": another desk checked that patient in first, and the server refuses the cancellation', async () => {
    // The first test's desks are closed but their leases would live on (the clock stands still): they leave the clinic.
    for (const d of await clinic.database.db.select({ id: devices.id }).from(devices)) await revokeDevice(clinic.database.db, d.id, clinic.now());
    const { net, fetchFn } = faultyNetwork();
    const a = await clinic.enrolledDesk('Регистратура A', fetchFn);
    const b = await clinic.enrolledDesk('Регистратура B');
    for (const d of [a, b, a, b]) await d.desk.sync!.syncOnce();
    const s = a.desk.env.db.sqlite;
    const me = (s.prepare("SELECT value FROM meta WHERE key = 'server_device_id'").get() as { value: string }).value;
    // A time of A's lease, today (a check-in needs the day).
    const slot = s
      .prepare(`SELECT l.slot_id AS id FROM leases l JOIN slots s ON s.id = l.slot_id WHERE l.device_id = ? AND s.appointment_id IS NULL AND s.start_utc > ? AND s.date = '2026-11-23'
        AND s.specialty_id IN (SELECT id FROM specialties WHERE kind = 'family') ORDER BY s.start_utc LIMIT 1`)
      .get(me, clinic.now()) as { id: string };
    const [p1, p2] = s.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 2 OFFSET 120').all(ORG) as Array<{ id: string }>;

    // A books the first patient on its lease, offline: guaranteed; online again, the server confirms it and B sees it.
    net.cut = true;
    const first = await a.call('appointments.book', { patientId: p1!.id, slotId: slot.id });
    expect(first.appointment.mode).toBe('guaranteed');
    net.cut = false;
    await a.desk.sync!.syncOnce();
    await b.desk.sync!.syncOnce();

    // A is cut off again and cancels it; meanwhile the patient stands at B's window and is checked in — B's word reaches the server first.
    net.cut = true;
    await a.call('appointments.cancel', { appointmentId: first.appointment.id });
    await b.call('appointments.checkIn', { appointmentId: first.appointment.id });
    await b.desk.sync!.syncOnce();

    // A gives the time, free on its screen, to another patient: not guaranteed, for the server still holds it for the first.
    const second = await a.call('appointments.book', { patientId: p2!.id, slotId: slot.id });
    expect(second.appointment.mode).toBe('tentative');
    expect(second.ticket.tentative).toBe(true);
    const day = await a.call('slots.day', { doctorId: slot.id.split('@')[0]!, date: '2026-11-23' });
    expect(day.find((x) => x.slotId === slot.id)?.lease).not.toBe('mine');

    // Back online: the cancellation is refused (the patient is here), the second booking lost — loudly, on the call list, never as a broken guarantee.
    net.cut = false;
    await a.desk.sync!.syncOnce();
    await a.desk.sync!.syncOnce();
    expect(s.prepare('SELECT status, sync_state AS state FROM appointments WHERE id = ?').get(first.appointment.id)).toEqual({ status: 'arrived', state: 'confirmed' });
    expect(s.prepare('SELECT sync_state AS state FROM appointments WHERE id = ?').get(second.appointment.id)).toEqual({ state: 'conflict' });
    const task = s.prepare('SELECT reason FROM tasks WHERE appointment_id = ?').get(second.appointment.id) as { reason: string };
    expect(task.reason).toBe('slot_taken');
    await a.desk.close();
    await b.desk.close();
  });
});

describe('issue 25: a desk restored from its own backup', () => {
  it('trusts none of its leases until a renewal after the restore has been answered and pulled — the backup’s may have been given back since — and numbers its renewals on from where the server is', async () => {
    // The earlier tests' desks are closed but their leases would live on (the clock stands still): they leave the clinic, so this desk alone takes the desk share.
    for (const d of await clinic.database.db.select({ id: devices.id }).from(devices)) await revokeDevice(clinic.database.db, d.id, clinic.now());
    const a = await clinic.enrolledDesk('Регистратура A');
    await a.desk.sync!.syncOnce();
    const backup = join(clinic.newDir(), 'a.sqlite');
    await backupDesk(a.dir, backup);
    // After the backup, A renews again (the server's number for A moves past the backup's).
    a.desk.env.db.sqlite.prepare("DELETE FROM meta WHERE key = 'lease_renewed_at'").run();
    await a.desk.sync!.syncOnce();
    const numberBefore = Number((a.desk.env.db.sqlite.prepare("SELECT value FROM meta WHERE key = 'lease_renewal_no'").get() as { value: string }).value);
    await a.desk.close();
    restoreDesk(a.dir, backup);

    await clinic.down();
    const back = await clinic.reopen(a.dir);
    const s = back.desk.env.db.sqlite;
    const me = (s.prepare("SELECT value FROM meta WHERE key = 'server_device_id'").get() as { value: string }).value;
    const slot = s
      .prepare(`SELECT l.slot_id AS id FROM leases l JOIN slots s ON s.id = l.slot_id WHERE l.device_id = ? AND s.appointment_id IS NULL AND s.start_utc > ?
        AND s.specialty_id IN (SELECT id FROM specialties WHERE kind = 'family') ORDER BY s.start_utc LIMIT 1`)
      .get(me, clinic.now()) as { id: string };
    const patient = s.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 1 OFFSET 140').get(ORG) as { id: string };
    const booked = await back.call('appointments.book', { patientId: patient.id, slotId: slot.id });
    expect(booked.appointment.mode).toBe('tentative');

    await clinic.up();
    await back.desk.sync!.syncOnce();
    expect(s.prepare("SELECT value FROM meta WHERE key = 'lease_renewal_in_doubt'").get()).toEqual({ value: '0' });
    expect(Number((s.prepare("SELECT value FROM meta WHERE key = 'lease_renewal_no'").get() as { value: string }).value)).toBeGreaterThan(numberBefore);
    const free = s
      .prepare(`SELECT l.slot_id AS id FROM leases l JOIN slots s ON s.id = l.slot_id WHERE l.device_id = ? AND s.appointment_id IS NULL AND s.start_utc > ? ORDER BY s.start_utc LIMIT 1`)
      .get(me, clinic.now()) as { id: string };
    const day = await back.call('slots.day', { doctorId: free.id.split('@')[0]!, date: free.id.split('@')[1]!.slice(0, 10) });
    expect(day.find((x) => x.slotId === free.id)?.lease).toBe('mine');
    await back.desk.close();
  });
});
