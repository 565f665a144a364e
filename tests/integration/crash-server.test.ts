import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { connect } from '../../sync-server/db/connect.js';
import { appointments } from '../../sync-server/db/schema.js';
import { startPostgres, type Postgres } from '../support/postgres.js';
import { serverProcess, type ServerProcess } from '../support/server-process.js';
import { appointmentOf, NOW, pushUntilAnswered, seedOrgs } from '../support/sync-fixture.js';
import { enrollRaw } from '../support/signing.js';
import { closedPort } from '../support/virtual-printer.js';
import { waitFor } from '../support/wait.js';

let cluster: Postgres | null = null;
const dirs: string[] = [];
const alive: ServerProcess[] = [];
afterAll(async () => {
  for (const s of alive) await s.kill();
  cluster?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const DAYS = ['2026-11-24', '2026-11-25'];
const TIMES = Array.from({ length: 12 }, (_, k) => `${String(8 + Math.floor(k / 3)).padStart(2, '0')}:${String((k % 3) * 20).padStart(2, '0')}`);

describe.each(['pglite', 'postgres'] as const)('the sync server killed with SIGKILL during pushes, on %s (issue 9, finding 11)', (kind) => {
  it('restarted on the same data: every op answered exactly once, nothing lost or doubled, one booking per slot', async () => {
    let database: string;
    if (kind === 'postgres') {
      cluster ??= await startPostgres();
      if (!cluster) throw new Error('PostgreSQL binaries not found: install postgresql-15');
      database = await cluster.createDatabase();
    } else {
      database = mkdtempSync(join(tmpdir(), 'kezek-crash-pglite-'));
      dirs.push(database);
    }
    // The directory and four enrollment codes, written before the server runs (PGlite takes one process at a time).
    const setup = await connect(kind === 'postgres' ? { databaseUrl: database } : { dataDir: database });
    await seedOrgs(setup.db);
    const codes = await Promise.all([0, 1, 2, 3].map(() => createEnrollmentCode(setup.db, 'org-a', NOW)));
    await setup.close();
    const env = { KEZEK_CLOCK_START: new Date(NOW).toISOString(), PORT: String(await closedPort()) };
    let server = await serverProcess(database, env);
    alive.push(server);
    const tokens: string[] = [];
    for (const code of codes) tokens.push(await enrollRaw(server.url, code));
    let answered = 0;
    // Desks 0/1 contend for doc-1's times, 2/3 for doc-2's; each op is retried until the server answers it, as the engine does.
    const desks = tokens.map(async (token, d) => {
      let seq = 0;
      for (const date of DAYS) {
        for (const time of TIMES) {
          const op = {
            seq: ++seq,
            opId: `${d}-${seq}`,
            hlc: `${NOW}-00000-x`,
            name: 'appointments.book',
            args: { appointment: { ...appointmentOf(`${d < 2 ? 'doc-1' : 'doc-2'}@${date}T${time}`), id: `a-${d}-${seq}` }, preventive: false },
          };
          await pushUntilAnswered(server.url, token, op);
          answered++;
        }
      }
    });
    // Three crashes while they push, each after the desks made progress; the server comes back on the same data and port.
    for (let i = 0; i < 3; i++) {
      const before = answered;
      await waitFor(() => answered >= before + 3, 60_000, 'pushes between crashes');
      await server.kill();
      server = await serverProcess(database, env);
      alive.push(server);
    }
    await Promise.all(desks);
    expect(answered).toBe(4 * DAYS.length * TIMES.length);
    await server.kill();
    const check = await connect(kind === 'postgres' ? { databaseUrl: database } : { dataDir: database });
    const rows = await check.db.select({ id: appointments.id, slotId: appointments.slotId, syncState: appointments.syncState }).from(appointments);
    expect(rows).toHaveLength(4 * DAYS.length * TIMES.length);
    // One confirmed booking per contended time, the other kept as a conflict.
    const confirmed = rows.filter((r) => r.syncState === 'confirmed');
    expect(confirmed).toHaveLength(2 * DAYS.length * TIMES.length);
    expect(new Set(confirmed.map((r) => r.slotId)).size).toBe(confirmed.length);
    // Each device's results are 1..n, once each.
    const seqs = (await check.db.execute(sql`SELECT device_id, array_agg(device_seq ORDER BY device_seq) AS s FROM op_results GROUP BY device_id`)) as unknown as { rows: Array<{ s: number[] }> };
    for (const r of seqs.rows) expect(r.s.map(Number)).toEqual(Array.from({ length: DAYS.length * TIMES.length }, (_, i) => i + 1));
    await check.close();
  }, 240_000);
});
