import Database from 'better-sqlite3';
import { expect, type Page } from '@playwright/test';

/** Read-only look into the desk's replica to choose test patients (WAL lets us read beside the running desk). */
export function pickPatient(where: string): { id: string; pin: string; name: string } {
  return pickPatientIn('test-results/e2e-desk/kezek.sqlite', where);
}

/**
 * The same, in another desk's database. Tests find the patient's rows on lists by name, so the name is one no other
 * patient has, and the patient is one no earlier test touched (no booking, nothing in the register): the specs share
 * one desk, and a second row for the same name made the list lookups ambiguous.
 */
export function pickPatientIn(file: string, where: string): { id: string; pin: string; name: string } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(`SELECT id, national_id AS pin, full_name AS name FROM patients p WHERE ${where}
      AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id AND a.status = 'booked')
      AND NOT EXISTS (SELECT 1 FROM register_entries r WHERE r.patient_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM patients q WHERE q.full_name = p.full_name AND q.id != p.id) ORDER BY random() LIMIT 1`)
      .get() as { id: string; pin: string; name: string } | undefined;
    if (!row) throw new Error(`no patient where ${where}`);
    return row;
  } finally {
    db.close();
  }
}

/** A two-letter name prefix with more than `min` patients, and how many. */
export function busyPrefix(min: number): { prefix: string; n: number } {
  const db = new Database('test-results/e2e-desk/kezek.sqlite', { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT substr(name_key, 1, 2) AS prefix, count(*) AS n FROM patients GROUP BY prefix HAVING n > ? ORDER BY n DESC LIMIT 1').get(min) as
      | { prefix: string; n: number }
      | undefined;
    if (!row) throw new Error(`no name prefix with more than ${min} patients`);
    return row;
  } finally {
    db.close();
  }
}

export const ATTACHED = "attached_org_id = 'org-bishkek-lenin' AND priority = 0";
export const UNATTACHED = "(attached_org_id IS NULL OR attached_org_id != 'org-bishkek-lenin')";

export async function signIn(page: Page, username = 'registrar', base = '/'): Promise<void> {
  await page.goto(base);
  await page.getByLabel(/Пользователь|Колдонуучу/).fill(username);
  await page.getByLabel(/Пароль|Сырсөз/).fill('kezek');
  await page.keyboard.press('Enter');
  await page.getByTestId('patient-search').waitFor();
}

/** Counts every key press and click the registrar makes after typing the ID. */
export class Actions {
  n = 0;
  constructor(private readonly page: Page) {}
  async press(key: string): Promise<void> {
    this.n++;
    await this.page.keyboard.press(key);
  }
}

/** The five Enters of the keyboard flow, each after the screen it needs is ready; `time` clicks that time instead of the first free one. */
export async function enterThroughBooking(page: Page, time?: string, atPicker?: () => Promise<void>): Promise<void> {
  await page.keyboard.press('Enter');
  await page.getByTestId('patient-card').waitFor();
  // The list must have the keyboard (it may already be on screen from this patient's last search).
  await expect(page.getByTestId('specialties')).toBeFocused();
  await page.keyboard.press('Enter');
  await page.getByTestId('slot-grid').waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('day-slots').waitFor();
  await atPicker?.();
  if (time)
    await page
      .getByTestId('day-slots')
      .getByRole('option', { name: new RegExp(`^${time}`) })
      .click();
  else await page.keyboard.press('Enter');
  await page.getByTestId('confirm').waitFor();
  await page.keyboard.press('Enter');
}

/**
 * A barcode scanner: the code's keys and Enter in one burst, as the scanner's USB keyboard sends them — dispatched in
 * one go inside the page, so a busy machine (another test suite beside this one) cannot spread them past the desk's
 * 50 ms scan gap the way separate keystrokes from the test runner can.
 */
export async function scan(page: Page, code: string): Promise<void> {
  await page.evaluate((text) => {
    const target = document.activeElement ?? document.body;
    for (const key of [...text, 'Enter']) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, code);
}

/** A desk's RPC over its HTTP port, as the page calls it (for what a test sets up around the screen it looks at). */
export function deskRpc(url: string) {
  return async (method: string, input: unknown, token?: string) => {
    const r = await fetch(`${url}/rpc/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(input),
    });
    const body = (await r.json()) as { data?: any; error?: unknown };
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.data;
  };
}
