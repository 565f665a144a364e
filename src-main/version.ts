import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's package.json: beside the sources when run from them, a few folders up from the built main process (and in the package). */
function ownPackage(): { version: string } {
  for (let dir = dirname(fileURLToPath(import.meta.url)), i = 0; i < 6; dir = dirname(dir), i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'kezek') return pkg;
    }
  }
  return { version: '0.0.0' };
}

/** This desk's version, as its package says (the installer's and electron-updater's too). */
export const APP_VERSION: string = ownPackage().version;

/** What the desk tells the server it runs (every sync call): the installer's console shows it, the update feed decides by it. */
export const runningHeaders = (): Record<string, string> => ({ 'x-kezek-version': APP_VERSION, 'x-kezek-os': release() });
