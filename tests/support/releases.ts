import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBlockMap } from 'app-builder-lib/out/targets/blockmap/blockmap.js';
import { dump } from 'js-yaml';
import { Rng } from '../../src-main/seed/random.js';

/** A stand-in installer's bytes: the same seed, the same bytes (an update changes a few blocks of them). */
export function installerBytes(seed: number, size = 3 * 1024 * 1024): Buffer {
  const rng = new Rng(seed);
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) b.writeUInt32LE(Math.floor(rng.next() * 0x1_0000_0000), i);
  return b;
}

/**
 * What electron-builder leaves for a Windows release — `Kezek-Setup-<v>.exe`, its blockmap (built by
 * electron-builder's own blockmap code) and `latest.yml` — around stand-in installer bytes (no NSIS here).
 */
export async function buildRelease(root: string, version: string, bytes: Buffer): Promise<{ dir: string; file: string; sha512: string; size: number }> {
  const dir = join(root, version);
  mkdirSync(dir, { recursive: true });
  const name = `Kezek-Setup-${version}.exe`;
  const file = join(dir, name);
  writeFileSync(file, bytes);
  await buildBlockMap(file, 'gzip', `${file}.blockmap`);
  const sha512 = createHash('sha512').update(readFileSync(file)).digest('base64');
  const channel = { version, files: [{ url: name, sha512, size: bytes.length }], path: name, sha512, releaseDate: '2026-11-20T00:00:00.000Z' };
  writeFileSync(join(dir, 'latest.yml'), dump(channel));
  return { dir, file, sha512, size: bytes.length };
}
