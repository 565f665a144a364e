import { expect, test } from '@playwright/test';

test('the head hires a doctor, gives them a weekly schedule with an internet share and a priority window, and limits internet booking for a week (issue 11; R7, R13)', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel(/Пользователь/).fill('head');
  await page.getByLabel(/Пароль/).fill('kezek');
  await page.keyboard.press('Enter');
  await page.getByTestId('tab-schedule').click();

  // Hire.
  await page.getByTestId('schedule-part-doctors').click();
  const form = page.getByTestId('doctor-form');
  await form.getByTestId('doctor-fullname').fill('Осмонов Талант Жумабекович');
  await form.getByTestId('doctor-cabinet').fill('410');
  await form.getByTestId('doctor-floor').fill('4');
  await form.getByTestId('doctor-save').click();
  await expect(page.getByTestId('notice')).toContainText('Врач сохранён');
  await expect(page.getByTestId('doctor-list')).toContainText('Осмонов Талант Жумабекович');
  await expect(page.getByTestId('doctor-list').getByRole('row', { name: /Осмонов/ })).toContainText('410');
  await page.screenshot({ path: 'test-results/screens/36-doctors.png' });

  // A week: mornings for the registry, an hour of internet, half an hour for priority patients (R13).
  await page.getByTestId('schedule-part-week').click();
  await page.getByTestId('week-doctor').selectOption({ label: 'Осмонов Талант Жумабекович · 410' });
  await expect(page.getByTestId('week-current')).toContainText('Графика нет');
  const monday = page.getByTestId('week-day-1');
  await page.getByTestId('week-add-1').click();
  await page.getByTestId('week-add-1').click();
  await page.getByTestId('week-add-1').click();
  const intervals = monday.locator('.interval');
  await intervals.nth(1).locator('input').nth(0).fill('12:00');
  await intervals.nth(1).locator('input').nth(1).fill('13:00');
  await intervals.nth(1).locator('select').selectOption('internet');
  await intervals.nth(2).locator('input').nth(0).fill('13:00');
  await intervals.nth(2).locator('input').nth(1).fill('13:30');
  await intervals.nth(2).locator('select').selectOption('priority');
  await expect(page.getByTestId('week-internet-share')).toContainText('Интернет: 18 %');
  await page.getByRole('button', { name: 'Как в понедельник — на вт–пт' }).click();
  await expect(page.getByTestId('week-day-5').locator('.interval')).toHaveCount(3);
  await page.getByTestId('week-save').click();
  await expect(page.getByTestId('notice')).toContainText('График сохранён; пациентов в обзвон: 0');
  await page.screenshot({ path: 'test-results/screens/37-weekly-schedule.png' });

  // A day that overlaps itself: a translated error, and the schedule stays as saved.
  await page.getByTestId('week-add-1').click();
  await page.getByTestId('week-save').click();
  await expect(page.getByTestId('notice')).toContainText('интервалы пересекаются');

  // R7: at most 30 %; then 10 % for a week.
  await page.getByTestId('schedule-part-quota').click();
  await page.getByTestId('quota-doctor').selectOption({ label: 'Осмонов Талант Жумабекович · 410' });
  await page.getByTestId('quota-to').fill('2026-11-30');
  await page.getByTestId('quota-percent').fill('40');
  await page.getByTestId('quota-save').click();
  await expect(page.getByTestId('notice')).toContainText('не более 30 %');
  await page.getByTestId('quota-percent').fill('10');
  await page.getByTestId('quota-save').click();
  await expect(page.getByTestId('notice')).toContainText('Ограничение интернет-записи внесено');
  await expect(page.getByTestId('quota-list')).toContainText('Осмонов Талант Жумабекович');
  await expect(page.getByTestId('quota-list')).toContainText('≤ 10 %');
  await page.screenshot({ path: 'test-results/screens/38-internet-quota.png' });
});
