import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { reportTables } from '../../src-shared/reports/tables.js';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { addDays } from '../../src-shared/time/dates.js';
import { ReportCharts } from '../components/ReportCharts.js';
import { fmtDate, specialtyLabel, useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import { saveFile } from '../lib/save-file.js';
import { DateField } from '../components/DateTimeFields.js';
import { qk } from '../lib/query-keys.js';

/**
 * The head's reports (issue 11) for a period, a doctor or a specialty: charts on screen, the same
 * figures as tables below them; printable on A4 and saved as XLSX or CSV.
 */
export function ReportsScreen({ directory }: { directory: DirectoryView }) {
  const { t, lang } = useI18n();
  const notify = useNotify();
  const [from, setFrom] = useState(addDays(directory.today, -30));
  const [to, setTo] = useState(directory.today);
  const [doctorId, setDoctorId] = useState('');
  const [specialtyId, setSpecialtyId] = useState('');
  const filter = { from, to, ...(doctorId ? { doctorId } : {}), ...(specialtyId ? { specialtyId } : {}) };
  const report = useQuery({ queryKey: qk.report(filter), queryFn: () => call('reports.get', filter), retry: false });
  const exportAs = useMutation({
    mutationFn: (format: 'csv' | 'xlsx') => call('reports.export', { ...filter, format }),
    onSuccess: saveFile,
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  const tables = report.data
    ? reportTables(report.data, { t, doctorName: (id) => directory.doctors.find((d) => d.id === id)?.fullName ?? id, specialtyName: (id) => specialtyLabel(directory, id, lang) })
    : [];

  return (
    <div className="reports pad">
      <div className="row no-print">
        <h2>{t('ui.reports')}</h2>
        <DateField value={from} onChange={(v) => setFrom(v)} data-testid="report-from" aria-label={t('ui.absenceFrom')} />
        <DateField value={to} onChange={(v) => setTo(v)} data-testid="report-to" aria-label={t('ui.absenceTo')} />
        <select value={specialtyId} onChange={(e) => setSpecialtyId(e.target.value)} data-testid="report-specialty" aria-label={t('ui.specialty')}>
          <option value="">{t('ui.allSpecialties')}</option>
          {directory.specialties.map((s) => (
            <option key={s.id} value={s.id}>
              {specialtyLabel(directory, s.id, lang)}
            </option>
          ))}
        </select>
        <select value={doctorId} onChange={(e) => setDoctorId(e.target.value)} data-testid="report-doctor" aria-label={t('ui.doctor')}>
          <option value="">{t('ui.allDoctors')}</option>
          {directory.doctors
            .filter((d) => !specialtyId || d.specialtyId === specialtyId)
            .map((d) => (
              <option key={d.id} value={d.id}>
                {d.fullName}
              </option>
            ))}
        </select>
        <span className="spacer" />
        <button type="button" onClick={() => window.print()} data-testid="report-print">
          {t('ui.printA4')}
        </button>
        <button type="button" onClick={() => exportAs.mutate('xlsx')} disabled={exportAs.isPending} data-testid="report-xlsx">
          XLSX
        </button>
        <button type="button" onClick={() => exportAs.mutate('csv')} disabled={exportAs.isPending} data-testid="report-csv">
          CSV
        </button>
      </div>
      {report.error && <p className="error">{report.error instanceof RpcError ? report.error.message : String(report.error)}</p>}
      {report.data && (
        <div className="print-area report-body" data-testid="report">
          <h2 className="print-only">
            {directory.organization.name}. {t('ui.reportPeriod', { from: fmtDate(from), to: fmtDate(to) })}
          </h2>
          <ReportCharts report={report.data} directory={directory} />
          {tables.map((x) => (
            <section key={x.title} className="report-table">
              <h3>{x.title}</h3>
              {x.rows.length === 0 ? (
                <p className="muted">{t('ui.reportEmpty')}</p>
              ) : (
                <table className="list">
                  <thead>
                    <tr>
                      {x.header.map((h) => (
                        <th key={h}>{h}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {x.rows.map((r) => (
                      <tr key={String(r[0])}>
                        {r.map((cell, i) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: a table row's cells are its columns, in order
                          <td key={i}>{cell}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
