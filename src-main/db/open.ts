import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync, readFileSync } from 'node:fs';
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
  refuseNewerData(sqlite, file, migrationsDir);
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: migrationsDir });
  return { sqlite, orm, file };
}

/** The data folder was migrated by a newer Kezek than this one (startErrorText shows it to the installer). */
export class NewerDataError extends Error {}

/**
 * A Kezek older than its data would run on tables it does not know (drizzle's migrator applies what is newer and
 * says nothing of what is older): another Windows account's newer copy updated the PC's shared data folder, or a
 * backup from a newer version was restored. It stops with words for the installer instead.
 */
function refuseNewerData(sqlite: Database.Database, file: string, migrationsDir: string): void {
  const known = (JSON.parse(readFileSync(join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number }> }).entries.reduce((m, e) => Math.max(m, e.when), 0);
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!table) return;
  const applied = (sqlite.prepare('SELECT max(created_at) AS at FROM __drizzle_migrations').get() as { at: number | null }).at ?? 0;
  if (applied > known) {
    sqlite.close();
    throw new NewerDataError(
      `Данные ${file} обновлены более новой версией Кезек, чем эта. Обновите Кезек на этом ПК (в этой учётной записи Windows) — установщик новой версии с сервера или из консоли установщика.`,
    );
  }
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

/**
 * The sync server a data folder is enrolled with, read without opening it as a desk (no migrations): what a copy
 * older than its data needs to fetch its update. Null for a folder with no database or not enrolled.
 */
export function enrolledServerUrl(file: string): string | null {
  if (!existsSync(file)) return null;
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare("SELECT value FROM meta WHERE key = 'server_url'").get() as { value: string } | undefined)?.value ?? null;
  } catch {
    return null;
  } finally {
    sqlite.close();
  }
}
