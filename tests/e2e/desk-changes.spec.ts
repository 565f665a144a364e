import { expect, test } from '@playwright/test';
import { ATTACHED, enterThroughBooking, pickPatient, signIn } from './helpers.js';

/**
 * Issue 23 finding 12: a second window of the same desk (a LAN PC, the head's window) showed another window's work
 * only at its next poll, up to 30 s later. Now the desk tells every window what changed and nothing polls: the head's
 * today's list shows the registrar's booking and check-in the moment they are made.
 */
test('the head’s today’s list shows the registrar’s booking and check-in at once, told by the desk, not polled (issue 23 finding 12)', async ({ browser, baseURL }) => {
  const head = await (await browser.newContext({ baseURL, viewport: { width: 1366, height: 768 } })).newPage();
  await signIn(head, 'head');
  await head.keyboard.press('F2');
  await head.getByTestId('today-list').or(head.getByTestId('today-empty')).first().waitFor();
  // Whatever it asks the desk from now on is counted: a list that polled would ask again and again.
  const asked: string[] = [];
  head.on('request', (r) => {
    if (r.url().includes('/rpc/appointments.day')) asked.push(r.url());
  });

  const registrar = await (await browser.newContext({ baseURL, viewport: { width: 1366, height: 768 } })).newPage();
  const p = pickPatient(ATTACHED);
  await signIn(registrar);
  await registrar.keyboard.type(p.pin);
  // The first free time: today's (the clock is Monday 08:30), so the booking is on today's list.
  await enterThroughBooking(registrar);
  await registrar.getByTestId('booked').waitFor();
  const row = head.getByTestId('today-list').locator('tr', { hasText: p.pin });
  await expect(row).toBeVisible();
  await registrar.getByTestId('upcoming').locator('li').first().getByRole('button', { name: 'Пришёл' }).click();
  await expect(row).toContainText('пришёл');
  await head.screenshot({ path: 'test-results/screens/23-12-told-not-polled.png' });
  // Asked twice (after the booking, after the check-in) or a little more when notices split — never on a timer.
  const heard = asked.length;
  await head.waitForTimeout(3500); // longer than the fastest poll the screens had (3 s)
  expect(asked.length).toBe(heard);
});
