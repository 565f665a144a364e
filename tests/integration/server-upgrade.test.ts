import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { sha256 } from '../../sync-server/auth/tokens.js';
import { connect } from '../../sync-server/db/connect.js';
import { appointmentRow } from '../../sync-server/sync/booking-mutators.js';
import { startServer } from '../support/server.js';
import { appointment, NOW, seedOrgs } from '../support/sync-fixture.js';
import { installOf, knowDevice, signedBy } from '../support/signing.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The server's migrations as they stood up to `lastTag`: an older release's database. */
function migrationsUpTo(lastTag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kezek-old-migrations-'));
  dirs.push(dir);
  cpSync('migrations/server', dir, { recursive: true });
  const journal = JSON.parse(readFileSync(join(dir, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === lastTag) + 1);
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  return dir;
}

describe('upgrading a server database in place (nothing lost)', () => {
  it('bookings and op results written by the release before the lean push rows (0004) survive migration 0005–0006 and stay usable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kezek-upgrade-'));
    dirs.push(dataDir);
    const token = 'old-desk-token';
    const booked = appointment('08:00');
    // The older release: its schema, a desk, and one booking accepted through its fast path (booking JSON in
    // the appointments table and the change log, the op's result copied into the change log).
    const old = new PGlite(dataDir);
    await migrate(drizzle(old), { migrationsFolder: migrationsUpTo('0004_push_book_fast_path') });
    await old.query(`INSERT INTO organizations (id, region_id, name, address, phone, profile_id, timezone) VALUES ('org-a', 'r', 'A', '', '', 'KG', 'Asia/Bishkek')`);
    await old.query('INSERT INTO devices (id, org_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)', ['dev-old', 'org-a', 'desk', sha256(token), NOW]);
    const r = await old.query<{ r: string }>('SELECT kezek_push_book($1, $2, 1, $3, $4, $5, $6, $7, $8::jsonb, $9) AS r', [
      'org-a',
      'dev-old',
      'op-1',
      booked.id,
      booked.patientId,
      booked.slotId,
      'booked',
      appointmentRow(booked, 'confirmed', undefined),
      NOW,
    ]);
    expect(r.rows[0]!.r).toBe('confirmed');
    await old.close();

    // This release opens it: migrations run on connect.
    const database = await connect({ dataDir });
    await seedOrgs(database.db); // the directory the server's rules judge by
    const server = await startServer(database, { clock: () => NOW });
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const pull = async () => (await (await fetch(`${server.url}/sync/pull?cursor=0`, { headers: auth })).json()) as any;
    // A device from before installs were recorded names its install with its first push (and signs with it).
    knowDevice(token, 'org-a');
    const push = async (ops: Array<{ seq: number; opId: string; hlc: string; name: string; args: unknown }>) =>
      (await (
        await fetch(`${server.url}/sync/push`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, installId: installOf(token), ops: ops.map((o) => signedBy(token, o)) }),
        })
      ).json()) as any;
    try {
      const feed = await pull();
      expect(feed.changes.map((c: any) => [c.entity, c.id, c.row.ticketCode])).toEqual([['appointment', booked.id, booked.ticketCode]]);
      expect(feed.results).toEqual([expect.objectContaining({ seq: 1, status: 'applied', detail: 'confirmed' })]);
      // The old booking's full row is found in the change log: a cancellation builds on it.
      const next = appointment('08:20');
      const res = await push([
        { seq: 2, opId: 'op-2', hlc: `${NOW}-00000-x`, name: 'appointments.cancel', args: { appointmentId: booked.id, channel: 'registry' } },
        { seq: 3, opId: 'op-3', hlc: `${NOW}-00000-x`, name: 'appointments.book', args: { appointment: next, preventive: false } },
      ]);
      expect(res.results.map((x: any) => `${x.seq}:${x.status}:${x.detail}`)).toEqual(['2:applied:cancelled', '3:applied:confirmed']);
      const after = await pull();
      const rows = after.changes.filter((c: any) => c.entity === 'appointment').map((c: any) => [c.id, c.row.status, c.row.ticketCode]);
      expect(rows).toEqual([
        [booked.id, 'booked', booked.ticketCode],
        [booked.id, 'cancelled', booked.ticketCode],
        [next.id, 'booked', next.ticketCode],
      ]);
    } finally {
      await server.close();
      await database.close();
    }
  });
});
