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
 * What electron-builder leaves for a release — Windows: `Kezek-Setup-<v>.exe` and `latest.yml`; Linux:
 * `Kezek-<v>.AppImage` and `latest-linux.yml` — with its blockmap (built by electron-builder's own blockmap code),
 * around stand-in bytes (no NSIS or AppImage tooling here).
 */
export async function buildRelease(root: string, version: string, bytes: Buffer, platform: 'win' | 'linux' = 'win'): Promise<{ dir: string; file: string; sha512: string; size: number }> {
  const dir = join(root, platform === 'win' ? version : `${version}-linux`);
  mkdirSync(dir, { recursive: true });
  const name = platform === 'win' ? `Kezek-Setup-${version}.exe` : `Kezek-${version}.AppImage`;
  const file = join(dir, name);
  writeFileSync(file, bytes);
  await buildBlockMap(file, 'gzip', `${file}.blockmap`);
  const sha512 = createHash('sha512').update(readFileSync(file)).digest('base64');
  const channel = { version, files: [{ url: name, sha512, size: bytes.length }], path: name, sha512, releaseDate: '2026-11-20T00:00:00.000Z' };
  writeFileSync(join(dir, platform === 'win' ? 'latest.yml' : 'latest-linux.yml'), dump(channel));
  return { dir, file, sha512, size: bytes.length };
}
