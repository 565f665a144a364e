import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../sync-server/admin/commands.js';
import { regions as regionsTable } from '../../sync-server/db/schema.js';
import { parseEnrollmentQr } from '../../src-shared/sync/enrollment-code.js';
import { ClinicServer, type EnrolledDesk } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';

const clinic = new ClinicServer();
let desk: EnrolledDesk;
beforeAll(async () => {
  await clinic.start();
  desk = await clinic.enrolledDesk('Регистратура 1');
  await desk.desk.sync!.syncOnce();
  // A second region, with no clinic yet (an installer is given a region before its clinics are imported).
  await clinic.database.db.insert(regionsTable).values({ id: 'kg-osh', name: 'г. Ош' });
  const admin = (username: string, regions: string[]) => runAdmin(clinic.database.db, 'add-installer', { username, password: 'installer-pass-1', regions }, MONDAY_9AM);
  await admin('bishkek-it', ['kg-bishkek']);
  await admin('osh-it', ['kg-osh']);
});
afterAll(() => clinic.stop());

/** A browser's session with the console: its cookie kept between requests, forms posted from the console's own origin. */
async function consoleAs(username: string, password = 'installer-pass-1') {
  const res = await fetch(`${clinic.url}/console/sign-in`, { method: 'POST', body: new URLSearchParams({ username, password }), headers: { origin: clinic.url }, redirect: 'manual' });
  const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
  const get = (path: string) => fetch(`${clinic.url}${path}`, { headers: { cookie } }).then(async (r) => ({ status: r.status, text: await r.text() }));
  const post = (path: string, form: Record<string, string> = {}, origin = clinic.url) =>
    fetch(`${clinic.url}${path}`, { method: 'POST', body: new URLSearchParams(form), headers: { cookie, origin }, redirect: 'manual' }).then(async (r) => ({
      status: r.status,
      text: await r.text(),
    }));
  return { status: res.status, cookie, get, post };
}

describe('the installers’ console (issue 12): scoped to the installer’s regions', () => {
  it('shows the region’s clinics and each PC with what it reported: version, OS, uploads waiting, printer', async () => {
    const it = await consoleAs('bishkek-it');
    expect(it.status).toBe(303);
    expect((await it.get('/console')).text).toContain('г. Бишкек');
    const region = await it.get('/console/regions/kg-bishkek');
    expect(region.status).toBe(200);
    expect(region.text).toContain('Регистратура 1');
    expect(region.text).toContain('0.1.0'); // the desk's version, from its sync calls
    expect(region.text).toContain('не настроен'); // its printer, from its report
    expect(region.text).toContain('только что'); // last seen: its last sync call
  });

  it('makes a one-time enrollment code with a QR carrying the server and the code; a desk enrolls with it', async () => {
    const it = await consoleAs('bishkek-it');
    const page = await it.post('/console/codes', { orgId: 'org-bishkek-lenin' });
    expect(page.status).toBe(200);
    const code = /data-testid="enroll-code">([A-Z2-9-]+)</.exec(page.text)![1]!;
    expect(page.text).toContain('<svg');
    expect(parseEnrollmentQr(`KEZEK-ENROLL ${clinic.url} ${code}`)).toEqual({ serverUrl: clinic.url, code });
    const { openDesk } = await import('../../src-main/desk.js');
    const second = await openDesk({ dataDir: clinic.newDir(), clock: clinic.now, autoSync: false, enroll: { serverUrl: clinic.url, code, deviceName: 'Регистратура 2', password: 'desk-pass' } });
    await second.sync!.syncOnce();
    expect((await it.get('/console/regions/kg-bishkek')).text).toContain('Регистратура 2');
    await second.close();
  });

  it('a code for a doctor’s cabinet PC binds the PC to that doctor; a doctor of no clinic of the installer is refused', async () => {
    const it = await consoleAs('bishkek-it');
    const doctorId = 'doc-001';
    const page = await it.post('/console/codes', { orgId: 'org-bishkek-lenin', cabinet: doctorId });
    expect(page.text).toContain('Для кабинета врача');
    const code = /data-testid="enroll-code">([A-Z2-9-]+)</.exec(page.text)![1]!;
    const { openDesk } = await import('../../src-main/desk.js');
    const cabinet = await openDesk({ dataDir: clinic.newDir(), clock: clinic.now, autoSync: false, enroll: { serverUrl: clinic.url, code, deviceName: 'Кабинет 12', password: 'desk-pass' } });
    expect(cabinet.env.device.kind).toBe('cabinet');
    await cabinet.close();
    expect((await it.post('/console/codes', { orgId: 'org-bishkek-lenin', cabinet: 'doc-of-nowhere' })).status).toBe(403);
  });

  it('a code for the hall’s kiosk (issue 21) enrolls a kiosk, which opens its own screen', async () => {
    const it = await consoleAs('bishkek-it');
    const page = await it.post('/console/codes', { orgId: 'org-bishkek-lenin', cabinet: 'kiosk' });
    expect(page.text).toContain('инфомата в холле');
    const code = /data-testid="enroll-code">([A-Z2-9-]+)</.exec(page.text)![1]!;
    const { openDesk } = await import('../../src-main/desk.js');
    const kiosk = await openDesk({ dataDir: clinic.newDir(), clock: clinic.now, autoSync: false, enroll: { serverUrl: clinic.url, code, deviceName: 'Инфомат', password: 'desk-pass' } });
    expect(kiosk.env.device.kind).toBe('kiosk');
    expect((await kiosk.router.call('kiosk.start', {}, { address: '127.0.0.1' })).ok).toBe(true);
    await kiosk.close();
  });

  it('an installer of another region sees nothing of it and changes nothing; a wrong password and a cross-site post are refused', async () => {
    const osh = await consoleAs('osh-it');
    expect((await osh.get('/console')).text).not.toContain('г. Бишкек');
    expect((await osh.get('/console/regions/kg-bishkek')).status).toBe(404);
    expect((await osh.post('/console/codes', { orgId: 'org-bishkek-lenin' })).status).toBe(403);
    const { devices } = await runAdmin(clinic.database.db, 'devices', { orgId: 'org-bishkek-lenin' }, MONDAY_9AM);
    expect((await osh.post(`/console/devices/${devices[0]!.id}/revoke`)).status).toBe(403);
    expect((await runAdmin(clinic.database.db, 'devices', { orgId: 'org-bishkek-lenin' }, MONDAY_9AM)).devices[0]!.revokedAt).toBeNull();
    expect((await consoleAs('bishkek-it', 'wrong-password')).status).toBe(401);
    const bishkek = await consoleAs('bishkek-it');
    expect((await bishkek.post(`/console/devices/${devices[0]!.id}/revoke`, {}, 'https://evil.example')).status).toBe(403);
  });

  it('revokes a PC: its token stops working at once', async () => {
    const it = await consoleAs('bishkek-it');
    const { devices } = await runAdmin(clinic.database.db, 'devices', { orgId: 'org-bishkek-lenin' }, MONDAY_9AM);
    const mine = devices.find((d) => d.name === 'Регистратура 1')!;
    expect((await it.post(`/console/devices/${mine.id}/revoke`)).status).toBe(303);
    expect((await it.get('/console/regions/kg-bishkek')).text).toMatch(/Регистратура 1[\s\S]*?отключён/);
    await desk.desk.sync!.syncOnce();
    expect(desk.desk.sync!.lastError).toBe('unauthorized');
  });
});

describe('the console’s doors (issue 19 finding 6)', () => {
  it('sign-in is throttled per account like the desk’s: after five wrong passwords even the right one waits', async () => {
    await runAdmin(clinic.database.db, 'add-installer', { username: 'guess-me', password: 'installer-pass-1', regions: ['kg-bishkek'] }, MONDAY_9AM);
    for (let i = 0; i < 5; i++) expect((await consoleAs('guess-me', `wrong-${i}`)).status).toBe(401);
    const right = await fetch(`${clinic.url}/console/sign-in`, { method: 'POST', body: new URLSearchParams({ username: 'guess-me', password: 'installer-pass-1' }), headers: { origin: clinic.url } });
    expect(right.status).toBe(429);
    expect(await right.text()).toContain('Слишком много неудачных попыток');
    // Another account from the same address is not held up by it.
    expect((await consoleAs('osh-it')).status).toBe(303);
  });

  it('a new password ends the account’s other sessions; a disabled account is signed out at once and cannot sign in', async () => {
    await runAdmin(clinic.database.db, 'add-installer', { username: 'leaver', password: 'installer-pass-1', regions: ['kg-bishkek'] }, MONDAY_9AM);
    const before = await consoleAs('leaver');
    expect((await before.get('/console/regions/kg-bishkek')).status).toBe(200);
    await runAdmin(clinic.database.db, 'add-installer', { username: 'leaver', password: 'installer-pass-2', regions: ['kg-bishkek'] }, MONDAY_9AM);
    expect((await before.get('/console/regions/kg-bishkek')).text).not.toContain('Регистратура 1');
    const after = await consoleAs('leaver', 'installer-pass-2');
    expect((await after.get('/console/regions/kg-bishkek')).status).toBe(200);
    expect(await runAdmin(clinic.database.db, 'disable-installer', { username: 'leaver' }, MONDAY_9AM)).toEqual({ username: 'leaver', disabled: true });
    expect((await after.get('/console/regions/kg-bishkek')).text).not.toContain('Регистратура 1');
    expect((await consoleAs('leaver', 'installer-pass-2')).status).toBe(401);
    await expect(runAdmin(clinic.database.db, 'disable-installer', { username: 'nobody' }, MONDAY_9AM)).rejects.toThrow('no installer account named nobody');
  });

  it('an unknown region id is refused with the ones the server knows (a typo would have left a region closed)', async () => {
    await expect(runAdmin(clinic.database.db, 'add-installer', { username: 'typo', password: 'installer-pass-1', regions: ['kg-bishkekk'] }, MONDAY_9AM)).rejects.toThrow(
      /unknown region kg-bishkekk \(this server has: .*kg-bishkek/,
    );
    await expect(runAdmin(clinic.database.db, 'rollout', { platform: 'win', version: '1.1.0', windows: { 'kg-chuy': { opensOn: '2026-12-01' } } } as never, MONDAY_9AM)).rejects.toThrow(
      'unknown region kg-chuy',
    );
  });
});

describe('the console behind a TLS reverse proxy (KEZEK_TRUST_PROXY=1)', () => {
  it('accepts forms from the https origin the browser sees, marks the cookie Secure, and throttles by the client’s forwarded address', async () => {
    process.env.KEZEK_TRUST_PROXY = '1';
    try {
      const host = new URL(clinic.url).host;
      const viaProxy = (password: string, client: string, username = 'osh-it') =>
        fetch(`${clinic.url}/console/sign-in`, {
          method: 'POST',
          body: new URLSearchParams({ username, password }),
          headers: { origin: `https://${host}`, 'x-forwarded-proto': 'https', 'x-forwarded-for': client },
          redirect: 'manual',
        });
      const ok = await viaProxy('installer-pass-1', '10.0.0.7');
      expect(ok.status).toBe(303);
      expect(ok.headers.get('set-cookie')).toContain('Secure');
      // Twenty wrong guesses from one client, each at another name (no account's budget is spent): that address waits,
      // the next client does not.
      for (let i = 0; i < 20; i++) await viaProxy('wrong', '10.0.0.66', `nobody-${i}`).then((r) => r.body?.cancel());
      expect((await viaProxy('installer-pass-1', '10.0.0.66')).status).toBe(429);
      expect((await viaProxy('installer-pass-1', '10.0.0.8')).status).toBe(303);
    } finally {
      delete process.env.KEZEK_TRUST_PROXY;
    }
  });
});
