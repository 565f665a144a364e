import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import { DoctorSelect } from './DoctorSelect.js';
import { DateField } from './DateTimeFields.js';
import { invalidate, qk } from '../lib/query-keys.js';
import { METHOD_CHANGES } from '../../src-shared/rpc/changes.js';

/**
 * R7 (000 §5): the head limits a doctor's internet booking for a period to at most 30 % of the
 * doctor's time. The internet times beyond the limit become registry times on every desk; the
 * doctor's grid shows the limit.
 */
export function QuotaPanel({ directory }: { directory: DirectoryView }) {
  const { t } = useI18n();
  const notify = useNotify();
  const qc = useQueryClient();
  const doctors = directory.doctors.filter((d) => d.active);
  const [doctorId, setDoctorId] = useState(doctors[0]?.id ?? '');
  const [fromDate, setFrom] = useState(directory.today);
  const [toDate, setTo] = useState(directory.today);
  const [percent, setPercent] = useState(10);
  const schedules = useQuery({ queryKey: qk.doctorSchedules(), queryFn: () => call('schedule.doctors', {}) });
  const save = useMutation({
    mutationFn: () => call('schedule.setQuota', { doctorId, fromDate, toDate, percent }),
    onSuccess: ({ verdict }) => {
      notify(`${t('ui.quotaSaved')}${verdict === 'queued' ? ` — ${t('ui.verdictQueued')}` : ''}`);
      invalidate(qc, METHOD_CHANGES['schedule.setQuota']!);
    },
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  const name = (id: string) => directory.doctors.find((d) => d.id === id)?.fullName ?? id;
  const quotas = (schedules.data ?? []).flatMap((s) => s.quotas.map((q) => ({ ...q, doctorId: s.doctorId })));

  return (
    <>
      <form
        className="card form-grid quota-form"
        data-testid="quota-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <DoctorSelect directory={directory} value={doctorId} onChange={setDoctorId} testId="quota-doctor" />
        <label className="field">
          {t('ui.absenceFrom')}
          <DateField value={fromDate} min={directory.today} onChange={(v) => setFrom(v)} data-testid="quota-from" />
        </label>
        <label className="field">
          {t('ui.absenceTo')}
          <DateField value={toDate} min={fromDate} onChange={(v) => setTo(v)} data-testid="quota-to" />
        </label>
        <label className="field">
          {t('ui.quotaPercent')}
          <input type="number" min={0} max={100} value={percent} onChange={(e) => setPercent(Number(e.target.value))} data-testid="quota-percent" />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending || !doctorId} data-testid="quota-save">
            {t('ui.setQuota')}
          </button>
        </div>
      </form>
      <table className="list quota-list" data-testid="quota-list">
        <tbody>
          {quotas.map((q) => (
            <tr key={q.id}>
              <td>{name(q.doctorId)}</td>
              <td>
                {fmtDate(q.fromDate)} — {fmtDate(q.toDate)}
              </td>
              <td>≤ {q.percent} %</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
