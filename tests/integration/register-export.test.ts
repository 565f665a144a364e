import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestDesk } from '../support/desk.js';

let t: TestDesk;
beforeAll(async () => {
  t = await TestDesk.start();
});
afterAll(() => t.close());

/** Splits the CSV the way Excel reads it (; between fields, "" inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ';') {
      row.push(field);
      field = '';
    } else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  return rows;
}

describe('R15 register of requests exported (004 App. 5; issue 10)', () => {
  it('CSV (UTF-8 with BOM, ;) and XLSX carry the same rows as the screen, translated, in the clinic time zone', async () => {
    const db = t.desk.env.db.sqlite;
    const [p1, p2] = db.prepare("SELECT id, full_name AS name FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 2").all() as Array<{
      id: string;
      name: string;
    }>;
    const slots = db
      .prepare("SELECT id FROM slots WHERE specialty_id = 'family' AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND date > '2026-11-23' ORDER BY start_utc LIMIT 2")
      .all() as Array<{ id: string }>;
    await t.call('appointments.book', { patientId: p1!.id, slotId: slots[0]!.id, channel: 'phone' });
    await t.call('appointments.book', { patientId: p2!.id, slotId: slots[1]!.id });
    await t.call('register.refuse', { patientId: null, applicant: '=SUM(A1) "Иванов"; брат', specialtyId: null, reason: 'intoxication' });
    const screen = await t.call('register.list', {});
    expect(screen).toHaveLength(3);

    const csv = await t.call('register.export', { format: 'csv' });
    expect(csv.fileName).toBe('register-2026-11-23_2026-11-23.csv');
    const text = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(['№', 'Дата обращения', 'Заявитель', 'Обращение', 'Специальность', 'Врач', 'Результат', 'Причина', 'Назначено', 'Состоялся']);
    expect(rows).toHaveLength(4);
    // Newest first, as on the screen; the typed applicant stays text (no formula), quotes and ; intact.
    expect(rows[1]!.slice(2, 8)).toEqual(['\'=SUM(A1) "Иванов"; брат', 'регистратура', '', '', 'Отказ', 'состояние опьянения']);
    expect(rows[2]!.slice(2, 4)).toEqual([p2!.name, 'регистратура']);
    expect(rows[3]!.slice(2, 4)).toEqual([p1!.name, 'телефон']);
    expect(rows[3]![1]).toBe('23.11.2026 09:00'); // the clinic's local time of the request

    const xlsx = await t.call('register.export', { format: 'xlsx' });
    expect(xlsx.fileName.endsWith('.xlsx')).toBe(true);
    const sheet = await readSheet(Buffer.from(xlsx.base64, 'base64'));
    // The same table; an XLSX text cell is never a formula, so it keeps the applicant's words as typed.
    const asTyped = rows.map((r) => r.map((v) => (v.startsWith("'=") ? v.slice(1) : v)));
    expect(sheet.map((r) => r.map((v) => (v === null ? '' : String(v))))).toEqual(asTyped);

    // Kyrgyz on request.
    const ky = Buffer.from((await t.call('register.export', { format: 'csv' }, 'ky')).base64, 'base64').toString('utf8');
    expect(ky).toContain('Кайрылуу күнү');
  });
});
