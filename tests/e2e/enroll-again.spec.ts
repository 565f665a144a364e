import { type Browser, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DeskProc, readDesk, startClinic } from './clinic.js';
import { ATTACHED, enterThroughBooking, pickPatientIn } from './helpers.js';
import { type Proc, tsx } from './processes.js';

const CLOCK = '2026-11-23T02:30:00Z';

/** Signed in at a desk the server may be refusing (so not waiting for "В сети"). */
async function signedIn(browser: Browser, desk: DeskProc, username: string) {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' })).newPage();
  await page.goto(desk.url);
  await page.getByLabel('Пользователь').fill(username);
  await page.getByLabel('Пароль').fill('desk-pass');
  await page.keyboard.press('Enter');
  await page.getByTestId('sync-state').waitFor();
  return page;
}

/**
 * A PC the server no longer accepts (revoked here; the same for a PC enrolled after the backup a server was
 * restored from): the administrator enrolls it again from the status bar with a new code from the console,
 * and the booking made on it meanwhile reaches the server — nothing on the PC is lost.
 */
test('the administrator enrolls a refused PC again with a new code; it keeps its data and the booking made meanwhile goes up', async ({ browser }) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-again-'));
  const procs: Proc[] = [];
  try {
    const { desks, serverEnv } = await startClinic(root, CLOCK, ['A'], procs);
    const desk = desks[0]!;
    const deviceOf = () => readDesk(desk.dir, (db) => (db.prepare("SELECT value FROM meta WHERE key = 'server_device_id'").get() as { value: string }).value);
    const revoked = deviceOf();
    expect(await tsx('sync-server/main.ts', ['revoke-device', revoked], serverEnv).done()).toBe(0);

    // The registrar books on: the booking waits on the PC, which the server now refuses.
    const registrar = await signedIn(browser, desk, 'registrar');
    await expect(registrar.getByTestId('sync-revoked')).toContainText('Сервер не принимает этот ПК', { timeout: 30_000 });
    await expect(registrar.getByTestId('enroll-again')).toHaveCount(0); // the administrator's to do
    const p = pickPatientIn(join(desk.dir, 'kezek.sqlite'), ATTACHED);
    await registrar.keyboard.type(p.pin);
    await enterThroughBooking(registrar);
    await expect(registrar.getByTestId('booked')).toContainText(p.name);
    await expect(registrar.getByTestId('sync-state')).toContainText('к отправке: 1');

    // The administrator enrolls the PC again with the console's new code.
    const admin = await signedIn(browser, desk, 'admin');
    await admin.getByTestId('enroll-again').click();
    const made = tsx('sync-server/main.ts', ['enroll-code', 'org-bishkek-lenin'], serverEnv);
    expect(await made.done()).toBe(0);
    await admin.getByTestId('enroll-again-code').fill(made.out.match(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/)![0]);
    await admin.screenshot({ path: 'test-results/screens/46-enroll-again.png' });
    await admin.getByRole('button', { name: 'Подключить', exact: true }).click();
    await expect(admin.getByTestId('sync-state')).toContainText('В сети', { timeout: 30_000 });
    await expect(admin.getByTestId('sync-state')).toContainText('к отправке: 0', { timeout: 30_000 });
    await expect(admin.getByTestId('sync-revoked')).toHaveCount(0);
    expect(deviceOf()).not.toBe(revoked);
    expect(
      readDesk(desk.dir, (db) => db.prepare("SELECT a.sync_state AS s FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.national_id = ? AND a.status = 'booked'").get(p.pin)),
    ).toEqual({ s: 'confirmed' });
  } finally {
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
