import { PGlite } from '@electric-sql/pglite';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { whileNoServer } from '../db/presence.js';
import { runningServer } from './running-server.js';

const run = promisify(execFile);

/** Where the server's database is: PostgreSQL by URL, or the embedded one in a folder. */
export type ServerStore = { databaseUrl: string } | { dataDir: string };

/**
 * PostgreSQL's own client tools (`pg_dump`, `pg_restore`): KEZEK_PG_BIN, else the newest of Debian's
 * /usr/lib/postgresql/<version>/bin (a dump by an older pg_dump than the server is refused), else PATH.
 */
export function pgTool(name: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEZEK_PG_BIN) return join(env.KEZEK_PG_BIN, name);
  const root = '/usr/lib/postgresql';
  const newest = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  return newest ? join(root, newest, 'bin', name) : name;
}

function refuseRunningEmbedded(dataDir: string, what: string): void {
  if (runningServer(dataDir)) throw new Error(`the sync server is running on this embedded database: stop it for the ${what} (the embedded database belongs to one process)`);
}

/**
 * A consistent copy of the whole server database in one file. PostgreSQL: `pg_dump`'s custom format,
 * taken online (a snapshot; desks keep syncing). Embedded: the data folder as a gzip'd tar, with the
 * server stopped. Written beside the target first and renamed, so a half-written backup never looks
 * like one; an existing file is never overwritten.
 */
export async function backupServer(store: ServerStore, file: string): Promise<{ file: string; bytes: number }> {
  if (existsSync(file)) throw new Error(`${file} exists already: a backup never overwrites one`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    if ('databaseUrl' in store) await run(pgTool('pg_dump'), ['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${store.databaseUrl}`]);
    else {
      refuseRunningEmbedded(store.dataDir, 'backup');
      if (!existsSync(join(store.dataDir, 'PG_VERSION'))) throw new Error(`${store.dataDir} holds no server database (KEZEK_SERVER_DATA)`);
      const db = new PGlite(store.dataDir);
      try {
        await db.waitReady; // a dump asked before the database is open never settles
        writeFileSync(partial, Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()));
      } finally {
        await db.close();
      }
    }
    // Patients' names and PINs: readable by the server's own user only.
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
  return { file, bytes: statSync(file).size };
}

/**
 * Put a backup back, with the server stopped. PostgreSQL: `pg_restore --clean` in one transaction (a
 * damaged file changes nothing). Embedded: the current folder is kept beside it as
 * `<folder>.before-restore-<time>`. The caller then renews the history (`after-restore`), so every
 * desk re-sends what the backup lacks.
 */
export async function restoreServer(store: ServerStore, file: string, now: number): Promise<{ keptAside: string | null }> {
  if (!existsSync(file)) throw new Error(`${file}: no such backup`);
  if ('databaseUrl' in store) {
    const url = store.databaseUrl;
    await whileNoServer(url, () => run(pgTool('pg_restore'), ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${url}`, file]));
    return { keptAside: null };
  }
  refuseRunningEmbedded(store.dataDir, 'restore');
  // Check the file opens as a database before the current one is moved aside.
  const probe = new PGlite({ loadDataDir: new Blob([readFileSync(file)]) });
  await probe.query('SELECT 1 FROM organizations LIMIT 1');
  await probe.close();
  const keptAside = existsSync(store.dataDir) ? `${store.dataDir}.before-restore-${new Date(now).toISOString().replace(/[:.]/g, '-')}` : null;
  if (keptAside) renameSync(store.dataDir, keptAside);
  const db = new PGlite(store.dataDir, { loadDataDir: new Blob([readFileSync(file)]) });
  await db.query('SELECT 1');
  await db.close();
  return { keptAside };
}
