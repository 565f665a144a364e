import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { registerResult, type RegisterResult } from '../../src-shared/domain/appointment.js';
import { requestChannel, type RequestChannel } from '../../src-shared/domain/enums.js';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { fmtDate, specialtyLabel, useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';
import { useNotify } from '../lib/notice.js';
import { saveFile } from '../lib/save-file.js';
import { registerTable } from '../../src-shared/register/table.js';
import { DateField } from '../components/DateTimeFields.js';
import { qk } from '../lib/query-keys.js';

/** R15: the register of requests — applicant, recipient, date, result with reason, appointed time, took place. */
export function RegisterScreen({ directory }: { directory: DirectoryView }) {
  const { t, lang } = useI18n();
  const notify = useNotify();
  const [from, setFrom] = useState(directory.today);
  const [to, setTo] = useState(directory.today);
  const [result, setResult] = useState<RegisterResult | ''>('');
  const [doctorId, setDoctorId] = useState('');
  const [channel, setChannel] = useState<RequestChannel | ''>('');
  const [patient, setPatient] = useState('');
  // The patient filter applies from two characters on, as the desk's search does.
  const filter = {
    from,
    to,
    result: result || undefined,
    doctorId: doctorId || undefined,
    channel: channel || undefined,
    patient: patient.trim().length >= 2 ? patient.trim() : undefined,
  };
  const list = useQuery({ queryKey: qk.register(filter), queryFn: () => call('register.list', filter) });
  const table = registerTable(list.data ?? [], {
    t,
    doctorName: (id) => directory.doctors.find((d) => d.id === id)?.fullName ?? '',
    specialtyName: (id) => specialtyLabel(directory, id, lang),
    timezone: directory.organization.timezone,
  });
  const exportAs = useMutation({
    mutationFn: (format: 'csv' | 'xlsx') => call('register.export', { ...filter, format }),
    onSuccess: saveFile,
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });

  return (
    <div className="register pad">
      <div className="row">
        <h2>{t('ui.register')}</h2>
        <DateField value={from} onChange={(v) => setFrom(v)} />
        <DateField value={to} onChange={(v) => setTo(v)} />
        <select value={result} onChange={(e) => setResult(e.target.value as RegisterResult | '')} data-testid="register-result" aria-label={t('ui.result')}>
          {/* Each filter says what it filters, also when it filters nothing (issue 23 finding 11). */}
          <option value="">{t('ui.allResults')}</option>
          {registerResult.options.map((r) => (
            <option key={r} value={r}>
              {t(`registerResult.${r}`)}
            </option>
          ))}
        </select>
        <select value={doctorId} onChange={(e) => setDoctorId(e.target.value)} data-testid="register-doctor" aria-label={t('ui.doctor')}>
          <option value="">{t('ui.allDoctors')}</option>
          {directory.doctors.map((d) => (
            <option key={d.id} value={d.id}>
              {d.fullName}
            </option>
          ))}
        </select>
        <select value={channel} onChange={(e) => setChannel(e.target.value as RequestChannel | '')} data-testid="register-channel" aria-label={t('ui.channel')}>
          <option value="">{t('ui.allChannels')}</option>
          {requestChannel.options.map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
        <input value={patient} onChange={(e) => setPatient(e.target.value)} placeholder={t('ui.registerPatient')} data-testid="register-patient" aria-label={t('ui.patient')} />
        <span className="spacer" />
        <button type="button" onClick={() => window.print()} data-testid="register-print">
          {t('ui.printA4')}
        </button>
        <button type="button" onClick={() => exportAs.mutate('csv')} disabled={exportAs.isPending} data-testid="register-csv">
          {t('ui.exportCsv')}
        </button>
        <button type="button" onClick={() => exportAs.mutate('xlsx')} disabled={exportAs.isPending} data-testid="register-xlsx">
          {t('ui.exportXlsx')}
        </button>
      </div>
      {/* One table for the screen and the A4 print (004 App. 5); the exports are made from the same definition. */}
      <div className="table-wrap print-area">
        <h2 className="print-only">
          {t('ui.registerTitle')} · {directory.organization.name} · {fmtDate(from)} — {fmtDate(to)}
        </h2>
        <table className="list" data-testid="register-list">
          <thead>
            <tr>
              {table.header.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={list.data![i]!.id} className={`res-${list.data![i]!.result}`}>
                {row.map((cell, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed, their position is their identity
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && list.data.length === 0 && <p className="muted">{t('ui.none')}</p>}
      <p className="muted small">
        {fmtDate(from)} — {fmtDate(to)}
      </p>
    </div>
  );
}
