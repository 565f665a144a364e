import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDeskPage, readDesk, startClinic } from './clinic.js';
import { enterThroughBooking } from './helpers.js';
import type { Proc } from './processes.js';

const CLOCK = '2026-11-23T03:30:00Z'; // Monday 09:30 in Bishkek: past the night's quiet hours

/**
 * Issue 20: a booking taken by phone is confirmed by SMS (here the server's default NDJSON sink), and every desk's
 * patient card shows it — when, what, where to (masked), sent.
 */
test('a phone booking’s SMS confirmation shows on the patient’s card at the desk', async ({ browser }) => {
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-messages-'));
  const procs: Proc[] = [];
  try {
    const clinic = await startClinic(root, CLOCK, ['A'], procs);
    const [desk] = clinic.desks;
    const p = readDesk(desk!.dir, (db) =>
      db
        .prepare(
          `SELECT national_id AS pin, full_name AS name FROM patients p WHERE attached_org_id = 'org-bishkek-lenin' AND attached_doctor_id IS NOT NULL AND length(phone) > 8
            AND priority = 0 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id) ORDER BY id LIMIT 1 OFFSET 11`,
        )
        .get(),
    ) as { pin: string; name: string };
    const registrar = await openDeskPage(browser, desk!);
    await registrar.keyboard.press('F6'); // by phone
    await registrar.getByTestId('patient-search').fill(p.pin);
    await enterThroughBooking(registrar);
    await expect(registrar.getByTestId('ticket')).toBeVisible();
    await registrar.keyboard.press('Escape');
    await registrar.getByTestId('patient-search').fill(p.pin);
    await registrar.keyboard.press('Enter');
    await expect(registrar.getByTestId('patient-card')).toBeVisible();
    // The server sends it (its sender looks every few seconds); the desk pulls the message's line with its next sync,
    // and the card already open shows it without being searched again.
    await expect(registrar.getByTestId('message-log').locator('li')).toHaveCount(1, { timeout: 60_000 });
    await expect(registrar.getByTestId('message-log')).toContainText('Запись');
    await expect(registrar.getByTestId('message-log')).toContainText('отправлено');
    await expect(registrar.getByTestId('message-log')).toContainText(/\+996•+\d{3}/);
    await registrar.screenshot({ path: 'test-results/screens/52-card-message-log.png' });
  } finally {
    for (const c of browser.contexts()) await c.close();
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
