import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';

export type Drizzle = BetterSQLite3Database<typeof schema>;
export interface Db {
  sqlite: Database.Database;
  orm: Drizzle;
  file: string;
}

/** `migrations/client` found by walking up from this file (source tree and build output alike). */
export function defaultMigrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'migrations', 'client');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('migrations/client not found');
}

/**
 * Open the local replica. WAL lets the UI read while a write commits;
 * `synchronous=FULL` fsyncs the WAL on every commit, so a booking the desk has
 * confirmed survives a power cut (with NORMAL, the last commits before a power
 * loss can vanish). Measured cost: a few thousand commits/s — far above a desk's
 * needs. Local migrations are applied here, before any service runs.
 */
export function openDb(file: string, migrationsDir = defaultMigrationsDir()): Db {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Checkpoints copy the WAL into the database file with an fsync; done inside a booking's
  // commit they were its p99 (14 ms vs 3 ms). The desk checkpoints when idle instead
  // (see startIdleCheckpoints); this high threshold only bounds the WAL if it never idles.
  sqlite.pragma('wal_autocheckpoint = 20000');
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: migrationsDir });
  return { sqlite, orm, file };
}

/** Fold the WAL back into the database every few seconds, off the booking path. */
export function startIdleCheckpoints(db: Db, everyMs = 5_000): () => void {
  const timer = setInterval(() => {
    // A connection closed under us (the desk is going away) ends the timer instead of throwing in it.
    if (db.sqlite.open) db.sqlite.pragma('wal_checkpoint(PASSIVE)');
    else clearInterval(timer);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
