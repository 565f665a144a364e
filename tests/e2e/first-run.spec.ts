import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../support/virtual-printer.js';
import { startClinic } from './clinic.js';
import { tsx, type Proc } from './processes.js';

const CLOCK = '2026-11-23T02:30:00Z';

test('the installer enrolls a fresh desk through the first-run wizard with a code made in the console, and sees it there with its version (issue 12)', async ({ browser }) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-first-run-'));
  const procs: Proc[] = [];
  try {
    const { serverUrl, serverEnv } = await startClinic(root, CLOCK, ['1'], procs);
    expect(await tsx('sync-server/main.ts', ['add-installer', 'aibek.it', 'kg-bishkek'], { ...serverEnv, KEZEK_PASSWORD: 'installer-pass-1' }).done()).toBe(0);
    const consolePage = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' })).newPage();
    await consolePage.goto(`${serverUrl}/console`);
    await consolePage.getByLabel('Имя').fill('aibek.it');
    await consolePage.getByLabel('Пароль').fill('installer-pass-1');
    await consolePage.getByRole('button', { name: 'Войти' }).click();
    await consolePage.getByRole('link', { name: 'г. Бишкек' }).click();
    await consolePage.getByTestId('code-org-bishkek-lenin').click();
    const code = (await consolePage.getByTestId('enroll-code').textContent())!.trim();

    // A fresh desk: no demo, no options — the wizard.
    const port = await closedPort();
    const desk = tsx('src-main/cli/start.ts', ['--browser', '--data-dir', join(root, 'desk-new'), '--port', String(port), '--clock-start', CLOCK]);
    procs.push(desk);
    await desk.waitFor(/first run: the wizard/);
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' })).newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page.getByTestId('setup-wizard')).toBeVisible();
    await page.getByTestId('setup-name').fill('Регистратура 2');
    await page.screenshot({ path: 'test-results/screens/43-first-run-wizard.png' });
    // A wrong code: said so, and the wizard waits.
    await page.getByTestId('setup-server').fill(serverUrl);
    await page.getByTestId('setup-code').fill('AAAA-BBBB-CCCC');
    await page.getByTestId('setup-password').fill('first-pass-1');
    await page.getByTestId('setup-connect').click();
    await expect(page.getByRole('alert')).toContainText('Сервер не принял код подключения');
    // The console's QR, as the desk's scanner types it into the address field — with the PC's keyboard in the Russian
    // layout, so its Latin keys arrive as Cyrillic letters — and its Enter: address and code filled at once, the
    // keyboard on the password, nothing submitted (issue 23 finding 11).
    await page.getByTestId('setup-server').fill('');
    await page.getByTestId('setup-password').fill('');
    await page.getByTestId('setup-server').pressSequentially(inRussianLayout(`KEZEK-ENROLL ${serverUrl} ${code}`));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('setup-code')).toHaveValue(code);
    await expect(page.getByTestId('setup-server')).toHaveValue(serverUrl);
    await expect(page.getByTestId('setup-password')).toBeFocused();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await page.keyboard.type('first-pass-1');
    await page.getByTestId('setup-connect').click();
    // The clinic downloads, then the desk signs in with the clinic's accounts (from the server).
    await expect(page.getByLabel('Пользователь')).toBeVisible({ timeout: 60_000 });
    await page.getByLabel('Пользователь').fill('admin');
    await page.getByLabel('Пароль').fill('desk-pass');
    await page.keyboard.press('Enter');
    // The wizard's last step: the administrator lands on the printer settings.
    await expect(page.getByTestId('notice')).toContainText('Выберите принтер талонов');
    await page.screenshot({ path: 'test-results/screens/44-first-run-printer.png' });

    // The console shows the new PC with its version once it has synced.
    await expect
      .poll(
        async () => {
          await consolePage.goto(`${serverUrl}/console/regions/kg-bishkek`);
          return (
            (await consolePage
              .getByTestId('pc-Регистратура 2')
              .textContent()
              .catch(() => '')) ?? ''
          );
        },
        { timeout: 30_000 },
      )
      .toContain('0.1.0');
  } finally {
    for (const c of browser.contexts()) await c.close();
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});

/** What a scanner's keys type with the Russian ЙЦУКЕН layout on. */
function inRussianLayout(text: string): string {
  const qwerty = 'qwertyuiop[]asdfghjkl;\'zxcvbnm,./QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?`@#$^&';
  const ru = 'йцукенгшщзхъфывапролджэячсмитьбю.ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,ё"№;:?';
  return [...text].map((c) => (qwerty.includes(c) ? ru[qwerty.indexOf(c)]! : c)).join('');
}
