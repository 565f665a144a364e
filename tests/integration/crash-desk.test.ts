import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { appointments } from '../../sync-server/db/schema.js';
import { ClinicServer, ORG } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { Rng } from '../../src-main/seed/random.js';
import { closedPort } from '../support/virtual-printer.js';
import { waitFor } from '../support/wait.js';

const clinic = new ClinicServer();
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

/** A real desk process (`npm start` in browser mode), killed with SIGKILL — not closed. */
function deskProcess(dir: string, port: number, enroll?: { url: string; code: string }): Promise<{ child: ChildProcess; url: string }> {
  const args = [
    'src-main/cli/start.ts',
    '--browser',
    ...(enroll ? [] : ['--demo']),
    '--data-dir',
    dir,
    '--port',
    String(port),
    '--clock-start',
    new Date(MONDAY_9AM).toISOString(),
    ...(enroll ? ['--server', enroll.url, '--enroll-code', enroll.code, '--device-name', 'Регистратура (crash test)'] : []),
  ];
  // Node itself (with tsx as a loader), not the tsx wrapper: a SIGKILL must reach the process that holds the database.
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, KEZEK_PASSWORD: 'desk-pass' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /open (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => reject(new Error(`desk exited (${signal ?? code}): ${out}`)));
  });
}

async function rpc(url: string, token: string, method: string, input: unknown): Promise<{ ok: boolean; data?: any } | null> {
  try {
    const r = await fetch(`${url}/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
    const body = (await r.json()) as { data?: unknown };
    return { ok: r.ok, data: body.data };
  } catch {
    return null; // the process died under the request: no answer, so nothing was acknowledged
  }
}

describe('a desk killed with SIGKILL at random moments (issue 9, finding 11)', () => {
  it('while booking, cancelling and moving: after each restart the database is intact, every acknowledged change is there, no slot is held twice, and the outbox uploads', async () => {
    const rng = new Rng(20261125);
    const dir = clinic.newDir();
    const port = await closedPort();
    const code = await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM);
    let desk = await deskProcess(dir, port, { url: clinic.url, code });
    const file = join(dir, 'kezek.sqlite');
    const read = () => new Database(file, { readonly: true });
    // What the desk acknowledged (answered 200): the booking and the status it must have. A change sent but not
    // answered (the kill came first) may or may not have committed: then either status is right.
    const acknowledged = new Map<string, 'booked' | 'cancelled'>();
    const inDoubt = new Set<string>();
    let actions = 0;

    for (let cycle = 0; cycle < 4; cycle++) {
      const token = (await rpc(desk.url, '', 'auth.signIn', { username: 'registrar', password: 'desk-pass' }))!.data.token as string;
      const db = read();
      const slots = (
        db
          .prepare(`SELECT s.id FROM slots s LEFT JOIN leases l ON l.slot_id = s.id WHERE s.channel = 'registry' AND s.appointment_id IS NULL
          AND s.date BETWEEN '2026-11-24' AND '2026-11-27' AND s.specialty_id IN (SELECT id FROM specialties WHERE kind = 'family') AND l.slot_id IS NULL`)
          .all() as Array<{ id: string }>
      ).map((r) => r.id);
      const patients = (db.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0').all(ORG) as Array<{ id: string }>).map((r) => r.id);
      db.close();
      // The kill comes at a random moment while requests are in flight.
      let killed = false;
      const killer = setTimeout(
        () => {
          killed = true;
          desk.child.kill('SIGKILL');
        },
        rng.int(150, 900),
      );
      while (!killed) {
        actions++;
        const mine = [...acknowledged].filter(([id, s]) => s === 'booked' && !inDoubt.has(id)).map(([id]) => id);
        const r = rng.next();
        if (r < 0.6 || mine.length === 0) {
          const res = await rpc(desk.url, token, 'appointments.book', { patientId: rng.pick(patients), slotId: slots.splice(rng.int(0, slots.length - 1), 1)[0]! });
          if (res?.ok) acknowledged.set(res.data.appointment.id, 'booked');
        } else if (r < 0.8) {
          const id = rng.pick(mine);
          const res = await rpc(desk.url, token, 'appointments.cancel', { appointmentId: id });
          if (res?.ok) acknowledged.set(id, 'cancelled');
          else if (!res) inDoubt.add(id);
        } else {
          const id = rng.pick(mine);
          const res = await rpc(desk.url, token, 'appointments.move', { appointmentId: id, slotId: slots.splice(rng.int(0, slots.length - 1), 1)[0]! });
          if (res?.ok) {
            acknowledged.set(id, 'cancelled');
            acknowledged.set(res.data.appointment.id, 'booked');
          } else if (!res) inDoubt.add(id);
        }
      }
      clearTimeout(killer);
      await new Promise((r) => (desk.child.exitCode !== null || desk.child.signalCode !== null ? r(null) : desk.child.once('exit', r)));
      expect(desk.child.signalCode).toBe('SIGKILL');

      // The file as the killed process left it, then the desk started again on it.
      const after = read();
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const [id, status] of acknowledged) {
        const { status: found } = after.prepare('SELECT status FROM appointments WHERE id = ?').get(id) as { status: string };
        // What was in doubt is settled now: the file says which way it went.
        if (inDoubt.delete(id)) acknowledged.set(id, found as 'booked' | 'cancelled');
        else expect(found, `booking ${id}`).toBe(status);
      }
      expect(after.prepare(`SELECT slot_id FROM appointments WHERE status IN ('booked', 'arrived', 'fulfilled') AND sync_state != 'conflict' GROUP BY slot_id HAVING count(*) > 1`).all()).toEqual([]);
      expect(
        after
          .prepare(`SELECT count(*) AS n FROM slots s WHERE coalesce(s.appointment_id, '') != coalesce((SELECT a.id FROM appointments a WHERE a.slot_id = s.id
          AND a.status IN ('booked','arrived','fulfilled') AND a.sync_state != 'conflict'), '')`)
          .get(),
      ).toEqual({ n: 0 });
      // Every change has its outbox op (committed together): a booking without its upload would be lost to the clinic.
      for (const [id] of acknowledged)
        expect((after.prepare("SELECT count(*) AS n FROM outbox WHERE name IN ('appointments.book', 'appointments.move') AND args LIKE ?").get(`%"id":"${id}"%`) as { n: number }).n).toBe(1);
      after.close();
      desk = await deskProcess(dir, port);
    }
    expect(actions).toBeGreaterThan(20);
    // The restarted desk uploads what waited: the server ends with every acknowledged booking, as acknowledged.
    const db = read();
    await waitFor(() => (db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n === 0, 60_000, 'the outbox to upload');
    db.close();
    for (const [id, status] of acknowledged) {
      const [row] = await clinic.database.db
        .select({ status: appointments.status })
        .from(appointments)
        .where(and(eq(appointments.orgId, ORG), eq(appointments.id, id)));
      expect(row?.status, `booking ${id} on the server`).toBe(status);
    }
    desk.child.kill('SIGKILL');
  }, 180_000);
});
