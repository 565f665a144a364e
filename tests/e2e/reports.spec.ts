import { expect, test } from '@playwright/test';

test('the head reads the month as charts, prints it on A4 and saves it as XLSX (issue 11)', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel(/Пользователь/).fill('head');
  await page.getByLabel(/Пароль/).fill('kezek');
  await page.keyboard.press('Enter');
  await page.getByTestId('tab-reports').click();
  const report = page.getByTestId('report');
  // The demo clinic's six weeks of history: every chart has bars.
  for (const chart of ['chart-requests', 'chart-refusals', 'chart-occupancy', 'chart-attendance']) {
    await expect(report.getByTestId(chart).locator('.recharts-bar-rectangle').first()).toBeVisible();
  }
  // Days to the earliest free time: written by each bar (0 — free today — has no bar to see).
  await expect(report.getByTestId('chart-earliest').locator('.recharts-label-list').first()).toBeVisible();
  await expect(report).toContainText('Загрузка врачей');
  await page.screenshot({ path: 'test-results/screens/39-reports.png' });
  // Every tab the head has fits the window: the clinic's name gives way, the page never scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);

  // One specialty: the doctors' rows narrow to it.
  await page.getByTestId('report-specialty').selectOption({ label: 'Педиатр' });
  await expect(report.getByTestId('chart-earliest').locator('.recharts-label-list text')).toHaveCount(1);

  const download = page.waitForEvent('download');
  await page.getByTestId('report-xlsx').click();
  expect((await download).suggestedFilename()).toMatch(/^report-\d{4}-\d{2}-\d{2}_2026-11-23\.xlsx$/);

  // The A4 print: the report alone, charts one under another.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { name: /Отчёт за/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/40-report-print.png', fullPage: true });
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});
