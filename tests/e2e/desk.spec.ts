import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { makeKgPin } from '../../src-shared/ids/kg-pin.js';
import { Actions, ATTACHED, busyPrefix, enterThroughBooking, pickPatient, signIn, UNATTACHED } from './helpers.js';

test.describe('registrar at the desk (browser mode, real services, real SQLite)', () => {
  test('books from a typed PIN in at most 6 keystrokes after the PIN, and shows the ticket (R19: desk service in minutes at most, 003 item 3; 004 §2.3)', async ({ page }) => {
    const p = pickPatient(ATTACHED);
    await signIn(page);
    await expect(page.getByTestId('patient-search')).toBeFocused();
    await page.keyboard.type(p.pin);
    const keys = new Actions(page);
    await keys.press('Enter'); // find the patient
    await expect(page.getByTestId('patient-card')).toContainText(p.name);
    await expect(page.getByTestId('attachment')).toContainText('Прикреплён');
    await page.screenshot({ path: 'test-results/screens/01-patient-card.png' });
    await keys.press('Enter'); // first specialty with free tickets (family doctor)
    await expect(page.getByTestId('slot-grid')).toBeFocused();
    await page.screenshot({ path: 'test-results/screens/02-grid.png' });
    await keys.press('Enter'); // earliest doctor-day with free tickets
    await expect(page.getByTestId('day-slots')).toBeFocused();
    await keys.press('Enter'); // first free time
    await expect(page.getByTestId('confirm')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/03-confirm.png' });
    await keys.press('Enter'); // confirm
    await expect(page.getByTestId('ticket')).toBeVisible();
    expect(keys.n).toBeLessThanOrEqual(6);
    await expect(page.getByTestId('booked')).toContainText(p.name);
    await expect(page.getByTestId('queue-number')).toHaveText(/^\d+$/);
    await expect(page.getByTestId('ticket-barcode')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
    await expect(page.getByTestId('ticket-form')).toContainText('заболевание'); // R14: child/adult and the reason, 004 App. 3
    await page.screenshot({ path: 'test-results/screens/04-ticket.png' });
    // The booking is on the patient's card.
    await expect(page.getByTestId('upcoming').locator('li')).toHaveCount(1);
  });

  test("an unattached patient gets the red card instead of the booking path: a refusal on the closed list (F8), or the emergency path (F9); both in the register, the emergency on today's list (R2, R3, R6, R15)", async ({
    page,
  }) => {
    const p = pickPatient(UNATTACHED);
    await signIn(page);
    await page.keyboard.type(p.pin);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('attachment')).toContainText('Не прикреплён');
    await expect(page.getByTestId('unattached')).toContainText('записать на приём нельзя');
    await expect(page.getByTestId('specialties')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screens/05-refusal.png' });
    await page.keyboard.press('F8');
    // KG's closed list (000 §1), "not attached" chosen for an unattached patient.
    await expect(page.getByTestId('refusal-reasons').getByRole('radio')).toHaveCount(4);
    await expect(page.getByTestId('refusal-reasons').getByRole('radio', { checked: true })).toHaveCount(1);
    await expect(page.getByTestId('refusal-reasons').locator('label', { has: page.getByRole('radio', { checked: true }) })).toContainText('не прикреплён');
    await page.screenshot({ path: 'test-results/screens/05b-refusal-dialog.png' });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('notice')).toContainText('Отказ записан');
    // The emergency path: sent to the duty doctor (digit 2), recorded out of schedule.
    await page.keyboard.press('F9');
    await page.keyboard.press('2');
    await expect(page.getByTestId('emergency-destination').getByRole('radio', { checked: true })).toHaveCount(1);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('notice')).toContainText('вне расписания');
    await page.keyboard.press('F2');
    await expect(page.getByTestId('out-of-schedule').locator('tr', { hasText: p.name })).toContainText('дежурный врач');
    await page.keyboard.press('F3');
    const rows = page.getByTestId('register-list').locator('tr', { hasText: p.name });
    await expect(rows.filter({ hasText: 'Отказ' }).first()).toContainText('не прикреплён');
    await expect(rows.filter({ hasText: 'Вне расписания' }).first()).toContainText('дежурный врач');
    await page.screenshot({ path: 'test-results/screens/06-register.png' });
  });

  test('the register of requests prints on A4 and downloads as CSV and XLSX (issue 10)', async ({ page }) => {
    const p = pickPatient(ATTACHED);
    await signIn(page);
    await page.keyboard.type(p.pin);
    await enterThroughBooking(page);
    await expect(page.getByTestId('ticket')).toBeVisible();
    await page.keyboard.press('F3');
    await expect(page.getByTestId('register-list').locator('tr', { hasText: p.name }).first()).toContainText('Записан');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('register-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/^register-2026-11-23_2026-11-23\.csv$/);
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text.startsWith('\ufeff№;Дата обращения;Заявитель')).toBe(true);
    expect(text).toContain(p.name);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('register-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(
      readFileSync(await xlsx.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK'); // a zip, as XLSX files are
    // The A4 print: only the register, with its title.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.register .print-only')).toBeVisible();
    await expect(page.getByTestId('register-xlsx')).not.toBeVisible();
    await page.screenshot({ path: 'test-results/screens/15-register-print.png' });
    await page.emulateMedia({ media: 'screen' });
  });

  test('cancels a booking after asking, can take the cancellation back, and the slot is free again', async ({ page }) => {
    const p = pickPatient(ATTACHED);
    await signIn(page);
    await page.keyboard.type(p.pin);
    await enterThroughBooking(page);
    await expect(page.getByTestId('ticket')).toBeVisible();
    const when = await page.getByTestId('booked').textContent();
    const upcoming = page.getByTestId('upcoming').locator('li');
    await expect(upcoming).toHaveCount(1);
    // The cancel asks first: Esc keeps the booking.
    await upcoming.first().getByRole('button', { name: 'Отменить' }).click();
    await expect(page.getByTestId('confirm')).toContainText('Отменить запись?');
    await page.screenshot({ path: 'test-results/screens/11-cancel-confirm.png' });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('confirm')).toHaveCount(0);
    await expect(upcoming).toHaveCount(1);
    // Enter cancels; the ticket leaves the screen; the cancellation can be taken back (Ctrl+Z).
    await upcoming.first().getByRole('button', { name: 'Отменить' }).click();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('upcoming')).toHaveCount(0);
    await expect(page.getByTestId('ticket')).toHaveCount(0);
    await expect(page.getByTestId('undo-cancel')).toContainText('Запись отменена');
    await page.screenshot({ path: 'test-results/screens/12-undo-cancel.png' });
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('notice')).toContainText('Отмена возвращена');
    await expect(page.getByTestId('booked')).toHaveText(when!);
    await expect(upcoming).toHaveCount(1);
    // And cancelled for good.
    await upcoming.first().getByRole('button', { name: 'Отменить' }).click();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('upcoming')).toHaveCount(0);
    expect(when).toBeTruthy();
    // Start over: the same first slot is offered again.
    await page.keyboard.press('Escape');
    await page.getByTestId('patient-search').fill(p.pin);
    await enterThroughBooking(page);
    await expect(page.getByTestId('booked')).toHaveText(when!);
  });

  test('checks a patient in on the day of the visit', async ({ page }) => {
    const p = pickPatient(ATTACHED);
    await signIn(page);
    await page.keyboard.type(p.pin);
    await enterThroughBooking(page);
    await expect(page.getByTestId('ticket')).toBeVisible();
    const item = page.getByTestId('upcoming').locator('li').first();
    await item.getByRole('button', { name: 'Пришёл' }).click();
    await expect(item).toContainText('пришёл');
    await page.keyboard.press('F2');
    await expect(page.getByTestId('today-list').locator('tr', { hasText: p.pin })).toContainText('пришёл');
    await page.screenshot({ path: 'test-results/screens/07-today.png' });
  });

  test('many matches: the count, the highlighted row kept in sight, and the next page with PgDn (issue 10)', async ({ page }) => {
    const { prefix, n } = busyPrefix(45);
    await signIn(page);
    await page.keyboard.type(prefix);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('search-count')).toContainText(`Найдено: ${n} (показаны 1–20)`);
    for (let i = 0; i < 19; i++) await page.keyboard.press('ArrowDown');
    const active = page.getByTestId('search-results').locator('[aria-selected="true"]');
    await expect(active).toBeInViewport();
    await expect(page.getByTestId('search-results').getByRole('option').last()).toHaveAttribute('aria-selected', 'true');
    await page.screenshot({ path: 'test-results/screens/10-many-matches.png' });
    await page.keyboard.press('PageDown');
    await expect(page.getByTestId('search-count')).toContainText('(показаны 21–40)');
    await page.keyboard.press('ArrowUp'); // past the top: back to the previous page, its last row highlighted
    await expect(page.getByTestId('search-count')).toContainText('(показаны 1–20)');
    await expect(active).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('patient-card')).toBeVisible();
  });

  test('by phone (F6) and preventive (F7): a narrow specialist without referral is greyed with the reason until the visit is marked preventive; the channel is on the confirmation and in the register (issue 10)', async ({
    page,
  }) => {
    const p = pickPatient(`${ATTACHED} AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id) AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id)`);
    await signIn(page);
    await page.keyboard.press('F6');
    await expect(page.getByTestId('desk-modes').getByRole('button', { name: 'По телефону' })).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.type(p.pin);
    await page.keyboard.press('Enter');
    const cardio = page.getByTestId('specialties').getByRole('option', { name: /Кардиолог/ });
    await expect(cardio).toContainText('нет направления');
    await expect(cardio).toHaveAttribute('aria-disabled', 'true');
    await page.screenshot({ path: 'test-results/screens/14-no-referral.png' });
    await cardio.click({ force: true }); // greyed, but a click says why rather than nothing
    await expect(page.getByTestId('specialty-hint')).toContainText('нужно направление');
    await expect(page.getByTestId('slot-grid')).toHaveCount(0);
    await page.keyboard.press('F7'); // a preventive examination needs no referral (R5)
    await expect(cardio).not.toContainText('нет направления');
    await cardio.click();
    await expect(page.getByTestId('slot-grid')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('day-slots')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('confirm-channel')).toHaveText('телефон');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('ticket')).toBeVisible();
    await page.keyboard.press('F3');
    await expect(page.getByTestId('register-list').locator('tr', { hasText: p.name }).first()).toContainText('телефон');
  });

  test('warns before an adult is booked to a pediatrician (issue 10)', async ({ page }) => {
    const p = pickPatient(`${ATTACHED} AND birth_date < '1990-01-01'`);
    await signIn(page);
    await page.keyboard.type(p.pin);
    await enterThroughBooking(page); // the own family doctor's first free time
    await expect(page.getByTestId('ticket')).toBeVisible();
    // Same patient, the pediatrician (an adult!): the warning is on the confirmation, which still books if confirmed.
    await page.keyboard.press('Escape');
    await page.getByTestId('patient-search').fill(p.pin);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('specialties')).toBeFocused();
    await page
      .getByTestId('specialties')
      .getByRole('option', { name: /Педиатр/ })
      .click();
    await expect(page.getByTestId('slot-grid')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('day-slots')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('warning-age_mismatch')).toContainText('принимает детей');
    await page.screenshot({ path: 'test-results/screens/16-warnings.png' });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('confirm')).toHaveCount(0);
  });

  test('registers a patient the search did not find: birth date and sex from the PIN, attached to a ГСВ, then books; phone corrected on the card (R16, issue 10)', async ({ page }) => {
    const pin = makeKgPin('2', '1990-05-06', 90000 + Math.floor(Math.random() * 9999));
    await signIn(page);
    await page.keyboard.type(pin);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toContainText('Пациент не найден');
    await page.getByTestId('register-new').click();
    await expect(page.getByTestId('np-id')).toHaveValue(pin);
    await expect(page.getByTestId('np-birth')).toHaveValue('06.05.1990');
    await expect(page.getByTestId('np-sex')).toHaveValue('male');
    await page.getByTestId('np-name').fill('Сатыбалдиев Эрлан Маратович');
    await page.getByTestId('np-phone').fill('+996 555 010 203');
    await page.getByTestId('np-department').selectOption({ index: 1 });
    await page.getByTestId('np-doctor').selectOption({ index: 1 });
    await page.screenshot({ path: 'test-results/screens/17-new-patient.png' });
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByTestId('notice')).toContainText('Пациент зарегистрирован');
    await expect(page.getByTestId('patient-card')).toContainText('Сатыбалдиев Эрлан Маратович');
    await expect(page.getByTestId('attachment')).toContainText('Прикреплён');
    await page.keyboard.press('Enter'); // the specialty list has the keyboard: the own family doctor
    await expect(page.getByTestId('slot-grid')).toBeFocused();
    // The phone, corrected on the card.
    await page.getByTestId('edit-contacts').click();
    await page.getByTestId('edit-phone').fill('+996 555 999 888');
    await page.getByTestId('contacts-edit').getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByTestId('patient-card')).toContainText('+996 555 999 888');
  });

  test("takes a home visit down for the area's doctor; it is on today's list, printable, and marked done (R24, issue 10)", async ({ page }) => {
    const p = pickPatient(`${ATTACHED} AND attached_doctor_id IS NOT NULL`);
    await signIn(page);
    await page.keyboard.type(p.pin);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('patient-card')).toContainText(p.name);
    await page.keyboard.press('F11');
    await expect(page.getByTestId('hv-doctor')).toContainText('участковый');
    await page.getByTestId('hv-reason').fill('температура 38,5, слабость');
    await page.screenshot({ path: 'test-results/screens/18-home-visit.png' });
    await page.getByRole('button', { name: 'Записать в реестр' }).click();
    await expect(page.getByTestId('notice')).toContainText('Вызов на дом записан');
    await page.keyboard.press('F2');
    const row = page.getByTestId('home-visits').locator('tr', { hasText: p.name });
    await expect(row).toContainText('температура 38,5, слабость');
    await expect(row).toContainText('ожидает');
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('home-visits-print')).not.toBeVisible();
    await page.screenshot({ path: 'test-results/screens/19-home-visits-print.png' });
    await page.emulateMedia({ media: 'screen' });
    await row.getByRole('button', { name: 'Выполнен' }).click();
    await expect(row).toContainText('выполнен');
  });

  test('the family doctor refers a patient to a cardiologist; the registrar then books the cardiologist without the greyed "no referral" (R5, issue 10)', async ({ page }) => {
    const p = pickPatient(`${ATTACHED} AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id) AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id)`);
    await signIn(page, 'doctor');
    await page.keyboard.type(p.pin);
    await page.keyboard.press('Enter');
    await page.getByTestId('refer').click();
    await page.getByTestId('referral-specialties').locator('label', { hasText: 'Кардиолог' }).click();
    await page.getByRole('button', { name: 'Выписать направление' }).click();
    await expect(page.getByTestId('notice')).toContainText('Направление выписано');
    await expect(page.getByTestId('patient-card')).toContainText('Кардиолог');
    await page.getByRole('button', { name: 'Выйти' }).click();
    await signIn(page);
    await page.keyboard.type(p.pin);
    await page.keyboard.press('Enter');
    const cardio = page.getByTestId('specialties').getByRole('option', { name: /Кардиолог/ });
    await expect(cardio).not.toContainText('нет направления');
    await cardio.click();
    await expect(page.getByTestId('slot-grid')).toBeFocused();
  });

  test('the doctor’s Enters book a repeat visit with the doctor signed in, not the patient’s family doctor; the status bar names the doctor, not an id (issue 23 finding 7)', async ({ page }) => {
    // A patient of another family doctor: before, the Enters went to that doctor's days.
    const p = pickPatient(`${ATTACHED} AND attached_doctor_id IS NOT NULL AND attached_doctor_id != 'doc-001' AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id)`);
    const own = (() => {
      const db = new Database('test-results/e2e-desk/kezek.sqlite', { readonly: true });
      try {
        return (db.prepare("SELECT full_name AS n FROM doctors WHERE id = 'doc-001'").get() as { n: string }).n;
      } finally {
        db.close();
      }
    })();
    await signIn(page, 'doctor');
    await expect(page.getByTestId('change-password')).toHaveText(own);
    await expect(page.locator('footer')).not.toContainText('doc-001');
    await page.keyboard.type(p.pin);
    await enterThroughBooking(page);
    await expect(page.getByTestId('booked')).toBeVisible();
    await expect(page.locator('.print-area')).toContainText(own);
    await page.screenshot({ path: 'test-results/screens/23-doctor-repeat-visit.png' });
  });

  test('switches the whole desk to Kyrgyz and to Kazakh', async ({ page }) => {
    const p = pickPatient(ATTACHED);
    await signIn(page);
    await page.getByRole('button', { name: 'КЫР' }).click();
    await expect(page.getByTestId('patient-search')).toHaveAttribute('placeholder', /ПИН, фамилия же телефон/);
    await page.getByTestId('patient-search').fill(p.pin);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('attachment')).toContainText('Бекитилген');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Адистиктер')).toBeVisible();
    // Long Kyrgyz specialty names wrap whole, never cut with «…» (issue 23 finding 6).
    const eye = page.getByTestId('specialties').locator('.name', { hasText: 'Көз доктуру (офтальмолог)' });
    await expect(eye).toBeVisible();
    expect(await eye.evaluate((el) => el.scrollWidth <= el.clientWidth && getComputedStyle(el).textOverflow !== 'ellipsis')).toBe(true);
    await page.screenshot({ path: 'test-results/screens/08-kyrgyz.png' });
    // And Kazakh (KZ clinics): the whole desk, errors and specialties included.
    await page.getByRole('button', { name: 'ҚАЗ' }).click();
    await expect(page.getByText('Мамандықтар')).toBeVisible();
    await expect(page.getByTestId('specialties')).toContainText('Отбасылық дәрігер');
    await expect(page.getByTestId('specialties')).toContainText('Құлақ-мұрын-тамақ дәрігері (ЛОР)');
    await expect(page.getByTestId('patient-search')).toHaveAttribute('placeholder', /ЖСН, тегі немесе телефон/);
    await page.screenshot({ path: 'test-results/screens/08b-kazakh.png' });
    await page.getByRole('button', { name: 'РУС' }).click();
  });
});

test('moves a booking to another time: the old one is cancelled, the new ticket replaces it', async ({ page }) => {
  const p = pickPatient(ATTACHED);
  await signIn(page);
  await page.keyboard.type(p.pin);
  await enterThroughBooking(page);
  const first = await page.getByTestId('booked').textContent();
  await page.getByTestId('upcoming').getByRole('button', { name: 'Перенести' }).click();
  await expect(page.getByText('Перенос: выберите новое время').first()).toBeVisible();
  await page.getByTestId('slot-grid').focus();
  await page.keyboard.press('ArrowRight'); // the next day
  await page.keyboard.press('Enter');
  await page.getByTestId('day-slots').waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('confirm').waitFor();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('ticket')).toBeVisible();
  const second = await page.getByTestId('booked').textContent();
  expect(second).not.toBe(first);
  await expect(page.getByTestId('upcoming').locator('li')).toHaveCount(1);
  await page.keyboard.press('F3');
  await expect(page.getByTestId('register-list').locator('tr', { hasText: p.name }).first()).toContainText('Перенесена');
});

test('issue 23 finding 2: a mistyped PIN lets go of the patient found before — no card, nothing to book until the right one is found', async ({ page }) => {
  const p = pickPatient(ATTACHED);
  await signIn(page);
  await page.keyboard.type(p.pin);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('patient-card')).toContainText(p.name);
  await expect(page.getByTestId('specialties')).toBeVisible();
  // One digit short: the format message, and the previous patient's card and specialties are gone.
  await page.getByTestId('patient-search').fill(p.pin.slice(0, 13));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByTestId('patient-card')).toHaveCount(0);
  await expect(page.getByTestId('specialties')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/23-2-mistyped-pin.png' });
  // The right PIN finds the patient again.
  await page.getByTestId('patient-search').fill(p.pin);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('patient-card')).toContainText(p.name);
});

test('issue 23 finding 1: F10 takes the keyboard — the PIN goes into the dialog, Esc closes it, Enter in its fields saves', async ({ page }) => {
  const pin = makeKgPin('1', '1985-03-14', 80000 + Math.floor(Math.random() * 9999));
  await signIn(page);
  await page.keyboard.press('F10');
  await expect(page.getByTestId('np-id')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('new-patient')).toHaveCount(0);
  await page.keyboard.press('F10');
  await page.keyboard.type(pin);
  await expect(page.getByTestId('np-id')).toHaveValue(pin);
  await expect(page.getByTestId('patient-search')).toHaveValue('');
  // Birth date and sex come from the PIN; the name, then Enter.
  await expect(page.getByTestId('np-birth')).toHaveValue('14.03.1985');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('np-name')).toBeFocused();
  await page.keyboard.type('Осмонова Айжан Бакытовна');
  await page.screenshot({ path: 'test-results/screens/23-1-new-patient-keyboard.png' });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('patient-card')).toContainText('Осмонова Айжан Бакытовна');
});

test('F6 while a patient is on screen: the specialty list coming back with its new counts does not take the keyboard from the next PIN being typed (CI failure, stop 28)', async ({ page }) => {
  const first = pickPatient(ATTACHED);
  const next = pickPatient(`${ATTACHED} AND id != '${first.id}'`);
  await signIn(page);
  await page.getByTestId('patient-search').fill(first.pin);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('specialties')).toBeFocused();
  // The phone channel's counts are held back until the registrar has begun typing the next caller's PIN.
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  await page.route('**/rpc/slots.search', async (route) => {
    await held;
    await route.continue();
  });
  await page.keyboard.press('F6');
  await expect(page.getByTestId('specialties')).toHaveCount(0);
  await page.getByTestId('patient-search').fill('');
  await page.keyboard.type(next.pin.slice(0, 6));
  release();
  await expect(page.getByTestId('specialties')).toBeVisible();
  await page.keyboard.type(next.pin.slice(6));
  await expect(page.getByTestId('patient-search')).toBeFocused();
  await expect(page.getByTestId('patient-search')).toHaveValue(next.pin);
  await page.unroute('**/rpc/slots.search');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('patient-card')).toContainText(next.name);
  await expect(page.getByTestId('specialties')).toBeFocused();
});
