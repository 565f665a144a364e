import type { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDesk, type Desk } from '../../src-main/desk.js';
import { Rng } from '../../src-main/seed/random.js';
import { stmt } from '../../src-main/db/stmt.js';
import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { connect } from '../../sync-server/db/connect.js';
import { importDirectory } from '../../sync-server/directory/import.js';
import { createServerApp } from '../../sync-server/http/app.js';
import { silentLogger } from '../../sync-server/log.js';
import { DirectoryCache } from '../../sync-server/rules/directory-cache.js';
import { offerNotice } from '../../sync-server/waiting/notice.js';
import { WaitingList } from '../../sync-server/waiting/worker.js';
import { checkInvariants, type SimDesk } from './invariants.js';
import { SimNetwork } from './network.js';
import { Story } from './story.js';

export interface SimOptions {
  desks: number;
  steps: number;
  directory: DirectoryFile;
  /** The server's database with the clinic already imported (see clinicTemplate): skips migrating and importing. */
  template?: Blob;
  /** Tell the story of each violated time (see story.ts). */
  trace?: boolean;
}
export interface SimResult {
  seed: number;
  violations: string[];
  stats: Record<string, number>;
  story?: string[];
}

const START = Date.parse('2026-11-23T03:00:00Z');
const SERVER = 'http://sim-server';

interface Live extends SimDesk {
  dir: string;
  desk: Desk;
  token: string;
  skewMs: number;
}

/**
 * One seeded run of the real desk and server code: N desks book, cancel and check
 * patients in against each other's slots while the network drops, duplicates,
 * loses and replays requests, desks are partitioned, crash and restart, their
 * clocks are skewed, and poison ops appear; then the network heals, everyone
 * syncs, and the invariants are checked. The same seed replays the same run.
 */
/** The server's embedded database, migrated and with the clinic imported, as one blob: each seed starts from it. */
export async function clinicTemplate(directory: DirectoryFile): Promise<Blob> {
  const database = await connect({});
  try {
    await importDirectory(database.db, directory, START);
    return (await (database.db as unknown as { $client: PGlite }).$client.dumpDataDir('none')) as Blob;
  } finally {
    await database.close();
  }
}

export async function simulate(seed: number, opts: SimOptions): Promise<SimResult> {
  const rng = new Rng(seed);
  let now = START;
  const database = await connect({ template: opts.template });
  if (!opts.template) await importDirectory(database.db, opts.directory, START);
  // The waiting list's passes run as steps of the run (a pass the server would start after a push, here when the seed
  // says): so the same seed replays the same run.
  const waitingList = new WaitingList(
    database.db,
    new DirectoryCache(),
    () => now,
    offerNotice(false),
    silentLogger,
    () => undefined,
  );
  const app = createServerApp({ database, clock: () => now, log: silentLogger, waitingList: { poke: async () => undefined } });
  // Its own stream: the steps the seeds had before the waiting list still draw the same numbers.
  const wrng = new Rng(seed * 104_729 + 11);
  const net = new SimNetwork(app, rng, { dropRequest: 0.1, loseResponse: 0.1, duplicate: 0.1, replayOld: 0.05, replayOldRenewal: 0.2 }, new Rng(seed * 7919 + 1));
  const orgId = opts.directory.organizations[0]!.organization.id;
  const desks: Live[] = [];
  const story = new Story(opts.trace === true);
  const slotOf = (d: Live, appointmentId: string) => (stmt(d.sqlite, 'SELECT slot_id AS s FROM appointments WHERE id = ?').get(appointmentId) as { s: string } | undefined)?.s;
  const leaseView = (d: Live, slotId: string) =>
    JSON.stringify({
      lease: stmt(d.sqlite, 'SELECT device_id AS device, epoch FROM leases WHERE slot_id = ?').get(slotId) ?? null,
      me: (stmt(d.sqlite, "SELECT value FROM meta WHERE key = 'server_device_id'").get() as { value: string }).value,
      pending: (stmt(d.sqlite, "SELECT group_concat(name) AS n FROM outbox WHERE status = 'pending'").get() as { n: string | null }).n,
    });
  const stats = {
    books: 0,
    refused: 0,
    cancels: 0,
    restores: 0,
    checkIns: 0,
    crashes: 0,
    poison: 0,
    syncs: 0,
    concurrentRounds: 0,
    longOutages: 0,
    waitAdds: 0,
    offersAccepted: 0,
    offersDeclined: 0,
    waitingPasses: 0,
  };

  const open = async (d: Omit<Live, 'desk' | 'token'> & { code?: string }): Promise<Live> => {
    const desk = await openDesk({
      dataDir: d.dir,
      clock: () => now + d.skewMs,
      autoSync: false,
      // Crashes happen inside this process: a real one would have dropped the instance lock with the process.
      instanceLock: false,
      fetchFn: net.fetchFor(d.name),
      ...(d.code ? { enroll: { serverUrl: SERVER, code: d.code, deviceName: d.name, password: 'sim-pass' } } : {}),
    });
    const r = await desk.router.call('auth.signIn', { username: 'registrar', password: 'sim-pass' }, {});
    if (!r.ok) throw new Error(`sign-in on ${d.name}: ${r.error.code}`);
    return { ...d, desk, sqlite: desk.env.db.sqlite, token: (r.data as { token: string }).token };
  };
  // A registrar signs in again when the session ran out (a long outage moves the clock past it).
  const call = async (d: Live, method: string, input: unknown) => {
    const r = await d.desk.router.call(method, input, { token: d.token });
    if (r.ok || r.error.code !== 'unauthenticated') return r;
    const again = await d.desk.router.call('auth.signIn', { username: 'registrar', password: 'sim-pass' }, {});
    if (again.ok) d.token = (again.data as { token: string }).token;
    return d.desk.router.call(method, input, { token: d.token });
  };
  const sync = async (d: Live) => {
    stats.syncs++;
    await d.desk.sync!.syncOnce();
    d.cursors.push(Number((stmt(d.sqlite, "SELECT value FROM meta WHERE key = 'pull_cursor'").get() as { value: string } | undefined)?.value ?? 0));
  };

  /**
   * The waiting list (issue 21) in the same fight: a desk puts a patient on the list for a contested doctor-day, a desk
   * answers an offer it has pulled (yes or no), or the server makes its pass (offers, expiries) — while desks book the
   * same times offline. The invariants: no time held twice, no guaranteed booking lost, offers only on held times.
   */
  let contestedDays: Array<[string, string]> = [];
  let patientIds: string[] = [];
  const waitingStep = async (step: number) => {
    const d = desks[wrng.int(0, desks.length - 1)]!;
    const r = wrng.next();
    if (r < 0.35) {
      const [doctorId, date] = wrng.pick(contestedDays);
      const res = await call(d, 'waiting.add', { patientId: wrng.pick(patientIds), specialtyId: 'family', doctorId, fromDate: date, toDate: date, part: 'any', channel: 'registry' });
      if (res.ok) stats.waitAdds++;
    } else if (r < 0.7) {
      const offered = d.sqlite.prepare("SELECT id, row_json AS j FROM waiting_entries WHERE status = 'offered'").all() as Array<{ id: string; j: string }>;
      const open = offered.map((o) => ({ id: o.id, e: JSON.parse(o.j) as { offer: { slotId: string } | null; answered?: string } })).filter((o) => o.e.offer && !o.e.answered);
      if (open.length === 0) return;
      const o = wrng.pick(open);
      const answer = wrng.chance(0.7) ? 'accept' : 'decline';
      const res = await call(d, 'waiting.answer', { id: o.id, slotId: o.e.offer!.slotId, answer });
      story.note(o.e.offer!.slotId, () => `step ${step} ${d.name} answers ${answer} for entry ${o.id}: ${res.ok ? 'ok' : res.error.code}`);
      if (res.ok) stats[answer === 'accept' ? 'offersAccepted' : 'offersDeclined']++;
    } else {
      await waitingList.sweep();
      stats.waitingPasses++;
    }
  };

  try {
    net.healed = true; // enrollment and the first download happen on a working network
    for (let i = 0; i < opts.desks; i++) {
      const code = await createEnrollmentCode(database.db, orgId, now);
      desks.push(
        await open({ name: `desk${i}`, dir: mkdtempSync(join(tmpdir(), `kezek-sim-${seed}-`)), created: new Set(), cursors: [], skewMs: rng.int(-10, 10) * 60_000, sqlite: null as never, code }),
      );
    }
    net.healed = false;
    const patients = (desks[0]!.sqlite.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0').all(orgId) as Array<{ id: string }>).map((p) => p.id);
    // Contention on purpose: everyone books from the same few doctor-days.
    // Two doctor-days this week and two the next, so a long outage (below) still leaves something to fight over.
    const pick = (from: string, to: string) =>
      (
        desks[0]!.sqlite
          .prepare(
            "SELECT DISTINCT doctor_id || '|' || date AS k FROM slots WHERE channel = 'registry' AND date BETWEEN ? AND ? AND specialty_id IN (SELECT id FROM specialties WHERE kind = 'family') ORDER BY date, doctor_id LIMIT 2",
          )
          .all(from, to) as Array<{ k: string }>
      ).map((r) => r.k.split('|') as [string, string]);
    const contested = [...pick('2026-11-23', '2026-11-25'), ...pick('2026-11-30', '2026-12-01')];
    contestedDays = contested;
    patientIds = patients;

    for (let step = 0; step < opts.steps; step++) {
      if (wrng.chance(0.15)) await waitingStep(step);
      const d = desks[rng.int(0, desks.length - 1)]!;
      const r = rng.next();
      if (r < 0.4) {
        const [doctorId, date] = rng.pick(contested);
        const free = d.sqlite
          .prepare("SELECT id FROM slots WHERE doctor_id = ? AND date = ? AND channel = 'registry' AND appointment_id IS NULL AND blocked = 0 AND start_utc > ?")
          .all(doctorId, date, now + d.skewMs) as Array<{ id: string }>;
        if (free.length === 0) continue;
        const patientId = rng.pick(patients);
        const slotId = rng.pick(free).id;
        const view = story.enabled ? leaseView(d, slotId) : '';
        const res = await call(d, 'appointments.book', { patientId, slotId });
        story.note(
          slotId,
          () =>
            `step ${step} ${d.name} books ${patientId}: ${res.ok ? `${(res.data as { appointment: { id: string; mode: string } }).appointment.id} ${(res.data as { appointment: { mode: string } }).appointment.mode}` : res.error.code} ${view}`,
        );
        if (res.ok) {
          stats.books++;
          d.created.add((res.data as { appointment: { id: string } }).appointment.id);
        } else {
          stats.refused++;
          (stats as Record<string, number>)[`refused_${res.error.code}`] = ((stats as Record<string, number>)[`refused_${res.error.code}`] ?? 0) + 1;
        }
      } else if (r < 0.5) {
        const mine = [...d.created];
        if (mine.length === 0) continue;
        const id = rng.pick(mine);
        const cancelled = await call(d, 'appointments.cancel', { appointmentId: id });
        story.note(slotOf(d, id), () => `step ${step} ${d.name} cancels ${id}: ${cancelled.ok ? 'ok' : cancelled.error.code}`);
        if (cancelled.ok) {
          stats.cancels++;
          // Half the time the registrar takes it back at once (issue 10's undo): the time must still be free, on the desk and on the server.
          if (rng.chance(0.5) && (await call(d, 'appointments.restore', { appointmentId: id })).ok) stats.restores++;
        }
      } else if (r < 0.55) {
        const today = d.sqlite.prepare("SELECT id FROM appointments WHERE status = 'booked' AND date = '2026-11-23'").all() as Array<{ id: string }>;
        if (today.length === 0) continue;
        const id = rng.pick(today).id;
        const checkedIn = await call(d, 'appointments.checkIn', { appointmentId: id });
        story.note(slotOf(d, id), () => `step ${step} ${d.name} checks in ${id}: ${checkedIn.ok ? 'ok' : checkedIn.error.code}`);
        if (checkedIn.ok) stats.checkIns++;
      } else if (r < 0.8) {
        // Sometimes every desk syncs at once: their pushes and pulls interleave at the server.
        if (rng.chance(0.3)) {
          stats.concurrentRounds++;
          await Promise.all(desks.map((x) => sync(x)));
        } else await sync(d);
      } else if (r < 0.85) {
        // A crash, not a close: the desk dies at an arbitrary point — half the time in the middle of a sync round —
        // with nothing stopped, flushed or checkpointed; only what SQLite committed survives. Its connection is
        // pulled out from under the work in flight (which then fails at its next step), while a bystander
        // connection keeps that close from being the file's last (a last close would checkpoint the WAL).
        stats.crashes++;
        const inFlight = rng.chance(0.5) ? d.desk.sync!.syncOnce().catch(() => undefined) : null;
        for (let turns = inFlight ? rng.int(0, 8) : 0; turns > 0; turns--) await new Promise((res) => setImmediate(res));
        const bystander = new Database(join(d.dir, 'kezek.sqlite'));
        d.desk.env.db.sqlite.close();
        await inFlight;
        const again = await open({ ...d });
        bystander.close();
        desks[desks.indexOf(d)] = again;
      } else if (r < 0.9) {
        if (net.partitioned.has(d.name)) net.partitioned.delete(d.name);
        else net.partitioned.add(d.name);
      } else if (r < 0.93) {
        // A poison op (say, from a newer app version) in the outbox: it must not block the queue.
        stats.poison++;
        stmt(d.sqlite, "INSERT INTO outbox (op_id, hlc, name, args, created_at, status) VALUES (?, '0', 'appointments.fromTheFuture', '{}', ?, 'pending')").run(`poison-${seed}-${step}`, now);
      } else if (r < 0.995 || stats.longOutages > 0) {
        now += rng.int(1, 5) * 60_000;
      } else {
        // A long outage for one desk (at most one per run): the clock runs past its leases' expiry + grace while it is cut off.
        stats.longOutages++;
        net.partitioned.add(d.name);
        now += d.desk.env.profile.leases.ttlMs + d.desk.env.profile.leases.graceMs + 3_600_000;
      }
    }
    // Quiet: the network heals and every desk syncs until nothing changes (with a waiting-list pass between rounds).
    net.healed = true;
    net.partitioned.clear();
    for (let round = 0; round < 3; round++) {
      await waitingList.sweep();
      for (const d of desks) await sync(d);
    }
    const violations = await checkInvariants(database.db, desks, stats);
    const modes = Object.fromEntries(
      desks
        .flatMap((d) => d.sqlite.prepare("SELECT mode, count(*) AS n FROM appointments WHERE mode != 'local' GROUP BY mode").all() as Array<{ mode: string; n: number }>)
        .reduce((m, r) => m.set(r.mode, (m.get(r.mode) ?? 0) + r.n), new Map<string, number>()),
    );
    const conflicts = ((await database.db.execute(sql`SELECT count(*)::int AS n FROM appointments WHERE sync_state = 'conflict'`)) as unknown as { rows: Array<{ n: number }> }).rows[0]!.n;
    const told = await story.explain(database.db, violations);
    return { seed, violations, stats: { ...stats, conflicts, ...modes, ...net.stats }, ...(told.length ? { story: told } : {}) };
  } finally {
    for (const d of desks) {
      await d.desk.close().catch(() => undefined);
      rmSync(d.dir, { recursive: true, force: true });
    }
    await database.close();
  }
}
