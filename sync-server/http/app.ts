import { account, publicKey } from '../../src-shared/domain/account.js';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { getConnInfo } from '@hono/node-server/conninfo';
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { deviceForToken, enroll, EnrollError } from '../auth/enrollment.js';
import { ticketPrefixFor } from '../auth/ticket-prefixes.js';
import { DirectoryCache } from '../rules/directory-cache.js';
import { OrgQueue } from '../sync/org-queue.js';
import type { ServerDevice } from '../rules/judge.js';
import { AdminError, adminInput, runAdmin, type AdminCommand } from '../admin/commands.js';
import type { Database } from '../db/connect.js';
import { isTransient, Unavailable } from '../db/faults.js';
import type { Logger } from '../log.js';
import { deskReport, leaseRequest, pushRequest, OLDEST_ACCEPTED_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { devices as devicesTable } from '../db/schema.js';
import { push } from '../sync/push.js';
import { fhirApi } from '../api/routes.js';
import { type PageMessages, patientPage } from '../patient/routes.js';
import { pull } from '../sync/pull.js';
import { renewLeases } from '../sync/leases.js';
import { Pokes } from '../sync/pokes.js';
import { eventStream } from './events.js';
import { noteDevice, serveUpdate } from '../updates/feed.js';
import { ReleaseError } from '../updates/releases.js';
import { mountConsole } from '../console/routes.js';
import { WaitingList } from '../waiting/worker.js';
import { offerNotice } from '../waiting/notice.js';

export interface ServerDeps {
  database: Database;
  clock: () => number;
  log: Logger;
  pokes?: Pokes;
  /** Enables /admin/* for this PC's administrator (the CLI, when the server holds the embedded database). */
  adminSecret?: string;
  /** Where published desk releases lie (the update feed serves them from there). */
  releasesDir?: string;
  /** The address desks reach this server at (the console's enrollment QR carries it); else the address the console was opened at. */
  publicUrl?: string;
  /** The message outbox's sender, where this process runs one: the patient page's SMS sign-in needs it. */
  messages?: PageMessages;
  /** The waiting list's passes (issue 21); made here, without a timer, when the caller brings none (the simulator runs its own, at its steps). */
  waitingList?: Pick<WaitingList, 'poke'>;
}
type Device = ServerDevice & { name: string; ticketPrefix: string | null };

const MAX_BODY = 2 * 1024 * 1024;
const pullQuery = z.object({ cursor: z.coerce.number().int().min(0), limit: z.coerce.number().int().min(1).max(5000), count: z.enum(['0', '1']) });
const enrollBody = z.object({
  code: z.string().min(4).max(40),
  deviceName: z.string().trim().min(1).max(100),
  installId: z.uuid().optional(),
  /** The clinic's first accounts (credentials), kept if this is its first desk. */
  accounts: z.array(account).max(10).default([]),
  /** The cabinet PC's own doctor account's public key (kept if the code is for a cabinet PC). */
  cabinetSigner: z
    .object({ userId: z.string().min(1).max(80), publicKey })
    .nullable()
    .default(null),
});

/** Every error the server returns: a machine-readable code, a message for logs and screens. */
const fail = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 413 | 426 | 500 | 503, code: string, message: string) => c.json({ error: { code, message } }, status);

/**
 * The sync server's HTTP API. Stateless: everything lives in the database, so
 * several processes can serve one database side by side.
 */
export function createServerApp(deps: ServerDeps): Hono<{ Variables: { device: Device } }> {
  const { database, clock, log } = deps;
  const db = database.db;
  const pokes = deps.pokes ?? new Pokes(db);
  // This process's copy of each organization's directory for the rules (reloaded when an import moves its version).
  const directories = new DirectoryCache();
  const pushes = new OrgQueue();
  const waiting = deps.waitingList ?? new WaitingList(db, directories, clock, offerNotice(deps.messages?.sms === true), log, (orgId) => pokes.notify(orgId));
  const app = new Hono<{ Variables: { device: Device } }>();

  app.use('*', bodyLimit({ maxSize: MAX_BODY, onError: (c) => fail(c, 413, 'too_large', `body over ${MAX_BODY} bytes`) }));

  app.get('/health', async (c) => {
    try {
      await database.db.execute(sql`SELECT 1`);
      return c.json({ ok: true, db: database.kind, time: clock() });
    } catch (e) {
      log('error', 'health check failed', { err: String(e) });
      return c.json({ ok: false, db: database.kind }, 503);
    }
  });

  app.post('/enroll', async (c) => {
    const parsed = enrollBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return fail(c, 400, 'bad_input', 'expected {code, deviceName}');
    try {
      const r = await enroll(db, parsed.data.code, parsed.data.deviceName, clock(), parsed.data.installId ?? null, parsed.data.accounts, parsed.data.cabinetSigner);
      log('info', 'device enrolled', { deviceId: r.deviceId, orgId: r.orgId, name: parsed.data.deviceName });
      return c.json(r);
    } catch (e) {
      if (e instanceof EnrollError) {
        log('warn', 'enrollment refused', { reason: e.code });
        return fail(c, 401, e.code, 'the enrollment code is unknown, expired or already used');
      }
      throw e;
    }
  });

  // Everything below needs a device token; the device's organization scopes every read and write.
  const deviceOnly = async (c: Context<{ Variables: { device: Device } }>, next: () => Promise<void>) => {
    const token = c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    const device = token ? await deviceForToken(db, token) : null;
    if (!device) {
      log('warn', 'unauthenticated request', { path: c.req.path });
      return fail(c, 401, 'unauthenticated', 'unknown or revoked device token');
    }
    c.set('device', device);
    await next();
  };
  app.use('/sync/*', deviceOnly);
  app.use('/updates/*', deviceOnly);
  const versions = (c: Context<{ Variables: { device: Device } }>) => noteDevice(db, c.get('device').id, clock(), c.req.header('x-kezek-version'), c.req.header('x-kezek-os'));

  app.get('/sync/whoami', (c) => c.json(c.get('device')));

  app.post('/sync/push', async (c) => {
    const device = c.get('device');
    const parsed = pushRequest.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      log('warn', 'malformed push', { deviceId: device.id, issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
      return fail(c, 400, 'bad_push', 'expected {schemaVersion, ops: [{seq, opId, hlc, name, args}]} with 1–500 ops');
    }
    // A desk from before signed ops (format 1): nothing applied — its ops wait on it for the update (issue 19).
    if (parsed.data.schemaVersion < OLDEST_ACCEPTED_SCHEMA_VERSION) return fail(c, 426, 'update_desk', `this desk sends ops of format ${parsed.data.schemaVersion}; update it`);
    // A device enrolled before installs were recorded names its install once; from then on the server holds it.
    if (device.installId === null && parsed.data.installId) {
      await db
        .update(devicesTable)
        .set({ installId: parsed.data.installId })
        .where(and(eq(devicesTable.id, device.id), isNull(devicesTable.installId)));
      device.installId = (await deviceForToken(db, c.req.header('authorization')!.replace(/^Bearer\s+/i, '')))?.installId ?? null;
    }
    const res = await pushes.run(device.orgId, () => push(database, directories, device, parsed.data.schemaVersion, parsed.data.ops, clock, log));
    if (res.results.length > 0) {
      pokes.notify(device.orgId);
      void waiting.poke(device.orgId);
    }
    return c.json(res);
  });

  // A desk's report of itself, for the installer's console (the latest one is kept, with when).
  app.post('/sync/status', async (c) => {
    const parsed = deskReport.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return fail(c, 400, 'bad_input', 'expected {pending, conflicts, openTasks, printer, clockOffsetMs, lastError}');
    await db
      .update(devicesTable)
      .set({ status: { ...parsed.data, at: clock() } })
      .where(eq(devicesTable.id, c.get('device').id));
    return c.json({ ok: true as const });
  });

  app.post('/sync/leases', async (c) => {
    const body = leaseRequest.safeParse(await c.req.json().catch(() => ({})));
    if (!body.success) return fail(c, 400, 'bad_input', 'expected {renewal?: a positive whole number}');
    const res = await renewLeases(db, c.get('device'), clock(), body.data.renewal, directories);
    if (res.granted + res.released > 0) pokes.notify(c.get('device').orgId);
    // Leases given back may be the times someone waits for.
    if (res.released > 0) void waiting.poke(c.get('device').orgId);
    return c.json(res);
  });

  app.get('/sync/events', (c) => eventStream(c, pokes, c.get('device').orgId, clock));

  app.get('/sync/pull', async (c) => {
    const q = pullQuery.safeParse({ cursor: c.req.query('cursor') ?? '0', limit: c.req.query('limit') ?? '1000', count: c.req.query('count') ?? '0' });
    if (!q.success) return fail(c, 400, 'bad_pull', 'cursor and limit must be non-negative integers');
    const device = c.get('device');
    await versions(c);
    // A device enrolled before the server assigned ticket prefixes gets one now, and switches to it.
    const ticketPrefix = device.ticketPrefix ?? (await db.transaction((tx) => ticketPrefixFor(tx, device.orgId, device.id)));
    return c.json({ ...(await pull(db, device, q.data.cursor, q.data.limit, clock, q.data.count === '1')), ticketPrefix });
  });

  // Desk updates (electron-updater's generic feed), each desk seeing the release its region's window allows.
  app.get('/updates/:platform/:file', async (c) => {
    if (!deps.releasesDir) return fail(c, 404, 'not_found', 'this server publishes no updates');
    await versions(c);
    const device = c.get('device');
    return serveUpdate(c, db, deps.releasesDir, { id: device.id, orgId: device.orgId, osVersion: c.req.header('x-kezek-os') ?? null, appVersion: c.req.header('x-kezek-version') ?? null }, clock());
  });

  // The booking API for other systems (issue 20): FHIR R4 Scheduling, each client by its own key.
  app.route('/fhir/R4', fhirApi({ database, directories, clock, log, writers: pushes }) as never);

  // The patient's own page (issue 20): sign in, book, the ticket, cancel — on the booking API's decisions.
  app.route('/p', patientPage({ database, directories, clock, log, writers: pushes, poke: (orgId) => void waiting.poke(orgId), ...(deps.messages ? { messages: deps.messages } : {}) }) as never);

  // The IT installers' console (web pages, their own sign-in).
  mountConsole(app, { db, clock, log, releasesDir: deps.releasesDir ?? null, ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}) });

  // The installer's commands, for the CLI on this same PC only (see admin/running-server.ts).
  app.post('/admin/:command', async (c) => {
    const secret = c.req.header('x-kezek-admin') ?? '';
    const address = getConnInfo(c).remote.address ?? '';
    const loopback = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
    if (!deps.adminSecret || !loopback || secret.length !== deps.adminSecret.length || !timingSafeEqual(Buffer.from(secret), Buffer.from(deps.adminSecret))) {
      return fail(c, 403, 'forbidden', "admin commands are for this PC's administrator");
    }
    const command = c.req.param('command');
    if (!(command in adminInput)) return fail(c, 404, 'unknown_command', `unknown command ${command}`);
    const input = adminInput[command as AdminCommand].safeParse(await c.req.json().catch(() => null));
    if (!input.success) return fail(c, 400, 'bad_input', input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    try {
      return c.json(await runAdmin(db, command as AdminCommand, input.data as never, clock(), deps.releasesDir ?? null));
    } catch (e) {
      if (e instanceof EnrollError) return fail(c, 404, e.code, e.code);
      if (e instanceof ReleaseError) return fail(c, 409, 'release', e.message);
      if (e instanceof AdminError) return fail(c, 400, 'bad_input', e.message);
      throw e;
    }
  });

  app.onError((e, c) => {
    // The database is restarting, failing over or contended: the device keeps its ops and tries again shortly.
    if (e instanceof Unavailable || isTransient(e)) {
      log('warn', 'database unavailable', { path: c.req.path, err: String(e instanceof Unavailable ? e.underlying : e).slice(0, 300) });
      c.header('Retry-After', '2');
      return fail(c, 503, 'unavailable', 'the database is unavailable for a moment; try again');
    }
    log('error', 'request failed', { path: c.req.path, err: String(e) });
    return fail(c, 500, 'internal', 'internal error');
  });
  return app;
}
