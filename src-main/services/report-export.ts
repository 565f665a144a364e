import writeExcelFile from 'write-excel-file/node';
import type { Lang } from '../../src-shared/domain/enums.js';
import { localName, translate } from '../../src-shared/i18n/index.js';
import { toCsv } from '../../src-shared/register/table.js';
import type { ReportFilter } from '../../src-shared/reports/report.js';
import { reportTables } from '../../src-shared/reports/tables.js';
import type { Env } from './env.js';
import type { ExportFile } from './register-export.js';
import { buildReport } from './reports.js';

/** The head's report as a file: XLSX with one sheet per part, or CSV with the parts one after another. */
export async function exportReport(env: Env, lang: Lang, f: ReportFilter, format: 'csv' | 'xlsx'): Promise<ExportFile> {
  const t = (key: string, params?: Record<string, string | number>) => translate(lang, key, params);
  const tables = reportTables(buildReport(env, f), {
    t,
    doctorName: (id) => env.directory.doctor(id)?.fullName ?? id,
    specialtyName: (id) => {
      const s = env.directory.specialties.get(id);
      return s ? localName(s.name, lang) : id;
    },
  });
  const name = `report-${f.from}_${f.to}`;
  if (format === 'csv') {
    // Each part: its title on a line of its own, then its table; a blank line between parts.
    const csv = tables.map((x) => toCsv({ header: [x.title], rows: [x.header, ...x.rows] }).replace(/^\ufeff/, '')).join('\r\n');
    return { fileName: `${name}.csv`, mimeType: 'text/csv;charset=utf-8', base64: Buffer.from(`\ufeff${csv}`, 'utf8').toString('base64') };
  }
  const bold = (value: string) => ({ value, fontWeight: 'bold' as const });
  // One sheet per part; Excel allows 31 characters in a sheet's name and none of : \ / ? * [ ].
  const buffer = await writeExcelFile(
    tables.map((x, i) => ({
      data: [x.header.map(bold), ...x.rows],
      sheet: `${i + 1} ${x.title}`.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31),
      columns: x.header.map((_, c) => ({ width: c === 0 ? 34 : 14 })),
      stickyRowsCount: 1,
    })),
  ).toBuffer();
  return { fileName: `${name}.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', base64: buffer.toString('base64') };
}
