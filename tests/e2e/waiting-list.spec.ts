import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ATTACHED, deskRpc } from './helpers.js';
import type { Proc } from './processes.js';
import { openDeskPage, readDesk, startClinic } from './clinic.js';

const CLOCK = '2026-11-23T03:30:00Z'; // Monday 09:30 in Bishkek
const WEDNESDAY = '2026-11-25';

test('the waiting list (issue 21): no time left with the doctor, the registrar puts the patient on the list; a cancellation offers the time to them at once; their "yes" books it on the server', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const root = mkdtempSync(join(tmpdir(), 'kezek-e2e-wl-'));
  const procs: Proc[] = [];
  try {
    const clinic = await startClinic(root, CLOCK, ['A'], procs);
    const desk = clinic.desks[0]!;
    const rpc = deskRpc(desk.url);
    const token = (await rpc('auth.signIn', { username: 'registrar', password: 'desk-pass' })).token as string;
    const { doctorId, doctorName, specialty } = readDesk(desk.dir, (db) =>
      db
        .prepare(
          "SELECT d.id AS doctorId, d.full_name AS doctorName, s.name_ru AS specialty FROM doctors d JOIN specialties s ON s.id = d.specialty_id WHERE d.specialty_id = 'family' AND d.active = 1 ORDER BY d.id LIMIT 1",
        )
        .get(),
    ) as { doctorId: string; doctorName: string; specialty: string };
    const people = readDesk(desk.dir, (db) => db.prepare(`SELECT id, national_id AS pin FROM patients WHERE ${ATTACHED} ORDER BY id LIMIT 40 OFFSET 300`).all()) as { id: string; pin: string }[];
    // Wednesday with this doctor is full (booked over the phone earlier).
    let n = 1;
    for (const s of (await rpc('slots.day', { doctorId, date: WEDNESDAY }, token)) as Array<{ slotId: string; state: string; lease: string | null }>) {
      if (s.state === 'free' && s.lease !== 'other') await rpc('appointments.book', { patientId: people[n++]!.id, slotId: s.slotId, channel: 'phone' }, token);
    }

    const page = await openDeskPage(browser, desk);
    await page.getByTestId('patient-search').fill(people[0]!.pin);
    await page.keyboard.press('Enter');
    await page.getByTestId('patient-card').waitFor();
    await page.getByTestId('specialties').getByText(specialty, { exact: true }).click();
    await page.getByTestId('slot-grid').waitFor();
    await page.getByTestId('to-waiting-list').click();
    const form = page.getByTestId('waiting-form');
    await form.getByTestId('wl-doctor').selectOption(doctorId);
    await form.getByTestId('wl-from').fill(WEDNESDAY);
    await form.getByTestId('wl-to').fill(WEDNESDAY);
    await page.screenshot({ path: 'test-results/screens/21-waiting-add.png' });
    await page.getByRole('button', { name: 'Поставить в лист' }).click();
    await expect(page.getByText('в листе ожидания')).toBeVisible();

    await page.getByTestId('tab-waiting').click();
    const entry = page.getByTestId('waiting-entry').first();
    await expect(entry.getByTestId('wl-status')).toHaveText('Ждёт');
    // Reached the server: nothing on the desk waits to go up for it.
    await expect(entry).not.toContainText('ещё не на сервере', { timeout: 20_000 });

    // A patient of Wednesday phones to cancel (a time no desk holds a lease on): the server offers it to the first in line.
    const freed = readDesk(desk.dir, (db) =>
      db
        .prepare(
          "SELECT a.id, a.time FROM appointments a WHERE a.doctor_id = ? AND a.date = ? AND a.status = 'booked' AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.slot_id = a.slot_id) ORDER BY a.start_utc DESC LIMIT 1",
        )
        .get(doctorId, WEDNESDAY),
    ) as { id: string; time: string };
    await rpc('appointments.cancel', { appointmentId: freed.id, channel: 'phone' }, token);
    await expect(entry.getByTestId('wl-status')).toHaveText('Предложено время', { timeout: 30_000 });
    await expect(entry.getByTestId('wl-offer')).toContainText(`25.11.2026 ${freed.time}, ${doctorName}`);
    // The server sends SMS (its development sink, a file): the patient is told by SMS in the clinic's language (Kyrgyz), with the time, the doctor and until when.
    await expect(entry.getByTestId('wl-offer')).toContainText('отправлено SMS');
    await page.screenshot({ path: 'test-results/screens/21-waiting-offer.png' });
    const sms = join(clinic.serverEnv.KEZEK_SERVER_DATA, 'messages.ndjson');
    await expect.poll(() => (existsSync(sms) ? readFileSync(sms, 'utf8') : ''), { timeout: 30_000 }).toContain(`Убакыт бошоду: 25.11 ${freed.time}`);
    const text = readFileSync(sms, 'utf8')
      .split('\n')
      .find((l) => l.includes('Убакыт бошоду'))!;
    expect(JSON.parse(text).text).toMatch(/саат \d\d:\d\d чейин чалыңыз: \+996/);

    // The patient says yes: the server books the time for them.
    await page.getByTestId('wl-accept').click();
    await page.getByTestId('wl-all').check();
    await expect(page.getByTestId('waiting-entry').first().getByTestId('wl-status')).toHaveText('Записан', { timeout: 30_000 });
    await expect(page.getByTestId('wl-booking')).toContainText(`25.11.2026 ${freed.time}, ${doctorName}`);
    await page.screenshot({ path: 'test-results/screens/21-waiting-booked.png' });
    const booked = readDesk(desk.dir, (db) => db.prepare("SELECT patient_id AS p, time, sync_state AS st, ticket_code AS code FROM appointments WHERE id LIKE 'wl-%' AND status = 'booked'").get()) as {
      code: string;
    };
    expect(booked).toEqual({ p: people[0]!.id, time: freed.time, st: 'confirmed', code: expect.stringMatching(/^[A-Z0-9]{3}\d{6}$/) });
    // Booked from the waiting list (not at the window): confirmed to the patient by SMS, with the new ticket's number.
    await expect.poll(() => readFileSync(sms, 'utf8'), { timeout: 30_000 }).toMatch(new RegExp(`Сиз жазылдыңыз: 25\\.11 ${freed.time}.*Талон ${booked.code}`));

    // The head's report: the waiting list's table — one put on it, one got a time.
    const head = await openDeskPage(browser, desk, 'head');
    await head.getByTestId('tab-reports').click();
    // The section titled so (the requests table has a "Лист ожидания" column too since R15 counts it).
    const table = head.getByTestId('report').locator('section.report-table', { has: head.getByRole('heading', { name: 'Лист ожидания', exact: true }) });
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await expect(table.locator('tbody tr td').nth(2)).toHaveText('1');
    await table.scrollIntoViewIfNeeded();
    await head.screenshot({ path: 'test-results/screens/21-waiting-report.png' });

    // The offer answered on the patient's own page: a patient of this doctor is put on the list by phone; another
    // Wednesday time is cancelled; the patient opens the page on a phone, sees the time held and books it there.
    const own = readDesk(desk.dir, (db) =>
      db
        .prepare(
          `SELECT id, national_id AS pin, phone FROM patients p WHERE ${ATTACHED} AND attached_doctor_id = ? AND length(phone) > 5
            AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id) ORDER BY id LIMIT 1`,
        )
        .get(doctorId),
    ) as { id: string; pin: string; phone: string };
    await rpc('waiting.add', { patientId: own.id, specialtyId: 'family', doctorId, fromDate: WEDNESDAY, toDate: WEDNESDAY, part: 'any', channel: 'phone' }, token);
    await expect.poll(() => readDesk(desk.dir, (db) => db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get()), { timeout: 20_000 }).toEqual({ n: 0 });
    const second = readDesk(desk.dir, (db) =>
      db
        .prepare(
          "SELECT a.id, a.time FROM appointments a WHERE a.doctor_id = ? AND a.date = ? AND a.status = 'booked' AND a.id NOT LIKE 'wl-%' AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.slot_id = a.slot_id) ORDER BY a.start_utc LIMIT 1",
        )
        .get(doctorId, WEDNESDAY),
    ) as { id: string; time: string };
    await rpc('appointments.cancel', { appointmentId: second.id, channel: 'phone' }, token);
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' })).newPage();
    await phone.goto(`${clinic.serverUrl}/p`);
    await phone.getByLabel('ПИН').fill(own.pin);
    await phone.getByLabel('Телефон').fill(own.phone);
    await phone.getByRole('button', { name: 'Войти' }).click();
    await expect(async () => {
      await phone.goto(`${clinic.serverUrl}/p/home`);
      await expect(phone.getByTestId('waiting')).toContainText(`25.11.2026 ${second.time}`, { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await phone.screenshot({ path: 'test-results/screens/21-waiting-patient-page.png', fullPage: true });
    await phone.getByTestId('wait-accept').click();
    await expect(phone.getByTestId('notice')).toContainText('Вы записаны на предложенное время');
    await expect(phone.getByTestId('bookings')).toContainText(second.time);
  } finally {
    for (const p of procs) await p.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
