import type { RegisterView } from '../rpc/views.js';
import { localParts } from '../time/dates.js';

/**
 * The register of requests as a table (004 App. 5): one definition of its columns for the
 * screen's A4 print, the CSV and the XLSX export, so the three never disagree.
 */
export interface RegisterTableContext {
  t(key: string, params?: Record<string, string | number>): string;
  doctorName(id: string | null): string;
  specialtyName(id: string | null): string;
  timezone: string;
}

export type RegisterCell = string | number;

const when = (ms: number | null, tz: string): string => {
  if (ms === null) return '';
  const { date, time } = localParts(ms, tz);
  return `${date.split('-').reverse().join('.')} ${time}`;
};

export function registerTable(rows: readonly RegisterView[], c: RegisterTableContext): { header: string[]; rows: RegisterCell[][] } {
  const header = ['№', 'ui.requestedAt', 'ui.applicant', 'ui.channel', 'ui.specialty', 'ui.doctor', 'ui.result', 'ui.reason', 'ui.appointedAt', 'ui.tookPlace'].map((k, i) => (i === 0 ? k : c.t(k)));
  const body = rows.map((r, i) => [
    i + 1,
    when(r.at, c.timezone),
    // Someone asked for another person (a parent for a child): both are named.
    r.patientName && r.applicant && r.applicant !== r.patientName ? `${r.applicant} (${c.t('ui.forPatient')} ${r.patientName})` : (r.patientName ?? r.applicant),
    c.t(`channel.${r.channel}`),
    c.specialtyName(r.specialtyId),
    c.doctorName(r.doctorId),
    c.t(`registerResult.${r.result}`),
    // A refusal's closed-list ground, or the rule that declined the request.
    r.reason ? c.t(`refusal.${r.reason}`) : r.rule ? c.t(`refusal.${r.rule}`) : '',
    when(r.appointedAt, c.timezone),
    r.tookPlace === null ? '' : r.tookPlace ? c.t('ui.yes') : c.t('ui.no'),
  ]);
  return { header, rows: body };
}

/** CSV as Excel on a Russian-locale Windows opens it: UTF-8 with a byte-order mark, `;` between fields, CRLF lines. */
export function toCsv(table: { header: string[]; rows: RegisterCell[][] }): string {
  const field = (v: RegisterCell) => {
    // A typed applicant's name starting with = + - @ would be a formula to Excel: kept as text.
    const s = typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : String(v);
    return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\ufeff${[table.header, ...table.rows].map((r) => r.map(field).join(';')).join('\r\n')}\r\n`;
}
