import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor.js';
import type { RequestOptions } from 'node:http';
import { configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime';
import { AppImageUpdater, NsisUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter.js';
import { dump } from 'js-yaml';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSecretStore } from '../../src-main/sync/secret-store.js';
import { enrolledServerUrl } from '../../src-main/db/open.js';
import { catchUpWithData, DeskUpdates } from '../../src-main/update/desk-updates.js';
import { runAdmin } from '../../sync-server/admin/commands.js';
import { changeState, rolloutLog } from '../../sync-server/console/rollout-actions.js';
import { organizations, regions } from '../../sync-server/db/schema.js';
import { ClinicServer, type EnrolledDesk } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { buildRelease, installerBytes } from '../support/releases.js';

let serverNow = MONDAY_9AM; // Monday 23.11.2026, 09:00 in Bishkek
const clinic = new ClinicServer(() => serverNow);
const builds = mkdtempSync(join(tmpdir(), 'kezek-builds-'));
const v110 = installerBytes(1);
// 1.2.0 differs from 1.1.0 in 64 KiB in the middle: most blocks are the same.
const v120 = Buffer.from(v110);
installerBytes(2, 64 * 1024).copy(v120, 1_500_000);
let desk: EnrolledDesk;
let releases: { v110: Awaited<ReturnType<typeof buildRelease>>; v120: Awaited<ReturnType<typeof buildRelease>> };

beforeAll(async () => {
  await clinic.start();
  desk = await clinic.enrolledDesk('Регистратура 1');
  releases = { v110: await buildRelease(builds, '1.1.0', v110), v120: await buildRelease(builds, '1.2.0', v120) };
  // Osh: a region with no clinic on this server yet (its window can still be set).
  await clinic.database.db.insert(regions).values({ id: 'kg-osh', name: 'г. Ош' });
  const admin = (command: Parameters<typeof runAdmin>[1], input: unknown) => runAdmin(clinic.database.db, command, input as never, MONDAY_9AM, clinic.releasesDir);
  await admin('publish-release', { dir: releases.v110.dir, platform: 'win', minOs: '10.0' });
  await admin('publish-release', { dir: releases.v120.dir, platform: 'win', minOs: '10.0' });
  // R23: Bishkek's window for 1.1.0 opened last week; 1.2.0 opens on Wednesday for Bishkek, today for Osh.
  await admin('rollout', { platform: 'win', version: '1.1.0', windows: { 'kg-bishkek': { opensOn: '2026-11-16' } } });
  await admin('rollout', { platform: 'win', version: '1.2.0', windows: { 'kg-bishkek': { opensOn: '2026-11-25' }, 'kg-osh': { opensOn: '2026-11-23' } } });
}, 60_000);
afterAll(() => clinic.stop());

/**
 * Node's HTTP for electron-updater in place of Chromium's (its ElectronHttpExecutor): the same whole-file
 * download — through the base class's doDownload, which checks the sha512 — and a record of each request.
 */
class RecordingExecutor extends NodeHttpExecutor {
  readonly requests: Array<{ path: string; range: string | null }> = [];
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(requestOptions, { destination, options, onCancel, callback: (error) => (error == null ? resolve(destination) : reject(error)), responseHandler: null }, 0);
    });
  }
  override createRequest(options: RequestOptions, callback: (response: unknown) => void) {
    const h = (options.headers ?? {}) as Record<string, string>;
    this.requests.push({ path: String(options.path), range: h.Range ?? h.range ?? null });
    return super.createRequest(options, callback as never);
  }
}

/** Electron's app as electron-updater sees it: the version this desk "runs", its cache folder. */
function standInApp(version: string): { app: AppAdapter; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'kezek-updater-'));
  const configPath = join(root, 'app-update.yml');
  writeFileSync(configPath, dump({ provider: 'generic', url: 'http://unused.invalid/', updaterCacheDirName: 'kezek-updater' }));
  const app: AppAdapter = {
    version,
    name: 'Kezek',
    isPackaged: true,
    appUpdateConfigPath: configPath,
    userDataPath: root,
    baseCachePath: root,
    whenReady: async () => undefined,
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  return { app, root };
}

/**
 * What an updater starts when it installs, instead of starting it: each program with its arguments. quitAndInstall is
 * install() and then Electron's quit; the stand-in keeps the first, which decides how the installer runs.
 */
function recordInstalls(updater: unknown): string[][] {
  const started: string[][] = [];
  const u = updater as { spawnLog(exe: string, args?: string[]): Promise<boolean>; install(s: boolean, f: boolean): boolean; quitAndInstall(s: boolean, f: boolean): void };
  u.spawnLog = async (exe, args = []) => {
    started.push([exe, ...args]);
    return true;
  };
  u.quitAndInstall = (isSilent, isForceRunAfter) => void u.install(isSilent, isForceRunAfter);
  return started;
}

/**
 * The real electron-updater NsisUpdater, driven in Node: a stand-in app adapter (the version this desk
 * "runs", its cache folder) instead of Electron's app, and Node's HTTP instead of Chromium's.
 */
function standInDesk(version: string, os = '10.0.19045', differential = false) {
  const { app, root } = standInApp(version);
  const updater = new NsisUpdater(null, app);
  const http = new RecordingExecutor();
  (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = http;
  updater.logger = null;
  // The Windows desk's feed (latest.yml) from this Linux machine, through electron-updater's own hook for its tests
  // (in it, a differential download that fails is an error instead of a quiet full download — so it is asked for only where one is expected).
  (updater as unknown as { _testOnlyOptions: object })._testOnlyOptions = { platform: 'win32', isUseDifferentialDownload: differential };
  const token = fileSecretStore(desk.dir).get()!;
  const updates = new DeskUpdates({
    updater,
    serverUrl: clinic.url,
    platform: 'win',
    headers: () => ({ authorization: `Bearer ${token}`, 'x-kezek-version': version, 'x-kezek-os': os }),
    clock: () => serverNow,
    timezone: 'Asia/Bishkek',
    lastActivityAt: () => 0,
    log: () => undefined,
  });
  return { updates, updater, http, cacheDir: join(root, 'kezek-updater') };
}

describe('desk updates from the sync server, region by region (issue 12; R23, 000 App. 4)', () => {
  it('a desk sees the newest release its region’s window has opened: none before, the next on its day, the one before while paused; not for an OS it cannot run on', async () => {
    const d = standInDesk('1.0.0');
    const found = await d.updates.check();
    expect(found?.version).toBe('1.1.0');
    await d.updates.download;
    serverNow = Date.parse('2026-11-25T00:10:00+06:00'); // Wednesday just after midnight in Bishkek
    expect((await standInDesk('1.1.0').updates.check())?.version).toBe('1.2.0');
    await runAdmin(clinic.database.db, 'pause-release', { platform: 'win', version: '1.2.0', paused: true }, serverNow, clinic.releasesDir);
    const paused = standInDesk('1.1.0');
    expect(await paused.updates.check()).toBeNull();
    expect(paused.updates.state).toEqual({ kind: 'none' });
    await runAdmin(clinic.database.db, 'pause-release', { platform: 'win', version: '1.2.0', paused: false }, serverNow, clinic.releasesDir);
    // Windows 7 (6.1): Electron 45 does not run there, so no release is offered at all.
    const win7 = standInDesk('1.0.0', '6.1.7601');
    expect(await win7.updates.check()).toBeNull();
    // The desk told the server what it runs (the console shows it).
    const seen = (await clinic.database.db.execute(sql`SELECT app_version AS app, os_version AS os FROM devices WHERE name = 'Регистратура 1'`)) as unknown as {
      rows: Array<{ app: string; os: string }>;
    };
    expect(seen.rows).toEqual([{ app: '1.0.0', os: '6.1.7601' }]);
    const { releases: list } = await runAdmin(clinic.database.db, 'releases', {}, serverNow, clinic.releasesDir);
    expect(list.map((r) => [r.version, r.paused])).toEqual([
      ['1.2.0', false],
      ['1.1.0', false],
    ]);
    serverNow = MONDAY_9AM;
  });

  it('downloads only the blocks that changed (HTTP Range against the previous blockmap), and the result is the new installer byte for byte', async () => {
    serverNow = Date.parse('2026-11-25T10:00:00+06:00');
    const d = standInDesk('1.1.0', '10.0.19045', true);
    // Installed from 1.1.0: the installer electron-updater keeps for the next differential download.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(d.cacheDir, { recursive: true });
    writeFileSync(join(d.cacheDir, 'installer.exe'), v110);
    expect((await d.updates.check())?.version).toBe('1.2.0');
    const [file] = (await d.updates.download) as string[];
    expect(readFileSync(file!).equals(v120)).toBe(true);
    expect(d.updates.state).toEqual({ kind: 'ready', version: '1.2.0' });
    const ranged = d.http.requests.filter((r) => r.path.includes('Kezek-Setup-1.2.0.exe') && r.range);
    expect(ranged.length).toBeGreaterThan(0);
    const bytes = ranged.reduce((sum, r) => {
      const [a, b] = r.range!.replace('bytes=', '').split('-').map(Number);
      return sum + (b! - a! + 1);
    }, 0);
    expect(bytes).toBeLessThan(v120.length / 4);
    // Both blockmaps were read: the old one from the 1.1.0 release the server still holds.
    expect(d.http.requests.some((r) => r.path.endsWith('Kezek-Setup-1.1.0.exe.blockmap'))).toBe(true);
    serverNow = MONDAY_9AM;
  });

  it('refuses an installer altered on the server: its sha512 does not match, nothing is ready to install', async () => {
    serverNow = Date.parse('2026-11-25T10:00:00+06:00');
    const served = join(clinic.releasesDir, 'win', '1.2.0', 'Kezek-Setup-1.2.0.exe');
    const altered = Buffer.from(v120);
    altered[100] = altered[100]! ^ 0xff;
    writeFileSync(served, altered);
    try {
      const d = standInDesk('1.0.0');
      expect((await d.updates.check())?.version).toBe('1.2.0');
      await expect(d.updates.download).rejects.toThrow(/sha512 checksum mismatch/);
      expect(d.updates.state.kind).not.toBe('ready');
    } finally {
      writeFileSync(served, v120);
      serverNow = MONDAY_9AM;
    }
  });

  it('publishing checks the files against latest.yml, and a version is published once', async () => {
    const copy = await buildRelease(builds, '1.3.0', installerBytes(3));
    writeFileSync(copy.file, installerBytes(4));
    await expect(runAdmin(clinic.database.db, 'publish-release', { dir: copy.dir, platform: 'win', minOs: null }, MONDAY_9AM, clinic.releasesDir)).rejects.toThrow(/does not match its sha512/);
    await expect(runAdmin(clinic.database.db, 'publish-release', { dir: releases.v110.dir, platform: 'win', minOs: null }, MONDAY_9AM, clinic.releasesDir)).rejects.toThrow(/already published/);
  });

  it('issue 24 finding 4: a clinic imported into the region later takes its turn after the others — it does not take today’s update from a clinic whose turn it is', async () => {
    serverNow = MONDAY_9AM;
    const admin = (input: unknown) => runAdmin(clinic.database.db, 'rollout', input as never, serverNow, clinic.releasesDir);
    await admin({ platform: 'win', version: '1.2.0', windows: { 'kg-bishkek': { opensOn: '2026-11-23', clinicsPerDay: 1 }, 'kg-osh': { opensOn: '2026-11-23' } } });
    const token = fileSecretStore(desk.dir).get()!;
    const feed = async () => (await fetch(`${clinic.url}/updates/win/latest.yml`, { headers: { authorization: `Bearer ${token}`, 'x-kezek-os': '10.0.19045' } })).text();
    expect(await feed()).toContain('version: 1.2.0');
    // A clinic whose id sorts first joins the region (imported today).
    await clinic.database.db.insert(organizations).values({ id: 'org-aaa-new', regionId: 'kg-bishkek', name: 'ЦСМ (новый)', address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' });
    expect(await feed()).toContain('version: 1.2.0');
    await admin({ platform: 'win', version: '1.2.0', windows: { 'kg-bishkek': { opensOn: '2026-11-25' }, 'kg-osh': { opensOn: '2026-11-23' } } });
  });

  it('issue 24 finding 3: a release whose files are missing on the server (restored without its releases folder) is offered to nobody — desks see the newest one they can download', async () => {
    serverNow = Date.parse('2026-11-25T00:10:00+06:00'); // 1.2.0 is open for Bishkek
    const token = fileSecretStore(desk.dir).get()!;
    const feed = async () => (await fetch(`${clinic.url}/updates/win/latest.yml`, { headers: { authorization: `Bearer ${token}`, 'x-kezek-os': '10.0.19045' } })).text();
    expect(await feed()).toContain('version: 1.2.0');
    const installer = join(clinic.releasesDir, 'win', '1.2.0', 'Kezek-Setup-1.2.0.exe');
    const kept = `${installer}.away`;
    renameSync(installer, kept);
    try {
      expect(await feed()).toContain('version: 1.1.0');
    } finally {
      renameSync(kept, installer);
      serverNow = MONDAY_9AM;
    }
  });

  it('issue 24 finding 5: from the console, a pause keeps every PC where it is; a rollback offers the PCs on the bad release the one before, and electron-updater installs it; only in the installer’s regions, every action in the audit list', async () => {
    serverNow = Date.parse('2026-11-25T10:00:00+06:00'); // 1.2.0 is open for Bishkek
    const aibek = { id: 'i-1', username: 'aibek.it', regions: ['kg-bishkek'] };
    const act = (version: string, action: string, regionId = 'kg-bishkek') => changeState(clinic.database.db, aibek, { platform: 'win', version, regionId, action }, serverNow);
    try {
      expect(await act('1.2.0', 'pause')).toBeNull();
      // Paused: a PC on 1.1.0 is not offered 1.2.0; a PC already on 1.2.0 keeps it (offered its own version: nothing to do).
      expect(await standInDesk('1.1.0').updates.check()).toBeNull();
      expect(await standInDesk('1.2.0').updates.check()).toBeNull();
      // Rolled back: the PC on 1.2.0 is offered 1.1.0 and downloads it — a downgrade electron-updater takes because the desk allows them.
      expect(await act('1.2.0', 'rollback')).toBeNull();
      const back = standInDesk('1.2.0');
      expect((await back.updates.check())?.version).toBe('1.1.0');
      const [file] = (await back.updates.download) as string[];
      expect(readFileSync(file!).equals(v110)).toBe(true);
      expect(back.updates.state).toEqual({ kind: 'ready', version: '1.1.0' });
      // Nothing older is open to roll 1.1.0 back to; another region is not this installer's.
      expect(await act('1.1.0', 'rollback')).toMatch(/Откатывать не на что/);
      expect(await act('1.2.0', 'pause', 'kg-osh')).toBe('Этот регион не ваш');
      // Resumed: 1.2.0 goes out again.
      expect(await act('1.2.0', 'resume')).toBeNull();
      expect((await standInDesk('1.1.0').updates.check())?.version).toBe('1.2.0');
      const log = await rolloutLog(clinic.database.db, ['kg-bishkek']);
      expect(log.map((a) => [a.installer, a.version, a.action, a.detail])).toEqual([
        ['aibek.it', '1.2.0', 'resume', ''],
        ['aibek.it', '1.2.0', 'rollback', 'ПК с 1.2.0 получат 1.1.0'],
        ['aibek.it', '1.2.0', 'pause', ''],
      ]);
    } finally {
      await act('1.2.0', 'resume');
      serverNow = MONDAY_9AM;
    }
  });

  it('issue 24 finding 1: the night update of a per-user install runs the installer itself, silently — no elevate.exe, so no UAC prompt nobody answers; the feed’s isAdminRightsRequired (a per-machine build) is what would send it through elevate.exe', async () => {
    serverNow = Date.parse('2026-11-25T10:00:00+06:00');
    const d = standInDesk('1.1.0');
    expect((await d.updates.check())?.version).toBe('1.2.0');
    await d.updates.download;
    const spawned = recordInstalls(d.updater);
    const u = d.updater as unknown as { doInstall(o: { isSilent: boolean; isForceRunAfter: boolean; isAdminRightsRequired: boolean }): boolean };
    serverNow = Date.parse('2026-11-26T03:00:00+06:00'); // the night, nobody at the desk
    try {
      expect(d.updates.installIfQuiet()).toBe(true);
      expect(spawned).toHaveLength(1);
      expect(spawned[0]![0]).toMatch(/Kezek-Setup-1\.2\.0\.exe$/);
      expect(spawned[0]!.slice(1)).toEqual(expect.arrayContaining(['--updated', '/S']));
      // The same updater given a per-machine feed's flag goes through elevate.exe — the prompt the per-user build avoids.
      const resources = (process as { resourcesPath?: string }).resourcesPath;
      (process as { resourcesPath?: string }).resourcesPath = '/opt/kezek/resources';
      try {
        u.doInstall({ isSilent: true, isForceRunAfter: true, isAdminRightsRequired: true });
      } finally {
        (process as { resourcesPath?: string }).resourcesPath = resources;
      }
      expect(spawned[1]![0]).toBe('/opt/kezek/resources/elevate.exe');
    } finally {
      serverNow = MONDAY_9AM;
    }
  });

  it('issue 24 finding 7: a Linux desk is an AppImage, and electron-updater replaces it in place as the user running it — no root, no prompt', async () => {
    serverNow = Date.parse('2026-11-25T10:00:00+06:00');
    const v2 = installerBytes(7, 256 * 1024);
    const built = await buildRelease(builds, '2.0.0', v2, 'linux');
    await runAdmin(clinic.database.db, 'publish-release', { dir: built.dir, platform: 'linux', minOs: null }, serverNow, clinic.releasesDir);
    await runAdmin(clinic.database.db, 'rollout', { platform: 'linux', version: '2.0.0', windows: { 'kg-bishkek': { opensOn: '2026-11-25' } } } as never, serverNow, clinic.releasesDir);
    // The running AppImage: a file in the user's own folder, as a desk installed on a Linux PC keeps it.
    const home = mkdtempSync(join(tmpdir(), 'kezek-appimage-'));
    const running = join(home, 'Kezek.AppImage');
    writeFileSync(running, installerBytes(6, 64 * 1024), { mode: 0o755 });
    const appImage = process.env.APPIMAGE;
    process.env.APPIMAGE = running;
    try {
      const { app } = standInApp('1.2.0');
      const updater = new AppImageUpdater(null, app);
      (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new RecordingExecutor();
      updater.logger = null;
      (updater as unknown as { _testOnlyOptions: object })._testOnlyOptions = { platform: 'linux', isUseDifferentialDownload: false };
      const token = fileSecretStore(desk.dir).get()!;
      const updates = new DeskUpdates({
        updater,
        serverUrl: clinic.url,
        platform: 'linux',
        headers: () => ({ authorization: `Bearer ${token}`, 'x-kezek-version': '1.2.0', 'x-kezek-os': '6.8.0' }),
        clock: () => serverNow,
        timezone: 'Asia/Bishkek',
        lastActivityAt: () => 0,
        log: () => undefined,
      });
      expect((await updates.check())?.version).toBe('2.0.0');
      await updates.download;
      const started = recordInstalls(updater);
      serverNow = Date.parse('2026-11-26T03:00:00+06:00');
      expect(updates.installIfQuiet()).toBe(true);
      // The file the desk runs is now the new AppImage, written by this (unprivileged) process, and started again.
      expect(readFileSync(running).equals(v2)).toBe(true);
      expect(started).toEqual([[running]]);
    } finally {
      if (appImage === undefined) delete process.env.APPIMAGE;
      else process.env.APPIMAGE = appImage;
      serverNow = MONDAY_9AM;
    }
  });

  it('issue 24 finding 1’s cost: a copy of Kezek older than the PC’s data (another account updated it) reads its server from the data without opening it, fetches the release offered to the PC and installs it at once', async () => {
    serverNow = Date.parse('2026-11-25T10:00:00+06:00'); // 1.2.0 is open for Bishkek
    expect(enrolledServerUrl(join(desk.dir, 'kezek.sqlite'))).toBe(clinic.url);
    expect(enrolledServerUrl(join(builds, 'nothing-here.sqlite'))).toBeNull();
    const d = standInDesk('1.1.0');
    const started = recordInstalls(d.updater);
    const token = fileSecretStore(desk.dir).get()!;
    try {
      const version = await catchUpWithData({
        updater: d.updater,
        serverUrl: enrolledServerUrl(join(desk.dir, 'kezek.sqlite'))!,
        platform: 'win',
        headers: () => ({ authorization: `Bearer ${token}`, 'x-kezek-version': '1.1.0', 'x-kezek-os': '10.0.19045' }),
        log: () => undefined,
      });
      expect(version).toBe('1.2.0');
      // Installed now (nobody can be at a desk that did not open), silently, without elevate.exe.
      expect(started).toHaveLength(1);
      expect(started[0]![0]).toMatch(/Kezek-Setup-1\.2\.0\.exe$/);
      expect(started[0]!.slice(1)).toEqual(expect.arrayContaining(['--updated', '/S']));
    } finally {
      serverNow = MONDAY_9AM;
    }
  });

  it('only an enrolled desk reads the feed', async () => {
    const res = await fetch(`${clinic.url}/updates/win/latest.yml`);
    expect(res.status).toBe(401);
  });
});
