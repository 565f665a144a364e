import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { enrollRaw, signedBy } from '../support/signing.js';
import { connect } from '../../sync-server/db/connect.js';
import { isTransient } from '../../sync-server/db/faults.js';
import { appointments, tasks } from '../../sync-server/db/schema.js';
import { SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { startPostgres, type Postgres } from '../support/postgres.js';
import { serverProcess, type ServerProcess } from '../support/server-process.js';
import { Backends, type Backend } from '../support/server.js';
import { appointment, NOW, pushUntilAnswered, seedOrgs, syncFixture } from '../support/sync-fixture.js';
import { waitFor } from '../support/wait.js';

const backends = new Backends();
let cluster: Postgres | null = null;
const children: ServerProcess[] = [];
afterAll(() => {
  for (const c of children) c.stop();
  backends.stop();
  cluster?.stop();
});

const book = (seq: number, time: string, doctor = 'doc-1') => ({ seq, name: 'appointments.book', args: { appointment: appointment(time, doctor), preventive: false } });

describe.each<Backend>(['pglite', 'postgres'])('poison ops on %s (issue 9: findings 5, 6)', (kind) => {
  it('an unknown op nested 5,000 levels deep is quarantined with a bounded copy, and the op behind it is applied', async () => {
    const s = await syncFixture(backends, kind);
    const d = await s.enrollDesk('org-a');
    // Written as text: JSON.stringify itself overflows the stack on such input.
    const deep = `${'{"x":'.repeat(5000)}"bottom"${'}'.repeat(5000)}`;
    const second = JSON.stringify(signedBy(d, { ...book(2, '08:00'), opId: 'op-2', hlc: `${NOW}-00000-x` }));
    const body = `{"schemaVersion":${SYNC_SCHEMA_VERSION},"ops":[{"seq":1,"opId":"op-1","hlc":"${NOW}-00000-x","name":"appointments.teleport","args":${deep}},${second}]}`;
    const res = await fetch(`${s.server.url}/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${d}` }, body });
    const r = { status: res.status, json: (await res.json()) as any };
    expect(r.status).toBe(200);
    expect(r.json.results.map((x: any) => `${x.seq}:${x.status}`)).toEqual(['1:quarantined', '2:applied']);
    const [task] = await s.database.db.select().from(tasks);
    const copy = (task!.row as { op: { name: string; args: unknown } }).op;
    expect(copy.name).toBe('appointments.teleport');
    expect(typeof copy.args).toBe('string');
    expect((copy.args as string).length).toBeLessThanOrEqual(4001);
    await s.close();
  });

  it('a deterministic database failure of an op is quarantined with a short code: no SQL text reaches the device', async () => {
    const s = await syncFixture(backends, kind);
    const d = await s.enrollDesk('org-a');
    // jsonb cannot hold a NUL character: storing this refusal fails the same way every time.
    const refusal = { id: 'ref-1', patientId: null, applicant: 'Асанов\u0000', specialtyId: null, doctorId: null, channel: 'registry', reason: 'intoxication' };
    const r = await s.push(d, [{ seq: 1, name: 'register.refuse', args: refusal }, book(2, '08:20')]);
    expect(r.json.results.map((x: any) => x.status)).toEqual(['quarantined', 'applied']);
    const detail: string = r.json.results[0].detail;
    expect(detail).toMatch(/^error:sqlstate_[0-9A-Z]{5}$/);
    const feed = await s.pull(d);
    const text = JSON.stringify(feed);
    expect(text).not.toMatch(/insert into|select |org_rows|values \(/i);
    await s.close();
  });
});

describe('transient database errors on PostgreSQL (issue 9: findings 4, 5)', () => {
  it('a lock timeout while desks push is answered 503 "try again", never quarantined; the same push then succeeds', async () => {
    cluster ??= await startPostgres();
    if (!cluster) throw new Error('PostgreSQL binaries not found: install postgresql-15');
    const url = await cluster.createDatabase();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET lock_timeout = '200ms'`);
    const database = await connect({ databaseUrl: url });
    await seedOrgs(database.db);
    const { startServer } = await import('../support/server.js');
    const server = await startServer(database, { clock: () => NOW });
    const code = await createEnrollmentCode(database.db, 'org-a', NOW);
    const token = await enrollRaw(server.url, code, 'd');
    const push = (ops: unknown[]) =>
      fetch(`${server.url}/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, ops }),
      });
    const ops = ['08:00', '08:20', '08:40'].map((t, i) => signedBy(token, { ...book(i + 1, t), opId: `op-${i + 1}`, hlc: `${NOW}-00000-x` }));
    // Another writer holds the organization's lock longer than the database lets anyone wait.
    await admin.query("SELECT pg_advisory_lock(hashtext('org-a'))");
    const blocked = await push(ops);
    expect(blocked.status).toBe(503);
    expect(blocked.headers.get('retry-after')).toBe('2');
    expect(((await blocked.json()) as any).error.code).toBe('unavailable');
    await admin.query("SELECT pg_advisory_unlock(hashtext('org-a'))");
    const ok = await push(ops);
    expect(((await ok.json()) as any).results.map((x: any) => x.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await database.db.$count(tasks)).toBe(0);
    await admin.end();
    await server.close();
    await database.close();
  });

  it('backends terminated and PostgreSQL restarted while 4 desks push: the server process lives, answers 503 meanwhile, recovers by itself, nothing lost or quarantined', async () => {
    cluster ??= await startPostgres();
    if (!cluster) throw new Error('PostgreSQL binaries not found: install postgresql-15');
    const url = await cluster.createDatabase();
    const setup = await connect({ databaseUrl: url });
    await seedOrgs(setup.db);
    const server = await serverProcess(url, { KEZEK_CLOCK_START: new Date(NOW).toISOString() });
    children.push(server);
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const code = await createEnrollmentCode(setup.db, 'org-a', Date.now());
      tokens.push(await enrollRaw(server.url, code, `desk ${i}`));
    }
    await setup.close();
    const statuses = new Set<number>();
    let answered = 0;
    const DAYS = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
    const TIMES = Array.from({ length: 12 }, (_, k) => `${String(8 + Math.floor(k / 3)).padStart(2, '0')}:${String((k % 3) * 20).padStart(2, '0')}`);
    // Desks 0 and 1 both book every time of doc-1 on four days, desks 2 and 3 those of doc-2: one op per push, each
    // retried until the server answers it, as the desk's engine does.
    const desks = tokens.map(async (token, d) => {
      const doctor = d < 2 ? 'doc-1' : 'doc-2';
      let seq = 0;
      for (const date of DAYS) {
        for (const time of TIMES) {
          const a = { ...appointment(time, doctor), date, slotId: `${doctor}@${date}T${time}`, startUtc: Date.parse(`${date}T${time}:00+06:00`) };
          const op = { seq: ++seq, name: 'appointments.book', args: { appointment: a, preventive: false }, opId: `${d}-${seq}`, hlc: `${NOW}-00000-x` };
          await pushUntilAnswered(server.url, token, op, (status) => statuses.add(status));
          answered++;
        }
      }
    });
    // Faults while they push: backends terminated five times (each after the desks made progress), then a crash-like restart.
    for (let i = 0; i < 5; i++) {
      const before = answered;
      await waitFor(() => answered >= before + 2, 20_000, 'pushes between faults');
      await cluster.terminateBackends(url);
    }
    await cluster.restart(async () => {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(503);
    });
    await Promise.all(desks);
    expect(answered).toBe(4 * 48);
    expect([...statuses]).not.toContain(500);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const check = await connect({ databaseUrl: url });
    // 4 desks × 48 ops; each pair contends for the same 48 times: 48 confirmed bookings and 48 conflicts per doctor.
    const rows = await check.db.select({ syncState: appointments.syncState }).from(appointments);
    expect(rows).toHaveLength(4 * 48);
    expect(rows.filter((r) => r.syncState === 'confirmed')).toHaveLength(2 * 48);
    expect((await check.db.select({ kind: tasks.kind }).from(tasks)).every((t) => t.kind === 'call_patient')).toBe(true);
    await check.close();
  }, 120_000);
});

describe('what counts as transient', () => {
  it('lost connections, shutdowns, lock and serialization failures are transient; data errors are not', () => {
    expect(isTransient(Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(new Error('wrapped', { cause: Object.assign(new Error('could not serialize'), { code: '40001' }) }))).toBe(true);
    expect(isTransient(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))).toBe(false);
    expect(isTransient(new TypeError('x is undefined'))).toBe(false);
  });
});
