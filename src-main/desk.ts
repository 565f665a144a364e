import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Organization } from '../src-shared/domain/directory.js';
import type { User } from '../src-shared/domain/appointment.js';
import { getProfile } from '../src-shared/policy/profiles.js';
import { Hlc } from '../src-shared/sync/hlc.js';
import { TICKET_PREFIX_COUNT, ticketPrefixAt } from '../src-shared/print/ticket-prefix.js';
import { localParts } from '../src-shared/time/dates.js';
import { Sessions } from './auth/sessions.js';
import { openDb, startIdleCheckpoints, type Db } from './db/open.js';
import { refreshNameKeys } from './db/search-keys.js';
import { acquireInstanceLock } from './db/instance-lock.js';
import { stmt } from './db/stmt.js';
import { createRouter, type Router } from './rpc/router.js';
import { seedClinic, DEMO_CLINIC, DEMO_ORG_ID, type ClinicSize } from './seed/demo-clinic.js';
import { seedUpcomingBookings } from './seed/upcoming.js';
import { bootstrapAccounts, CABINET_DOCTOR_ID, cabinetAccount, cabinetCredential, kioskAccount, saveAccounts } from './auth/accounts.js';
import { openCredential } from '../src-shared/node/op-keys.js';
import { KIOSK_USER_ID } from '../src-shared/domain/account.js';
import { giveKey } from './services/accounts.js';
import { DirectoryCache } from './services/directory.js';
import type { Env } from './services/env.js';
import { ensureSlots } from './services/slots.js';
import { openTicketMark, ticketPrefix } from './services/ticket-codes.js';
import { PrinterService } from './print/printer-service.js';
import type { Transport } from './print/transports/index.js';
import { SyncEngine } from './sync/engine.js';
import { bootstrap, enroll, reenroll } from './sync/enrollment.js';
import { fileSecretStore, type SecretStore } from './sync/secret-store.js';
import { ServerClient, type FetchFn } from './sync/server-client.js';
import { ChangeFeed, topicsOfSync } from './rpc/change-feed.js';
import { Hall } from './hall/hall.js';
import { HallLink } from './hall/link.js';
import { type HallHttp, hallHttp } from './hall/routes.js';
import { Voice } from './hall/voice.js';

export interface DeskOptions {
  dataDir: string;
  /** Injected clock (tests move time); defaults to the system clock. */
  clock?: () => number;
  /** Build this demo clinic on first start when the desk is not enrolled anywhere. */
  demo?: ClinicSize | false;
  /** Send print jobs here instead of the configured printer (tests). */
  printerTransport?: Transport;
  /** Where device files may be (default /dev; tests add a folder holding a named pipe standing in for a printer). */
  printerDeviceRoots?: readonly string[];
  /** First start of a desk of a real clinic: enroll with the sync server and pull the clinic instead of building the demo. */
  /** `password`: of the clinic's first accounts — needed by a first enrollment, not by a desk enrolling again. */
  enroll?: { serverUrl: string; code: string; deviceName: string; password: string | null };
  /** Where the device token lives (default: a 0600 file in the data directory; Electron passes safeStorage). */
  secrets?: SecretStore;
  /** A kiosk's: the secret its own key is sealed under (default: a 0600 file `kiosk-secret` in the data directory). */
  kioskSecrets?: SecretStore;
  /** Start the background sync loop (default true; tests drive `sync.syncOnce()` themselves). */
  autoSync?: boolean;
  /** First download of a clinic: records so far, and in all (null until the server said). */
  onBootstrapProgress?: (done: number, total: number | null) => void;
  /** The network to the sync server (default: fetch; the simulation passes a faulty one). */
  fetchFn?: FetchFn;
  /**
   * Hold the one-desk-per-directory lock (default true). The simulation turns it off: it "crashes"
   * desks inside one process, where a real crash would have dropped the lock with the process.
   */
  instanceLock?: boolean;
  /** The ticket mark, kept outside the data directory so a restored backup never reprints a code (default: `<dataDir>.ticket-mark` beside it). */
  ticketMarkFile?: string;
  /** `--hall-desk`: the desk running the hall's queue screen, kept for later starts (`here`: this desk runs it). */
  hallUrl?: string | null;
}

export interface Desk {
  env: Env;
  sessions: Sessions;
  printer: PrinterService;
  sync: SyncEngine | null;
  router: Router;
  /** The desk's change notices (also what the router's follow hears). */
  changes: ChangeFeed;
  /** The hall's queue screen: the calls this desk makes (or carries out for the LAN) and what it serves under /hall/. */
  hall: HallLink;
  hallHttp: HallHttp;
  close(): Promise<void>;
}

const getMeta = (db: Db, key: string) => (stmt(db.sqlite, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
const setMeta = (db: Db, key: string, value: string) => stmt(db.sqlite, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);

/**
 * This install's identity: a UUID and a ticket prefix, so offline ticket codes never collide
 * across desks. The prefix starts local (a standalone desk keeps it); an enrolled desk takes
 * the one the server assigns, unique within the organization.
 */
function ensureDevice(db: Db): Env['device'] {
  if (!getMeta(db, 'device_id')) {
    const prefix = ticketPrefixAt(randomInt(TICKET_PREFIX_COUNT));
    db.sqlite.transaction(() => {
      setMeta(db, 'device_id', randomUUID());
      setMeta(db, 'device_prefix', prefix);
      setMeta(db, 'ticket_seq', '0');
    })();
  }
  return {
    id: getMeta(db, 'device_id')!,
    get prefix() {
      return ticketPrefix(db);
    },
    // Set at enrollment; a desk with no server is standalone (every role of the clinic works at it).
    get kind() {
      const k = getMeta(db, 'device_kind');
      return k === 'desk' || k === 'cabinet' || k === 'kiosk' ? k : 'standalone';
    },
  };
}

/** A kiosk's own account and its key, opened with the secret kept beside the token; null if either is missing. */
async function openKioskKey(db: Db, secrets: SecretStore): Promise<Sessions['own']> {
  const row = stmt(db.sqlite, 'SELECT id, username, full_name AS fullName, role, doctor_id AS doctorId, password_hash AS hash FROM users WHERE id = ?').get(KIOSK_USER_ID) as
    | (User & { hash: string })
    | undefined;
  const secret = secrets.get();
  if (!row || !secret) return null;
  const key = await openCredential(secret, row.hash);
  if (!key) return null;
  const { hash: _h, ...user } = row;
  return { user, key };
}

/** Open (and on first start create) a desk's data directory: replica, device identity, services, RPC router. */
export async function openDesk(opts: DeskOptions): Promise<Desk> {
  mkdirSync(opts.dataDir, { recursive: true });
  // One desk per data directory, held until close (or until the process ends, however it ends).
  const instance = opts.instanceLock === false ? { release: () => undefined } : acquireInstanceLock(opts.dataDir);
  try {
    return await openLockedDesk(opts, instance.release);
  } catch (e) {
    instance.release();
    throw e;
  }
}

async function openLockedDesk(opts: DeskOptions, releaseLock: () => void): Promise<Desk> {
  const db = openDb(join(opts.dataDir, 'kezek.sqlite'));
  try {
    return await openOn(db, opts, releaseLock);
  } catch (e) {
    // A first start that could not finish (a refused code, no server): the folder stays as it was, nothing holds it.
    db.sqlite.close();
    throw e;
  }
}

async function openOn(db: Db, opts: DeskOptions, releaseLock: () => void): Promise<Desk> {
  const clock = opts.clock ?? Date.now;
  const device = ensureDevice(db);
  refreshNameKeys(db);
  const markFile = opts.ticketMarkFile ?? `${opts.dataDir.replace(/[\\/]+$/, '')}.ticket-mark`;
  if (!openTicketMark(db, markFile, device.id)) console.warn(`kezek: cannot write the ticket mark ${markFile}; a desk restored from a backup relies on its first sync to skip printed codes`);
  let freshDemo: ClinicSize | null = null;
  const secrets = opts.secrets ?? fileSecretStore(opts.dataDir);
  if (!getMeta(db, 'org_id') && !getMeta(db, 'server_url') && opts.enroll) {
    const password = opts.enroll.password;
    if (!password) throw new Error('to enroll this desk give the password for its local accounts in KEZEK_PASSWORD or --password-file FILE');
    const [accounts, cabinet] = await Promise.all([bootstrapAccounts(password), cabinetCredential(password)]);
    const cabinetSigner = { userId: CABINET_DOCTOR_ID, publicKey: cabinet.publicKey };
    const { cabinetDoctorId, kind } = await enroll(db, { ...opts.enroll, accounts, cabinetSigner, storeToken: secrets.set, fetchFn: opts.fetchFn });
    // Usable at once; the server's accounts (seeded by the first desk of the clinic) replace these on the first download.
    saveAccounts(db, accounts, true);
    if (cabinetDoctorId) saveAccounts(db, [cabinetAccount(cabinet, cabinetDoctorId)], false);
    // A kiosk: the same key, as the kiosk's own account, opened at every start with a secret kept beside the token.
    if (kind === 'kiosk') {
      const own = await kioskAccount((await openCredential(password, cabinet.passwordHash))!);
      (opts.kioskSecrets ?? fileSecretStore(opts.dataDir, 'kiosk-secret')).set(own.secret);
      saveAccounts(db, [own.account], false);
    }
  }
  // A desk the server refused (revoked, or a server restored from before its enrollment), given a new code: enroll
  // again, keeping everything it holds. Any other enrolled desk ignores a code it is given again.
  if (getMeta(db, 'org_id') && getMeta(db, 'server_refused_at') && opts.enroll) await reenroll(db, { ...opts.enroll, storeToken: secrets.set, fetchFn: opts.fetchFn });
  // Enrolled but not (fully) downloaded yet — first start, or one that was interrupted: resume.
  if (!getMeta(db, 'org_id') && getMeta(db, 'server_url')) {
    await bootstrap(db, secrets.get() ?? '', { onProgress: opts.onBootstrapProgress, fetchFn: opts.fetchFn });
  }
  if (!getMeta(db, 'org_id')) {
    const demo = opts.demo ?? DEMO_CLINIC;
    if (!demo) throw new Error('This desk is not enrolled to an organization yet.');
    await seedClinic(db, demo, localParts(clock(), 'Asia/Bishkek').date);
    setMeta(db, 'org_id', DEMO_ORG_ID);
    freshDemo = demo;
  }
  const orgRow = stmt(db.sqlite, 'SELECT id, region_id AS regionId, name, address, phone, profile_id AS profileId, timezone FROM organizations WHERE id = ?').get(
    getMeta(db, 'org_id'),
  ) as Organization;
  const profile = getProfile(orgRow.profileId);
  const env: Env = {
    db,
    clock,
    device,
    org: orgRow,
    profile,
    hlc: new Hlc(device.id, clock),
    directory: new DirectoryCache(db, orgRow.id),
    online: () => false,
    queued: () => undefined,
  };
  ensureSlots(env);
  if (freshDemo) seedUpcomingBookings(env, freshDemo.seed);
  const sessions = new Sessions(db, clock, (user, password) => giveKey(env, user, password));
  // A kiosk opens its own key now: its screen works without anyone signing in (issue 21).
  if (device.kind === 'kiosk') sessions.own = await openKioskKey(db, opts.kioskSecrets ?? fileSecretStore(opts.dataDir, 'kiosk-secret'));
  const stopCheckpoints = startIdleCheckpoints(db);
  const printer = new PrinterService(env, opts.printerTransport, opts.printerDeviceRoots);
  // What changed, told to every window of the desk and the LAN PCs it serves, so nothing polls (issue 23 finding 12).
  const changes = new ChangeFeed();
  printer.queue.onChange = () => changes.publish(['printer']);
  const sync = SyncEngine.enrolled(db)
    ? new SyncEngine(
        db,
        new ServerClient(getMeta(db, 'server_url')!, secrets.get(), 5000, opts.fetchFn),
        clock,
        (applied) => {
          if (applied.directory || applied.schedules) env.directory.reload();
          if (applied.schedules || applied.directory) ensureSlots(env, true);
          changes.publish(topicsOfSync(applied));
        },
        secrets.set,
      )
    : null;
  if (sync) {
    sync.onRound = () => changes.publish(['sync']);
    env.online = () => sync.online;
    env.queued = () => sync.pushSoon();
    sync.printerReport = () => {
      const p = printer.status('ru');
      return { configured: p.configured, queued: p.queued, error: p.lastError ? `${p.lastError.code}: ${p.lastError.message}`.slice(0, 300) : null };
    };
  }
  if (sync && opts.autoSync !== false) sync.start();
  if (opts.hallUrl !== undefined && opts.hallUrl !== null) {
    if (opts.hallUrl === 'here') stmt(db.sqlite, "DELETE FROM meta WHERE key = 'hall_url'").run();
    else setMeta(db, 'hall_url', opts.hallUrl);
  }
  const hall = new Hall(env, () => changes.publish(['tasks']));
  hall.prune();
  const voice = new Voice();
  // Who waits changes with check-ins and visits, here or from the sync: the hall's screens redraw.
  changes.subscribe((topics) => {
    if (topics.includes('bookings')) hall.bookingsChanged();
  });
  const link = new HallLink(env, hall);
  return {
    env,
    sessions,
    printer,
    sync,
    changes,
    hall: link,
    hallHttp: hallHttp(hall, voice),
    router: createRouter(env, sessions, printer, sync, console.error, changes, link),
    close: async () => {
      voice.close();
      await sync?.stop();
      changes.close();
      stopCheckpoints();
      await printer.queue.stop();
      db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      db.sqlite.close();
      releaseLock();
    },
  };
}
