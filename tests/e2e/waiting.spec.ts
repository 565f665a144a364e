import { chromium, expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../support/virtual-printer.js';
import { ATTACHED, deskRpc } from './helpers.js';
import { tsx } from './processes.js';

/**
 * R22 (001 order 2.3): a patient waits at most 15 minutes past the appointed time. A patient checks
 * in early for 08:40; the desk is started again at 09:02 (its clock where the clinic's day would be):
 * today's list says who has waited too long, and how long.
 */
test('today’s list marks the patient still waiting 22 minutes past the appointed time (R22)', async () => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'kezek-e2e-wait-'));
  const port = await closedPort();
  const start = (clock: string) => tsx('src-main/cli/start.ts', ['--browser', '--demo', '--data-dir', dir, '--port', String(port), '--clock-start', clock]);
  const url = `http://127.0.0.1:${port}`;
  const rpc = deskRpc(url);
  let desk = start('2026-11-23T02:25:00Z'); // 08:25 in Bishkek
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    await desk.waitFor(/open (http:\/\/127\.0\.0\.1:\d+)/);
    const db = new Database(join(dir, 'kezek.sqlite'), { readonly: true });
    const slot = db
      .prepare("SELECT id FROM slots WHERE date = '2026-11-23' AND time = '08:40' AND specialty_id = 'family' AND channel = 'registry' AND appointment_id IS NULL AND blocked = 0 LIMIT 1")
      .get() as { id: string };
    const patient = db.prepare(`SELECT id FROM patients p WHERE ${ATTACHED} AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id) LIMIT 1`).get() as { id: string };
    db.close();
    const token = (await rpc('auth.signIn', { username: 'registrar', password: 'kezek' })).token as string;
    const { appointment } = await rpc('appointments.book', { patientId: patient.id, slotId: slot.id, preventive: true }, token);
    await rpc('appointments.checkIn', { appointmentId: appointment.id }, token);
    await desk.kill();

    desk = start('2026-11-23T03:02:00Z'); // 09:02: 22 minutes past 08:40
    await desk.waitFor(/open (http:\/\/127\.0\.0\.1:\d+)/);
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(url);
    await page.getByLabel(/Пользователь/).fill('registrar');
    await page.getByLabel(/Пароль/).fill('kezek');
    await page.keyboard.press('Enter');
    await page.getByTestId('patient-search').waitFor();
    await page.keyboard.press('F2');
    // The demo's own patients checked in this morning wait too (issue 23 finding 8): ours is the one at 08:40.
    const overdue = page.getByTestId('today-list').locator('tr.overdue');
    const row = overdue.filter({ hasText: '08:40' });
    await expect(row).toHaveCount(1);
    // The count above the list is the list's own.
    await expect(page.getByTestId('waiting-too-long')).toContainText(`Ждут дольше 15 минут после назначенного времени: ${await overdue.count()} —`);
    await expect(row).toContainText('08:40');
    await expect(row.locator('.badge.bad')).toHaveText(/^ждёт 2[23] мин$/);
    await page.screenshot({ path: 'test-results/screens/45-waiting-too-long.png' });
  } finally {
    await browser.close();
    await desk.kill();
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.ticket-mark`, { force: true });
  }
});
