import { chromium, expect, test } from '@playwright/test';
import { makeKgPin } from '../../src-shared/ids/kg-pin.js';
import { signIn } from './helpers.js';

/**
 * Issue 23 finding 10: on a PC whose locale is English (an Electron window on a Windows PC set to en-US does the same),
 * Chromium's own date and time fields showed mm/dd/yyyy and AM/PM and answered in English. This walk runs its own
 * Chromium in en-US — the UI language, the environment's and the page's locale — and every date and time reads
 * dd.mm.yyyy and 24 hours, and every message is the app's own, in the desk's language.
 */
test('in a Chromium set to English, dates read dd.mm.yyyy, times 24 hours, and the messages are the desk’s own (issue 23 finding 10)', async ({ baseURL }) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    env: { ...process.env, LANGUAGE: 'en' },
    args: ['--headless', '--lang=en-US', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');

    // The head's absence form: the day as dd.mm.yyyy; a day before today refused in Russian, nothing saved.
    await signIn(page, 'head');
    await page.getByTestId('tab-schedule').click();
    const from = page.getByTestId('absence-from');
    await expect(from).toHaveValue('23.11.2026');
    await expect(from).toHaveAttribute('placeholder', 'дд.мм.гггг');
    await from.fill('20.11.2026');
    await from.blur();
    await expect(from).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('.field-problem')).toHaveText('Дата не раньше 23.11.2026');
    expect(await from.evaluate((el: HTMLInputElement) => el.validationMessage)).toBe('Дата не раньше 23.11.2026');
    await from.fill('11/30/2026');
    expect(await from.evaluate((el: HTMLInputElement) => el.validationMessage)).toBe('Дата в виде дд.мм.гггг, например 14.03.1985');
    await from.fill('24.11.2026');
    await expect(from).toHaveAttribute('aria-invalid', 'false');
    await from.press('ArrowUp');
    await expect(from).toHaveValue('25.11.2026');

    // Hours of an absence by the hour: 24 hours, typed the short way.
    await page.getByTestId('absence-kind').selectOption('changed_hours');
    const hoursFrom = page.getByTestId('absence-hours-from');
    await hoursFrom.fill('1730');
    await hoursFrom.blur();
    await expect(hoursFrom).toHaveValue('17:30');
    await hoursFrom.fill('5:30 PM');
    expect(await hoursFrom.evaluate((el: HTMLInputElement) => el.validationMessage)).toBe('Время в виде чч:мм (24 часа), например 09:30');
    await page.screenshot({ path: 'test-results/screens/23-10-absence-en-us.png' });

    // The weekly schedule's intervals, and the reports' period: the same fields.
    await page.getByTestId('schedule-part-week').click();
    await expect(page.getByTestId('week-from')).toHaveValue(/^\d{2}\.\d{2}\.\d{4}$/);
    await page.getByTestId('tab-reports').click();
    await expect(page.getByTestId('report-from')).toHaveValue(/^\d{2}\.\d{2}\.\d{4}$/);
    await page.screenshot({ path: 'test-results/screens/23-10-reports-en-us.png' });

    // At the desk: a new patient's birth date from the PIN, dd.mm.yyyy; in Kyrgyz the messages are Kyrgyz.
    await context.close();
    const desk = await (await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1366, height: 768 } })).newPage();
    await signIn(desk);
    await desk.getByRole('button', { name: 'КЫР' }).click();
    await desk.keyboard.press('F10');
    await desk.keyboard.type(makeKgPin('1', '1985-03-14', 81234));
    await expect(desk.getByTestId('np-birth')).toHaveValue('14.03.1985');
    await desk.getByTestId('np-birth').fill('31.02.1985');
    await desk.getByTestId('np-birth').press('Tab');
    expect(await desk.getByTestId('np-birth').evaluate((el: HTMLInputElement) => el.validationMessage)).toBe('Датаны кк.аа.жжжж түрүндө жазыңыз, мисалы 14.03.1985');
    await desk.screenshot({ path: 'test-results/screens/23-10-new-patient-en-us.png' });
  } finally {
    await browser.close();
  }
});
