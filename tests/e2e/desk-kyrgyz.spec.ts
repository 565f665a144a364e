import { expect, test } from '@playwright/test';
import { makeKgPin } from '../../src-shared/ids/kg-pin.js';
import { readFileSync } from 'node:fs';
import { busyPrefix, enterThroughBooking, pickPatient, signIn, UNATTACHED } from './helpers.js';

/** The registrar's new tasks walked in Kyrgyz (issue 10: every task in ru and ky). */
test('a registrar working in Kyrgyz: new patient, booking by phone, cancel and undo, home visit, refusal, emergency, the register', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.getByRole('button', { name: 'КЫР' }).click();
  await expect(page.getByTestId('patient-search')).toHaveAttribute('placeholder', /ПИН, фамилия же телефон/);

  // A new patient, from a search that found no one.
  const pin = makeKgPin('1', '1995-03-14', 80000 + Math.floor(Math.random() * 9999));
  await page.getByTestId('patient-search').fill(pin);
  await page.keyboard.press('Enter');
  await page.getByTestId('register-new').click();
  await expect(page.getByTestId('new-patient')).toContainText('Туулган күнү');
  await expect(page.getByTestId('np-sex')).toHaveValue('female');
  await page.getByTestId('np-name').fill('Токтосунова Айгерим Бакытовна');
  await page.getByTestId('np-department').selectOption({ index: 1 });
  await page.getByTestId('np-doctor').selectOption({ index: 1 });
  await page.screenshot({ path: 'test-results/screens/ky-01-new-patient.png' });
  await page.getByRole('button', { name: 'Сактоо' }).click();
  await expect(page.getByTestId('notice')).toContainText('Бейтап катталды');
  await expect(page.getByTestId('attachment')).toContainText('Бекитилген');

  // Booked by phone (F6); the ticket in Kyrgyz with the visit's reason.
  await page.keyboard.press('F6');
  await expect(page.getByTestId('desk-modes').getByRole('button', { name: 'Телефон аркылуу' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('patient-search').fill(pin);
  await enterThroughBooking(page);
  await expect(page.getByTestId('ticket-form')).toContainText('оору');
  await expect(page.getByTestId('ticket')).toContainText('Берилди: 23.11.2026');
  await page.screenshot({ path: 'test-results/screens/ky-02-ticket.png' });

  // Cancel asks (in Kyrgyz), then is taken back with Ctrl+Z.
  await page.getByTestId('upcoming').getByRole('button', { name: 'Жокко чыгаруу' }).click();
  await expect(page.getByTestId('confirm')).toContainText('Жазылууну жокко чыгарасызбы?');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('undo-cancel')).toContainText('Жазылуу жокко чыгарылды');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('notice')).toContainText('Жокко чыгаруу кайтарылды');

  // A home visit for her area's doctor.
  await page.keyboard.press('F11');
  await page.getByTestId('hv-address').fill('Бишкек ш., Ахунбаев к., 12');
  await page.getByTestId('hv-reason').fill('ысытма 38');
  await page.screenshot({ path: 'test-results/screens/ky-03-home-visit.png' });
  await page.getByRole('button', { name: 'Реестрге жазуу' }).click();
  await expect(page.getByTestId('notice')).toContainText('Үйгө чакыруу жазылды');

  // Someone not attached: the red card, a refusal on the closed list, and the emergency path.
  const other = pickPatient(UNATTACHED);
  await page.getByTestId('patient-search').fill(other.pin);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('unattached')).toContainText('бекитилген эмес');
  await page.keyboard.press('F8');
  await expect(page.getByTestId('refusal-reasons')).toContainText('бекитилген эмес');
  await page.screenshot({ path: 'test-results/screens/ky-04-refusal.png' });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('notice')).toContainText('Баш тартуу');
  await page.keyboard.press('F9');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('notice')).toContainText('графиктен тышкары');

  // Search by name: counted and paged, in Kyrgyz.
  await page.getByTestId('patient-search').fill(busyPrefix(45).prefix);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('search-count')).toContainText('Табылды:');
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('search-count')).toContainText('(21–40');

  // An adult to the pediatrician: warned in Kyrgyz; F2 and back keeps the booking half done.
  await page.getByTestId('patient-search').fill(pin);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('specialties')).toBeFocused();
  await page
    .getByTestId('specialties')
    .getByRole('option', { name: /Педиатр/ })
    .click();
  await expect(page.getByTestId('slot-grid')).toBeFocused();
  await page.keyboard.press('F2');
  await page.keyboard.press('F1');
  await expect(page.getByTestId('slot-grid')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('day-slots')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('warning-age_mismatch')).toContainText('балдарды кабыл алат');
  await page.keyboard.press('Escape');

  // Today's list and the register, in Kyrgyz.
  await page.keyboard.press('F2');
  await expect(page.getByTestId('home-visits')).toContainText('ысытма 38');
  await expect(page.getByTestId('out-of-schedule')).toContainText(other.name);
  await page.keyboard.press('F3');
  const register = page.getByTestId('register-list');
  await expect(register.locator('tr', { hasText: other.name }).filter({ hasText: 'Баш тартылды' }).first()).toContainText('бекитилген эмес');
  await expect(register.locator('tr', { hasText: 'Токтосунова Айгерим' }).first()).toContainText('телефон');
  await page.screenshot({ path: 'test-results/screens/ky-05-register.png' });
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('register-csv').click()]);
  expect(readFileSync(await csv.path(), 'utf8')).toContain('Кайрылуу күнү');
  await page.getByRole('button', { name: 'РУС' }).click();
});
