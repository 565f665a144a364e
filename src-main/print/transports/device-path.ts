import { isAbsolute, normalize } from 'node:path';

/** Where printers are on Linux: device files under /dev. */
export const DEVICE_ROOTS: readonly string[] = ['/dev'];

/**
 * Is this a path a printer can have? Decided on the text alone, before anything touches
 * the disk — so the answer never tells whether some other file exists. Linux: a device
 * file under the device roots; Windows: a printer port (LPT1, COM3, USB001) or a shared
 * printer (\\localhost\Talon). The desk's own database, or any other file, is not a printer.
 */
export function isPrinterPath(path: string, roots: readonly string[] = DEVICE_ROOTS): boolean {
  if (/^\\\\[^\\/:*?"<>|]+\\[^\\/:*?"<>|]+$/.test(path)) return true;
  if (/^(LPT[1-9]|COM[1-9]\d?|USB\d{3})$/i.test(path)) return true;
  if (!isAbsolute(path) || path.includes('\0') || normalize(path) !== path || path.split('/').includes('..')) return false;
  return roots.some((r) => path.startsWith(r.endsWith('/') ? r : `${r}/`));
}
