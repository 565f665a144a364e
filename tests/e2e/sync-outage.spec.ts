import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../support/virtual-printer.js';
import { enterThroughBooking } from './helpers.js';
import { tsx, type Proc } from './processes.js';

const CLOCK = '2026-11-23T02:30:00Z'; // Monday 08:30 in Bishkek, for the server and both desks

test('two desks lose the server, book the same doctor\'s morning, reconnect: nothing lost, no slot held twice, the loser is on the call list', async ({ browser }) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-sync-'));
  const procs: Proc[] = [];
  try {
    // A clinic on the server: the demo clinic exported from a demo desk and imported.
    expect(await tsx('src-main/cli/export-directory.ts', ['--data-dir', join(root, 'demo'), join(root, 'clinic.json')]).done()).toBe(0);
    const serverEnv = { KEZEK_SERVER_DATA: join(root, 'server'), KEZEK_CLOCK_START: CLOCK };
    expect(await tsx('sync-server/main.ts', ['import', join(root, 'clinic.json')], serverEnv).done()).toBe(0);
    const port = await closedPort();
    const startServer = async () => {
      const p = tsx('sync-server/main.ts', ['serve'], { ...serverEnv, PORT: String(port), HOST: '127.0.0.1' });
      procs.push(p);
      await p.waitFor(/sync server listening/);
      return p;
    };
    let server = await startServer();
    const code = async () => {
      const p = tsx('sync-server/main.ts', ['enroll-code', 'org-bishkek-lenin'], serverEnv);
      await p.done();
      return p.out.match(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/)![0];
    };
    // PGlite takes one process at a time: stop the server while the codes are made.
    await server.kill();
    const codes = [await code(), await code()];
    server = await startServer();

    const desks = await Promise.all(['A', 'B'].map(async (name, i) => {
      const dir = join(root, `desk-${name}`);
      const deskPort = await closedPort();
      const p = tsx('src-main/cli/start.ts', ['--browser', '--data-dir', dir, '--port', String(deskPort), '--clock-start', CLOCK,
        '--server', `http://127.0.0.1:${port}`, '--enroll-code', codes[i]!, '--password', 'desk-pass', '--device-name', `Регистратура ${name}`]);
      procs.push(p);
      await p.waitFor(/open (http:\/\/127\.0\.0\.1:\d+)/);
      return { name, dir, url: `http://127.0.0.1:${deskPort}` };
    }));

    // Two patients of the same family doctor: each desk's first offer is that doctor's first free slot.
    const db = new Database(join(desks[0]!.dir, 'kezek.sqlite'), { readonly: true });
    const [p1, p2] = db.prepare(`SELECT national_id AS pin, full_name AS name FROM patients WHERE attached_doctor_id = (SELECT attached_doctor_id FROM patients
      WHERE attached_org_id = 'org-bishkek-lenin' GROUP BY attached_doctor_id ORDER BY count(*) DESC LIMIT 1) AND priority = 0 ORDER BY id LIMIT 2`).all() as Array<{ pin: string; name: string }>;
    db.close();

    const pages: Page[] = [];
    for (const d of desks) {
      const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
      await page.goto(d.url);
      await page.getByLabel('Пользователь').fill('registrar');
      await page.getByLabel('Пароль').fill('desk-pass');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('sync-state')).toContainText('В сети', { timeout: 20_000 });
      pages.push(page);
    }

    // The internet goes down.
    await server.kill();
    for (const page of pages) await expect(page.getByTestId('sync-state')).toContainText('Нет связи', { timeout: 30_000 });
    const booked: string[] = [];
    for (const [i, page] of pages.entries()) {
      await page.getByTestId('patient-search').fill([p1, p2][i]!.pin);
      await enterThroughBooking(page);
      await expect(page.getByTestId('ticket')).toBeVisible();
      booked.push((await page.getByTestId('booked').textContent())!);
      await expect(page.getByTestId('sync-state')).toContainText('к отправке: 1');
    }
    // Both desks gave the same time: each booked offline, alone.
    expect(booked[0]!.match(/\d\d\.\d\d\.\d{4} \d\d:\d\d/)![0]).toBe(booked[1]!.match(/\d\d\.\d\d\.\d{4} \d\d:\d\d/)![0]);
    await pages[1]!.screenshot({ path: 'test-results/screens/13-offline-booked.png' });

    // It comes back.
    server = await startServer();
    for (const page of pages) {
      await expect(page.getByTestId('sync-state')).toContainText('к отправке: 0', { timeout: 60_000 });
      await expect(page.getByTestId('sync-state')).toContainText('конфликты: 1', { timeout: 30_000 });
    }
    // The loser's booking is on the call list of every desk, with alternatives to offer.
    for (const page of pages) {
      await page.keyboard.press('F5');
      const list = page.getByTestId('call-list');
      await expect(list.locator('li')).toHaveCount(1, { timeout: 20_000 });
      await expect(list.getByRole('button', { name: /^Записать:/ }).first()).toBeVisible();
    }
    await pages[1]!.screenshot({ path: 'test-results/screens/14-call-list.png' });

    // Replicas: nothing lost (both bookings exist), no slot held by two confirmed bookings.
    for (const d of desks) {
      const r = new Database(join(d.dir, 'kezek.sqlite'), { readonly: true });
      const both = r.prepare(`SELECT p.full_name AS name, a.sync_state AS st FROM appointments a JOIN patients p ON p.id = a.patient_id
        WHERE p.national_id IN (?, ?) AND a.status = 'booked' ORDER BY a.sync_state`).all(p1!.pin, p2!.pin) as Array<{ name: string; st: string }>;
      expect(both.map((x) => x.st)).toEqual(['confirmed', 'conflict']);
      expect(r.prepare(`SELECT count(*) AS n FROM (SELECT slot_id FROM appointments WHERE status IN ('booked','arrived','fulfilled') AND sync_state != 'conflict' GROUP BY slot_id HAVING count(*) > 1)`).get()).toEqual({ n: 0 });
      r.close();
    }
  } finally {
    for (const c of browser.contexts()) await c.close();
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
