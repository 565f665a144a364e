import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractAll, listPackage } from '@electron/asar';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/virtual-printer.js';

/** A request from another PC of the LAN: to 127.0.0.2, under the host name that PC uses for the desk. */
function lanRequest(port: number, hostName: string, path: string, json?: unknown): Promise<{ status: number; csp: string | undefined; body: string }> {
  const body = json === undefined ? '' : JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.2',
        port,
        path,
        method: json === undefined ? 'GET' : 'POST',
        headers: { host: `${hostName}:${port}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, csp: res.headers['content-security-policy'] as string | undefined, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const RELEASE = join(ROOT, 'release');
const work = mkdtempSync(join(tmpdir(), 'kezek-package-'));

beforeAll(() => {
  rmSync(RELEASE, { recursive: true, force: true });
  // The real `npm run package`, for both platforms, around the stand-in Electron runtime.
  try {
    // As from a shell: electron-builder switches to hard links under VITEST (its own tests), which then collide.
    const { VITEST: _v, VITEST_MODE: _m, VITEST_POOL_ID: _p, VITEST_WORKER_ID: _w, ...env } = process.env;
    execFileSync('npm', ['run', '-s', 'package', '--', '--win', '--linux', '--dir', '--stand-in'], { cwd: ROOT, stdio: 'pipe', env });
  } catch (e) {
    const x = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run package failed:\n${String(x.stdout ?? '').slice(-3000)}\n${String(x.stderr ?? '').slice(-3000)}`);
  }
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const resources = (platform: 'linux' | 'win') => join(RELEASE, `${platform}-unpacked`, 'resources');
const asarFiles = (platform: 'linux' | 'win') => listPackage(join(resources(platform), 'app.asar'), { isPack: false }).map((p) => p.replaceAll('\\', '/'));
const unpacked = (platform: 'linux' | 'win', ...path: string[]) => join(resources(platform), 'app.asar.unpacked', ...path);

describe('npm run package (issue 12): what a real package carries', () => {
  for (const platform of ['linux', 'win'] as const) {
    it(`${platform}: the desk's code, UI and migrations; fonts and native modules outside the asar; nothing of the server`, () => {
      const files = asarFiles(platform);
      for (const f of ['/package.json', '/out/main/src-main/electron/main.js', '/out/main/src-main/electron/preload.cjs', '/out/main/src-main/desk.js']) expect(files).toContain(f);
      // Server-only code and dependencies stay out (PGlite, pg, hono), and so do the tests.
      expect(files.filter((f) => /^\/out\/main\/(sync-server|tests)\//.test(f))).toEqual([]);
      expect(files.filter((f) => /^\/node_modules\/(@electric-sql|pg|pg-[^/]+|hono|@hono)\//.test(f))).toEqual([]);
      expect(existsSync(join(resources(platform), 'renderer', 'index.html'))).toBe(true);
      expect(readdirSync(join(resources(platform), 'migrations', 'client')).filter((f) => f.endsWith('.sql')).length).toBeGreaterThan(10);
      // Native code cannot read inside app.asar: the ticket fonts and every .node file are beside it.
      expect(existsSync(unpacked(platform, 'node_modules', 'dejavu-fonts-ttf', 'ttf', 'DejaVuSansCondensed.ttf'))).toBe(true);
      const node = platform === 'win' ? 'win32-x64' : 'linux-x64';
      expect(existsSync(unpacked(platform, 'node_modules', 'better-sqlite3', 'prebuilds', `${node}.node`))).toBe(true);
      const resvg =
        platform === 'win'
          ? unpacked(platform, 'node_modules', '@resvg', 'resvg-js', 'resvgjs.win32-x64-msvc.node')
          : unpacked(platform, 'node_modules', '@resvg', 'resvg-js-linux-x64-gnu', 'resvgjs.linux-x64-gnu.node');
      expect(existsSync(resvg)).toBe(true);
      // The hall's voice: its program and espeak-ng's WebAssembly are files a forked Node process can open.
      expect(existsSync(unpacked(platform, 'out', 'main', 'src-main', 'hall', 'voice-program.js'))).toBe(true);
      expect(existsSync(unpacked(platform, 'node_modules', 'espeak-ng', 'dist', 'espeak-ng.wasm'))).toBe(true);
      if (platform === 'win') expect(existsSync(join(RELEASE, 'win-unpacked', 'Kezek.exe'))).toBe(true);
      // Updates come from the clinic's server (generic feed), one byte range per request (electron-builder writes it for
      // the Linux build; for Windows with the NSIS installer, which --dir does not build).
      if (platform === 'linux') expect(readFileSync(join(resources(platform), 'app-update.yml'), 'utf8')).toMatch(/provider: generic[\s\S]*useMultipleRangeRequest: false/);
    });
  }

  it('the packaged main process, run under Node with an Electron stand-in, serves a working desk from the unpacked folder', async () => {
    // The package as Electron would load it: resources/app (the asar, unpacked files included), renderer, migrations.
    const res = join(work, 'resources');
    mkdirSync(res, { recursive: true });
    extractAll(join(resources('linux'), 'app.asar'), join(res, 'app'));
    for (const d of ['renderer', 'migrations']) cpSync(join(resources('linux'), d), join(res, d), { recursive: true });
    const standIn = join(res, 'app', 'node_modules', 'electron');
    mkdirSync(standIn, { recursive: true });
    copyFileSync(join(ROOT, 'tests', 'support', 'electron-standin', 'index.cjs'), join(standIn, 'index.cjs'));
    writeFileSync(join(standIn, 'package.json'), JSON.stringify({ name: 'electron', main: 'index.cjs' }));

    const port = await closedPort();
    const lanPort = await closedPort();
    // --host: the installed desk also serves the clinic's Windows 7/8 PCs over the LAN, by its name only.
    const lanArgs = ['--host', '0.0.0.0', '--port', String(lanPort), '--lan-name', 'registratura-1.lan'];
    const mainJs = join(res, 'app', 'out', 'main', 'src-main', 'electron', 'main.js');
    const standInEnv = { ...process.env, KEZEK_STANDIN_RESOURCES: res, KEZEK_STANDIN_HOME: join(work, 'home') };
    const child = spawn(process.execPath, [mainJs, '--data-dir', join(work, 'desk'), '--demo', ...lanArgs], {
      env: { ...standInEnv, KEZEK_STANDIN_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b) => (out += String(b)));
    child.stderr.on('data', (b) => (out += String(b)));
    try {
      await expect.poll(() => out, { timeout: 60_000 }).toMatch(/stand-in window loads app:\/\/desk\/index\.html/);
      const page = await fetch(`http://127.0.0.1:${port}/index.html`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await page.text();
      const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)![1]!;
      expect((await fetch(`http://127.0.0.1:${port}/${script}`)).status).toBe(200);
      const ipc = (args: unknown[]) => fetch(`http://127.0.0.1:${port}/__ipc/kezek:rpc`, { method: 'POST', body: JSON.stringify(args) }).then((r) => r.json());
      const signIn = (await ipc(['auth.signIn', { username: 'registrar', password: 'kezek' }])) as { ok: boolean; data: { token: string } };
      expect(JSON.stringify(signIn)).toContain('"ok":true');
      const found = (await ipc(['patients.find', { query: 'Асанова' }, signIn.data.token, 'ru'])) as { ok: boolean; data: { total: number } };
      expect(found).toMatchObject({ ok: true });
      expect(found.data.total).toBeGreaterThan(0);

      // An old PC of the LAN (a second loopback address) opens the packaged desk by its LAN name and signs in.
      await expect.poll(() => out, { timeout: 30_000 }).toMatch(/serves the clinic's LAN/);
      const old = await lanRequest(lanPort, 'registratura-1.lan', '/');
      expect(old).toMatchObject({ status: 200, csp: expect.stringContaining("default-src 'self'") });
      expect(old.body).toContain(script);
      const lanSignIn = await lanRequest(lanPort, 'registratura-1.lan', '/rpc/auth.signIn', { username: 'registrar', password: 'kezek' });
      expect(lanSignIn.status).toBe(200);
      expect(JSON.parse(lanSignIn.body).data.token).toEqual(expect.any(String));
      expect((await lanRequest(lanPort, 'evil.example', '/')).status).toBe(403);
      // The hall's screen from the packaged desk, on the LAN: the page, a call, and its voice made by the packaged program.
      const hall = await lanRequest(lanPort, 'registratura-1.lan', '/hall');
      expect(hall).toMatchObject({ status: 200 });
      expect(hall.body).toContain('id="hall"');
      // Any booking of the demo clinic (whatever the hour, today may have no one checked in yet).
      const db = new Database(join(work, 'desk', 'kezek.sqlite'), { readonly: true });
      const { id: appointmentId } = db.prepare("SELECT id FROM appointments WHERE status = 'booked' LIMIT 1").get() as { id: string };
      db.close();
      const called = (await ipc(['hall.ask', { action: 'call', appointmentId }, signIn.data.token, 'ru'])) as { ok: boolean; data: { call: { id: string } } };
      expect(called.ok).toBe(true);
      // The window hears that the hall changed (the desk's change notices over IPC).
      await expect.poll(() => out, { timeout: 10_000 }).toMatch(/stand-in window hears kezek:changes \{"topics":\["hall"\]\}/);
      const voice = await fetch(`http://127.0.0.1:${lanPort}/hall/voice/${called.data.call.id}/ky.wav`);
      expect(voice.headers.get('content-type')).toBe('audio/wav');
      expect((await voice.arrayBuffer()).byteLength).toBeGreaterThan(20_000);
      // A Windows PC has no terminal: what the desk said is in its log file, in the data folder.
      expect(readFileSync(join(work, 'desk', 'logs', 'kezek.log'), 'utf8')).toMatch(/ info Kezek serves the clinic's LAN on 0\.0\.0\.0:\d+/);

      // The IT person's tasks on the installed desk: a backup beside the open window, a restore only once it is closed.
      const task = (...more: string[]) =>
        run(process.execPath, [mainJs, '--data-dir', join(work, 'desk'), ...more], { env: { ...standInEnv, KEZEK_STANDIN_PORT: '0' } }).then(
          (r) => ({ code: 0, out: r.stdout + r.stderr }),
          (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
        );
      const backup = join(work, 'night.sqlite');
      expect(await task('--backup', backup)).toMatchObject({ code: 0, out: expect.stringContaining(`written to ${backup}`) });
      expect(await task('--restore', backup)).toMatchObject({ code: 1, out: expect.stringContaining('[dialog] Kezek: Кезек не смог запуститься.\n\nКезек открыт на этом компьютере') });
      expect(readFileSync(join(work, 'desk', 'logs', 'kezek.log'), 'utf8')).toMatch(/error Error: Кезек открыт на этом компьютере .*закройте его окно/);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(await task('--restore', backup)).toMatchObject({ code: 0, out: expect.stringContaining('[dialog] Kezek: Резервная копия восстановлена') });
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
