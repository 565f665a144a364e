import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, createIpcHandler } from '../../src-main/rpc/ipc.js';
import { TestDesk } from '../support/desk.js';

// Electron's window cannot run here; this drives the IPC transport with the one thing it reads
// from Electron's event (the sender frame's URL), over the real router and services.
let t: TestDesk;
beforeAll(async () => {
  t = await TestDesk.start();
});
afterAll(() => t.close());

const ui = { senderFrame: { url: `${APP_ORIGIN}index.html` } };

describe('Electron IPC transport', () => {
  it('serves the same contract as HTTP to our own UI', async () => {
    const ipc = createIpcHandler(t.desk.router);
    const signIn = await ipc(ui, 'auth.signIn', { username: 'registrar', password: 'kezek' }, null, 'ky');
    expect(signIn.ok).toBe(true);
    const token = (signIn as { data: { token: string } }).data.token;
    const dir = await ipc(ui, 'directory.get', {}, token, 'ky');
    expect(dir).toMatchObject({ ok: true, data: { organization: { id: 'org-bishkek-lenin' } } });
    expect(await ipc(ui, 'patients.find', { query: '1' }, token, 'ky')).toMatchObject({ ok: false, status: 400, error: { code: 'bad_input' } });
  });
  it('refuses calls from any other frame (a navigated-away or injected page)', async () => {
    const ipc = createIpcHandler(t.desk.router);
    expect(await ipc({ senderFrame: { url: 'https://evil.example/' } }, 'auth.signIn', { username: 'registrar', password: 'kezek' }, null, 'ru')).toMatchObject({ ok: false, status: 403 });
    expect(await ipc({ senderFrame: null }, 'directory.get', {}, null, 'ru')).toMatchObject({ ok: false, status: 403 });
  });
  it('rejects prototype-key method names and non-string arguments', async () => {
    const ipc = createIpcHandler(t.desk.router);
    expect(await ipc(ui, 'toString', {}, null, 'ru')).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await ipc(ui, { evil: true }, {}, null, 'ru')).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });
});
