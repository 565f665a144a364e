import { expect, test, type Page } from '@playwright/test';

async function signInAs(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/Пользователь|Колдонуучу/).fill(username);
  await page.getByLabel(/Пароль|Сырсөз/).fill(password);
  await page.keyboard.press('Enter');
}

test('the administrator gives a registrar her own account; she must choose her password at the first sign-in, and can change it later (issue 11)', async ({ page }) => {
  await signInAs(page, 'admin', 'kezek');
  await page.getByTestId('tab-staff').click();
  const form = page.getByTestId('account-form');
  await form.getByTestId('account-fullname').fill('Асанова Айгүл Бакытовна');
  await form.getByTestId('account-username').fill('aigul');
  await form.getByTestId('account-role').selectOption('registrar');
  await form.getByTestId('account-password').fill('vremya-2026');
  await form.getByTestId('account-save').click();
  const row = page.getByTestId('account-aigul');
  await expect(row).toContainText('Асанова Айгүл Бакытовна');
  await expect(row).toContainText('ждёт смены пароля');

  // A login someone has already: a translated error, nothing added.
  await form.getByTestId('account-fullname').fill('Другой регистратор');
  await form.getByTestId('account-username').fill('Aigul');
  await form.getByTestId('account-password').fill('vremya-2027');
  await form.getByTestId('account-save').click();
  await expect(page.getByTestId('notice')).toContainText('Имя входа «Aigul» уже занято');
  await expect(page.getByTestId('account-list').locator('tbody tr')).toHaveCount(5);
  await page.screenshot({ path: 'test-results/screens/33-staff-accounts.png' });
  await page.getByRole('button', { name: 'Выйти' }).click();

  // Her first sign-in: only the password screen, until she has chosen her own.
  await signInAs(page, 'aigul', 'vremya-2026');
  await expect(page.getByTestId('must-change-password')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/34-must-change-password.png' });
  await page.getByTestId('password-current').fill('vremya-2026');
  await page.getByTestId('password-next').fill('aigul-svoi-1');
  await page.getByTestId('password-repeat').fill('aigul-svoi-2');
  await page.getByTestId('password-save').click();
  await expect(page.getByRole('alert')).toContainText('не совпадают');
  await page.getByTestId('password-repeat').fill('aigul-svoi-1');
  await page.getByTestId('password-save').click();
  await expect(page.getByTestId('patient-search')).toBeVisible();
  // The status bar names her, and changes her password from anywhere.
  await page.getByTestId('change-password').click();
  await expect(page.getByTestId('password-form')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/35-change-password.png' });
  await page.getByRole('button', { name: 'Отмена' }).click();
  await page.getByRole('button', { name: 'Выйти' }).click();

  // The temporary password is spent; the admin disables her, and she cannot sign in.
  await signInAs(page, 'aigul', 'vremya-2026');
  await expect(page.getByRole('alert')).toContainText('Неверное имя пользователя или пароль');
  await signInAs(page, 'admin', 'kezek');
  await page.getByTestId('tab-staff').click();
  await page.getByTestId('account-toggle-aigul').click();
  await expect(page.getByTestId('account-aigul')).toContainText('отключена');
  await page.getByRole('button', { name: 'Выйти' }).click();
  await signInAs(page, 'aigul', 'aigul-svoi-1');
  await expect(page.getByRole('alert')).toContainText('Неверное имя пользователя или пароль');
});
