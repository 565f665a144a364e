import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupDesk } from './backup.js';

const NAME = /^kezek-backup-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.sqlite$/;

/** Where a desk's backups go unless told: beside its data folder (`…\Kezek\desk-backups`), like its ticket mark. */
export function defaultBackupDir(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}-backups`;
}

/**
 * The backup a nightly task takes (`Kezek.exe --backup`, `npm run backup`): a new file named by
 * the time into the default folder, keeping the `keep` newest of its own files there (a PC's disk
 * must not fill up, night after night); a file named by the caller is the caller's to keep.
 */
export async function nightlyBackup(dataDir: string, file: string | null, now: number, keep = 14): Promise<{ file: string; pages: number; removed: string[] }> {
  if (file) return { file, pages: await backupDesk(dataDir, file), removed: [] };
  const dir = defaultBackupDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, `kezek-backup-${new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-')}.sqlite`);
  const pages = await backupDesk(dataDir, target);
  const ours = readdirSync(dir)
    .filter((f) => NAME.test(f))
    .sort();
  const removed = ours.slice(0, Math.max(0, ours.length - keep)).map((f) => join(dir, f));
  for (const f of removed) if (existsSync(f)) rmSync(f);
  return { file: target, pages, removed };
}
