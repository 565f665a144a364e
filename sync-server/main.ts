import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importDirectory, parseDirectoryFile } from './directory/import.js';
import { randomBytes } from 'node:crypto';
import { adminInput, askRunningServer, runAdmin, type AdminCommand, type AdminOutput } from './admin/commands.js';
import { announce, runningServer } from './admin/running-server.js';
import { holdServingLock } from './db/presence.js';
import { backupServer, restoreServer } from './admin/backup.js';
import { connect, type Database } from './db/connect.js';
import { isTransient } from './db/faults.js';
import { createServerApp } from './http/app.js';
import { Pokes } from './sync/pokes.js';
import { jsonLogger, type Logger } from './log.js';
import { MessageSender } from './messages/sender.js';
import { WaitingList } from './waiting/worker.js';
import { offerNotice } from './waiting/notice.js';
import { transportsFromEnv } from './messages/settings.js';
import { DirectoryCache } from './rules/directory-cache.js';

/**
 * `npm run server [-- serve]`                start the sync server
 * `npm run server -- enroll-code <orgId> [hours] [--cabinet <doctorId> | --kiosk]`  print a one-time enrollment code for a desk (or a doctor's cabinet PC, or the hall's kiosk)
 * `npm run server -- import <file.json>`     load or update the directory (regions, organizations, doctors, schedules, patients)
 * `npm run server -- devices <orgId>`        list an organization's enrolled devices
 * `npm run server -- revoke-device <id>`     stop a lost or replaced PC's token working
 * `npm run server -- publish-release <dir> [--platform win|linux] [--min-os 10.0]`   publish a desk release (seen by no region yet)
 * `npm run server -- rollout <version> <regionId>=<YYYY-MM-DD>[/<clinics a day>]…`  open regions' windows for it (R23)
 * `npm run server -- pause-release | resume-release <version>`, `releases`
 * `KEZEK_PASSWORD=… npm run server -- add-installer <username> <regionId,…|*>`   an IT installer's console account
 * `npm run server -- disable-installer <username>`   that account signs in no more (its sessions end now)
 * `npm run server -- add-api-client <name> <internet|kiosk|call_centre> <regionId,…|*|-> [--organizations a,b] [--per-minute N]`
 *                                            another system that books through the FHIR API (its key shown once); `api-clients`, `disable-api-client <id>`
 * `npm run server -- backup [file]` / `restore <file>`   the whole database in one file (restore with the server stopped; it renews the history)
 * `npm run server -- after-restore`          after a database restored by other means (PostgreSQL's own tools, a replica)
 * Database: DATABASE_URL=postgres://… for PostgreSQL, else embedded PGlite in KEZEK_SERVER_DATA (default ./server-data).
 */
/**
 * The database, with its migrations run. A server starting before its database is up
 * (a reboot of both, a failover) waits and tries again instead of exiting; the
 * one-shot commands fail at once with the reason.
 */
async function connectPatiently(log: Logger, wait: boolean): Promise<Database> {
  const opts = {
    databaseUrl: process.env.DATABASE_URL,
    dataDir: dataDir(),
    onConnectionError: (e: Error) => log('warn', 'database connection lost; a new one is opened for the next request', { err: e.message }),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect(opts);
    } catch (e) {
      if (!wait || !isTransient(e)) throw e;
      log('warn', 'database not reachable yet; retrying', { attempt, err: String(e).slice(0, 200) });
      await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * attempt)));
    }
  }
}

const dataDir = () => process.env.KEZEK_SERVER_DATA ?? join(process.cwd(), 'server-data');
/** Published desk releases: beside the data, or a folder every server process shares (KEZEK_RELEASES_DIR). */
const releasesDir = () => process.env.KEZEK_RELEASES_DIR ?? join(dataDir(), 'releases');

/** An installer's command: through the server running on this PC's embedded database if there is one, else on the database itself. */
async function admin<C extends AdminCommand>(log: Logger, command: C, input: unknown): Promise<AdminOutput[C]> {
  const running = process.env.DATABASE_URL ? null : runningServer(dataDir());
  if (running) return askRunningServer(running, command, input);
  const parsed = adminInput[command].safeParse(input);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const database = await connectPatiently(log, false);
  try {
    return await runAdmin(database.db, command, parsed.data as never, Date.now(), releasesDir());
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const [cmd = 'serve', ...args] = process.argv.slice(2);
  const log = jsonLogger();
  if (cmd === 'enroll-code') {
    const cabinetAt = args.indexOf('--cabinet');
    const doctorId = cabinetAt >= 0 ? args[cabinetAt + 1] : undefined;
    const kiosk = args.includes('--kiosk');
    const [orgId, hours] = args.filter((a, i) => a !== '--kiosk' && (cabinetAt < 0 || (i !== cabinetAt && i !== cabinetAt + 1)));
    if (!orgId || (cabinetAt >= 0 && !doctorId) || (kiosk && cabinetAt >= 0)) throw new Error('usage: enroll-code <orgId> [hours] [--cabinet <doctorId> | --kiosk]');
    console.log((await admin(log, 'enroll-code', { orgId, hours: Number(hours ?? 72), cabinet: doctorId ?? null, kiosk })).code);
    return;
  }
  if (cmd === 'devices') {
    if (!args[0]) throw new Error('usage: devices <orgId>');
    for (const d of (await admin(log, 'devices', { orgId: args[0] })).devices) {
      const at = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
      console.log(
        [
          d.id,
          d.name,
          `tickets ${d.ticketPrefix ?? '-'}`,
          `enrolled ${at(d.createdAt)}`,
          `last seen ${at(d.lastSeenAt)}`,
          `ops ${d.lastAppliedSeq}`,
          d.revokedAt ? `REVOKED ${at(d.revokedAt)}` : 'active',
          d.clockSuspect ? 'CLOCK AHEAD of the server' : '',
        ].join('\t'),
      );
    }
    return;
  }
  if (cmd === 'revoke-device') {
    if (!args[0]) throw new Error('usage: revoke-device <deviceId>');
    const { revoked } = await admin(log, 'revoke-device', { deviceId: args[0] });
    log(revoked ? 'info' : 'warn', revoked ? 'device revoked' : 'no such active device', { deviceId: args[0] });
    if (!revoked) process.exitCode = 1;
    return;
  }
  // Desk releases (issue 12): publish, open regions' windows (R23), pause or resume, list.
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const releasePlatform = flag('--platform') ?? 'win';
  if (cmd === 'publish-release') {
    if (!positional[0]) throw new Error('usage: publish-release <folder with latest.yml> [--platform win|linux] [--min-os 10.0]');
    const r = await admin(log, 'publish-release', { dir: resolve(positional[0]), platform: releasePlatform, minOs: flag('--min-os') ?? null });
    log('info', 'release published (no region sees it until its window opens: rollout)', { version: r.version, files: r.files.map((f) => f.name) });
    return;
  }
  if (cmd === 'rollout') {
    const [version, ...windows] = positional;
    if (!version || windows.length === 0) throw new Error('usage: rollout <version> <regionId>=<YYYY-MM-DD>[/<clinics a day>]… [--platform win|linux]');
    const plan = Object.fromEntries(
      windows.map((w) => {
        const m = /^([^=]+)=(\d{4}-\d{2}-\d{2})(?:\/(\d+))?$/.exec(w);
        if (!m) throw new Error(`${w}: expected regionId=YYYY-MM-DD or regionId=YYYY-MM-DD/<clinics a day>`);
        return [m[1]!, { opensOn: m[2]!, clinicsPerDay: m[3] ? Number(m[3]) : null }];
      }),
    );
    console.log(JSON.stringify((await admin(log, 'rollout', { platform: releasePlatform, version, windows: plan })).rollout, null, 2));
    return;
  }
  if (cmd === 'pause-release' || cmd === 'resume-release') {
    if (!positional[0]) throw new Error(`usage: ${cmd} <version> [--platform win|linux]`);
    await admin(log, 'pause-release', { platform: releasePlatform, version: positional[0], paused: cmd === 'pause-release' });
    log('info', cmd === 'pause-release' ? 'release paused: desks that have not taken it see the one before' : 'release resumed', { version: positional[0] });
    return;
  }
  if (cmd === 'releases') {
    for (const r of (await admin(log, 'releases', {})).releases) {
      const windows = Object.entries(r.rollout).map(([region, w]) => `${region} ${w.opensOn}${w.clinicsPerDay ? `/${w.clinicsPerDay} a day` : ''}`);
      console.log([r.platform, r.version, r.paused ? 'PAUSED' : 'live', `min OS ${r.minOs ?? '-'}`, `PCs running it ${r.running}`, windows.join(', ') || 'no region yet'].join('\t'));
    }
    return;
  }
  if (cmd === 'after-restore') {
    const { organizations } = await admin(log, 'after-restore', {});
    log('info', 'history renewed after a restore: every desk pulls again and re-sends what the backup lacks', { organizations });
    return;
  }
  if (cmd === 'backup' || cmd === 'restore') {
    const store = process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: dataDir() };
    if (cmd === 'backup') {
      const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-');
      const file = resolve(positional[0] ?? `kezek-server-${stamp}.${'databaseUrl' in store ? 'dump' : 'tar.gz'}`);
      log('info', 'server backed up', await backupServer(store, file));
      return;
    }
    if (!positional[0]) throw new Error('usage: restore <backup file> (with the sync server stopped)');
    const { keptAside } = await restoreServer(store, resolve(positional[0]), Date.now());
    const { organizations } = await admin(log, 'after-restore', {});
    log('info', 'server restored; history renewed: every desk pulls again and re-sends what the backup lacks', { file: positional[0], keptAside, organizations });
    return;
  }
  if (cmd === 'add-installer') {
    const [username, regionList] = positional;
    const password = process.env.KEZEK_PASSWORD ?? (flag('--password-file') ? readFileSync(flag('--password-file')!, 'utf8').split(/\r?\n/)[0] : undefined);
    if (!username || !regionList || !password) throw new Error('usage: add-installer <username> <regionId,…|*>, the password in KEZEK_PASSWORD or --password-file FILE (never on the command line)');
    const r = await admin(log, 'add-installer', { username, password, regions: regionList.split(',') });
    log('info', 'installer account ready: sign in at /console', r);
    return;
  }
  if (cmd === 'disable-installer') {
    const [username] = positional;
    if (!username) throw new Error('usage: disable-installer <username>');
    log('info', 'installer account disabled: signed out everywhere', await admin(log, 'disable-installer', { username }));
    return;
  }
  if (cmd === 'add-api-client') {
    // add-api-client <name> <internet|kiosk|call_centre> <regionId,…|*> [--organizations a,b] [--per-minute N]
    const [name, channel, regionList] = positional;
    if (!name || !channel) throw new Error('usage: add-api-client <name> <internet|kiosk|call_centre> <regionId,…|*|-> [--organizations org,…] [--per-minute N]');
    const regions = regionList && regionList !== '-' ? regionList.split(',') : [];
    const organizations = flag('--organizations')?.split(',') ?? [];
    const perMinute = flag('--per-minute') ? Number(flag('--per-minute')) : undefined;
    const r = await admin(log, 'add-api-client', { name, channel, regions, organizations, ...(perMinute ? { perMinute } : {}) });
    log('info', 'API client added: give it this key once (it is kept only as a hash)', { ...r.client, key: r.key });
    return;
  }
  if (cmd === 'api-clients') {
    log('info', 'API clients', await admin(log, 'api-clients', {}));
    return;
  }
  if (cmd === 'disable-api-client') {
    const [id] = positional;
    if (!id) throw new Error('usage: disable-api-client <id>');
    log('info', 'API client disabled: its key is refused from now on', await admin(log, 'disable-api-client', { id }));
    return;
  }
  if (cmd === 'import') {
    const file = args[0];
    if (!file) throw new Error('usage: import <directory.json>');
    if (!process.env.DATABASE_URL && runningServer(dataDir()))
      throw new Error('the sync server is running on this embedded database: stop it for the import (or run on PostgreSQL, where imports run beside it)');
    const database = await connectPatiently(log, false);
    const report = await importDirectory(database.db, parseDirectoryFile(JSON.parse(readFileSync(file, 'utf8'))), Date.now());
    log('info', 'directory imported', { file, ...report });
    await database.close();
    return;
  }
  if (cmd !== 'serve')
    throw new Error(
      `unknown command ${cmd} (serve | enroll-code | import | devices | revoke-device | publish-release | rollout | pause-release | resume-release | releases | add-installer | disable-installer | add-api-client | api-clients | disable-api-client | backup | restore | after-restore)`,
    );
  // Message settings first: a mistake in them stops the start with the variable's name, before anything listens.
  const transports = transportsFromEnv(process.env, dataDir());
  const database = await connectPatiently(log, true);
  // PostgreSQL knows this process serves the database while it runs: a restore is refused meanwhile.
  const presence = process.env.DATABASE_URL ? holdServingLock(process.env.DATABASE_URL, (e) => log('warn', 'the serving lock’s connection was lost; taking it again', { err: e.message })) : null;
  await presence?.ready;
  const port = Number(process.env.PORT ?? 5790);
  const host = process.env.HOST ?? '0.0.0.0';
  // KEZEK_CLOCK_START: run the server's clock from this instant (training and end-to-end tests, like the desk's --clock-start).
  const offset = process.env.KEZEK_CLOCK_START ? Date.parse(process.env.KEZEK_CLOCK_START) - Date.now() : 0;
  const pokes = new Pokes(database.db);
  // On the embedded database the admin commands come to this process (see admin/running-server.ts).
  const adminSecret = database.kind === 'pglite' ? randomBytes(24).toString('base64url') : undefined;
  // The message outbox's sender (issue 20): every process runs one, the database keeps them from sending a message twice.
  const sender = new MessageSender(database.db, new DirectoryCache(), transports, () => Date.now() + offset, log);
  sender.start(Number(process.env.KEZEK_MESSAGES_INTERVAL_MS ?? 5000));
  // The waiting list's passes (issue 21): on every push that may free a time, and every half minute for holds that end.
  const waitingList = new WaitingList(
    database.db,
    new DirectoryCache(),
    () => Date.now() + offset,
    offerNotice(transports.sms !== null),
    log,
    (orgId) => pokes.notify(orgId),
  );
  waitingList.start(Number(process.env.KEZEK_WAITING_INTERVAL_MS ?? 30_000));
  const app = createServerApp({
    database,
    waitingList,
    messages: { sms: transports.sms !== null, email: transports.email !== null, kick: () => void sender.tick().catch(() => undefined) },
    clock: () => Date.now() + offset,
    log,
    pokes,
    releasesDir: releasesDir(),
    ...(process.env.KEZEK_PUBLIC_URL ? { publicUrl: process.env.KEZEK_PUBLIC_URL } : {}),
    ...(adminSecret ? { adminSecret } : {}),
  });
  let note: { remove: () => void } | null = null;
  const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
    if (adminSecret) note = announce(dataDir(), info.port, adminSecret);
    log('info', 'sync server listening', { port: info.port, host, db: database.kind });
  });
  // Graceful shutdown: stop accepting, let requests in flight finish, then close the database.
  const stop = (signal: string) => {
    log('info', 'shutting down', { signal });
    note?.remove();
    // Requests in flight get 5 s to finish; desks' idle keep-alive connections must not hold the exit.
    setTimeout(() => process.exit(0), 5000).unref();
    pokes.close(); // desks' event streams end; they reconnect to another server process or poll
    server.close(async () => {
      await sender.stop();
      await waitingList.stop();
      await presence?.end();
      await database.close();
      process.exit(0);
    });
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
