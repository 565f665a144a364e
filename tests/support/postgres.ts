import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { closedPort } from './virtual-printer.js';

export interface Postgres {
  url(db: string): string;
  createDatabase(): Promise<string>;
  /** Stop the cluster like a crash would look to clients (immediate shutdown), then start it again once `whileDown` is done. */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Terminate every backend of a database (as an operator or a failover does); returns how many. */
  terminateBackends(url: string): Promise<number>;
  stop(): void;
}

/** The newest PostgreSQL binaries on this machine, or null. */
function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

/**
 * A throwaway PostgreSQL cluster in a temp dir, started by the tests themselves.
 * initdb refuses root, so as root it runs as the `postgres` user. Returns null
 * (and the caller skips, saying why) only where no PostgreSQL is installed.
 */
export async function startPostgres(): Promise<Postgres | null> {
  const bin = binDir();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kezek-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = join(bin, cmd);
    return asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe' }) : execFileSync(full, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await closedPort();
  // fsync stays on: the throughput benchmark must measure durable commits.
  const start = () =>
    run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 ${process.env.KEZEK_PG_EXTRA ?? ''}`, 'start']);
  start();
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  let n = 0;
  return {
    url,
    async createDatabase() {
      const name = `kezek_${process.pid}_${++n}`;
      const c = new pg.Client({ connectionString: url('postgres') });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      return url(name);
    },
    async restart(whileDown) {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      try {
        await whileDown?.();
      } finally {
        start();
      }
    },
    async terminateBackends(dbUrl) {
      const name = new URL(dbUrl).pathname.slice(1);
      const c = new pg.Client({ connectionString: url('postgres') });
      await c.connect();
      const r = await c.query('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await c.end();
      return (r.rows[0] as { n: number }).n;
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
