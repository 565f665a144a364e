import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { acquireInstanceLock } from './instance-lock.js';

const DB_FILE = 'kezek.sqlite';

/**
 * A consistent copy of a desk's database, taken while the desk runs (SQLite's online backup:
 * it copies committed pages and retries around the desk's writes), so backups need no stop.
 * Returns the number of pages copied.
 */
export async function backupDesk(dataDir: string, to: string): Promise<number> {
  if (existsSync(to)) throw new Error(`${to} already exists — a backup never overwrites another`);
  const source = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await source.backup(to);
    // The clinic's patients: readable by this user only (on Windows the folder's permissions decide).
    chmodSync(to, 0o600);
    return totalPages;
  } finally {
    source.close();
  }
}

/**
 * Put a backup back. Refused while a desk runs on the directory (its instance lock); the database
 * it replaces is kept beside it (`kezek.sqlite.before-restore-<time>`), never deleted. The ticket
 * mark beside the directory is left alone on purpose: it is what keeps the restored desk from
 * printing a ticket code twice (docs/installer.md, "Restoring a backup").
 */
export function restoreDesk(dataDir: string, from: string, now = Date.now()): { keptAs: string | null } {
  const check = new Database(from, { readonly: true, fileMustExist: true });
  try {
    const ok = check.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`${from} is not an intact Kezek backup (integrity_check: ${String(ok)})`);
    if (!check.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meta'").get()) throw new Error(`${from} is not a Kezek desk database`);
  } finally {
    check.close();
  }
  const lock = acquireInstanceLock(dataDir);
  try {
    const current = join(dataDir, DB_FILE);
    let keptAs: string | null = null;
    if (existsSync(current)) {
      keptAs = `${current}.before-restore-${now}`;
      // Fold the WAL in first, so the kept copy is the whole database on its own.
      const db = new Database(current);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      renameSync(current, keptAs);
    }
    for (const side of ['-wal', '-shm']) rmSync(`${current}${side}`, { force: true });
    copyFileSync(from, current);
    // The backup's leases may be older than what the server has since taken back: none is trusted until the
    // desk's next renewal has been answered and pulled (the lease invariant, sync-server/sync/leases.ts).
    const restored = new Database(current);
    try {
      restored.prepare("INSERT INTO meta (key, value) VALUES ('lease_renewal_in_doubt', '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run();
    } finally {
      restored.close();
    }
    return { keptAs };
  } finally {
    lock.release();
  }
}
