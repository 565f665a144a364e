import { expect, test } from '@playwright/test';
import { findPrinterProfile } from '../../src-shared/print/profiles.js';
import { decodeEscPos } from '../support/escpos-decoder.js';
import { decodedToPng } from '../support/raster-png.js';
import { readCode128 } from '../support/symbols.js';
import { VirtualPrinter } from '../support/virtual-printer.js';
import { ATTACHED, enterThroughBooking, pickPatient, scan, signIn } from './helpers.js';
import { writeFileSync } from 'node:fs';

test('book → the ticket prints over TCP → it decodes to the booking → scanning its barcode marks the patient arrived', async ({ page }) => {
  const printer = await new VirtualPrinter().start();
  try {
    const p = pickPatient(ATTACHED);
    await signIn(page);
    // F4: set up a network printer (Epson profile, Kyrgyz tickets).
    await page.keyboard.press('F4');
    const form = page.getByTestId('printer-settings');
    await form.locator('select[name=profile]').selectOption('epson-80');
    await form.locator('select[name=connection]').selectOption('tcp');
    await form.locator('input[name=host]').fill('127.0.0.1');
    await form.locator('input[name=port]').fill(String(printer.port));
    await form.locator('select[name=ticketLang]').selectOption('ky');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByTestId('printer-state')).toContainText(`127.0.0.1:${printer.port}`);
    await page.screenshot({ path: 'test-results/screens/09-printer-settings.png' });

    await page.keyboard.press('F1');
    await page.getByTestId('patient-search').fill(p.pin);
    await enterThroughBooking(page);
    await expect(page.getByTestId('ticket')).toBeVisible();
    const code = await page.getByTestId('ticket-barcode').getAttribute('data-code');
    const when = (await page.getByTestId('booked').textContent())!;
    await expect.poll(() => printer.jobs.length).toBe(1);

    const profile = findPrinterProfile('epson-80')!;
    const decoded = decodeEscPos(printer.jobs[0]!, profile);
    writeFileSync('test-results/screens/10-printed-ticket.png', decodedToPng(decoded, profile.widthDots));
    const text = decoded.lines.map((l) => l.text);
    expect(text).toContain('КАБЫЛ АЛУУГА ТАЛОН');
    const [, date, time] = /(\d\d\.\d\d\.\d{4}) (\d\d:\d\d)/.exec(when)!;
    expect(text).toContain(`Күнү: ${date} Убактысы: ${time}`);
    expect(readCode128(decoded.images[0]!)).toBe(code);

    // The patient comes back with the ticket: the scanner types the barcode and Enter.
    await page.getByTestId('ticket').click();
    await scan(page, code!);
    await expect(page.getByTestId('notice')).toContainText('Отмечен приход по талону');
    await expect(page.getByTestId('upcoming').locator('li').first()).toContainText('пришёл');
    await page.screenshot({ path: 'test-results/screens/11-scanned.png' });

    // A scan of a ticket this clinic never issued says so and changes nothing.
    await page.getByTestId('patient-search').fill('ZZZ999999');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('notice')).toContainText('Талона ZZZ999999 нет на этом ПК');

    // Without a thermal printer the ticket goes to A4 through the browser's print: only the ticket is on the page.
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: 'test-results/screens/12-a4-print.png' });
    await expect(page.getByTestId('patient-card')).not.toBeVisible();
    await page.emulateMedia({ media: 'screen' });
  } finally {
    await printer.stop();
  }
});
