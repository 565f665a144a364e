import { monitorEventLoopDelay } from 'node:perf_hooks';
/**
 * Sync benchmarks on a real PostgreSQL cluster started here, the sync server as its own process
 * (as `npm run server` runs it), the server's booking rules on:
 * - sync_push_8_clinics_64_desks: 8 clinics of 8 desks each pushing batches of 50 new bookings,
 *   beside a same-run baseline of one-row INSERT commits from 8 connections, in alternating rounds;
 * - sync_push_one_clinic_8_desks: 8 desks of the 150-doctor clinic, holding their leases, pushing
 *   bookings of their leased times and of the common pool (accepted/s, measured push latency);
 * - sync_push_mixed_one_clinic: one clinic's 8 desks pushing bookings, conflicts, referral bookings,
 *   check-ins, cancellations and moves through the general path (mixed.ts);
 * - sync_catch_up_desk_engine_2000_ops: one desk's sync engine end to end after 2,000 offline bookings;
 * - portal_rush (portal.ts): 2,000 patients through the booking API's $find → $hold → $book on one clinic's opening
 *   morning, 200 at a time, on one server process and on two;
 * - sync_bootstrap_70k_patients, book_enrolled_online (that desk booking times outside its lease, each
 *   confirmed by the server before it returns) and sync_lease_renewal_150_doctors.
 * The INSERT baselines use as many connections as the server's pool (KEZEK_DB_POOL, 10).
 */
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';
import { SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { openDesk, type Desk } from '../../src-main/desk.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { connect, type Database } from '../../sync-server/db/connect.js';
import { importDirectory, parseDirectoryFile } from '../../sync-server/directory/import.js';
import { renewLeases } from '../../sync-server/sync/leases.js';
import { startPostgres } from '../support/postgres.js';
import { serverProcess } from '../support/server-process.js';
import { enrollRaw, seedFixtureAccounts, signedBy } from '../support/signing.js';
import { bookingArgs, registrySlots, smallClinic } from './clinic-file.js';
import { pushMixedOneClinic } from './mixed.js';
import { portalRush } from './portal.js';
import { PgInsertBaseline } from './pg-baseline.js';
import { summarize, type BenchResult } from './stats.js';

const NOW = Date.parse('2026-11-23T03:00:00Z'); // Monday 09:00 in Bishkek
const HLC = `${NOW}-00000-bench`;
const DAYS = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Device {
  token: string;
  deviceId: string;
}

export async function syncBenchmarks(largeDirectory: () => DirectoryFile, log: (m: string) => void): Promise<BenchResult[]> {
  const cluster = await startPostgres();
  // Silently dropping the sync figures would leave a run that looks complete: say so and fail (`--desk-only` skips them on purpose).
  if (!cluster) throw new Error('the sync benchmarks need PostgreSQL 15 binaries (/usr/lib/postgresql; apt install postgresql), or run `npm run bench -- --desk-only`');
  const out: BenchResult[] = [];
  let stopServer = () => {};
  try {
    const url = await cluster.createDatabase();
    const database = await connect({ databaseUrl: url });
    const server = await serverProcess(url, { KEZEK_CLOCK_START: new Date(NOW).toISOString() });
    stopServer = server.stop;
    const enroll = async (orgId: string, name: string): Promise<Device> => {
      await seedFixtureAccounts(database.db, orgId);
      const token = await enrollRaw(server.url, await createEnrollmentCode(database.db, orgId, NOW), name);
      return { token, deviceId: (await (await fetch(`${server.url}/sync/whoami`, { headers: { authorization: `Bearer ${token}` } })).json()).id as string };
    };
    /** One push over HTTP (its ops signed as a desk signs them, beforehand); its measured time, and how many of its ops the server confirmed. */
    const push = async (token: string, ops: unknown[]): Promise<{ ms: number; confirmed: number; results: Array<{ status: string; detail: string }> }> => {
      const body = JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, ops: ops.map((o) => signedBy(token, o as { opId: string; name: string; args: unknown })) });
      const t0 = performance.now();
      const r = await fetch(`${server.url}/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      const answer = (await r.json()) as { results: Array<{ status: string; detail: string }> };
      const ms = performance.now() - t0;
      return { ms, confirmed: answer.results.filter((x) => x.detail === 'confirmed').length, results: answer.results };
    };

    out.push(...(await pushManyClinics(database, url, enroll, push, log)));
    out.push(...(await pushMixedOneClinic(database, url, enroll, push, log)));
    out.push(await catchUp(database, server.url, log));
    // The booking API's morning rush, on one server process and on two sharing the database (issue 20).
    out.push(...(await portalRush(database, url, 1, log)));
    out.push(...(await portalRush(database, url, 2, log)));

    // Bootstrap: a new desk of the 70,000-patient clinic downloads its replica.
    const large = largeDirectory();
    await importDirectory(database.db, large, NOW);
    const orgId = large.organizations[0]!.organization.id;
    const dir = mkdtempSync(join(tmpdir(), 'kezek-bench-boot-'));
    const bootCode = await createEnrollmentCode(database.db, orgId, NOW);
    const bootStalls = monitorEventLoopDelay({ resolution: 5 });
    bootStalls.enable();
    let t0 = performance.now();
    const desk = await openDesk({ dataDir: dir, clock: () => NOW, autoSync: false, enroll: { serverUrl: server.url, code: bootCode, deviceName: 'new desk', password: 'bench-pass' } });
    const boot = performance.now() - t0;
    bootStalls.disable();
    const bootBlock = Math.round(bootStalls.max / 1e6);
    log(`bootstrap pulled ${(desk.env.db.sqlite.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n} patients in ${(boot / 1000).toFixed(1)} s; longest block ${bootBlock} ms`);
    out.push({ name: 'sync_bootstrap_70k_patients', p50_ms: boot, p99_ms: boot, n: 1, longest_block_ms: bootBlock });

    // Lease renewal for the large clinic: 8 desks in turn (each holds the organization's lock while it plans).
    const desks: Device[] = [];
    for (let d = 0; d < 8; d++) desks.push(await enroll(orgId, `desk ${d}`));
    const renewals: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const dev of desks) {
        t0 = performance.now();
        await renewLeases(database.db, { id: dev.deviceId, orgId }, NOW);
        renewals.push(performance.now() - t0);
      }
    }
    out.push(summarize('sync_lease_renewal_150_doctors', renewals));

    out.push(await pushOneClinic(database, large, desks, push, log));
    // The bootstrapped desk, online among the clinic's 8 other live desks, books times outside its lease.
    out.push(await bookEnrolledOnline(desk, log));
    await desk.close();
    rmSync(dir, { recursive: true, force: true });
    await database.close();
  } finally {
    stopServer();
    cluster.stop();
  }
  return out;
}

type Push = (token: string, ops: unknown[]) => Promise<{ ms: number; confirmed: number; results: Array<{ status: string; detail: string }> }>;

/**
 * book_enrolled_online: what a registrar waits for at an enrolled desk that is online, on a time outside its
 * lease (the common pool): the booking, its upload, the server's rules and its answer, the pull — the booking
 * returns only once the server confirmed it. The desk of the 150-doctor clinic, just bootstrapped.
 */
async function bookEnrolledOnline(desk: Desk, log: (m: string) => void): Promise<BenchResult> {
  const signIn = await desk.router.call('auth.signIn', { username: 'registrar', password: 'bench-pass' }, {});
  if (!signIn.ok) throw new Error('sign-in failed');
  const token = (signIn.data as { token: string }).token;
  await desk.sync!.syncOnce(); // online, its leases taken
  const s = desk.env.db.sqlite;
  const pool = s
    .prepare(
      `SELECT s.id FROM slots s LEFT JOIN leases l ON l.slot_id = s.id WHERE l.slot_id IS NULL AND s.appointment_id IS NULL AND s.blocked = 0 AND s.channel = 'registry'
        AND s.start_utc > ? AND s.specialty_id IN ('family', 'therapy', 'pediatrics') ORDER BY s.start_utc LIMIT 200`,
    )
    .all(NOW) as Array<{ id: string }>;
  const patients = s.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 200').all(desk.env.org.id) as Array<{ id: string }>;
  const samples: number[] = [];
  for (const [k, slot] of pool.entries()) {
    const t0 = performance.now();
    const r = await desk.router.call('appointments.book', { patientId: patients[k]!.id, slotId: slot.id }, { token });
    samples.push(performance.now() - t0);
    if (!r.ok) throw new Error(`online booking: ${r.error.code}`);
    const a = (r.data as { appointment: { mode: string; syncState: string } }).appointment;
    if (a.mode !== 'online' || a.syncState !== 'confirmed') throw new Error(`an online booking came back ${a.mode}/${a.syncState}`);
  }
  const result = summarize('book_enrolled_online', samples);
  log(`book_enrolled_online: ${samples.length} bookings outside the lease, each confirmed by the server: p50 ${result.p50_ms.toFixed(1)} ms, p99 ${result.p99_ms.toFixed(1)} ms`);
  return result;
}

/**
 * Push throughput where clinics do not wait on each other: 8 clinics × 8 desks, each desk two
 * batches of 50 bookings of its own times (so every one is accepted), in 5 rounds alternating with
 * the baseline (this box is noisy: medians of rounds), after an uncounted warm-up round.
 */
async function pushManyClinics(database: Database, url: string, enroll: (org: string, name: string) => Promise<Device>, push: Push, log: (m: string) => void): Promise<BenchResult[]> {
  const CLINICS = 8;
  const DESKS = 8;
  const PER_DESK = 100;
  const BATCH = 50;
  const ROUNDS = 5;
  const BASE_PER_CLIENT = 1000;
  const baseline = await PgInsertBaseline.open(url, 'bench_baseline');
  const baseLatency = baseline.latency;
  const baselineRound = () => baseline.round(BASE_PER_CLIENT);
  const pushLatency: number[] = [];
  const pushRound = async (round: number): Promise<number> => {
    const work: Array<{ device: Device; batches: unknown[][] }> = [];
    for (let c = 0; c < CLINICS; c++) {
      const orgId = `bench-${round}-${c}`;
      const file = smallClinic(orgId, 20, 300);
      await importDirectory(database.db, parseDirectoryFile(file), NOW);
      const slots = registrySlots(file, DAYS);
      for (let d = 0; d < DESKS; d++) {
        const device = await enroll(orgId, `desk ${d}`);
        const ops = Array.from({ length: PER_DESK }, (_, k) => {
          const slot = slots[d * PER_DESK + k]!;
          return {
            seq: k + 1,
            opId: `${orgId}-${d}-${k}`,
            hlc: HLC,
            name: 'appointments.book',
            args: bookingArgs(orgId, slot, `${orgId}-p-${(d * PER_DESK + k) % 300}`, `${orgId}-a-${d}-${k}`, `D${d}`, NOW),
          };
        });
        work.push({ device, batches: Array.from({ length: PER_DESK / BATCH }, (_, b) => ops.slice(b * BATCH, (b + 1) * BATCH)) });
      }
    }
    let confirmed = 0;
    const t0 = performance.now();
    await Promise.all(
      work.map(async ({ device, batches }) => {
        for (const batch of batches) {
          const r = await push(device.token, batch);
          if (round > 0) pushLatency.push(r.ms);
          confirmed += r.confirmed;
        }
      }),
    );
    const rate = (CLINICS * DESKS * PER_DESK) / ((performance.now() - t0) / 1000);
    if (confirmed !== CLINICS * DESKS * PER_DESK) throw new Error(`only ${confirmed} of ${CLINICS * DESKS * PER_DESK} benchmark bookings were confirmed`);
    return rate;
  };
  const baseRates: number[] = [];
  const pushRates: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const [b, p] = [await baselineRound(), await pushRound(round)];
    if (round === 0) baseLatency.length = 0;
    else {
      baseRates.push(b);
      pushRates.push(p);
    }
  }
  await baseline.close();
  log(`push rounds (ops/s): baseline ${baseRates.map(Math.round).join(', ')}; 64 desks of 8 clinics ${pushRates.map(Math.round).join(', ')}`);
  const base = median(baseRates);
  const rate = median(pushRates);
  // p50/p99: measured times of single INSERTs and of single 50-op pushes; ops_per_s: the median round.
  return [
    { ...summarize('baseline_pg_insert_commit_pool', baseLatency), ops_per_s: Math.round(base) },
    { ...summarize('sync_push_8_clinics_64_desks', pushLatency), ops_per_s: Math.round(rate), ratio_to_baseline: Math.round((rate / base) * 100) / 100 },
  ];
}

/**
 * One desk's sync engine end to end: 2,000 bookings made while offline (real desk, real SQLite),
 * then the timed part — outbox read, pushes, results, pull of the changes, apply — until nothing waits.
 */
async function catchUp(database: Database, serverUrl: string, log: (m: string) => void): Promise<BenchResult> {
  const orgId = 'bench-offline';
  const file = smallClinic(orgId, 40, 300);
  await importDirectory(database.db, parseDirectoryFile(file), NOW);
  const dir = mkdtempSync(join(tmpdir(), 'kezek-bench-catchup-'));
  const code = await createEnrollmentCode(database.db, orgId, NOW);
  const desk: Desk = await openDesk({ dataDir: dir, clock: () => NOW, autoSync: false, enroll: { serverUrl, code, deviceName: 'offline desk', password: 'bench-pass' } });
  const signIn = await desk.router.call('auth.signIn', { username: 'registrar', password: 'bench-pass' }, {});
  if (!signIn.ok) throw new Error('sign-in failed');
  const token = (signIn.data as { token: string }).token;
  const slots = registrySlots(file, DAYS)
    .filter((s) => s.startUtc > NOW)
    .slice(0, 2000);
  desk.sync!.online = false; // the outage: every booking waits in the outbox
  for (const [k, slot] of slots.entries()) {
    const r = await desk.router.call('appointments.book', { patientId: `${orgId}-p-${k % 300}`, slotId: slot.id }, { token });
    if (!r.ok) throw new Error(`offline booking: ${r.error.code}`);
  }
  const pending = () => (desk.env.db.sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n;
  const queued = pending();
  // How long the desk's own work holds its process at a time (in Electron: the main process the window talks to).
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const t0 = performance.now();
  while (pending() > 0) await desk.sync!.syncOnce();
  const ms = performance.now() - t0;
  stalls.disable();
  const longestBlockMs = stalls.max / 1e6;
  const confirmed = (desk.env.db.sqlite.prepare("SELECT count(*) AS n FROM appointments WHERE sync_state = 'confirmed'").get() as { n: number }).n;
  log(`catch-up: ${queued} queued ops uploaded and confirmed (${confirmed} confirmed bookings) in ${(ms / 1000).toFixed(2)} s; longest block of the desk's process ${longestBlockMs.toFixed(0)} ms`);
  await desk.close();
  rmSync(dir, { recursive: true, force: true });
  return { name: 'sync_catch_up_desk_engine_2000_ops', p50_ms: ms, p99_ms: ms, n: 1, ops_per_s: Math.round(queued / (ms / 1000)), longest_block_ms: Math.round(longestBlockMs) };
}

/**
 * The case production has: one clinic's 8 desks contending for its lock, leases active, rules on.
 * Each desk books its own leased times and its share of the common pool (none of another desk's
 * leased times), 4 batches of 50.
 */
async function pushOneClinic(database: Database, large: DirectoryFile, desks: Device[], push: Push, log: (m: string) => void): Promise<BenchResult> {
  const org = large.organizations[0]!;
  const orgId = org.organization.id;
  const leases = (await database.db.execute(sql`SELECT slot_id, device_id FROM slot_leases WHERE org_id = ${orgId}`)) as unknown as { rows: Array<{ slot_id: string; device_id: string }> };
  const holder = new Map(leases.rows.map((r) => [r.slot_id, r.device_id]));
  const patients = org.patients.filter((p) => p.attachment?.orgId === orgId && !p.priority).map((p) => p.id);
  const slots = registrySlots(large, DAYS.slice(0, 6)).filter((s) => s.startUtc > NOW);
  const PER_DESK = 200;
  const BATCH = 50;
  let pool = 0;
  const plans = desks.map((dev, d) => {
    const mine = slots.filter((s) => holder.get(s.id) === dev.deviceId);
    const shared = slots.filter((s) => !holder.has(s.id) && pool++ % desks.length === d);
    return { dev, slots: [...mine, ...shared].slice(0, PER_DESK), leased: Math.min(PER_DESK, mine.length) };
  });
  const latency: number[] = [];
  let confirmed = 0;
  const t0 = performance.now();
  await Promise.all(
    plans.map(async ({ dev, slots: mineToBook }, d) => {
      for (let b = 0; b < mineToBook.length; b += BATCH) {
        const ops = mineToBook.slice(b, b + BATCH).map((slot, j) => ({
          seq: b + j + 1,
          opId: `one-${d}-${b + j}`,
          hlc: HLC,
          name: 'appointments.book',
          args: { ...bookingArgs(orgId, slot, patients[(d * PER_DESK + b + j) % patients.length]!, `one-${d}-${b + j}`, `L${d}`, NOW), mode: 'guaranteed' },
        }));
        const r = await push(dev.token, ops);
        latency.push(r.ms);
        confirmed += r.confirmed;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const total = plans.reduce((n, p) => n + p.slots.length, 0);
  log(`one clinic, 8 desks: ${confirmed} of ${total} bookings confirmed (${plans.reduce((n, p) => n + p.leased, 0)} on leased times) in ${seconds.toFixed(2)} s`);
  if (confirmed !== total) throw new Error(`only ${confirmed} of ${total} one-clinic bookings were confirmed`);
  return { ...summarize('sync_push_one_clinic_8_desks', latency), ops_per_s: Math.round(confirmed / seconds) };
}
