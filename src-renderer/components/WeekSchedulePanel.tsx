import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ScheduleTemplate, TemplateInterval } from '../../src-shared/domain/directory.js';
import type { SlotChannel } from '../../src-shared/domain/enums.js';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { internetShare } from '../../src-shared/slots/generate.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import { DoctorSelect } from './DoctorSelect.js';
import { DateField, TimeField } from './DateTimeFields.js';
import { invalidate, qk } from '../lib/query-keys.js';
import { METHOD_CHANGES } from '../../src-shared/rpc/changes.js';

const DAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
const CHANNELS: SlotChannel[] = ['registry', 'doctor', 'internet', 'priority'];
type Week = ScheduleTemplate['week'];

/**
 * A doctor's weekly schedule from a day on: for each weekday the working intervals and whom each
 * is for — the registry, the doctor's repeat visits (R21), internet (R7, at most 30 % of the time,
 * shown as it is typed) or priority patients (R13). The schedule before it ends the day before;
 * patients whose times the new one does not have go to the call list.
 */
export function WeekSchedulePanel({ directory }: { directory: DirectoryView }) {
  const { t } = useI18n();
  const notify = useNotify();
  const qc = useQueryClient();
  const doctors = directory.doctors.filter((d) => d.active);
  const [doctorId, setDoctorId] = useState(doctors[0]?.id ?? '');
  const schedules = useQuery({ queryKey: qk.doctorSchedules(), queryFn: () => call('schedule.doctors', {}) });
  const mine = schedules.data?.find((s) => s.doctorId === doctorId)?.templates ?? [];
  const latest = mine.at(-1);
  const [validFrom, setValidFrom] = useState(directory.today);
  const [slotMinutes, setSlotMinutes] = useState(20);
  const [week, setWeek] = useState<Week>({});
  // A doctor chosen (or their schedule changed): start from the schedule they have — the usual change is a small one.
  const shown = `${doctorId}:${latest?.id ?? ''}`;
  const [loaded, setLoaded] = useState('');
  if (schedules.data && loaded !== shown) {
    setLoaded(shown);
    setWeek(latest?.week ?? {});
    setSlotMinutes(latest?.slotMinutes ?? 20);
  }
  const save = useMutation({
    mutationFn: () => call('schedule.saveTemplate', { doctorId, validFrom, validTo: null, slotMinutes, week }),
    onSuccess: ({ calls, verdict }) => {
      notify(`${t('ui.scheduleSaved', { n: calls })}${verdict === 'queued' ? ` — ${t('ui.verdictQueued')}` : ''}`);
      invalidate(qc, METHOD_CHANGES['schedule.saveTemplate']!);
    },
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  const setDay = (day: string, ivs: TemplateInterval[]) => setWeek({ ...week, [day]: ivs });
  const maxInternet = directory.profile.maxInternetPercent;
  const share = Math.round(internetShare({ id: '', doctorId, validFrom, validTo: null, slotMinutes, week }) * 100);

  return (
    <>
      <div className="card week-head">
        <DoctorSelect directory={directory} value={doctorId} onChange={setDoctorId} testId="week-doctor" />
        <label className="field">
          {t('ui.scheduleFrom')}
          <DateField value={validFrom} min={directory.today} onChange={(v) => setValidFrom(v)} data-testid="week-from" />
        </label>
        <label className="field">
          {t('ui.slotMinutesLabel')}
          <input type="number" min={5} max={120} step={5} value={slotMinutes} onChange={(e) => setSlotMinutes(Number(e.target.value))} data-testid="week-slot-minutes" />
        </label>
        <div className="field muted" data-testid="week-current">
          {t('ui.currentSchedule')}: {mine.length === 0 ? t('ui.noSchedule') : mine.map((s) => `${fmtDate(s.validFrom)}${s.validTo ? `–${fmtDate(s.validTo)}` : ' →'}`).join(', ')}
        </div>
      </div>
      <table className="list week-table" data-testid="week-table">
        <tbody>
          {DAYS.map((day) => (
            <tr key={day} data-testid={`week-day-${day}`}>
              <th>{t(`ui.weekdayShort.${day}`)}</th>
              <td>
                {(week[day] ?? []).map((iv, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: intervals have no identity of their own; the row's place is it
                  <span className="interval" key={i}>
                    <TimeField
                      value={iv.from}
                      onChange={(v) =>
                        setDay(
                          day,
                          (week[day] ?? []).map((x, j) => (j === i ? { ...x, from: v } : x)),
                        )
                      }
                    />
                    –
                    <TimeField
                      value={iv.to}
                      onChange={(v) =>
                        setDay(
                          day,
                          (week[day] ?? []).map((x, j) => (j === i ? { ...x, to: v } : x)),
                        )
                      }
                    />
                    <select
                      value={iv.channel}
                      onChange={(e) =>
                        setDay(
                          day,
                          (week[day] ?? []).map((x, j) => (j === i ? { ...x, channel: e.target.value as SlotChannel } : x)),
                        )
                      }
                    >
                      {CHANNELS.map((c) => (
                        <option key={c} value={c}>
                          {t(`ui.channelName.${c}`)}
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      className="link"
                      onClick={() =>
                        setDay(
                          day,
                          (week[day] ?? []).filter((_, j) => j !== i),
                        )
                      }
                      title={t('ui.removeInterval')}
                    >
                      ✕
                    </button>
                  </span>
                ))}
                <button type="button" className="link" onClick={() => setDay(day, [...(week[day] ?? []), { from: '08:00', to: '12:00', channel: 'registry' }])} data-testid={`week-add-${day}`}>
                  {t('ui.addInterval')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row between week-actions">
        <span className={share > maxInternet ? 'error' : 'muted'} data-testid="week-internet-share">
          {t('ui.internetShareNow', { share, max: maxInternet })}
        </span>
        <span>
          <button type="button" onClick={() => setWeek({ ...week, ...Object.fromEntries(['2', '3', '4', '5'].map((d) => [d, week['1'] ?? []])) })}>
            {t('ui.copyMonday')}
          </button>{' '}
          <button type="button" className="primary" disabled={save.isPending || !doctorId} onClick={() => save.mutate()} data-testid="week-save">
            {t('ui.saveSchedule')}
          </button>
        </span>
      </div>
    </>
  );
}
