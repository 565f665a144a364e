import { cpSync, rmSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, devices, enrollmentCodes } from '../../sync-server/db/schema.js';
import { openDesk } from '../../src-main/desk.js';
import type { FetchFn } from '../../src-main/sync/server-client.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { MONDAY_9AM } from '../support/desk.js';
import { ClinicServer, ORG, type EnrolledDesk } from '../support/clinic-server.js';

const clinic = new ClinicServer();
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

/** Free registry times on a day that no desk holds a lease on, and attached patients, for `n` bookings. */
function freeTimes(d: EnrolledDesk, date: string, n: number, offset: number): { slots: string[]; patients: string[] } {
  const s = d.desk.env.db.sqlite;
  const slots = (
    s
      .prepare(`SELECT s.id FROM slots s LEFT JOIN leases l ON l.slot_id = s.id WHERE s.date = ? AND s.channel = 'registry'
      AND s.appointment_id IS NULL AND l.slot_id IS NULL ORDER BY s.start_utc LIMIT ? OFFSET ?`)
      .all(date, n, offset) as Array<{ id: string }>
  ).map((r) => r.id);
  const patients = (s.prepare(`SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT ? OFFSET ?`).all(ORG, n, offset) as Array<{ id: string }>).map((r) => r.id);
  return { slots, patients };
}

const serverStatus = async (id: string) =>
  (
    await clinic.database.db
      .select({ status: appointments.status, syncState: appointments.syncState })
      .from(appointments)
      .where(and(eq(appointments.orgId, ORG), eq(appointments.id, id)))
  )[0];

describe('identities survive restores and collisions (issue 9)', () => {
  it('finding 2: a desk restored from a backup books, cancels and syncs again — no sequence number taken for another op, the ticket counter past every code it issued, nothing lost', async () => {
    const a = await clinic.enrolledDesk('Регистратура 1');
    await a.desk.sync!.syncOnce();
    const { slots, patients } = freeTimes(a, '2026-11-24', 6, 0);
    const x = await a.call('appointments.book', { patientId: patients[0]!, slotId: slots[0]! });
    expect(x.appointment.syncState).toBe('confirmed');
    await a.desk.close();
    // The backup of docs/installer.md ("The data directory"): the data directory copied while Kezek is stopped.
    const backup = clinic.newDir();
    cpSync(a.dir, backup, { recursive: true });

    // Life goes on after the backup: two more bookings, uploaded.
    const b = await clinic.reopen(a.dir);
    await b.desk.sync!.syncOnce();
    const after = [await b.call('appointments.book', { patientId: patients[1]!, slotId: slots[1]! }), await b.call('appointments.book', { patientId: patients[2]!, slotId: slots[2]! })];
    expect(after.map((r) => r.appointment.syncState)).toEqual(['confirmed', 'confirmed']);
    await b.desk.close();

    // The disk dies; the backup is restored.
    rmSync(a.dir, { recursive: true, force: true });
    cpSync(backup, a.dir, { recursive: true });
    const c = await clinic.reopen(a.dir);
    // Before it has heard from the server, the restored desk books (offline) and cancels x: both ops carry numbers the server has used.
    const offline = await c.call('appointments.book', { patientId: patients[3]!, slotId: slots[3]! });
    await c.call('appointments.cancel', { appointmentId: x.appointment.id });
    await c.desk.sync!.syncOnce();
    await c.desk.sync!.syncOnce();
    expect(c.desk.sync!.status()).toMatchObject({ online: true, pending: 0, lastError: null });
    // The server did what the restored desk asked — it did not answer the cancellation with an older op's result.
    expect(await serverStatus(x.appointment.id)).toEqual({ status: 'cancelled', syncState: 'confirmed' });
    expect(await serverStatus(offline.appointment.id)).toEqual({ status: 'booked', syncState: 'confirmed' });
    // The bookings made after the backup came back from the server.
    const s = c.desk.env.db.sqlite;
    for (const r of after) expect(s.prepare('SELECT status, sync_state AS st FROM appointments WHERE id = ?').get(r.appointment.id)).toEqual({ status: 'booked', st: 'confirmed' });
    expect(s.prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status').all()).toEqual([{ status: 'applied', n: expect.any(Number) }]);
    // From now on the counter is past every code this desk ever issued.
    const fresh = await c.call('appointments.book', { patientId: patients[4]!, slotId: slots[4]! });
    expect(fresh.appointment.syncState).toBe('confirmed');
    expect(s.prepare('SELECT count(*) AS n FROM appointments WHERE ticket_code = ?').get(fresh.ticket.code)).toEqual({ n: 1 });
    expect([x, ...after, offline].map((r) => r.ticket.code)).not.toContain(fresh.ticket.code);
    await c.desk.close();
  });

  it('finding 2 (offline): a desk restored from a backup and still offline prints no code it printed after the backup — the ticket mark outside the data directory remembers', async () => {
    const a = await clinic.enrolledDesk('Регистратура 5');
    await a.desk.sync!.syncOnce();
    const { slots, patients } = freeTimes(a, '2026-11-27', 4, 0);
    await a.desk.close();
    const backup = clinic.newDir();
    cpSync(a.dir, backup, { recursive: true });
    // After the backup the desk works offline for a while: tickets printed, never uploaded.
    await clinic.down();
    const b = await clinic.reopen(a.dir);
    const printed = [await b.call('appointments.book', { patientId: patients[0]!, slotId: slots[0]! }), await b.call('appointments.book', { patientId: patients[1]!, slotId: slots[1]! })];
    await b.desk.close();
    // The disk dies; the backup goes back; the link is still down.
    rmSync(a.dir, { recursive: true, force: true });
    cpSync(backup, a.dir, { recursive: true });
    const c = await clinic.reopen(a.dir);
    const next = await c.call('appointments.book', { patientId: patients[2]!, slotId: slots[2]! });
    expect(next.ticket.code.slice(0, 3)).toBe(printed[0]!.ticket.code.slice(0, 3));
    expect(printed.map((r) => r.ticket.code)).not.toContain(next.ticket.code);
    expect(Number(next.ticket.code.slice(3))).toBeGreaterThan(Number(printed[1]!.ticket.code.slice(3)));
    await c.desk.close();
    await clinic.up();
  });

  it('issue 12: an enrollment whose answer never reached the desk is asked for again with the same code — the same device, a working token; the code stays useless to anyone else', async () => {
    const dir = clinic.newDir();
    const code = await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM);
    // The server redeems the code and answers; the answer is lost on the way (a dropped connection).
    let lose = true;
    const lossy: FetchFn = async (url, init) => {
      const res = await fetch(url, init);
      if (lose && url.pathname === '/enroll') {
        lose = false;
        throw new TypeError('fetch failed: connection reset');
      }
      return res;
    };
    const enrollWith = (fetchFn: FetchFn, d = dir) =>
      openDesk({ dataDir: d, clock: clinic.now, autoSync: false, fetchFn, enroll: { serverUrl: clinic.url, code, deviceName: 'Регистратура 7', password: 'desk-pass' } });
    await expect(enrollWith(lossy)).rejects.toThrow();
    const spent = await clinic.database.db.select({ usedAt: enrollmentCodes.usedAt }).from(enrollmentCodes);
    expect(spent.some((c) => c.usedAt !== null)).toBe(true);
    // The next start asks again with the same code: the same device comes back, and it syncs.
    const desk = await enrollWith(fetch);
    await desk.sync!.syncOnce();
    expect(desk.sync!.status()).toMatchObject({ online: true, lastError: null });
    expect((await clinic.database.db.select({ id: devices.id }).from(devices).where(eq(devices.name, 'Регистратура 7'))).length).toBe(1);
    await desk.close();
    // Another install with the same code gets nothing.
    await expect(enrollWith(fetch, clinic.newDir())).rejects.toThrow(/enrollment/);
  });

  it('finding 3: two desks that chose the same ticket prefix (enrolled before the server assigned them) both keep syncing and booking, then switch to unique prefixes', async () => {
    const a = await clinic.enrolledDesk('Регистратура 2');
    const b = await clinic.enrolledDesk('Регистратура 3');
    // As an older server left them: one local prefix on both, none assigned by the server.
    for (const d of [a, b]) d.desk.env.db.sqlite.prepare("UPDATE meta SET value = 'KKK' WHERE key = 'device_prefix'").run();
    for (const d of [a, b]) {
      const id = (d.desk.env.db.sqlite.prepare("SELECT value FROM meta WHERE key = 'server_device_id'").get() as { value: string }).value;
      await clinic.database.db.update(devices).set({ ticketPrefix: null }).where(eq(devices.id, id));
    }
    await clinic.down();
    const t = freeTimes(a, '2026-11-26', 4, 0);
    const ta = { slots: t.slots.slice(0, 2), patients: t.patients.slice(0, 2) };
    const tb = { slots: t.slots.slice(2), patients: t.patients.slice(2) };
    const onA = await a.call('appointments.book', { patientId: ta.patients[0]!, slotId: ta.slots[0]! });
    const onB = await b.call('appointments.book', { patientId: tb.patients[0]!, slotId: tb.slots[0]! });
    expect(onA.ticket.code).toBe(onB.ticket.code); // the collision
    await clinic.up();
    for (const d of [a, b, a, b]) await d.desk.sync!.syncOnce();
    for (const d of [a, b]) {
      expect(d.desk.sync!.status()).toMatchObject({ online: true, pending: 0, lastError: null });
      // Each desk holds both bookings: the pull did not stop on the shared code.
      expect(d.desk.env.db.sqlite.prepare('SELECT count(*) AS n FROM appointments WHERE ticket_code = ?').get(onA.ticket.code)).toEqual({ n: 2 });
    }
    const [pa, pb] = [a.desk.env.device.prefix, b.desk.env.device.prefix];
    expect(pa).not.toBe(pb);
    expect([pa, pb]).not.toContain('KKK');
    // Online bookings now carry the new prefixes and are confirmed (no 500 from a pull on the way).
    const nextA = await a.call('appointments.book', { patientId: ta.patients[1]!, slotId: ta.slots[1]! });
    const nextB = await b.call('appointments.book', { patientId: tb.patients[1]!, slotId: tb.slots[1]! });
    expect(nextA).toMatchObject({ appointment: { syncState: 'confirmed' }, ticket: { code: expect.stringMatching(new RegExp(`^${pa}\\d{6}$`)) } });
    expect(nextB).toMatchObject({ appointment: { syncState: 'confirmed' }, ticket: { code: expect.stringMatching(new RegExp(`^${pb}\\d{6}$`)) } });
    await a.desk.close();
    await b.desk.close();
  });
});
