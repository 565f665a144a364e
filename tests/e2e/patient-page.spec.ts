import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDeskPage, readDesk, startClinic } from './clinic.js';
import { enterThroughBooking, scan } from './helpers.js';
import { type Proc, tsx } from './processes.js';
import { closedPort } from '../support/virtual-printer.js';
import { cutLink } from '../support/cut-link.js';
import { ruClinicFile } from '../support/ru-clinic.js';
import { KZ_PATIENT, kzClinicFile } from '../support/kz-clinic.js';

const CLOCK = '2026-11-23T02:30:00Z'; // Monday 08:30 in Bishkek

/** axe-core on the page as it stands: no serious or critical accessibility violation (WCAG 2 A/AA rules). */
async function accessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
}

/**
 * Issue 20, the patient's page (KG: PIN and the phone the clinic has, P2): on a cheap phone's screen, a patient finds
 * their attachment, books their family doctor's time (P1), gets the ticket; a desk gets the booking and checks the
 * patient in by scanning that ticket; a wrong phone and an unknown PIN get one and the same answer.
 */
test('KG: PIN and phone → the family doctor’s time → the ticket; the desk has it and checks the patient in by its barcode (P1, P2, P3, R18)', async ({ browser }) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-patient-'));
  const procs: Proc[] = [];
  let closeLink = async (): Promise<void> => undefined;
  try {
    // Desk B reaches the server through a link the test cuts: it is offline while the patient books.
    const links: Array<Awaited<ReturnType<typeof cutLink>>> = [];
    const clinic = await startClinic(root, CLOCK, ['A', 'B'], procs, {
      serverFor: async (name, url) => {
        if (name !== 'B') return url;
        links.push(await cutLink({ host: '127.0.0.1', port: Number(new URL(url).port) }));
        return links[0]!.url;
      },
    });
    const link = links[0]!;
    closeLink = () => link.close();
    const [desk, offline] = clinic.desks;
    const registrarB = await openDeskPage(browser, offline!);
    link.cut();
    await expect(registrarB.getByTestId('sync-state')).toContainText('Нет связи', { timeout: 60_000 });
    const p = readDesk(desk!.dir, (db) =>
      db
        .prepare(
          `SELECT national_id AS pin, phone, full_name AS name FROM patients p WHERE attached_org_id = 'org-bishkek-lenin' AND attached_doctor_id IS NOT NULL AND phone != ''
            AND priority = 0 AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id) ORDER BY id LIMIT 1 OFFSET 77`,
        )
        .get(),
    ) as { pin: string; phone: string; name: string };

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' })).newPage();
    await phone.goto(`${clinic.serverUrl}/p`);
    // No such PIN, and the right PIN with another phone: the same words, nothing about who is registered.
    const tryWith = async (pin: string, tel: string) => {
      await phone.getByLabel('ПИН').fill(pin);
      await phone.getByLabel('Телефон').fill(tel);
      await phone.getByRole('button', { name: 'Войти' }).click();
    };
    await tryWith('21111199911111', p.phone);
    const unknown = await phone.getByRole('alert').textContent();
    await tryWith(p.pin, '+996 700 000 000');
    expect(await phone.getByRole('alert').textContent()).toBe(unknown);
    await phone.screenshot({ path: 'test-results/screens/40-patient-sign-in.png' });
    await accessible(phone);

    await tryWith(p.pin, p.phone.replace(/\s/g, ''));
    await expect(phone.getByTestId('attachment')).toContainText('Прикреплён(а): ОЦСМ Ленинского района г. Бишкек');
    await expect(phone.getByTestId('attachment')).toContainText('Телефон регистратуры');
    await phone.screenshot({ path: 'test-results/screens/41-patient-home-phone.png', fullPage: true });
    await accessible(phone);
    // KG: the family doctor's times only (P1), narrow specialists through the registry.
    await expect(phone.getByTestId('entries').locator('li')).toHaveCount(1);
    await phone.getByTestId('entries').locator('a').first().click();
    await phone.getByTestId('days').locator('a').first().click();
    await phone.getByTestId('times').getByRole('button').first().click();
    await expect(phone.getByText('Это время держится за вами до')).toBeVisible();
    await phone.getByRole('button', { name: 'Записаться' }).click();
    const code = (await phone.getByTestId('ticket-code').textContent())!.trim();
    await expect(phone.getByTestId('ticket')).toContainText('Очередь');
    await phone.screenshot({ path: 'test-results/screens/42-patient-ticket-phone.png', fullPage: true });
    await accessible(phone);

    // The desk receives it (channel internet) and checks the patient in by the ticket's barcode.
    await expect
      .poll(() => readDesk(desk!.dir, (db) => db.prepare('SELECT channel, sync_state AS st FROM appointments WHERE ticket_code = ?').get(code)), { timeout: 30_000 })
      .toEqual({ channel: 'internet', st: 'confirmed' });
    const registrar = await openDeskPage(browser, desk!);
    await registrar.locator('body').click();
    await scan(registrar, code);
    await expect(registrar.getByTestId('notice')).toContainText('Отмечен приход по талону');
    // Today's list (F2) says it was booked through the internet.
    await registrar.keyboard.press('F2');
    await expect(registrar.getByTestId('today-list').locator('tr', { hasText: p.pin })).toContainText('интернет');

    // Desk B was offline all along: the ticket is not on it yet, and it says so.
    await registrarB.locator('body').click();
    await scan(registrarB, code);
    await expect(registrarB.getByTestId('notice')).toContainText(`Талона ${code} нет на этом ПК`);
    await registrarB.screenshot({ path: 'test-results/screens/45-offline-desk-unknown-ticket.png' });
    // Its link comes back: the booking arrives, checked in already at desk A, and on its today's list with the channel.
    link.restore();
    await expect(registrarB.getByTestId('sync-state')).toContainText('В сети', { timeout: 60_000 });
    await expect
      .poll(() => readDesk(offline!.dir, (db) => db.prepare('SELECT channel, status FROM appointments WHERE ticket_code = ?').get(code)), { timeout: 60_000 })
      .toEqual({ channel: 'internet', status: 'arrived' });
    await registrarB.keyboard.press('F2');
    await expect(registrarB.getByTestId('today-list').locator('tr', { hasText: p.pin })).toContainText('интернет');

    // On a desktop the same page, wider; the booking is listed and can be cancelled («Отказаться», P3).
    const desktop = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' })).newPage();
    await desktop.goto(`${clinic.serverUrl}/p`);
    await desktop.getByLabel('ПИН').fill(p.pin);
    await desktop.getByLabel('Телефон').fill(p.phone);
    await desktop.getByRole('button', { name: 'Войти' }).click();
    await expect(desktop.getByTestId('attachment')).toBeVisible();
    await desktop.screenshot({ path: 'test-results/screens/43-patient-home-desktop.png', fullPage: true });
  } finally {
    for (const c of browser.contexts()) await c.close();
    for (const p of procs) await p.kill();
    await closeLink();
    rmSync(root, { recursive: true, force: true });
  }
});

/**
 * RU (Moscow Oblast, P4–P5): the policy number and the birth date; a patient who has not yet been to the clinic is
 * told the first visit goes through the registry and offered nothing online. The registrar books that first visit
 * and checks the patient in; then the page offers the specialties, and the patient books the next visit — on a
 * phone and on a desktop.
 */
test('RU: policy and birth date; the first visit goes through the registry, then the patient books online (P4, P5)', async ({ browser }) => {
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-patient-ru-'));
  const procs: Proc[] = [];
  try {
    const clinic = await startClinic(root, CLOCK, ['A'], procs, { clinic: { file: ruClinicFile(), orgId: 'mo-1' } });
    const [desk] = clinic.desks;
    const signIn = async (page: Page) => {
      await page.goto(`${clinic.serverUrl}/p`);
      await page.getByLabel('Номер полиса ОМС').fill('5000 0000 0000 0001');
      await page.getByLabel('Дата рождения').fill('1980-05-04');
      await page.getByRole('button', { name: 'Войти' }).click();
      await expect(page.getByTestId('attachment')).toContainText('Химкинская поликлиника №1');
    };
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' })).newPage();
    await signIn(phone);
    await expect(phone.getByText('Первый приём — через регистратуру')).toBeVisible();
    await expect(phone.getByTestId('entries').locator('li')).toHaveCount(0);
    await phone.screenshot({ path: 'test-results/screens/44-patient-home-ru.png', fullPage: true });
    await accessible(phone);

    // At the registry: today's visit booked by the registrar and the patient checked in.
    const registrar = await openDeskPage(browser, desk!);
    await registrar.getByTestId('patient-search').fill('5000000000000001');
    await enterThroughBooking(registrar);
    await expect(registrar.getByTestId('ticket')).toBeVisible();
    await registrar.getByTestId('upcoming').locator('li').first().getByRole('button', { name: 'Пришёл' }).click();
    await expect.poll(() => readDesk(desk!.dir, (db) => db.prepare("SELECT sync_state AS st FROM appointments WHERE status = 'arrived'").get()), { timeout: 30_000 }).toEqual({ st: 'confirmed' });

    // Now the page opens online booking: the specialty, a day, a time, the ticket.
    await expect
      .poll(
        async () => {
          await phone.reload();
          return phone.getByTestId('entries').locator('li').count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await phone.getByTestId('entries').locator('a').first().click();
    await phone.getByTestId('days').locator('a').nth(1).click();
    await phone.getByTestId('times').getByRole('button').first().click();
    await phone.getByRole('button', { name: 'Записаться' }).click();
    await expect(phone.getByTestId('ticket-code')).toHaveText(/\S+/);
    await phone.screenshot({ path: 'test-results/screens/50-patient-ru-ticket-phone.png', fullPage: true });
    await accessible(phone);
    const desktop = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU', storageState: await phone.context().storageState() })).newPage();
    await desktop.goto(`${clinic.serverUrl}/p/home`);
    await expect(desktop.getByTestId('bookings').locator('li')).toHaveCount(1);
    await desktop.screenshot({ path: 'test-results/screens/51-patient-ru-home-desktop.png', fullPage: true });
  } finally {
    for (const c of browser.contexts()) await c.close();
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});

/**
 * KZ (Almaty, P8: IIN and a one-time SMS code): the code goes to the registered phone through the server's outbox
 * (here its NDJSON sink, read back as the phone would show it), the patient signs in with it in Kazakh, books the
 * family doctor and gets the ticket — on a phone and on a desktop.
 */
test('KZ: IIN and the SMS code read from the sink → a time → the ticket, in Kazakh (P8)', async ({ browser }) => {
  test.setTimeout(120_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-patient-kz-'));
  const procs: Proc[] = [];
  try {
    writeFileSync(join(root, 'kz.json'), JSON.stringify(kzClinicFile()));
    const sms = join(root, 'sms.ndjson');
    const env = { KEZEK_SERVER_DATA: join(root, 'server'), KEZEK_CLOCK_START: CLOCK, KEZEK_SMS: 'file', KEZEK_SMS_FILE: sms, KEZEK_MESSAGES_INTERVAL_MS: '200' };
    expect(await tsx('sync-server/main.ts', ['import', join(root, 'kz.json')], env).done()).toBe(0);
    const port = await closedPort();
    const server = tsx('sync-server/main.ts', ['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
    procs.push(server);
    await server.waitFor(/sync server listening/);
    const sent = () => (existsSync(sms) ? readFileSync(sms, 'utf8').trim().split('\n') : []).map((l) => JSON.parse(l) as { to: string; text: string });

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'kk-KZ' })).newPage();
    await phone.goto(`http://127.0.0.1:${port}/p?lang=kk`);
    await phone.getByLabel('ЖСН (12 сан)').fill(KZ_PATIENT.iin);
    await phone.getByRole('button', { name: 'Кіру' }).click();
    await expect(phone.getByRole('textbox', { name: /SMS/ })).toBeVisible();
    await phone.screenshot({ path: 'test-results/screens/46-patient-kz-code.png' });
    await accessible(phone);
    await expect.poll(() => sent().length, { timeout: 20_000 }).toBe(1);
    expect(sent()[0]!.to).toBe('+77011234567');
    await phone.getByRole('textbox', { name: /SMS/ }).fill(/(\d{6})/.exec(sent()[0]!.text)![1]!);
    await phone.getByRole('button', { name: 'Кіру' }).click();
    await expect(phone.getByTestId('attachment')).toContainText('Городская поликлиника №1');
    await phone.screenshot({ path: 'test-results/screens/47-patient-kz-home-phone.png', fullPage: true });
    await accessible(phone);
    await phone.getByTestId('entries').locator('a').first().click();
    await phone.getByTestId('days').locator('a').first().click();
    await phone.getByTestId('times').getByRole('button').first().click();
    await phone.getByRole('button', { name: 'Жазылу' }).click();
    await expect(phone.getByTestId('ticket-code')).toHaveText(/\S+/);
    await phone.screenshot({ path: 'test-results/screens/48-patient-kz-ticket-phone.png', fullPage: true });
    await accessible(phone);
    // The same patient's session on a desktop: the booking listed, the ticket wider.
    const desktop = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'kk-KZ', storageState: await phone.context().storageState() })).newPage();
    await desktop.goto(`http://127.0.0.1:${port}/p/home`);
    await expect(desktop.getByTestId('bookings').locator('li')).toHaveCount(1);
    await desktop.screenshot({ path: 'test-results/screens/49-patient-kz-home-desktop.png', fullPage: true });
  } finally {
    for (const c of browser.contexts()) await c.close();
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
