import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClinic } from './clinic.js';
import { tsx, type Proc } from './processes.js';

const CLOCK = '2026-11-23T02:30:00Z';

test('an IT installer signs in to the console, finds the clinic’s PC with its version, makes an enrollment code with its QR, and revokes a PC (issue 12)', async ({ page }) => {
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-console-'));
  const procs: Proc[] = [];
  try {
    const { serverUrl, serverEnv } = await startClinic(root, CLOCK, ['1'], procs);
    // The account, made on the server's PC (through the running server: the embedded database is its).
    expect(await tsx('sync-server/main.ts', ['add-installer', 'aibek.it', 'kg-bishkek'], { ...serverEnv, KEZEK_PASSWORD: 'installer-pass-1' }).done()).toBe(0);

    await page.goto(`${serverUrl}/console`);
    await page.getByLabel('Имя').fill('aibek.it');
    await page.getByLabel('Пароль').fill('installer-pass-1');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('link', { name: 'г. Бишкек' }).click();
    const pc = page.getByTestId('pc-Регистратура 1');
    await expect(pc).toContainText('0.1.0');
    await expect(pc).toContainText('не настроен');
    await page.screenshot({ path: 'test-results/screens/41-console-region.png', fullPage: true });

    await page.getByTestId('code-org-bishkek-lenin').click();
    await expect(page.getByTestId('enroll-code')).toHaveText(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await expect(page.getByTestId('enroll-qr').locator('svg')).toBeVisible();
    await expect(page.getByTestId('server-url')).toHaveText(serverUrl);
    await page.screenshot({ path: 'test-results/screens/42-console-code.png' });

    await page.goBack();
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('revoke-Регистратура 1').click();
    await expect(page.getByTestId('pc-Регистратура 1')).toContainText('отключён');
  } finally {
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
