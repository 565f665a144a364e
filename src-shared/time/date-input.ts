/**
 * Dates and times as people at a Kyrgyz, Kazakh or Russian desk type them — dd.mm.yyyy and 24 hours — whatever the
 * PC's or the browser's locale (issue 23 finding 10: Chromium's own date and time fields showed mm/dd/yyyy and AM/PM
 * and answered in English). Pure functions: the desk's fields (DateTimeFields.tsx), the installers' console and the tests share them.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** A real calendar day as ISO `yyyy-mm-dd`, or null. */
function isoDay(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d > last ? null : `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * What was typed as a date: `14.03.1985`, `14.3.1985`, `14/03/1985`, `14-03-1985`, `14031985`, or ISO `1985-03-14`
 * (pasted, or a scanner's). Null when it is not a real day.
 */
export function parseDateInput(text: string): string | null {
  const s = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  return m ? isoDay(Number(m[3]), Number(m[2]), Number(m[1])) : null;
}

/** ISO `yyyy-mm-dd` as the desk shows it: dd.mm.yyyy. */
export const showDate = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : iso);

/** The day `days` after an ISO date (arrow keys in a date field). */
export function shiftDate(iso: string, days: number): string {
  const t = Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** What was typed as a time of day, 24 hours: `9:30`, `09:30`, `9.30`, `930`, `0930`, `9` (= 09:00). Null when it is none. */
export function parseTimeInput(text: string): string | null {
  const s = text.trim();
  const m = /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(s) ?? /^(\d{1,2})(\d{2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  return h <= 23 && min <= 59 ? `${pad(h)}:${pad(min)}` : null;
}

/** Why a date is not accepted, as a translation key with its parameters; null when it is. */
export function dateProblem(text: string, bounds: { min?: string; max?: string; required?: boolean }): { key: string; params?: Record<string, string> } | null {
  if (text.trim() === '') return bounds.required ? { key: 'ui.dateFormat' } : null;
  const iso = parseDateInput(text);
  if (!iso) return { key: 'ui.dateFormat' };
  if (bounds.min && iso < bounds.min) return { key: 'ui.dateNotBefore', params: { date: showDate(bounds.min) } };
  if (bounds.max && iso > bounds.max) return { key: 'ui.dateNotAfter', params: { date: showDate(bounds.max) } };
  return null;
}
