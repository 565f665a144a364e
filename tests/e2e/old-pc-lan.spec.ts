import { chromium, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../support/virtual-printer.js';
import { tsx } from './processes.js';

const CLOCK = '2026-11-23T02:30:00Z';

/**
 * Issue 12, old PCs: a Windows 7/8 PC cannot run the Electron desk, so it opens another desk's
 * browser mode over the clinic's LAN. Here the "other PC" is Chromium reaching the desk at a
 * second loopback address under the desk's LAN name; a name the desk was not given is refused.
 */
test("a PC without Electron uses another desk over the LAN by that desk's name; any other name is refused", async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'kezek-e2e-lan-'));
  const port = await closedPort();
  const desk = tsx('src-main/cli/start.ts', ['--browser', '--demo', '--data-dir', dir, '--port', String(port), '--host', '0.0.0.0', '--lan-name', 'registratura-1.lan', '--clock-start', CLOCK]);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      // The clinic's DNS, as the old PC sees it: the desk's name, and a name that is not the desk's, both at the desk's address.
      '--host-resolver-rules=MAP registratura-1.lan 127.0.0.2, MAP evil.example 127.0.0.2',
    ],
  });
  try {
    await desk.waitFor(/open (http:\/\/127\.0\.0\.1:\d+)/);
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`http://registratura-1.lan:${port}/`);
    await page.getByLabel(/Пользователь/).fill('registrar');
    await page.getByLabel(/Пароль/).fill('kezek');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('patient-search')).toBeFocused();
    await page.screenshot({ path: 'test-results/screens/20-old-pc-over-lan.png' });
    const other = await browser.newPage();
    const refused = await other.goto(`http://evil.example:${port}/`);
    expect(refused?.status()).toBe(403);
  } finally {
    await browser.close();
    await desk.kill();
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.ticket-mark`, { force: true });
  }
});
