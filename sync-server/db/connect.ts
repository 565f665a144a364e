import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as schema from './schema.js';

/** Both drivers give the same drizzle API; the server code never asks which one it has. */
export type ServerDb = PgDatabase<PgQueryResultHKT, typeof schema>;
export interface Database {
  db: ServerDb;
  kind: 'pglite' | 'postgres';
  /** A hot statement outside drizzle: on PostgreSQL prepared once per connection under `name` (no parse or plan per call). */
  hot(name: string, text: string, values: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** The server's PL/pgSQL as it is today (functions.sql), applied after the migrations on every start. */
const FUNCTIONS = () => readFileSync(new URL('./functions.sql', import.meta.url), 'utf8');

function migrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'migrations', 'server'))) return join(dir, 'migrations', 'server');
    dir = dirname(dir);
  }
  throw new Error('migrations/server not found');
}

/**
 * PostgreSQL when `databaseUrl` is given (production, and the tests' throwaway
 * cluster); otherwise PGlite — PostgreSQL compiled to WASM — in `dataDir`, for one
 * machine with no setup. Migrations run on connect; they are idempotent, and
 * PostgreSQL serializes concurrent runs from several server processes.
 */
export async function connect(opts: {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** An embedded database to start from (PGlite's dumpDataDir): the simulation starts each seed from one in a tenth of the time. */
  template?: Blob | undefined;
  onConnectionError?: (e: Error) => void;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: Number(process.env.KEZEK_DB_POOL ?? 10), connectionTimeoutMillis: 5000 });
    // A connection dropped by the database (restart, failover, a terminated backend) must never crash the process:
    // an idle one is reported on the pool, one checked out by a request on the client itself. The request then
    // fails as transient (503, the device retries) and the pool opens a new connection for the next one.
    pool.on('error', (e) => opts.onConnectionError?.(e));
    pool.on('connect', (client) => client.on('error', (e) => opts.onConnectionError?.(e)));
    const db = drizzlePg(pool, { schema });
    // One migrator at a time across server processes: a session lock held on one connection.
    const lock = await pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(727274)');
      await migratePg(db, { migrationsFolder: migrationsDir() });
      await lock.query(FUNCTIONS());
      await lock.query('SELECT pg_advisory_unlock(727274)');
    } finally {
      lock.release();
    }
    return {
      db: db as unknown as ServerDb,
      kind: 'postgres',
      close: () => pool.end(),
      hot: async (name, text, values) => (await pool.query({ name, text, values })).rows as Array<Record<string, unknown>>,
    };
  }
  const client = opts.template ? new PGlite({ loadDataDir: opts.template }) : new PGlite(opts.dataDir);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder: migrationsDir() });
  await client.exec(FUNCTIONS());
  return {
    db: db as unknown as ServerDb,
    kind: 'pglite',
    close: () => client.close(),
    hot: async (_name, text, values) => (await client.query(text, values)).rows as Array<Record<string, unknown>>,
  };
}
