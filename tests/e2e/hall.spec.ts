import { expect, test, type Response } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callPhrase } from '../../src-shared/hall/calls.js';
import { Voice } from '../../src-main/hall/voice.js';
import { closedPort } from '../support/virtual-printer.js';
import { enterThroughBooking } from './helpers.js';
import { tsx, type Proc } from './processes.js';
import { openDeskPage, readDesk, startClinic } from './clinic.js';

const CLOCK = '2026-11-23T02:30:00Z'; // Monday 08:30 in Bishkek

/** WAV (RIFF, PCM): its length in seconds. */
function wavSeconds(wav: Buffer): number {
  expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
  const dataAt = wav.indexOf('data', 12, 'latin1');
  return wav.readUInt32LE(dataAt + 4) / wav.readUInt32LE(28);
}

test('the hall screen (issue 21): a doctor calls from the cabinet PC with the sync server stopped; the screen on the LAN shows the number and says it in Kyrgyz and Russian, also after the registry’s desk restarts', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-hall-'));
  const procs: Proc[] = [];
  const voice = new Voice();
  try {
    const clinic = await startClinic(root, CLOCK, ['A'], procs);
    const registry = clinic.desks[0]!;
    // A patient of the family doctor with the most patients; booked for today's first free time and checked in.
    const p = readDesk(registry.dir, (db) =>
      db
        .prepare(`SELECT national_id AS pin, attached_doctor_id AS doctorId FROM patients WHERE attached_doctor_id = (SELECT attached_doctor_id FROM patients
          WHERE attached_org_id = 'org-bishkek-lenin' AND attached_doctor_id IS NOT NULL GROUP BY attached_doctor_id ORDER BY count(*) DESC LIMIT 1) AND priority = 0 ORDER BY id LIMIT 1 OFFSET 7`)
        .get(),
    ) as { pin: string; doctorId: string };
    const desk = await openDeskPage(browser, registry);
    await desk.getByTestId('patient-search').fill(p.pin);
    await enterThroughBooking(desk);
    await expect(desk.getByTestId('booked')).toContainText('23.11.2026');
    await desk.keyboard.press('Escape');
    await desk.keyboard.press('F2');
    await desk.getByTestId('today-doctor').selectOption(p.doctorId);
    const row = desk.getByTestId('today-list').locator('tr', { hasText: p.pin });
    await row.getByRole('button', { name: 'Пришёл' }).click();
    await expect(row).toContainText('пришёл');
    const booking = readDesk(registry.dir, (db) =>
      db.prepare("SELECT a.id, a.queue_number AS n FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.national_id = ? AND a.status = 'arrived'").get(p.pin),
    ) as { id: string; n: number };

    // The doctor's cabinet PC, told where the hall's desk is.
    const code = await tsx('sync-server/main.ts', ['enroll-code', 'org-bishkek-lenin', '--cabinet', p.doctorId], clinic.serverEnv);
    expect(await code.done()).toBe(0);
    const cabinetPort = await closedPort();
    const cabinetArgs = ['--browser', '--data-dir', join(root, 'cabinet'), '--port', String(cabinetPort), '--clock-start', CLOCK, '--hall-desk', registry.url];
    const cabinet = tsx(
      'src-main/cli/start.ts',
      [...cabinetArgs, '--server', clinic.serverUrl, '--enroll-code', code.out.match(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/)![0], '--device-name', 'Кабинет'],
      {
        KEZEK_PASSWORD: 'desk-pass',
      },
    );
    procs.push(cabinet);
    await cabinet.waitFor(/open (http:\/\/127\.0\.0\.1:\d+)/);
    // The registry's desk has the cabinet PC's key from the server.
    await expect.poll(() => readDesk(registry.dir, (db) => db.prepare('SELECT count(*) AS n FROM signers').get()), { timeout: 30_000 }).toEqual({ n: 1 });

    // The hall's TV: the page from the registry's desk, touched once (a browser plays sound after a touch).
    const tv = await (await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'ru-RU' })).newPage();
    const sounds: Array<{ url: string; wav: Buffer }> = [];
    tv.on('response', (r: Response) => {
      if (r.url().includes('/hall/voice/')) void r.body().then((wav) => sounds.push({ url: r.url(), wav }));
    });
    await tv.goto(`${registry.url}/hall`);
    await tv.mouse.click(10, 10);
    await expect(tv.locator('.hall-waiting')).toContainText(String(booking.n));

    const doctor = await openDeskPage(browser, { name: 'cabinet', dir: join(root, 'cabinet'), url: `http://127.0.0.1:${cabinetPort}` }, 'doctor');
    // The internet is gone: the sync server stopped.
    await clinic.server.kill();
    await expect(doctor.getByTestId('sync-state')).toContainText('Нет связи', { timeout: 30_000 });
    await doctor.keyboard.press('F2');
    await expect(doctor.getByTestId('hall-bar')).toBeVisible();
    await doctor.keyboard.press('F6');
    await expect(doctor.getByTestId('called')).toContainText(`№ ${booking.n}`);
    const call = tv.getByTestId('hall-call').first();
    await expect(call).toContainText(String(booking.n));
    const cabinetNo = (await call.locator('.hall-cabinet').textContent())!.replace(/\D+/g, ' ').trim().split(' ').pop()!;
    // Said in Kyrgyz, then in Russian: the sounds the screen played are espeak-ng's voices of those words.
    await expect.poll(() => tv.evaluate(() => document.body.dataset.spoken ?? ''), { timeout: 30_000 }).toMatch(/ky\.wav .*ru\.wav/);
    await expect.poll(() => sounds.length).toBe(2);
    for (const s of sounds) {
      const lang = s.url.endsWith('ky.wav') ? 'ky' : 'ru';
      expect(wavSeconds(s.wav)).toBeGreaterThan(1.5);
      expect(wavSeconds(s.wav)).toBeLessThan(8);
      expect(s.wav.equals(await voice.speak(lang, callPhrase(lang, booking.n, cabinetNo)))).toBe(true);
    }
    await tv.screenshot({ path: 'test-results/screens/21-hall-tv.png' });
    await doctor.screenshot({ path: 'test-results/screens/21-hall-doctor.png' });
    await tv.setViewportSize({ width: 1080, height: 1920 });
    await tv.screenshot({ path: 'test-results/screens/21-hall-portrait.png' });
    await tv.setViewportSize({ width: 1920, height: 1080 });

    // The registry's desk is killed and started again: the screen comes back with the same call; the doctor calls again.
    const deskProc = procs[1]!;
    deskProc.child.kill('SIGKILL');
    await deskProc.done();
    await expect(tv.locator('.hall-lost')).toBeVisible({ timeout: 30_000 });
    const again = tsx('src-main/cli/start.ts', ['--browser', '--data-dir', registry.dir, '--port', new URL(registry.url).port, '--clock-start', CLOCK], {});
    procs.push(again);
    await again.waitFor(/open (http:\/\/127\.0\.0\.1:\d+)/);
    await expect(tv.locator('.hall-lost')).toHaveCount(0, { timeout: 30_000 });
    await expect(tv.getByTestId('hall-call').first()).toContainText(String(booking.n));
    await doctor.getByRole('button', { name: 'Вызвать ещё раз' }).click();
    await expect.poll(() => sounds.length, { timeout: 30_000 }).toBe(4);
    // "Did not come": off the screen.
    await doctor.getByTestId('did-not-come').click();
    await expect(tv.getByTestId('hall-call')).toHaveCount(0);
    expect(readDesk(registry.dir, (db) => db.prepare('SELECT kind FROM hall_calls WHERE appointment_id = ? ORDER BY rowid').all(booking.id))).toEqual([
      { kind: 'call' },
      { kind: 'recall' },
      { kind: 'dismiss' },
    ]);
  } finally {
    voice.close();
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
