// What the Electron shell does that plain Node can check: kept apart from main.ts so tests load it without Electron.
import { join, win32 } from 'node:path';
import { DeskAlreadyRunning } from '../db/instance-lock.js';
import { CSP } from '../rpc/csp.js';

/** The app:// response with the Content-Security-Policy header on it, body and status untouched. */
export function withCsp(res: Response): Response {
  const headers = new Headers(res.headers);
  headers.set('Content-Security-Policy', CSP);
  headers.set('X-Content-Type-Options', 'nosniff');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/** What the start-up error window says: plain words for the registrar and the IT person, in Russian (no session language yet). */
export function startErrorText(e: unknown): string {
  if (e instanceof DeskAlreadyRunning) return `Кезек уже запущен на этом компьютере (${e.dataDir}). Используйте открытое окно.`;
  const detail = e instanceof Error ? e.message : String(e);
  return `Кезек не смог запуститься.\n\n${detail}\n\nСообщите ИТ-специалисту (README, «Troubleshooting»).`;
}

/**
 * Where an installed desk keeps its data unless told otherwise. On Windows one folder for the PC,
 * shared by all its Windows accounts (a registrar's and the IT person's see the same clinic, the same
 * queue): %ProgramData%\Kezek\desk — the installer gives the PC's users write access to it
 * (build/installer.nsh). Elsewhere, the OS's per-user app folder.
 */
export function deskDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, userData: string): string {
  if (platform === 'win32') return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Kezek', 'desk');
  return join(userData, 'desk');
}

/** `Kezek.exe --backup [FILE]` / `--restore FILE`: a task for the PC's desk instead of a window (nightly tasks, the IT person). */
export type Maintenance = { kind: 'backup'; file: string | null } | { kind: 'restore'; file: string };

export function maintenanceOf(args: readonly string[]): Maintenance | null {
  const valueAfter = (flag: string): string | null | undefined => {
    const at = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (at < 0) return undefined;
    if (args[at]!.includes('=')) return args[at]!.slice(flag.length + 1);
    const next = args[at + 1];
    return next !== undefined && !next.startsWith('--') ? next : null;
  };
  const backup = valueAfter('--backup');
  if (backup !== undefined) return { kind: 'backup', file: backup };
  const restore = valueAfter('--restore');
  if (restore === undefined) return null;
  if (!restore) throw new Error('--restore needs the backup file: Kezek.exe --restore D:\\backups\\kezek-backup-….sqlite');
  return { kind: 'restore', file: restore };
}
