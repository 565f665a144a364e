import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enterThroughBooking } from './helpers.js';
import type { Proc } from './processes.js';
import { openDeskPage, startClinic } from './clinic.js';

const CLOCK = '2026-11-23T02:30:00Z'; // Monday 08:30 in Bishkek, for the server and both desks

test("two desks lose the server, book the same doctor's morning (a leased time guaranteed, pool times tentative), reconnect: nothing lost, no slot held twice, the loser is on the call list", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-sync-'));
  const procs: Proc[] = [];
  try {
    // Desk A first: it takes its leases (the whole desk share, being alone) before desk B exists.
    const clinic = await startClinic(root, CLOCK, ['A', 'B'], procs);
    const { startServer, desks } = clinic;
    let server = clinic.server;

    // Three patients of the same family doctor: the desks offer that doctor's first free times.
    const db = new Database(join(desks[0]!.dir, 'kezek.sqlite'), { readonly: true });
    const [p1, p2, p3] = db
      .prepare(`SELECT national_id AS pin, full_name AS name FROM patients WHERE attached_doctor_id = (SELECT attached_doctor_id FROM patients
      WHERE attached_org_id = 'org-bishkek-lenin' GROUP BY attached_doctor_id ORDER BY count(*) DESC LIMIT 1) AND priority = 0 ORDER BY id LIMIT 3`)
      .all() as Array<{ pin: string; name: string }>;
    db.close();

    const pages: Page[] = [];
    for (const d of desks) pages.push(await openDeskPage(browser, d));
    const [pageA, pageB] = pages as [Page, Page];
    const whenOf = (text: string) => text.match(/\d\d\.\d\d\.\d{4} (\d\d:\d\d)/)![1]!;

    // The internet goes down.
    await server.kill();
    for (const page of pages) await expect(page.getByTestId('sync-state')).toContainText('Нет связи', { timeout: 30_000 });
    // Desk A enrolled first and holds a lease on part of the doctor's times: its first offer is one of them — guaranteed.
    await pageA.getByTestId('patient-search').fill(p1!.pin);
    await enterThroughBooking(pageA);
    await expect(pageA.getByTestId('booked')).toHaveAttribute('data-mode', 'guaranteed');
    await expect(pageA.getByTestId('ticket-tentative')).toHaveCount(0);
    const guaranteedAt = whenOf((await pageA.getByTestId('booked').textContent())!);
    await expect(pageA.getByTestId('sync-state')).toContainText('к отправке: 1');
    await pageA.screenshot({ path: 'test-results/screens/13-offline-guaranteed.png' });
    await pageA.keyboard.press('Escape');
    // Desk B cannot take A's leased times; its first offer is from the common pool — tentative, and the ticket says so.
    await pageB.getByTestId('patient-search').fill(p2!.pin);
    await enterThroughBooking(pageB, undefined, async () => {
      // On B, A's leased times cannot be chosen.
      const reserved = pageB.getByTestId('day-slots').locator('[data-lease="other"]');
      await expect(reserved.first()).toBeDisabled();
      await pageB.screenshot({ path: 'test-results/screens/14a-picker-other-desk.png' });
    });
    await expect(pageB.getByTestId('booked')).toHaveAttribute('data-mode', 'tentative');
    await expect(pageB.getByTestId('ticket-tentative')).toBeVisible();
    const contested = whenOf((await pageB.getByTestId('booked').textContent())!);
    expect(contested).not.toBe(guaranteedAt);
    await expect(pageB.getByTestId('sync-state')).toContainText('к отправке: 1');
    await pageB.screenshot({ path: 'test-results/screens/14-offline-tentative.png' });
    // Desk A books that same pool time for another patient, tentatively too: one of the two must lose.
    await pageA.getByTestId('patient-search').fill(p3!.pin);
    await enterThroughBooking(pageA, contested, async () => {
      // A's own leased times carry the dot; none of them is B's (B holds none yet).
      await expect(pageA.getByTestId('day-slots').locator('[data-lease="mine"]').first()).toBeVisible();
      await pageA.screenshot({ path: 'test-results/screens/14b-picker-leases.png' });
    });
    await expect(pageA.getByTestId('booked')).toHaveAttribute('data-mode', 'tentative');
    await expect(pageA.getByTestId('sync-state')).toContainText('к отправке: 2');

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
      await expect(list.getByRole('button', { name: /Записать:/ }).first()).toBeVisible();
    }
    await pages[1]!.screenshot({ path: 'test-results/screens/15-call-list.png' });

    // Replicas: nothing lost (both bookings exist), no slot held by two confirmed bookings.
    for (const d of desks) {
      const r = new Database(join(d.dir, 'kezek.sqlite'), { readonly: true });
      const rows = r
        .prepare(`SELECT p.national_id AS pin, a.sync_state AS st FROM appointments a JOIN patients p ON p.id = a.patient_id
        WHERE p.national_id IN (?, ?, ?) AND a.status = 'booked'`)
        .all(p1!.pin, p2!.pin, p3!.pin) as Array<{ pin: string; st: string }>;
      const state = new Map(rows.map((x) => [x.pin, x.st]));
      // The guaranteed booking held; of the two tentative ones on one time, one won and the other is kept as a conflict.
      expect(state.get(p1!.pin)).toBe('confirmed');
      expect([state.get(p2!.pin), state.get(p3!.pin)].sort()).toEqual(['confirmed', 'conflict']);
      expect(
        r
          .prepare(`SELECT count(*) AS n FROM (SELECT slot_id FROM appointments WHERE status IN ('booked','arrived','fulfilled') AND sync_state != 'conflict' GROUP BY slot_id HAVING count(*) > 1)`)
          .get(),
      ).toEqual({ n: 0 });
      r.close();
    }

    // F5 (issue 9 finding 10): the patient agrees to another time — the lost booking moves there; the conflict clears on both desks.
    await pages[1]!
      .getByTestId('call-list')
      .getByRole('button', { name: /Записать:/ })
      .first()
      .click();
    for (const page of pages) {
      await expect(page.getByTestId('call-list').locator('li')).toHaveCount(0, { timeout: 30_000 });
      await expect(page.getByTestId('sync-state')).not.toContainText('конфликты', { timeout: 30_000 });
    }
    for (const d of desks) {
      const r = new Database(join(d.dir, 'kezek.sqlite'), { readonly: true });
      const open = r
        .prepare(`SELECT p.national_id AS pin, count(*) AS n FROM appointments a JOIN patients p ON p.id = a.patient_id
        WHERE p.national_id IN (?, ?) AND a.status = 'booked' GROUP BY p.national_id ORDER BY p.national_id`)
        .all(p2!.pin, p3!.pin) as Array<{ pin: string; n: number }>;
      expect(open.map((x) => x.n)).toEqual([1, 1]);
      r.close();
    }
  } finally {
    for (const c of browser.contexts()) await c.close();
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
