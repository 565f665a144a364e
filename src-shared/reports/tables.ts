import type { RegisterCell } from '../register/table.js';
import type { Report } from './report.js';

export interface ReportTableContext {
  t(key: string, params?: Record<string, string | number>): string;
  doctorName(id: string): string;
  specialtyName(id: string): string;
}

export interface ReportTable {
  title: string;
  header: string[];
  rows: RegisterCell[][];
}

const percent = (part: number, whole: number): string => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)} %`);
const RESULTS = ['booked', 'refused', 'declined', 'cancelled', 'moved', 'out_of_schedule', 'home_visit', 'waiting_list'] as const;

/** The report as tables — one definition for the screen's figures, the A4 print, and the XLSX and CSV files. */
export function reportTables(r: Report, c: ReportTableContext): ReportTable[] {
  const channels = [...new Set(r.requests.map((x) => x.channel))];
  const count = (channel: string, result: string) => r.requests.find((x) => x.channel === channel && x.result === result)?.n ?? 0;
  return [
    {
      title: c.t('ui.reportRequests'),
      header: [c.t('ui.channel'), ...RESULTS.map((x) => c.t(`registerResult.${x}`)), c.t('ui.total')],
      rows: channels.map((ch) => [c.t(`channel.${ch}`), ...RESULTS.map((x) => count(ch, x)), RESULTS.reduce((sum, x) => sum + count(ch, x), 0)]),
    },
    {
      title: c.t('ui.reportRefusals'),
      header: [c.t('ui.result'), c.t('ui.reason'), c.t('ui.count')],
      rows: r.refusals.map((x) => [c.t(`registerResult.${x.result}`), x.reason ? c.t(`refusal.${x.reason}`) : x.rule ? c.t(`refusal.${x.rule}`) : '', x.n]),
    },
    {
      title: c.t('ui.reportAttendance'),
      header: [c.t('ui.doctor'), c.t('ui.reportBooked'), c.t('ui.reportNoShows'), c.t('ui.reportCancelled'), c.t('ui.reportLate')],
      rows: r.attendance.map((x) => [c.doctorName(x.doctorId), x.booked, x.noShows, x.cancelled, x.late]),
    },
    {
      title: c.t('ui.reportOccupancy'),
      header: [c.t('ui.doctor'), c.t('ui.reportBookable'), c.t('ui.reportBooked'), c.t('ui.reportShare')],
      rows: r.occupancy.map((x) => [c.doctorName(x.doctorId), x.bookable, x.booked, percent(x.booked, x.bookable)]),
    },
    {
      title: c.t('ui.reportEarliest'),
      header: [c.t('ui.specialty'), c.t('ui.reportEarliestDate'), c.t('ui.reportDays')],
      rows: r.earliest.map((x) => [
        c.specialtyName(x.specialtyId),
        x.date ? x.date.split('-').reverse().join('.') : c.t('ui.reportNoneUntil', { date: r.horizonEnd.split('-').reverse().join('.') }),
        x.days ?? '—',
      ]),
    },
    {
      title: c.t('waiting.report.title'),
      header: [
        c.t('ui.specialty'),
        c.t('waiting.report.added'),
        c.t('waiting.report.booked'),
        c.t('waiting.report.share'),
        c.t('waiting.report.median'),
        c.t('waiting.report.closed'),
        c.t('waiting.report.open'),
      ],
      rows: r.waiting.map((x) => [c.specialtyName(x.specialtyId), x.added, x.booked, percent(x.booked, x.added), x.medianHours ?? '—', x.closed, x.open]),
    },
  ];
}
