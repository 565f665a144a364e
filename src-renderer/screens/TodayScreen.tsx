import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { callReasonText } from '../lib/call-reason.js';
import { fmtInstant, specialtyLabel, useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';
import { DayListsView } from '../components/DayListsView.js';
import { HomeVisitList } from '../components/HomeVisitList.js';
import { invalidate, qk } from '../lib/query-keys.js';
import { HallCallBar } from '../components/HallCallBar.js';

/** Today's list per doctor, with check-in (R18, R12) and no-show. */
export function TodayScreen({ directory, defaultDoctorId }: { directory: DirectoryView; defaultDoctorId: string | null }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const [doctorId, setDoctorId] = useState<string>(defaultDoctorId ?? '');
  const [error, setError] = useState<string | null>(null);
  const [showLists, setShowLists] = useState(false);
  // Refreshed every half minute: who has waited too long (R22) changes with the clock, not only with actions.
  const list = useQuery({ queryKey: qk.today(doctorId), queryFn: () => call('appointments.day', { doctorId: doctorId || undefined }) });
  const overdue = (list.data ?? []).filter((a) => a.overdueWaitMinutes !== null).length;
  const limit = directory.profile.maxWaitMinutes;
  // R6: today's emergencies sent on without a booking.
  const outside = useQuery({ queryKey: qk.outOfSchedule(directory.today), queryFn: () => call('visits.outOfScheduleList', { date: directory.today }) });
  const act = useMutation({
    mutationFn: async ({ kind, id }: { kind: 'checkIn' | 'noShow' | 'fulfil' | 'hall'; id: string }): Promise<void> => {
      if (kind === 'hall') await call('hall.ask', { action: 'call', appointmentId: id });
      else await call(`appointments.${kind}`, { appointmentId: id });
    },
    onSuccess: () => {
      setError(null);
      invalidate(qc, ['bookings', 'sync']);
    },
    onError: (e) => setError(e instanceof RpcError ? e.message : String(e)),
  });
  const spec = (id: string) => specialtyLabel(directory, id, lang, id);

  return (
    <div className="today pad">
      <div className="row">
        <h2>
          {t('ui.todayList')} · {directory.today.split('-').reverse().join('.')}
        </h2>
        <button type="button" className={showLists ? 'chip on' : 'chip'} onClick={() => setShowLists(!showLists)} data-testid="toggle-lists">
          {t('ui.dayLists')}
        </button>
        <select value={doctorId} onChange={(e) => setDoctorId(e.target.value)} data-testid="today-doctor">
          <option value="">{t('ui.allDoctors')}</option>
          {directory.doctors.map((d) => (
            <option key={d.id} value={d.id}>
              {d.fullName} — {spec(d.specialtyId)}
            </option>
          ))}
        </select>
      </div>
      {!showLists && <HallCallBar doctorId={doctorId} onError={setError} />}
      {error && (
        <p className="error banner" role="alert">
          {error}
        </p>
      )}
      {!showLists && overdue > 0 && (
        <p className="banner warn" data-testid="waiting-too-long">
          {t('ui.waitingTooLong', { limit, count: overdue })}
        </p>
      )}
      {showLists ? (
        <DayListsView directory={directory} />
      ) : (
        <div className="table-wrap">
          <table className="list" data-testid="today-list">
            <thead>
              <tr>
                <th>{t('ui.time')}</th>
                <th>№</th>
                <th>{t('ui.patient')}</th>
                <th>{t('ui.doctor')}</th>
                <th>{t('ui.cabinet')}</th>
                <th>{t('ui.result')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(list.data ?? []).map((a) => (
                <tr key={a.id} className={`st-${a.status}${a.overdueWaitMinutes !== null ? ' overdue' : ''}`}>
                  <td>{a.time}</td>
                  <td>{a.queueNumber}</td>
                  <td>
                    {a.patientName}
                    <div className="muted small">{a.patientNationalId}</div>
                    {/* Booked by the patient through a portal, a kiosk or the call centre (issue 20): the registry did not see them yet. */}
                    {(a.channel === 'internet' || a.channel === 'kiosk' || a.channel === 'call_centre') && (
                      <span className="badge" data-testid="electronic-channel">
                        {t(`channel.${a.channel}`)}
                      </span>
                    )}
                  </td>
                  <td>
                    {a.doctorName}
                    <div className="muted small">{spec(a.specialtyId)}</div>
                  </td>
                  <td>{a.cabinet}</td>
                  <td>
                    {t(`status.${a.status}`)}
                    {a.liveQueue && <span className="badge warn">{t('ui.liveQueue')}</span>}
                    {(a.callReason || a.syncState === 'conflict') && (
                      <div className="badge bad" data-testid="void-badge" title={a.callReason ? callReasonText(t, a.callReason) : t('ui.conflictBadge')}>
                        {t('ui.visitWillNotHappen')}
                      </div>
                    )}
                    {a.calledAt !== null && (
                      <span className="badge" data-testid="called-at">
                        {t('hall.calledAt', { time: fmtInstant(a.calledAt, directory.organization.timezone, 'time') })}
                      </span>
                    )}
                    {a.overdueWaitMinutes !== null && (
                      <span className="badge bad" title={t('ui.waitingTooLongHint', { limit })}>
                        {t('ui.waitingMinutes', { minutes: a.overdueWaitMinutes })}
                      </span>
                    )}
                  </td>
                  <td className="actions">
                    {a.status === 'booked' && (
                      <button type="button" onClick={() => act.mutate({ kind: 'checkIn', id: a.id })}>
                        {t('ui.checkIn')}
                      </button>
                    )}
                    {a.status === 'booked' && (
                      <button type="button" onClick={() => act.mutate({ kind: 'noShow', id: a.id })}>
                        {t('ui.noShow')}
                      </button>
                    )}
                    {a.status === 'arrived' && (
                      <button type="button" onClick={() => act.mutate({ kind: 'hall', id: a.id })} data-testid="call-patient">
                        {t('hall.call')}
                      </button>
                    )}
                    {a.status === 'arrived' && (
                      <button type="button" onClick={() => act.mutate({ kind: 'fulfil', id: a.id })}>
                        {t('ui.fulfil')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data?.length === 0 && (
            <p className="muted pad" data-testid="today-empty">
              {t('ui.todayEmpty')}
            </p>
          )}
        </div>
      )}
      {!showLists && <HomeVisitList directory={directory} doctorId={doctorId} />}
      {outside.data && outside.data.length > 0 && (
        <section className="out-of-schedule">
          <h3>{t('ui.outOfScheduleToday')}</h3>
          <table className="list" data-testid="out-of-schedule">
            <tbody>
              {outside.data.map((r) => (
                <tr key={r.id}>
                  <td>{fmtInstant(r.at, directory.organization.timezone, 'time')}</td>
                  <td>{r.patientName ?? r.applicant}</td>
                  <td>{r.reason ? t(`refusal.${r.reason}`) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
