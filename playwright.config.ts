import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';

/** Monday 08:30 in Bishkek: a working day with free slots today, whatever day the suite runs on. */
export const E2E_CLOCK = '2026-11-23T02:30:00Z';
/**
 * The demo desk's port: a free one, chosen once by the runner and inherited by its workers (the config is read in
 * both), so a second `npm test` on the same machine — another clone, a CI job beside a developer — does not collide.
 */
process.env.KEZEK_E2E_PORT ??= execFileSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"], {
  encoding: 'utf8',
}).trim();
const PORT = Number(process.env.KEZEK_E2E_PORT);
/**
 * The browser's locale: Russian, as main.ts starts Electron's Chromium. `KEZEK_E2E_LOCALE=en-US npx playwright test`
 * runs the whole suite in an English Chromium: the desk's dates, times and messages must not change (issue 23 finding 10).
 */
const LOCALE = process.env.KEZEK_E2E_LOCALE ?? 'ru-RU';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1366, height: 768 },
    // As the Electron desk runs Chromium (main.ts: --lang=ru): date fields read dd.mm.yyyy (Debian's Chromium needs chromium-l10n for it).
    locale: LOCALE,
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download is not reachable from these machines.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // On Linux Chromium takes its locale from the environment, not from --lang.
      env: { ...process.env, LANGUAGE: LOCALE.slice(0, 2) },
      args: ['--headless', `--lang=${LOCALE}`, '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    },
  },
  webServer: {
    command: `rm -rf test-results/e2e-desk && tsx src-main/cli/start.ts --browser --demo --data-dir test-results/e2e-desk --port ${PORT} --clock-start ${E2E_CLOCK}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
