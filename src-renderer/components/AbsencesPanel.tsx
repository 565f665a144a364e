import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AbsenceKind } from '../../src-shared/rules/absences.js';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import { DoctorSelect } from './DoctorSelect.js';
import { DateField, TimeField } from './DateTimeFields.js';
import { invalidate, qk } from '../lib/query-keys.js';
import { METHOD_CHANGES } from '../../src-shared/rpc/changes.js';

const KINDS: AbsenceKind[] = ['sick', 'vacation', 'training', 'absenteeism', 'changed_hours', 'dismissal'];
/** The kinds of one day with hours: away for those hours, or working only those hours. */
const BY_HOURS: ReadonlySet<AbsenceKind> = new Set(['absenteeism', 'changed_hours']);

/**
 * Doctors' absences (R8): an absence is entered here and takes effect
 * on this desk at once; the patients it takes away go to the call list. Below, the absences that
 * are not over, with how many patients are still to be phoned.
 */
export function AbsencesPanel({ directory }: { directory: DirectoryView }) {
  const { t } = useI18n();
  const notify = useNotify();
  const qc = useQueryClient();
  const doctors = directory.doctors.filter((d) => d.active);
  const [doctorId, setDoctorId] = useState(doctors[0]?.id ?? '');
  const [kind, setKind] = useState<AbsenceKind>('sick');
  const [fromDate, setFrom] = useState(directory.today);
  const [toDate, setTo] = useState(directory.today);
  const [hours, setHours] = useState({ from: '08:00', to: '12:00' });
  const [note, setNote] = useState('');
  const absences = useQuery({ queryKey: qk.absences(), queryFn: () => call('schedule.listAbsences', {}) });
  const enter = useMutation({
    mutationFn: () =>
      call('schedule.enterAbsence', {
        doctorId,
        kind,
        fromDate,
        toDate: kind === 'dismissal' ? null : BY_HOURS.has(kind) ? fromDate : toDate,
        hours: BY_HOURS.has(kind) ? hours : null,
        note,
      }),
    onSuccess: (a) => {
      notify(`${t('ui.absenceEntered', { n: a.calls })}${a.verdict === 'queued' ? ` — ${t('ui.verdictQueued')}` : ''}`);
      setNote('');
      invalidate(qc, METHOD_CHANGES['schedule.enterAbsence']!);
    },
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  const _bySpecialty = [...new Set(doctors.map((d) => d.specialtyId))];

  return (
    <>
      <form
        className="card form-grid absence-form"
        data-testid="absence-form"
        onSubmit={(e) => {
          e.preventDefault();
          enter.mutate();
        }}
      >
        <DoctorSelect directory={directory} value={doctorId} onChange={setDoctorId} testId="absence-doctor" />
        <label className="field">
          {t('ui.absenceKindLabel')}
          <select value={kind} onChange={(e) => setKind(e.target.value as AbsenceKind)} data-testid="absence-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`absenceKind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('ui.absenceFrom')}
          <DateField value={fromDate} min={directory.today} onChange={(v) => setFrom(v)} data-testid="absence-from" />
        </label>
        {BY_HOURS.has(kind) ? (
          <div className="field row">
            <label className="field">
              {t('ui.absenceHoursFrom')}
              <TimeField value={hours.from} onChange={(v) => setHours({ ...hours, from: v })} data-testid="absence-hours-from" />
            </label>
            <label className="field">
              {t('ui.absenceHoursTo')}
              <TimeField value={hours.to} onChange={(v) => setHours({ ...hours, to: v })} data-testid="absence-hours-to" />
            </label>
          </div>
        ) : kind === 'dismissal' ? (
          <div className="field muted">{t('ui.openEnded')}</div>
        ) : (
          <label className="field">
            {t('ui.absenceTo')}
            <DateField value={toDate} min={fromDate} onChange={(v) => setTo(v)} data-testid="absence-to" />
          </label>
        )}
        <label className="field wide">
          {t('ui.absenceNote')}
          <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} data-testid="absence-note" />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={enter.isPending || !doctorId} data-testid="absence-save">
            {t('ui.enterAbsence')}
          </button>
        </div>
      </form>
      {absences.data?.length === 0 && <p className="muted">{t('ui.absencesEmpty')}</p>}
      <table className="list absence-list" data-testid="absence-list">
        <tbody>
          {absences.data?.map((a) => (
            <tr key={a.id}>
              <td>{a.doctorName}</td>
              <td>{t(`absenceKind.${a.kind}`)}</td>
              <td>
                {fmtDate(a.fromDate)}
                {a.hours ? ` ${a.hours.from}–${a.hours.to}` : a.toDate === null ? ` — ${t('ui.openEnded')}` : a.toDate !== a.fromDate ? ` — ${fmtDate(a.toDate)}` : ''}
              </td>
              <td className="muted">{a.note}</td>
              <td>{a.calls > 0 && <span className="badge warn">{t('ui.toCall', { n: a.calls })}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
