import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskHost } from '../../src-main/setup/host.js';
import { PROVISION_FILE } from '../../src-main/setup/provisioning.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { ClinicServer, ORG } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';

const clinic = new ClinicServer();
const hosts: DeskHost[] = [];
beforeAll(async () => {
  await clinic.start();
  // The clinic's first desk brings its accounts to the server.
  await clinic.enrolledDesk('Регистратура 1');
});
afterAll(async () => {
  for (const h of hosts) await h.close();
  await clinic.stop();
});

const open = async (extra: Partial<Parameters<typeof DeskHost.open>[0]> = {}) => {
  const dataDir = clinic.newDir();
  const host = await DeskHost.open({ dataDir, clock: clinic.now, deviceName: 'PC-07', autoSync: false, provisionPaths: [join(dataDir, PROVISION_FILE)], ...extra });
  hosts.push(host);
  return { host, dataDir, call: (m: string, i: unknown = {}) => host.router.call(m, i, { lang: 'ru' }) };
};

describe('the first run of a desk (issue 12)', () => {
  it('a fresh desk builds nothing on its own: only the wizard answers, and the demo only when chosen', async () => {
    const { call, dataDir, host } = await open();
    expect(await call('setup.status')).toMatchObject({ ok: true, data: { state: 'choose', deviceName: 'PC-07' } });
    expect(await call('auth.signIn', { username: 'registrar', password: 'kezek' })).toMatchObject({ ok: false, error: { code: 'not_set_up' } });
    expect(existsSync(join(dataDir, 'kezek.sqlite'))).toBe(false);
    // Another computer of the LAN (a desk started with --host 0.0.0.0) may look, not choose the clinic.
    const lan = { lang: 'ru' as const, address: '::ffff:192.168.1.20' };
    expect(await host.router.call('setup.status', {}, lan)).toMatchObject({ ok: true, data: { state: 'choose' } });
    expect(await host.router.call('setup.demo', {}, lan)).toMatchObject({ ok: false, status: 403, error: { code: 'setup_on_this_pc', message: expect.stringContaining('на самом этом ПК') } });
    expect(await host.router.call('setup.enroll', { serverUrl: clinic.url, code: 'AAAA-BBBB-CCCC', deviceName: 'x', password: 'first-pass-1' }, lan)).toMatchObject({
      ok: false,
      error: { code: 'setup_on_this_pc' },
    });
    expect(await call('setup.status')).toMatchObject({ ok: true, data: { state: 'choose' } });
    await host.router.call('setup.demo', {}, { lang: 'ru', address: '127.0.0.1' });
    await host.settled();
    expect(await call('setup.status')).toMatchObject({ ok: true, data: { state: 'ready' } });
    expect(await call('auth.signIn', { username: 'registrar', password: 'kezek' })).toMatchObject({ ok: true });
  });

  it('enrolls by the wizard: a refused code says so and leaves the desk waiting; the right one downloads the clinic', async () => {
    const { call, host } = await open();
    await call('setup.enroll', { serverUrl: clinic.url, code: 'AAAA-BBBB-CCCC', deviceName: 'Регистратура 2', password: 'first-pass-1' });
    await host.settled();
    expect(await call('setup.status')).toMatchObject({ ok: true, data: { state: 'failed', error: expect.stringContaining('Сервер не принял код подключения') } });
    expect(await call('setup.enroll', { serverUrl: 'not a url', code: 'x', deviceName: '', password: '1' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const code = await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM);
    const started = await call('setup.enroll', { serverUrl: clinic.url, code, deviceName: 'Регистратура 2', password: 'first-pass-1' });
    expect(started).toMatchObject({ ok: true, data: { state: 'enrolling' } });
    await host.settled();
    expect(await call('setup.status')).toMatchObject({ ok: true, data: { state: 'ready' } });
    // The clinic's accounts came from the server (the first desk's password), not this wizard's.
    expect(await call('auth.signIn', { username: 'admin', password: 'desk-pass' })).toMatchObject({ ok: true });
    expect(await call('setup.enroll', { serverUrl: clinic.url, code, deviceName: 'x', password: 'first-pass-1' })).toMatchObject({ ok: false, error: { code: 'already_set_up' } });
  });

  it('a silent install: a provisioning file beside the desk enrolls it with nobody at the screen, and is deleted once used', async () => {
    const dataDir = clinic.newDir();
    const file = join(dataDir, PROVISION_FILE);
    writeFileSync(file, JSON.stringify({ serverUrl: clinic.url, code: await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM), deviceName: 'Кабинет 12', password: 'first-pass-1' }));
    const host = await DeskHost.open({ dataDir, clock: clinic.now, deviceName: 'PC-08', autoSync: false, provisionPaths: [file] });
    hosts.push(host);
    await host.settled();
    expect(host.desk).not.toBeNull();
    expect(existsSync(file)).toBe(false);
    const { devices } = await import('../../sync-server/admin/commands.js').then((m) => m.runAdmin(clinic.database.db, 'devices', { orgId: ORG }, MONDAY_9AM));
    expect(devices.map((d) => d.name)).toContain('Кабинет 12');
  });
});
