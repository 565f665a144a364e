import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../sync-server/admin/commands.js';
import { openDesk } from '../../src-main/desk.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { ClinicServer, type EnrolledDesk, ORG, signedIn } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { serverProcess } from '../support/server-process.js';
import { type Postgres, startPostgres } from '../support/postgres.js';

let postgres: Postgres | null = null;
let clinic: ClinicServer;
let live: string;
beforeAll(async () => {
  postgres = await startPostgres();
  if (!postgres) return;
  live = await postgres.createDatabase();
  clinic = await new ClinicServer(undefined, live).start();
}, 120_000);
afterAll(async () => {
  await clinic?.stop();
  postgres?.stop();
});

const run = promisify(execFile);
const cli = (databaseUrl: string, ...args: string[]) => run(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl } });
async function query(url: string, text: string, values: unknown[]): Promise<Array<Record<string, string>>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows;
  } finally {
    await c.end();
  }
}

const sql = (d: EnrolledDesk) => d.desk.env.db.sqlite;
/** `CREATE DATABASE … TEMPLATE …`: the database as it is now, as a backup taken now would restore it. */
async function copyDatabase(from: string, suffix = 'backup'): Promise<string> {
  const name = `${new URL(from).pathname.slice(1)}_${suffix}`;
  const c = new pg.Client({ connectionString: postgres!.url('postgres') });
  await c.connect();
  await c.query(`CREATE DATABASE ${name} TEMPLATE ${new URL(from).pathname.slice(1)}`);
  await c.end();
  return postgres!.url(name);
}
const book = async (d: EnrolledDesk, skip: number) => {
  const { patientId, slotId } = sql(d)
    .prepare(
      `SELECT p.id AS patientId, s.id AS slotId FROM patients p, slots s WHERE p.attached_org_id = 'org-bishkek-lenin' AND p.priority = 0
        AND s.date = '2026-11-24' AND s.channel = 'registry' AND s.appointment_id IS NULL AND s.blocked = 0 AND s.specialty_id = 'family'
        AND p.id NOT IN (SELECT patient_id FROM appointments) AND s.id NOT IN (SELECT slot_id FROM leases) ORDER BY p.id, s.id LIMIT 1 OFFSET ?`,
    )
    .get(skip) as { patientId: string; slotId: string };
  return (await d.call('appointments.book', { patientId, slotId, preventive: true })).appointment;
};

describe('the server restored from an older backup (issue 12: the desks carry on)', () => {
  it('a desk notices the server forgot, pulls everything again and re-sends what the backup lacks; another desk then sees it all', async () => {
    if (!postgres) return expect.fail('PostgreSQL is not installed here (.ci/run installs it)');
    const a = await clinic.enrolledDesk('Регистратура 1');
    const first = await book(a, 0);
    await a.desk.sync!.syncOnce();
    // The night's backup…
    let backup = '';
    await clinic.restartOn(live, async () => {
      backup = await copyDatabase(live);
    });
    // …then a morning's work, acknowledged by the server.
    const second = await book(a, 1);
    await a.desk.sync!.syncOnce();
    expect(sql(a).prepare("SELECT status FROM outbox WHERE name = 'appointments.book' ORDER BY seq").all()).toEqual([{ status: 'applied' }, { status: 'applied' }]);

    // The server's disk dies; it comes back from the backup: the second booking is gone from it.
    await clinic.restartOn(backup);
    live = backup; // the server's database from now on
    const onServer = async () =>
      (
        (await clinic.database.db.execute((await import('drizzle-orm')).sql`SELECT id, sync_state AS state FROM appointments WHERE id IN (${first.id}, ${second.id}) ORDER BY id`)) as unknown as {
          rows: Array<{ id: string; state: string }>;
        }
      ).rows;
    expect((await onServer()).map((r) => r.id)).toEqual([first.id]);

    // The desk's next sync notices (the server's newest change is behind its cursor) and re-sends.
    await a.desk.sync!.syncOnce();
    await a.desk.sync!.syncOnce();
    expect((await onServer()).map((r) => r.state)).toEqual(['confirmed', 'confirmed']);
    expect(sql(a).prepare('SELECT sync_state AS s FROM appointments WHERE id = ?').get(second.id)).toEqual({ s: 'confirmed' });

    // `after-restore` renews the history: a desk re-pulls from the start even when others have pushed past its cursor.
    const before = sql(a).prepare("SELECT value FROM meta WHERE key = 'server_history_id'").get() as { value: string };
    await runAdmin(clinic.database.db, 'after-restore', {}, MONDAY_9AM);
    await a.desk.sync!.syncOnce();
    expect(sql(a).prepare("SELECT value FROM meta WHERE key = 'server_history_id'").get()).not.toEqual(before);

    const b = await clinic.enrolledDesk('Регистратура 2');
    const seen = sql(b).prepare('SELECT id, sync_state AS s FROM appointments WHERE id IN (?, ?) ORDER BY id').all(first.id, second.id);
    expect(seen).toEqual([first.id, second.id].sort().map((id) => ({ id, s: 'confirmed' })));
  }, 120_000);

  it('`npm run server -- backup` runs online; `restore` (server stopped) puts it back and renews the history, a damaged file changes nothing, and the desks carry on', async () => {
    if (!postgres) return expect.fail('PostgreSQL is not installed here (.ci/run installs it)');
    const a = await clinic.enrolledDesk('Регистратура 3');
    const first = await book(a, 5);
    await a.desk.sync!.syncOnce();
    const dir = mkdtempSync(join(tmpdir(), 'kezek-server-backup-'));
    const file = join(dir, 'night.dump');
    try {
      // The night's backup, taken while the server serves.
      await cli(live, 'backup', file);
      await expect(cli(live, 'backup', file)).rejects.toThrow(/exists already/);
      const second = await book(a, 6);
      await a.desk.sync!.syncOnce();
      const onServer = async () => (await query(live, 'SELECT id FROM appointments WHERE id IN ($1, $2) ORDER BY id', [first.id, second.id])).map((r) => r.id);
      expect(await onServer()).toEqual([first.id, second.id].sort());
      const history = async () => (await query(live, "SELECT history_id AS h FROM organizations WHERE id = 'org-bishkek-lenin'", []))[0]!.h;
      const before = await history();

      // Issue 24 finding 6: while a sync server serves the database — here `npm run server` as its own process — a restore is refused and changes nothing.
      const running = await serverProcess(live);
      try {
        await expect(cli(live, 'restore', file)).rejects.toThrow(/a sync server is serving this database/);
        expect(await onServer()).toEqual([first.id, second.id].sort());
      } finally {
        await running.kill(); // a crash drops its lock with its connection
      }
      await clinic.restartOn(live, async () => {
        writeFileSync(join(dir, 'damaged.dump'), 'PGDMP not really');
        await expect(cli(live, 'restore', join(dir, 'damaged.dump'))).rejects.toThrow();
        expect(await onServer()).toEqual([first.id, second.id].sort());
        await cli(live, 'restore', file);
      });
      expect(await onServer()).toEqual([first.id]);
      expect(await history()).not.toBe(before);

      // The desk re-pulls (a renewed history) and re-sends the booking the backup lacked.
      await a.desk.sync!.syncOnce();
      await a.desk.sync!.syncOnce();
      expect(await onServer()).toEqual([first.id, second.id].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a PC enrolled after the backup is unknown to the restored server: given a new code it enrolls again keeping everything, and its bookings come back', async () => {
    if (!postgres) return expect.fail('PostgreSQL is not installed here (.ci/run installs it)');
    let backup = '';
    await clinic.restartOn(live, async () => {
      backup = await copyDatabase(live, 'before_new_pc');
    });
    // Installed the day after the night's backup; books before the server's disk dies.
    const c = await clinic.enrolledDesk('Регистратура 5');
    const booked = await book(c, 9);
    await c.desk.sync!.syncOnce();
    const oldDevice = sql(c).prepare("SELECT value FROM meta WHERE key = 'server_device_id'").get() as { value: string };
    // A code given to a desk the server knows is ignored (left in a shortcut, it must not enroll the PC at every start).
    await c.desk.close();
    const unused = await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM);
    const same = await openDesk({ dataDir: c.dir, clock: clinic.now, autoSync: false, enroll: { serverUrl: clinic.url, code: unused, deviceName: 'x', password: 'ignored-pass' } });
    expect(same.env.db.sqlite.prepare("SELECT value FROM meta WHERE key = 'server_device_id'").get()).toEqual(oldDevice);
    // …and so does the status bar's "enroll again" while the server accepts the PC.
    await expect((await signedIn(same, 'admin')).call('sync.enrollAgain', { code: unused })).rejects.toThrow('already_set_up');
    await clinic.restartOn(backup);
    live = backup;

    // The restored server does not know this PC: its token is refused, and the desk remembers that.
    await same.sync!.syncOnce();
    expect(same.sync!.lastError).toBe('unauthorized');
    await same.close();
    const code = await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM);
    const again = await openDesk({ dataDir: c.dir, clock: clinic.now, autoSync: false, enroll: { serverUrl: clinic.url, code, deviceName: 'Регистратура 5', password: 'ignored-pass' } });
    try {
      const db = again.env.db.sqlite;
      expect(db.prepare("SELECT value FROM meta WHERE key = 'server_device_id'").get()).not.toEqual(oldDevice);
      expect(db.prepare('SELECT count(*) AS n FROM appointments WHERE id = ?').get(booked.id)).toEqual({ n: 1 });
      await again.sync!.syncOnce();
      await again.sync!.syncOnce();
      expect(again.sync!.lastError).toBeNull();
      expect(await query(live, 'SELECT sync_state AS state FROM appointments WHERE id = $1', [booked.id])).toEqual([{ state: 'confirmed' }]);
      // Another desk receives it with the ticket code it was printed with.
      const d = await clinic.enrolledDesk('Регистратура 6');
      expect(sql(d).prepare('SELECT ticket_code AS code, sync_state AS state FROM appointments WHERE id = ?').get(booked.id)).toEqual({ code: booked.ticketCode, state: 'confirmed' });
      expect(db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get()).toEqual({ n: 0 });
      expect(db.prepare("SELECT value FROM meta WHERE key = 'server_refused_at'").get()).toBeUndefined();
    } finally {
      await again.close();
    }
  }, 120_000);
});
