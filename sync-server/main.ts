import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importDirectory, parseDirectoryFile } from './directory/import.js';
import { createEnrollmentCode } from './auth/enrollment.js';
import { listDevices, revokeDevice } from './auth/devices.js';
import { connect, type Database } from './db/connect.js';
import { isTransient } from './db/faults.js';
import { createServerApp } from './http/app.js';
import { Pokes } from './sync/pokes.js';
import { jsonLogger, type Logger } from './log.js';

/**
 * `npm run server [-- serve]`                start the sync server
 * `npm run server -- enroll-code <orgId> [hours] [--cabinet <doctorId>]`  print a one-time enrollment code for a desk (or a doctor's cabinet PC)
 * `npm run server -- import <file.json>`     load or update the directory (regions, organizations, doctors, schedules, patients)
 * `npm run server -- devices <orgId>`        list an organization's enrolled devices
 * `npm run server -- revoke-device <id>`     stop a lost or replaced PC's token working
 * Database: DATABASE_URL=postgres://… for PostgreSQL, else embedded PGlite in KEZEK_SERVER_DATA (default ./server-data).
 */
/**
 * The database, with its migrations run. A server starting before its database is up
 * (a reboot of both, a failover) waits and tries again instead of exiting; the
 * one-shot commands fail at once with the reason.
 */
async function connectPatiently(log: Logger, wait: boolean): Promise<Database> {
  const opts = {
    databaseUrl: process.env.DATABASE_URL, dataDir: process.env.KEZEK_SERVER_DATA ?? join(process.cwd(), 'server-data'),
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

async function main(): Promise<void> {
  const [cmd = 'serve', ...args] = process.argv.slice(2);
  const log = jsonLogger();
  const database = await connectPatiently(log, cmd === 'serve');
  if (cmd === 'enroll-code') {
    const cabinetAt = args.indexOf('--cabinet');
    const doctorId = cabinetAt >= 0 ? args[cabinetAt + 1] : undefined;
    const [orgId, hours] = args.filter((_, i) => cabinetAt < 0 || (i !== cabinetAt && i !== cabinetAt + 1));
    if (!orgId || (cabinetAt >= 0 && !doctorId)) throw new Error('usage: enroll-code <orgId> [hours] [--cabinet <doctorId>]');
    const code = await createEnrollmentCode(database.db, orgId, Date.now(), Number(hours ?? 72), doctorId ? { kind: 'cabinet', doctorId } : { kind: 'desk' });
    console.log(code);
    await database.close();
    return;
  }
  if (cmd === 'import') {
    const file = args[0];
    if (!file) throw new Error('usage: import <directory.json>');
    const report = await importDirectory(database.db, parseDirectoryFile(JSON.parse(readFileSync(file, 'utf8'))), Date.now());
    log('info', 'directory imported', { file, ...report });
    await database.close();
    return;
  }
  if (cmd === 'devices') {
    if (!args[0]) throw new Error('usage: devices <orgId>');
    for (const d of await listDevices(database.db, args[0])) {
      const at = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
      console.log([d.id, d.name, `tickets ${d.ticketPrefix ?? '-'}`, `enrolled ${at(d.createdAt)}`, `last seen ${at(d.lastSeenAt)}`, `ops ${d.lastAppliedSeq}`, d.revokedAt ? `REVOKED ${at(d.revokedAt)}` : 'active', d.clockSuspect ? 'CLOCK AHEAD of the server' : ''].join('\t'));
    }
    await database.close();
    return;
  }
  if (cmd === 'revoke-device') {
    if (!args[0]) throw new Error('usage: revoke-device <deviceId>');
    const done = await revokeDevice(database.db, args[0], Date.now());
    log(done ? 'info' : 'warn', done ? 'device revoked' : 'no such active device', { deviceId: args[0] });
    await database.close();
    if (!done) process.exitCode = 1;
    return;
  }
  if (cmd !== 'serve') throw new Error(`unknown command ${cmd} (serve | enroll-code | import | devices | revoke-device)`);
  const port = Number(process.env.PORT ?? 5790);
  const host = process.env.HOST ?? '0.0.0.0';
  // KEZEK_CLOCK_START: run the server's clock from this instant (training and end-to-end tests, like the desk's --clock-start).
  const offset = process.env.KEZEK_CLOCK_START ? Date.parse(process.env.KEZEK_CLOCK_START) - Date.now() : 0;
  const pokes = new Pokes(database.db);
  const app = createServerApp({ database, clock: () => Date.now() + offset, log, pokes });
  const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => log('info', 'sync server listening', { port: info.port, host, db: database.kind }));
  // Graceful shutdown: stop accepting, let requests in flight finish, then close the database.
  const stop = (signal: string) => {
    log('info', 'shutting down', { signal });
    // Requests in flight get 5 s to finish; desks' idle keep-alive connections must not hold the exit.
    setTimeout(() => process.exit(0), 5000).unref();
    pokes.close(); // desks' event streams end; they reconnect to another server process or poll
    server.close(async () => {
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
