import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { format } from 'node:util';

const MAX_BYTES = 5 * 1024 * 1024;

/**
 * The installed desk's log: a Windows PC has no terminal to read, so everything the desk says on its
 * console also goes, one timestamped line each, to `<data dir>/logs/kezek.log` (the IT person's first
 * look when a desk misbehaves). Past `maxBytes` the file becomes `kezek.log.1` and a new one starts:
 * two files at most, never a full disk.
 */
export function teeConsoleToFile(file: string, opts: { maxBytes?: number; clock?: () => number } = {}): () => void {
  const maxBytes = opts.maxBytes ?? MAX_BYTES;
  const clock = opts.clock ?? Date.now;
  mkdirSync(dirname(file), { recursive: true });
  const original = { log: console.log, warn: console.warn, error: console.error };
  const write = (level: string, args: unknown[]) => {
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > maxBytes) renameSync(file, `${file}.1`);
      appendFileSync(file, `${new Date(clock()).toISOString()} ${level} ${format(...args).replace(/\n/g, '\n    ')}\n`);
    } catch {
      // A log that cannot be written (disk full, a locked file) must never stop the desk.
    }
  };
  for (const level of ['log', 'warn', 'error'] as const)
    console[level] = (...args: unknown[]) => {
      original[level](...args);
      write(level === 'log' ? 'info' : level, args);
    };
  return () => Object.assign(console, original);
}
