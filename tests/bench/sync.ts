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
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { connect } from '../../sync-server/db/connect.js';
import { organizations } from '../../sync-server/db/schema.js';
import { importDirectory } from '../../sync-server/directory/import.js';
import { startPostgres } from '../support/postgres.js';
import { serverProcess } from '../support/server-process.js';
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
  let stopServer = () => {};
  try {
    const url = await cluster.createDatabase();
    const database = await connect({ databaseUrl: url });
    // The server as production runs it: its own process (`npm run server`), its clock set to the bench's instant.
    const server = await serverProcess(url, { KEZEK_CLOCK_START: new Date(NOW).toISOString() });
    stopServer = server.stop;
    const DEVICES = 8;
    const ROUNDS = 5;
    const BASE_PER_CLIENT = 1000;
    const PUSH_PER_DEVICE = 400;
    const BATCH = 50;

    // Push throughput beside its baseline, in alternating rounds (this machine is noisy; medians of rounds):
    // the baseline is 8 connections each committing one-row INSERTs (the ceiling for durable commits here);
    // the push is 8 desks, each in its own clinic (a regional server), pushing batches of 50 bookings.
    const pool = new pg.Pool({ connectionString: url, max: DEVICES });
    await pool.query('CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, v text NOT NULL)');
    const baselineRound = async (): Promise<number> => {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: DEVICES }, async () => {
        const c = await pool.connect();
        for (let i = 0; i < BASE_PER_CLIENT; i++) await c.query('INSERT INTO bench_baseline (v) VALUES ($1)', [`row ${i}`]);
        c.release();
      }));
      return (DEVICES * BASE_PER_CLIENT) / ((performance.now() - t0) / 1000);
    };
    const push = async (token: string, ops: unknown[]) => {
      const r = await fetch(`${server.url}/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, ops }) });
      const body = (await r.json()) as { results: Array<{ status: string }> };
      if (body.results.some((x) => x.status !== 'applied')) throw new Error('a benchmark booking was not applied');
    };
    const pushRound = async (round: number): Promise<number> => {
      const tokens: string[] = [];
      for (let d = 0; d < DEVICES; d++) {
        const org = `org-${round}-${d}`;
        await database.db.insert(organizations).values({ id: org, regionId: 'r', name: org, address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' });
        const code = await createEnrollmentCode(database.db, org, NOW);
        tokens.push(((await (await fetch(`${server.url}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: `d${d}` }) })).json()) as { token: string }).token);
      }
      const t0 = performance.now();
      await Promise.all(tokens.map(async (token, d) => {
        for (let k = 0; k < PUSH_PER_DEVICE; k += BATCH) {
          await push(token, Array.from({ length: BATCH }, (_, j) => ({ seq: k + j + 1, opId: `o-${round}-${d}-${k + j}`, hlc: '0', name: 'appointments.book', args: bookArgs(appt(`org-${round}-${d}`, d, k + j)) })));
        }
      }));
      return (DEVICES * PUSH_PER_DEVICE) / ((performance.now() - t0) / 1000);
    };
    const baseRates: number[] = [];
    const pushRates: number[] = [];
    // Round 0 warms up (JIT, prepared statements, caches), as measure()'s untimed runs do; it is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const [b, p] = [await baselineRound(), await pushRound(round)];
      if (round > 0) {
        baseRates.push(b);
        pushRates.push(p);
      }
    }
    await pool.end();
    log(`push rounds (ops/s): baseline ${baseRates.map(Math.round).join(', ')}; push ${pushRates.map(Math.round).join(', ')}`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // ops_per_s: the median round; p50_ms: time per op at that rate; p99_ms: time per op in the slowest round.
    const rate = (name: string, rates: number[], n: number): BenchResult => {
      const mid = median(rates);
      return { name, p50_ms: 1000 / mid, p99_ms: 1000 / Math.min(...rates), n, ops_per_s: Math.round(mid) };
    };
    out.push(rate('baseline_pg_insert_commit_8_clients', baseRates, ROUNDS * DEVICES * BASE_PER_CLIENT));
    out.push(rate('sync_push_bookings_8_devices', pushRates, ROUNDS * DEVICES * PUSH_PER_DEVICE));

    // Catch-up: one desk comes back with 2,000 bookings made offline.
    await database.db.insert(organizations).values({ id: 'org-offline', regionId: 'r', name: 'Off', address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' });
    const code = await createEnrollmentCode(database.db, 'org-offline', NOW);
    const token = ((await (await fetch(`${server.url}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: 'offline' }) })).json()) as { token: string }).token;
    let t0 = performance.now();
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
    await database.close();
  } finally {
    stopServer();
    cluster.stop();
  }
  return out;
}
