import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Arch, build, Platform } from 'electron-builder';
import { load } from 'js-yaml';

/**
 * `npm run package [-- --win] [--linux] [--dir] [--electron-dist DIR] [--stand-in]`
 *
 * Builds the desk with electron-builder: the main process (tsc) and the UI (vite), then the Windows
 * (NSIS, per user) and/or Linux (AppImage) packages. A build machine with the real Electron runtime passes its
 * unpacked distribution (`--electron-dist`, e.g. electron-v45.4.1-win32-x64 unzipped); these machines
 * cannot download it, so CI passes `--stand-in --dir`: the same build around a stand-in runtime,
 * unpacked only — everything the package carries, checked by tests/integration/package.test.ts.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

/** A stand-in Electron distribution: the files electron-builder copies and renames, without the runtime. */
function standInDist(platform: 'win' | 'linux'): string {
  const dir = join(root, 'out', 'electron-standin', platform);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'resources'), { recursive: true });
  if (platform === 'win') writeFileSync(join(dir, 'electron.exe'), standInExe());
  else writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "stand-in for the Electron runtime (cannot be downloaded here)"; exit 1\n', { mode: 0o755 });
  writeFileSync(join(dir, 'version'), electronVersion);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<p>stand-in</p>');
  return dir;
}

/**
 * electron-builder stamps the Windows executable with the asar's integrity (a resource beside its version
 * information): the stand-in must be a real PE file with a version resource — a tiny Windows stub from
 * electron-winstaller (an electron-builder dependency), not Electron, given one with resedit.
 */
function standInExe(): Buffer {
  const require = createRequire(import.meta.url);
  const { NtExecutable, NtExecutableResource, Resource } = require('resedit') as typeof import('resedit');
  const exe = NtExecutable.from(readFileSync(join(dirname(require.resolve('electron-winstaller/package.json')), 'vendor', 'StubExecutable.exe')));
  const res = NtExecutableResource.from(exe);
  const info = Resource.VersionInfo.createEmpty();
  info.lang = 1033;
  info.setStringValues({ lang: 1033, codepage: 1200 }, { ProductName: 'Electron runtime stand-in', FileVersion: electronVersion });
  info.outputToResourceEntries(res.entries);
  res.outputResource(exe);
  return Buffer.from(exe.generate());
}

/** resvg's Windows native module, from the npm registry (npm installs only this machine's own). */
function stageResvgWin32(): void {
  const target = join(root, 'out', 'native', 'win32-x64');
  if (existsSync(join(target, 'resvgjs.win32-x64-msvc.node'))) return;
  const version = (JSON.parse(readFileSync(join(root, 'node_modules', '@resvg', 'resvg-js', 'package.json'), 'utf8')) as { version: string }).version;
  const tmp = mkdtempSync(join(tmpdir(), 'kezek-native-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['pack', `@resvg/resvg-js-win32-x64-msvc@${version}`, '--pack-destination', tmp, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['-xzf', join(tmp, tarball), '-C', tmp]);
    mkdirSync(target, { recursive: true });
    for (const f of readdirSync(join(tmp, 'package')).filter((x) => x.endsWith('.node'))) writeFileSync(join(target, f), readFileSync(join(tmp, 'package', f)));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const platforms = (['win', 'linux'] as const).filter((p) => flag(`--${p}`));
  const chosen = platforms.length ? platforms : (['win', 'linux'] as const);
  const dirOnly = flag('--dir');
  const standIn = flag('--stand-in');
  if (!standIn && !value('--electron-dist')) console.warn('no --electron-dist: electron-builder downloads Electron (a networked build machine only)');
  // A release is a production build whoever runs it (a test runner sets NODE_ENV=test: React's development build).
  process.env.NODE_ENV = 'production';
  const npmRun = (script: string) => execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', script], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  npmRun('build:main');
  npmRun('build:renderer');
  const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>>;
  for (const platform of chosen) {
    if (platform === 'win') stageResvgWin32();
    const electronDist = standIn ? standInDist(platform) : value('--electron-dist');
    await build({
      projectDir: root,
      targets: (platform === 'win' ? Platform.WINDOWS : Platform.LINUX).createTarget(dirOnly ? 'dir' : null, Arch.x64),
      config: {
        ...config,
        electronVersion,
        ...(electronDist ? { electronDist } : {}),
        // A stand-in has no real executable to stamp with the icon and version (rcedit would run it).
        win: { ...config.win, ...(standIn ? { signAndEditExecutable: false } : {}) },
      },
      publish: 'never',
    });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (process.env.DEBUG ? e.stack : e.message) : e);
  process.exit(1);
});
