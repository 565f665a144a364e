import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, VirtualPrinter } from '../support/virtual-printer.js';
import { enterThroughBooking, scan } from './helpers.js';
import { tsx, type Proc } from './processes.js';
import { openDeskPage, readDesk, startClinic } from './clinic.js';

const CLOCK = '2026-11-23T02:30:00Z'; // Monday 08:30 in Bishkek

test('the hall’s kiosk (issue 21): with the sync server stopped a patient scans a ticket and checks in and reprints, another types the PIN and books; a patient blocked for no-shows is refused there and booked at the desk; the bookings reach the server and the registry', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-kiosk-'));
  const procs: Proc[] = [];
  const printer = await new VirtualPrinter().start();
  try {
    const clinic = await startClinic(root, CLOCK, ['A'], procs);
    const registry = clinic.desks[0]!;
    const [p1, p2, p3] = readDesk(registry.dir, (db) =>
      db.prepare("SELECT id, national_id AS pin FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 3 OFFSET 211").all(),
    ) as { id: string; pin: string }[];
    // p1 booked today at the registry (a phone call yesterday), before the outage.
    const desk = await openDeskPage(browser, registry);
    await desk.getByTestId('patient-search').fill(p1!.pin);
    await enterThroughBooking(desk);
    await expect(desk.getByTestId('booked')).toContainText('23.11.2026');
    const ticketCode = (await desk.getByTestId('ticket-barcode').getAttribute('data-code'))!;
    await desk.keyboard.press('Escape');

    // The kiosk PC: enrolled with a kiosk's code, in browser mode (the Electron window is the same page, full screen).
    const code = await tsx('sync-server/main.ts', ['enroll-code', 'org-bishkek-lenin', '--kiosk'], clinic.serverEnv);
    expect(await code.done()).toBe(0);
    const kioskDir = join(root, 'kiosk');
    const kioskPort = await closedPort();
    const kioskProc = tsx(
      'src-main/cli/start.ts',
      [
        '--browser',
        '--kiosk',
        '--data-dir',
        kioskDir,
        '--port',
        String(kioskPort),
        '--clock-start',
        CLOCK,
        '--hall-desk',
        registry.url,
        '--server',
        clinic.serverUrl,
        '--enroll-code',
        code.out.match(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/)![0],
        '--device-name',
        'Инфомат',
      ],
      { KEZEK_PASSWORD: 'desk-pass' },
    );
    procs.push(kioskProc);
    await kioskProc.waitFor(/open (http:\/\/127\.0\.0\.1:\d+)/);
    await expect.poll(() => readDesk(kioskDir, (db) => db.prepare('SELECT count(*) AS n FROM leases').get()), { timeout: 30_000 }).not.toEqual({ n: 0 });
    await expect.poll(() => readDesk(kioskDir, (db) => db.prepare('SELECT count(*) AS n FROM appointments WHERE ticket_code = ?').get(ticketCode)), { timeout: 30_000 }).toEqual({ n: 1 });

    const kiosk: Page = await (await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'ru-RU', hasTouch: true })).newPage();
    await kiosk.goto(`http://127.0.0.1:${kioskPort}/`);
    await expect(kiosk.getByTestId('kiosk')).toBeVisible();
    await kiosk.screenshot({ path: 'test-results/screens/21-kiosk-start.png' });

    // The administrator's way out (hold the clinic's name), to set up the kiosk's own printer, and back.
    const admin = kiosk.getByTestId('kiosk-admin');
    const box = (await admin.boundingBox())!;
    await kiosk.mouse.move(box.x + 5, box.y + 5);
    await kiosk.mouse.down();
    await expect(kiosk.getByLabel('Пользователь')).toBeVisible({ timeout: 10_000 });
    await kiosk.mouse.up();
    await kiosk.getByLabel('Пользователь').fill('admin');
    await kiosk.getByLabel('Пароль').fill('desk-pass');
    await kiosk.keyboard.press('Enter');
    await kiosk.keyboard.press('F4');
    const form = kiosk.getByTestId('printer-settings');
    await form.locator('select[name=profile]').selectOption('epson-80');
    await form.locator('select[name=connection]').selectOption('tcp');
    await form.locator('input[name=host]').fill('127.0.0.1');
    await form.locator('input[name=port]').fill(String(printer.port));
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await expect(kiosk.getByTestId('printer-state')).toContainText(`127.0.0.1:${printer.port}`);
    await expect(kiosk.getByTestId('kiosk-exit')).toBeVisible();
    await kiosk.getByRole('button', { name: 'Выйти' }).click();
    await expect(kiosk.getByTestId('kiosk')).toBeVisible();

    // The registry's desk knows the kiosk's key (for its calls for the registrar over the LAN).
    await expect.poll(() => readDesk(registry.dir, (db) => db.prepare('SELECT count(*) AS n FROM signers').get()), { timeout: 30_000 }).toEqual({ n: 1 });
    // The internet is gone.
    await clinic.server.kill();

    // p1 scans the ticket: checked in, and a second ticket printed.
    await scan(kiosk, ticketCode);
    await expect(kiosk.getByTestId('kiosk-patient')).toBeVisible();
    await kiosk.getByTestId('kiosk-check-in').click();
    await expect(kiosk.getByTestId('kiosk-said')).toContainText('Вы отмечены');
    await kiosk.getByTestId('kiosk-reprint').click();
    await expect.poll(() => printer.jobs.length).toBe(1);
    await kiosk.screenshot({ path: 'test-results/screens/21-kiosk-checked-in.png' });
    // "Call the registrar": on the registry's call list at once, over the LAN.
    await kiosk.getByTestId('kiosk-help').click();
    await expect(kiosk.getByTestId('kiosk-help-said')).toContainText('Регистратор сейчас подойдёт');
    await desk.keyboard.press('F5');
    await expect(desk.getByTestId('call-list')).toContainText('Пациент у инфомата просит помощи');
    await desk.getByTestId('helped').click();
    await expect(desk.getByTestId('call-list')).not.toContainText('Пациент у инфомата просит помощи');
    await desk.keyboard.press('F1');
    await kiosk.getByTestId('kiosk-finish').click();
    await expect(kiosk.getByTestId('kiosk-type-id')).toBeVisible();

    // p2 types the PIN on the keypad and books the earliest family-doctor time; the ticket prints.
    await kiosk.getByTestId('kiosk-type-id').click();
    for (const d of p2!.pin) await kiosk.getByTestId('kiosk-keypad').getByRole('button', { name: d, exact: true }).click();
    await kiosk.getByTestId('kiosk-keypad-ok').click();
    await kiosk.getByTestId('kiosk-book').click();
    await kiosk.getByTestId('kiosk-specialty').filter({ hasText: 'Семейный врач' }).click();
    await kiosk.getByTestId('kiosk-time').first().click();
    await expect(kiosk.getByTestId('kiosk-booked')).toBeVisible();
    await expect.poll(() => printer.jobs.length).toBe(2);
    await kiosk.screenshot({ path: 'test-results/screens/21-kiosk-booked.png' });
    await kiosk.setViewportSize({ width: 1366, height: 768 });
    await kiosk.screenshot({ path: 'test-results/screens/21-kiosk-booked-1366.png' });
    const kioskBooking = readDesk(kioskDir, (db) => db.prepare("SELECT id, mode FROM appointments WHERE patient_id = ? AND channel = 'kiosk'").get(p2!.id)) as { id: string; mode: string };
    expect(kioskBooking.mode).toBe('guaranteed');
    await kiosk.getByTestId('kiosk-finish').click();

    // p3 missed three visits in a row this month (R10): the kiosk says so and offers no booking.
    const db = new Database(join(kioskDir, 'kezek.sqlite'));
    for (const [i, day] of ['2026-11-16', '2026-11-18', '2026-11-20'].entries()) {
      db.prepare(
        `INSERT INTO appointments (id, org_id, patient_id, slot_id, doctor_id, specialty_id, date, time, start_utc, status, channel, ticket_code, queue_number, live_queue, created_at, updated_at, created_by, device_id, sync_state, mode, visit_reason)
         SELECT 'missed-${i}', 'org-bishkek-lenin', ?, doctor_id || '@${day}T08:00', doctor_id, specialty_id, '${day}', '08:00', ?, 'noshow', 'registry', 'MISS00${i}', 1, 0, 0, 0, 'u', 'd', 'confirmed', 'online', 'illness' FROM slots LIMIT 1`,
      ).run(p3!.id, Date.parse(`${day}T02:00:00Z`));
    }
    db.close();
    await kiosk.getByTestId('kiosk-type-id').click();
    for (const d of p3!.pin) await kiosk.getByTestId('kiosk-keypad').getByRole('button', { name: d, exact: true }).click();
    await kiosk.getByTestId('kiosk-keypad-ok').click();
    await expect(kiosk.getByTestId('kiosk-blocked')).toContainText('за неявки');
    await expect(kiosk.getByTestId('kiosk-book')).toHaveCount(0);
    await kiosk.screenshot({ path: 'test-results/screens/21-kiosk-blocked.png' });
    // In Kyrgyz, as the patient switches it.
    await kiosk.getByRole('button', { name: 'КЫР' }).click();
    await expect(kiosk.getByTestId('kiosk-blocked')).toContainText('Инфомат аркылуу жазылуу');
    await kiosk.screenshot({ path: 'test-results/screens/21-kiosk-blocked-ky.png' });
    await kiosk.getByRole('button', { name: 'РУС' }).click();
    // A minute without a touch: the kiosk forgets the patient.
    await kiosk.clock.install();
    await kiosk.clock.fastForward(61_000);
    await expect(kiosk.getByTestId('kiosk-type-id')).toBeVisible();
    await expect(kiosk.getByTestId('kiosk-patient')).toHaveCount(0);
    // The registry books p3 all the same (R10 blocks only the electronic channels).
    await desk.getByTestId('patient-search').fill(p3!.pin);
    await enterThroughBooking(desk);
    await expect(desk.getByTestId('booked')).toBeVisible();

    // The server comes back: the kiosk's booking and check-in reach it and the registry's desk.
    await clinic.startServer();
    await expect
      .poll(() => readDesk(registry.dir, (d) => d.prepare('SELECT channel, sync_state AS st FROM appointments WHERE id = ?').get(kioskBooking.id)), { timeout: 60_000 })
      .toEqual({ channel: 'kiosk', st: 'confirmed' });
    await expect.poll(() => readDesk(registry.dir, (d) => d.prepare('SELECT status FROM appointments WHERE ticket_code = ?').get(ticketCode)), { timeout: 60_000 }).toEqual({ status: 'arrived' });
  } finally {
    for (const p of procs) await p.kill();
    await printer.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
