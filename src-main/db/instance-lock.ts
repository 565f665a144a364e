import Database from 'better-sqlite3';
import { join } from 'node:path';

/** A second Kezek on the same data directory: two sync engines and two print queues on one database. */
export class DeskAlreadyRunning extends Error {
  constructor(readonly dataDir: string) {
    super(`Kezek is already running on ${dataDir} — use that window (or stop it first)`);
  }
}

/**
 * One desk per data directory. The lock is an exclusive SQLite lock on `desk.lock`, held by an
 * open connection: the operating system drops it when the process ends, however it ends
 * (SIGKILL, power cut), so there is never a stale lock to clean up by hand.
 */
export function acquireInstanceLock(dataDir: string): { release(): void } {
  const lock = new Database(join(dataDir, 'desk.lock'), { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new DeskAlreadyRunning(dataDir);
    throw e;
  }
  return {
    release: () => {
      lock.exec('COMMIT');
      lock.close();
    },
  };
}
