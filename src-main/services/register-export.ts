import writeExcelFile from 'write-excel-file/node';
import type { Lang } from '../../src-shared/domain/enums.js';
import { localName, translate } from '../../src-shared/i18n/index.js';
import { registerTable, toCsv } from '../../src-shared/register/table.js';
import { clinicToday } from './clinic-time.js';
import type { Env } from './env.js';
import { listRegister, type RegisterFilter } from './register.js';

/** Enough for a large clinic's month; more is a period to split. */
export const EXPORT_LIMIT = 5000;

export interface ExportFile {
  fileName: string;
  mimeType: string;
  base64: string;
}

/** R15: the register of requests for a period, as CSV or XLSX, in the user's language. */
export async function exportRegister(env: Env, lang: Lang, f: RegisterFilter, format: 'csv' | 'xlsx'): Promise<ExportFile> {
  const rows = listRegister(env, { ...f, limit: EXPORT_LIMIT });
  const t = (key: string, params?: Record<string, string | number>) => translate(lang, key, params);
  const table = registerTable(rows, {
    t,
    doctorName: (id) => (id ? (env.directory.doctor(id)?.fullName ?? '') : ''),
    specialtyName: (id) => (id ? (env.directory.specialties.get(id) ? localName(env.directory.specialties.get(id)!.name, lang) : '') : ''),
    timezone: env.org.timezone,
  });
  const { today } = clinicToday(env);
  const name = `register-${f.from ?? today}_${f.to ?? f.from ?? today}`;
  if (format === 'csv') return { fileName: `${name}.csv`, mimeType: 'text/csv;charset=utf-8', base64: Buffer.from(toCsv(table), 'utf8').toString('base64') };
  const bold = (value: string) => ({ value, fontWeight: 'bold' as const });
  const buffer = await writeExcelFile([table.header.map(bold), ...table.rows], {
    sheet: t('ui.register').slice(0, 31),
    columns: [{ width: 6 }, { width: 17 }, { width: 34 }, { width: 14 }, { width: 22 }, { width: 30 }, { width: 14 }, { width: 24 }, { width: 17 }, { width: 10 }],
    stickyRowsCount: 1,
  }).toBuffer();
  return { fileName: `${name}.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', base64: buffer.toString('base64') };
}
