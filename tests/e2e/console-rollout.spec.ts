import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kzClinicFile } from '../support/kz-clinic.js';
import { buildRelease, installerBytes } from '../support/releases.js';
import { startClinic } from './clinic.js';
import { tsx, type Proc } from './processes.js';

const CLOCK = '2026-11-23T02:30:00Z'; // Monday 08:30 in Bishkek

/**
 * Issue 24 finding 5: the rollout from the console, not the server's command line. Two releases, the second published
 * in the console from the server's incoming folder; the installer of two regions opens their windows, pauses and rolls
 * back in the browser — and a PC of each region is told
 * the version its region's window gives it (the update feed, asked as a desk asks it, with what the PC runs).
 */
test('an installer publishes a release, opens two regions’ windows, pauses and rolls back from the console; each region’s PCs are told the right version (issue 24 finding 5)', async ({ page }) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-rollout-'));
  const procs: Proc[] = [];
  try {
    // A second region on the server: an Almaty polyclinic, imported before the server starts (the embedded database is one process's).
    writeFileSync(join(root, 'kz.json'), JSON.stringify(kzClinicFile()));
    expect(await tsx('sync-server/main.ts', ['import', join(root, 'kz.json')], { KEZEK_SERVER_DATA: join(root, 'server'), KEZEK_CLOCK_START: CLOCK }).done()).toBe(0);
    const { serverUrl, serverEnv } = await startClinic(root, CLOCK, [], procs);
    const cli = async (args: string[], env: Record<string, string> = {}) => {
      const p = tsx('sync-server/main.ts', args, { ...serverEnv, ...env });
      expect(await p.done()).toBe(0);
      return p.out;
    };
    // 1.1.0 published from the command line; 1.2.0 copied to the server's incoming folder, to be published in the console.
    await cli(['publish-release', (await buildRelease(join(root, 'builds'), '1.1.0', installerBytes(1, 256 * 1024))).dir]);
    await buildRelease(join(root, 'server', 'releases', 'incoming'), '1.2.0', installerBytes(2, 256 * 1024));
    await cli(['add-installer', 'aibek.it', 'kg-bishkek,kz-almaty'], { KEZEK_PASSWORD: 'installer-pass-1' });
    // A PC in each region, enrolled as a desk enrolls (its token is what the feed knows it by).
    const pcIn = async (orgId: string) => {
      const code = (await cli(['enroll-code', orgId])).match(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/)![0];
      const res = await fetch(`${serverUrl}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: `ПК ${orgId}` }) });
      return ((await res.json()) as { token: string }).token;
    };
    const bishkek = await pcIn('org-bishkek-lenin');
    const almaty = await pcIn('alm-1');
    /** The version the feed tells a PC running `runs` (none: nothing open for it). */
    const told = async (token: string, runs: string) => {
      const res = await fetch(`${serverUrl}/updates/win/latest.yml`, { headers: { authorization: `Bearer ${token}`, 'x-kezek-version': runs, 'x-kezek-os': '10.0.19045' } });
      return res.status === 404 ? 'none' : /^version: (.+)$/m.exec(await res.text())![1];
    };
    expect(await told(bishkek, '1.0.0')).toBe('none');

    await page.goto(`${serverUrl}/console`);
    await page.getByLabel('Имя').fill('aibek.it');
    await page.getByLabel('Пароль').fill('installer-pass-1');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect(page.getByTestId('incoming')).toContainText('1.2.0');
    await page.getByTestId('publish-win-1.2.0').click();
    await expect(page.getByTestId('incoming-none')).toBeVisible();
    const windowOf = (v: string) => page.getByTestId(`window-win-${v}`);
    const open = async (v: string, from: string, extra: { closesOn?: string; perDay?: string } = {}) => {
      await windowOf(v).getByTestId('opens-on').fill(from);
      await windowOf(v)
        .getByTestId('closes-on')
        .fill(extra.closesOn ?? '');
      await windowOf(v)
        .getByTestId('per-day')
        .fill(extra.perDay ?? '');
      await windowOf(v).getByTestId('save-window').click();
    };

    // Bishkek: 1.1.0 since last week, 1.2.0 from today.
    await page.getByRole('link', { name: 'г. Бишкек' }).click();
    await open('1.1.0', '16.11.2026');
    await open('1.2.0', '23.11.2026');
    await expect(page.getByTestId('release-win-1.2.0')).toContainText('с 23.11.2026');
    expect(await told(bishkek, '1.0.0')).toBe('1.2.0');
    // A window that ends before it begins is refused in words, and changes nothing.
    await open('1.2.0', '23.11.2026', { closesOn: '20.11.2026' });
    await expect(page.getByTestId('console-error')).toContainText('Конец окна раньше начала');
    expect(await told(bishkek, '1.0.0')).toBe('1.2.0');

    // Almaty: 1.1.0 only.
    await page.getByRole('link', { name: 'Регионы' }).click();
    await page.getByRole('link', { name: 'Алматы' }).click();
    await open('1.1.0', '23.11.2026');
    expect(await told(almaty, '1.0.0')).toBe('1.1.0');

    // Bishkek pauses 1.2.0: PCs on 1.1.0 stay; PCs already on 1.2.0 keep it. Then rolls it back: those get 1.1.0.
    await page.getByRole('link', { name: 'Регионы' }).click();
    await page.getByRole('link', { name: 'г. Бишкек' }).click();
    page.on('dialog', (d) => void d.accept());
    await page.getByTestId('pause-win-1.2.0').click();
    await expect(page.getByTestId('state-win-1.2.0')).toContainText('приостановлено');
    expect(await told(bishkek, '1.1.0')).toBe('1.1.0');
    expect(await told(bishkek, '1.2.0')).toBe('1.2.0');
    await page.getByTestId('rollback-win-1.2.0').click();
    await expect(page.getByTestId('state-win-1.2.0')).toContainText('откачено');
    expect(await told(bishkek, '1.2.0')).toBe('1.1.0');
    // Almaty's PCs are not touched by Bishkek's decisions.
    expect(await told(almaty, '1.1.0')).toBe('1.1.0');
    await expect(page.getByTestId('rollout-log')).toContainText('откат');
    await expect(page.getByTestId('rollout-log')).toContainText('ПК с 1.2.0 получат 1.1.0');
    await expect(page.getByTestId('rollout-log')).toContainText('aibek.it');
    await expect(page.getByTestId('rollout-log')).toContainText('опубликован');
    await page.screenshot({ path: 'test-results/screens/24-5-rollout-board.png', fullPage: true });
  } finally {
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
