import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStartOptions } from '../../src-main/cli/options.js';
import { createHttpApp, listen, type RunningServer } from '../../src-main/rpc/http.js';
import { TestDesk } from '../support/desk.js';

let t: TestDesk;
let server: RunningServer;
let port = 0;

/** A raw HTTP request, so the test controls Host, Origin and Content-Type as a hostile page's browser would send them. */
function raw(path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: text.startsWith('{') ? JSON.parse(text) : text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const signIn = (password: string, extra: Record<string, string> = {}, username = 'registrar') =>
  raw('/rpc/auth.signIn', { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...extra }, JSON.stringify({ username, password }));

beforeAll(async () => {
  t = await TestDesk.start();
  server = await listen(createHttpApp(t.desk.router, null), 0);
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

describe('the desk’s HTTP server against other web pages (issue 9, finding 9)', () => {
  it('DNS rebinding: a request naming another host is refused before anything runs', async () => {
    const r = await signIn('kezek', { host: `rebind.attacker.example:${port}` });
    expect(r.status).toBe(403);
    expect(r.json.error).toMatchObject({ code: 'bad_host', message: 'Запрос к регистратуре по чужому адресу отклонён' });
    expect(r.json.data).toBeUndefined();
    expect((await raw('/', { host: `rebind.attacker.example:${port}` })).status).toBe(403);
    // Its own names work.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) expect((await signIn('kezek', { host })).status).toBe(200);
  });

  it('a page of another origin cannot call the desk, and a text/plain "simple request" is not JSON to it', async () => {
    const before = t.snapshot();
    const cross = await signIn('kezek', { origin: 'http://attacker.example' });
    expect(cross).toMatchObject({ status: 403, json: { error: { code: 'cross_origin' } } });
    const site = await signIn('kezek', { 'sec-fetch-site': 'cross-site' });
    expect(site).toMatchObject({ status: 403, json: { error: { code: 'cross_origin' } } });
    const plain = await signIn('kezek', { 'content-type': 'text/plain' });
    expect(plain).toMatchObject({ status: 415, json: { error: { code: 'unsupported_media_type' } } });
    expect(t.snapshot()).toEqual(before);
    const same = await signIn('kezek', { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' });
    expect(same.status).toBe(200);
    expect(same.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the built UI and its files with the CSP, and nothing outside the UI folder (../, encoded or not)', async () => {
    const ui = mkdtempSync(join(tmpdir(), 'kezek-ui-'));
    mkdirSync(join(ui, 'assets'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Kezek</title>');
    writeFileSync(join(ui, 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(ui, '..', `${basename(ui)}-secret.txt`), 'SECRET');
    const files = await listen(createHttpApp(t.desk.router, ui), 0);
    const get = (path: string) =>
      fetch(`${files.url}${path}`).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), csp: r.headers.get('content-security-policy'), text: await r.text() }));
    try {
      expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', text: '<!doctype html><title>Kezek</title>' });
      expect((await get('/')).csp).toContain("default-src 'self'");
      expect(await get('/assets/app-1.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', text: 'console.log(1)' });
      // A path of the app (the page reloaded on a screen) is the UI; a way out of the folder is the UI too, never the file.
      expect((await get('/register')).text).toContain('<title>Kezek');
      for (const path of [`/..%2f${basename(ui)}-secret.txt`, `/%2e%2e/${basename(ui)}-secret.txt`, `/assets/..%2f..%2f${basename(ui)}-secret.txt`])
        expect((await get(path)).text).not.toContain('SECRET');
      // A malformed escape is answered (the UI; an unknown method), never a server error.
      expect((await get('/%E0%A4%A')).status).toBe(200);
      const rpc = await fetch(`${files.url}/rpc/%E0%A4%A`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(rpc.status).toBe(404);
    } finally {
      await files.close();
      rmSync(ui, { recursive: true, force: true });
      rmSync(join(ui, '..', `${basename(ui)}-secret.txt`), { force: true });
    }
  });

  it('sign-in is throttled per account: after 5 wrong passwords even the right one waits, with a clear message', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('wrong-password', {}, 'head')).json.error.code).toBe('bad_credentials');
    const locked = await signIn('kezek', {}, 'head');
    expect(locked.status).toBe(429);
    expect(locked.json.error.message).toMatch(/^Слишком много неверных попыток входа\. Попробуйте снова через \d+ с$/);
    // Another account at the same desk is not held up by it.
    expect((await signIn('kezek', {}, 'doctor')).status).toBe(200);
    t.now += 31_000;
    expect((await signIn('kezek', {}, 'head')).status).toBe(200);
  });

  it('sign-in is throttled per address: many accounts guessed from one address', async () => {
    const t2 = await TestDesk.start();
    const other = await listen(createHttpApp(t2.desk.router, null), 0);
    const saved = port;
    port = Number(new URL(other.url).port);
    for (let i = 0; i < 20; i++) await signIn('guess', {}, `user-${i}`);
    expect((await signIn('kezek', {}, 'admin')).status).toBe(429);
    port = saved;
    await other.close();
    await t2.close();
  });
});

describe('the printer file transport writes only to printers (issue 9, finding 9)', () => {
  it('refuses the desk’s own database, or any file, without touching it — and says the same whether the file exists or not', async () => {
    const db = join(t.dir, 'kezek.sqlite');
    const hash = () => createHash('sha256').update(readFileSync(db)).digest('hex');
    t.desk.env.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const before = hash();
    const settings = (path: string) => ({ profileId: 'epson-58', transport: { kind: 'file', path }, ticketLang: 'ru', autoPrint: true });
    const existing = await t.fail('printer.saveSettings', settings(db));
    const missing = await t.fail('printer.saveSettings', settings(join(t.dir, 'no-such-file')));
    for (const f of [existing, missing]) expect(f).toMatchObject({ status: 400, error: { code: 'printer_path_not_allowed' } });
    expect(existing.error.message.replace(db, 'X')).toBe(missing.error.message.replace(join(t.dir, 'no-such-file'), 'X'));
    expect(await t.call('printer.getSettings', {})).toMatchObject({ transport: { kind: 'none' } });
    expect(hash()).toBe(before);
    expect(t.desk.env.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a regular file reached through the device folder (a link, a stray file) is not written either', async () => {
    const dev = mkdtempSync(join(tmpdir(), 'kezek-dev-'));
    const file = join(dev, 'lp0');
    writeFileSync(file, 'precious');
    const { fileTransport } = await import('../../src-main/print/transports/index.js');
    await expect(fileTransport(file, [dev]).send(Buffer.from('bytes'))).rejects.toMatchObject({ code: 'printer_path_not_allowed' });
    expect(readFileSync(file, 'utf8')).toBe('precious');
  });
});

describe('secrets are never on the command line (issue 9, finding 9)', () => {
  it('refuses --password and takes the password from KEZEK_PASSWORD or a file', () => {
    expect(() => parseStartOptions(['--password', 'desk-pass'], {})).toThrow(/KEZEK_PASSWORD/);
    expect(parseStartOptions(['--server', 'http://s:5790', '--enroll-code', 'ABCD-EFGH'], { KEZEK_PASSWORD: 'desk-pass' }).password).toBe('desk-pass');
    const dir = mkdtempSync(join(tmpdir(), 'kezek-secret-'));
    writeFileSync(join(dir, 'pass'), 'from-file-1\n');
    expect(parseStartOptions(['--password-file', join(dir, 'pass')], {}).password).toBe('from-file-1');
  });
});
