/**
 * Sync benchmarks (issue 3), on a real PostgreSQL cluster started here:
 * - push throughput of accepted bookings from 8 desks, beside a same-run baseline of
 *   one-row INSERT commits from 8 connections on the same database;
 * - catch-up of 2,000 ops a desk queued while offline;
 * - bootstrap of a new desk of the 70,000-patient clinic.
 */
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';
import { SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { openDesk } from '../../src-main/desk.js';
import { listen } from '../../src-main/rpc/http.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { connect } from '../../sync-server/db/connect.js';
import { organizations } from '../../sync-server/db/schema.js';
import { importDirectory } from '../../sync-server/directory/import.js';
import { createServerApp } from '../../sync-server/http/app.js';
import { silentLogger } from '../../sync-server/log.js';
import { startPostgres } from '../support/postgres.js';
import { summarize, type BenchResult } from './stats.js';
import { renewLeases } from '../../sync-server/sync/leases.js';

const NOW = Date.parse('2026-11-23T03:00:00Z');

const appt = (org: string, device: number, k: number): Appointment => {
  const day = 24 + Math.floor(k / 500);
  const minute = k % 500;
  const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return {
    id: `${org}-d${device}-${k}`, orgId: org, patientId: `p${k}`, slotId: `doc-${device}@2026-11-${day}T${time}`, doctorId: `doc-${device}`, specialtyId: 'family',
    date: `2026-11-${day}`, time, startUtc: NOW + k * 60_000, status: 'booked', channel: 'registry', referralId: null, replacesId: null,
    ticketCode: `B${device}${String(k).padStart(6, '0')}`, queueNumber: 1, liveQueue: false, createdAt: NOW, createdBy: 'u', deviceId: `d${device}`,
  };
};

/** A booking op as a desk sends it: the appointment and its register-of-requests row. */
const bookArgs = (a: Appointment) => ({
  appointment: a, preventive: false, mode: 'tentative',
  register: { id: `r-${a.id}`, at: NOW, patientId: a.patientId, applicant: 'Абдыкадырова Чолпон Эрлановна', specialtyId: a.specialtyId, doctorId: a.doctorId,
    channel: 'registry', result: 'booked', reason: null, appointmentId: a.id, appointedAt: a.startUtc, userId: 'u', deviceId: a.deviceId },
});

export async function syncBenchmarks(largeDirectory: () => DirectoryFile, log: (m: string) => void): Promise<BenchResult[]> {
  const cluster = await startPostgres();
  if (!cluster) {
    log('sync benchmarks skipped: no PostgreSQL binaries (/usr/lib/postgresql)');
    return [];
  }
  const out: BenchResult[] = [];
  try {
    const url = await cluster.createDatabase();
    const database = await connect({ databaseUrl: url });
    const server = await listen(createServerApp({ database, clock: () => NOW, log: silentLogger }) as never, 0);
    const DEVICES = 8;

    // Baseline: 8 connections, each committing one-row INSERTs (the ceiling for durable commits here).
    const pool = new pg.Pool({ connectionString: url, max: DEVICES });
    await pool.query('CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, v text NOT NULL)');
    const PER = 400;
    let t0 = performance.now();
    await Promise.all(Array.from({ length: DEVICES }, async () => {
      const c = await pool.connect();
      for (let i = 0; i < PER; i++) await c.query('INSERT INTO bench_baseline (v) VALUES ($1)', [`row ${i}`]);
      c.release();
    }));
    let secs = (performance.now() - t0) / 1000;
    out.push({ name: 'baseline_pg_insert_commit_8_clients', p50_ms: (secs * 1000) / PER, p99_ms: (secs * 1000) / PER, n: DEVICES * PER, ops_per_s: Math.round((DEVICES * PER) / secs) });
    await pool.end();

    // 8 desks, each in its own clinic (a regional server), pushing batches of 50 bookings.
    const tokens: string[] = [];
    for (let d = 0; d < DEVICES; d++) {
      await database.db.insert(organizations).values({ id: `org-${d}`, regionId: 'r', name: `O${d}`, address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' });
      const code = await createEnrollmentCode(database.db, `org-${d}`, NOW);
      tokens.push(((await (await fetch(`${server.url}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: `d${d}` }) })).json()) as { token: string }).token);
    }
    const OPS = 400;
    const BATCH = 50;
    const push = async (token: string, ops: unknown[]) => {
      const r = await fetch(`${server.url}/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, ops }) });
      const body = (await r.json()) as { results: Array<{ status: string }> };
      if (body.results.some((x) => x.status !== 'applied')) throw new Error('a benchmark booking was not applied');
    };
    t0 = performance.now();
    await Promise.all(tokens.map(async (token, d) => {
      for (let k = 0; k < OPS; k += BATCH) {
        await push(token, Array.from({ length: BATCH }, (_, j) => ({ seq: k + j + 1, opId: `o-${d}-${k + j}`, hlc: '0', name: 'appointments.book', args: bookArgs(appt(`org-${d}`, d, k + j)) })));
      }
    }));
    secs = (performance.now() - t0) / 1000;
    out.push({ name: 'sync_push_bookings_8_devices', p50_ms: (secs * 1000) / OPS, p99_ms: (secs * 1000) / OPS, n: DEVICES * OPS, ops_per_s: Math.round((DEVICES * OPS) / secs) });

    // Catch-up: one desk comes back with 2,000 bookings made offline.
    await database.db.insert(organizations).values({ id: 'org-offline', regionId: 'r', name: 'Off', address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' });
    const code = await createEnrollmentCode(database.db, 'org-offline', NOW);
    const token = ((await (await fetch(`${server.url}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: 'offline' }) })).json()) as { token: string }).token;
    t0 = performance.now();
    for (let k = 0; k < 2000; k += 200) {
      await push(token, Array.from({ length: 200 }, (_, j) => ({ seq: k + j + 1, opId: `off-${k + j}`, hlc: '0', name: 'appointments.book', args: bookArgs(appt('org-offline', 99, k + j)) })));
    }
    const catchUp = performance.now() - t0;
    out.push({ name: 'sync_catch_up_2000_ops', p50_ms: catchUp, p99_ms: catchUp, n: 1, ops_per_s: Math.round(2000 / (catchUp / 1000)) });

    // Bootstrap: a new desk of the 70,000-patient clinic downloads its replica.
    await importDirectory(database.db, largeDirectory(), NOW);
    const orgId = 'org-bishkek-lenin';
    const dir = mkdtempSync(join(tmpdir(), 'kezek-bench-boot-'));
    const bootCode = await createEnrollmentCode(database.db, orgId, NOW);
    t0 = performance.now();
    const desk = await openDesk({ dataDir: dir, clock: () => NOW, autoSync: false, enroll: { serverUrl: server.url, code: bootCode, deviceName: 'new desk', password: 'bench-pass' } });
    const boot = performance.now() - t0;
    const patients = (desk.env.db.sqlite.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
    log(`bootstrap pulled ${patients} patients in ${(boot / 1000).toFixed(1)} s`);
    out.push({ name: 'sync_bootstrap_70k_patients', p50_ms: boot, p99_ms: boot, n: 1 });
    await desk.close();
    rmSync(dir, { recursive: true, force: true });

    // Lease renewal for the large clinic: 8 desks in turn (it holds the organization's lock while it plans).
    const renewals: number[] = [];
    const leaseDevices: Array<{ id: string; orgId: string }> = [];
    for (let d = 0; d < 8; d++) {
      const c2 = await createEnrollmentCode(database.db, orgId, NOW);
      const r = (await (await fetch(`${server.url}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: c2, deviceName: `lease ${d}` }) })).json()) as { deviceId: string };
      leaseDevices.push({ id: r.deviceId, orgId });
    }
    for (let round = 0; round < 3; round++) {
      for (const dev of leaseDevices) {
        const t1 = performance.now();
        await renewLeases(database.db, dev, NOW);
        renewals.push(performance.now() - t1);
      }
    }
    const held = (await database.db.execute(sql`SELECT count(*)::int AS n FROM slot_leases`)) as unknown as { rows: Array<{ n: number }> };
    log(`8 desks of the large clinic hold ${held.rows[0]!.n} slot leases`);
    out.push(summarize('sync_lease_renewal_150_doctors', renewals));
    const c = (await database.db.execute(sql`SELECT count(*)::int AS n FROM appointments`)) as unknown as { rows: Array<{ n: number }> };
    log(`server holds ${c.rows[0]!.n} bookings`);
    await server.close();
    await database.close();
  } finally {
    cluster.stop();
  }
  return out;
}
