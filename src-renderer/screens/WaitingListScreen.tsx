import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { localName } from '../../src-shared/i18n/index.js';
import { METHOD_CHANGES } from '../../src-shared/rpc/changes.js';
import type { DirectoryView, WaitingView } from '../../src-shared/rpc/views.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { invalidate, qk } from '../lib/query-keys.js';
import { call, RpcError } from '../lib/rpc.js';

/** HH:MM of an instant in the clinic's time zone. */
const clock = (ms: number, zone: string) => new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(ms);

/**
 * The waiting list (issue 21): who waits for which time, in the order they are offered freed ones, and the offers the
 * server holds for them — the patient's answer is taken here (or on the call list), and the server books it.
 */
export function WaitingListScreen({ directory }: { directory: DirectoryView }) {
  const { t, lang } = useI18n();
  const notify = useNotify();
  const qc = useQueryClient();
  const [all, setAll] = useState(false);
  const list = useQuery({ queryKey: qk.waiting(all), queryFn: () => call('waiting.list', { all }) });
  const fail = (e: unknown) => notify(e instanceof RpcError ? e.message : String(e), 'error');
  const answer = useMutation({
    mutationFn: (v: { id: string; slotId: string; answer: 'accept' | 'decline' }) => call('waiting.answer', v),
    onSuccess: (_r, v) => {
      notify(t(v.answer === 'accept' ? 'waiting.accepted' : 'waiting.declined'));
      invalidate(qc, METHOD_CHANGES['waiting.answer']!);
    },
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: (id: string) => call('waiting.remove', { id }),
    onSuccess: () => {
      notify(t('waiting.removed'));
      invalidate(qc, METHOD_CHANGES['waiting.remove']!);
    },
    onError: fail,
  });
  const print = useMutation({ mutationFn: (appointmentId: string) => call('tickets.print', { appointmentId }), onError: fail });
  const specialty = (id: string) => {
    const s = directory.specialties.find((x) => x.id === id);
    return s ? localName(s.name, lang) : id;
  };
  const wish = (e: WaitingView) =>
    t('waiting.wish', { specialty: specialty(e.specialtyId), doctor: e.doctorName ?? t('waiting.anyDoctor'), from: fmtDate(e.fromDate), to: fmtDate(e.toDate), part: t(`waiting.parts.${e.part}`) });

  return (
    <div className="calls pad">
      <div className="row between">
        <h2>{t('waiting.tab')}</h2>
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="wl-all" /> {t('waiting.showAll')}
        </label>
      </div>
      {list.data?.length === 0 && <p className="muted">{t('waiting.empty')}</p>}
      <ol className="task-list" data-testid="waiting-list">
        {list.data?.map((e) => (
          <li key={e.id} className={`card task wl-${e.status}`} data-testid="waiting-entry">
            <div className="row between">
              <b>{e.patientName}</b>
              <span className="phone">{e.phone}</span>
            </div>
            <div className="muted">
              {wish(e)} · <span data-testid="wl-status">{t(`waiting.status.${e.status}`)}</span>
              {e.pending && <span className="urgent"> · {t('waiting.pending')}</span>}
              {e.offers > 0 && <span> · {t('waiting.offers', { n: e.offers })}</span>}
            </div>
            {e.offer && (
              <div className="wl-offer" data-testid="wl-offer">
                <b>
                  {t('waiting.offer', {
                    date: fmtDate(e.offer.date),
                    time: e.offer.time,
                    doctor: e.offer.doctorName,
                    cabinet: e.offer.cabinet,
                    until: clock(e.offer.expiresAt, directory.organization.timezone),
                  })}
                </b>{' '}
                <span className="muted">({t(`waiting.via.${e.offer.via}`)})</span>
              </div>
            )}
            {e.booking && (
              <div className="wl-offer" data-testid="wl-booking">
                <b>
                  {fmtDate(e.booking.date)} {e.booking.time}, {e.booking.doctorName} · {e.booking.ticketCode}
                </b>
              </div>
            )}
            <div className="actions">
              {e.offer && e.answered === null && (
                <>
                  <button type="button" className="primary" onClick={() => answer.mutate({ id: e.id, slotId: e.offer!.slotId, answer: 'accept' })} data-testid="wl-accept">
                    {t('waiting.accept')}
                  </button>
                  <button type="button" onClick={() => answer.mutate({ id: e.id, slotId: e.offer!.slotId, answer: 'decline' })} data-testid="wl-decline">
                    {t('waiting.decline')}
                  </button>
                </>
              )}
              {e.answered === 'accept' && <span className="muted">{t('waiting.answeredAccept')}</span>}
              {e.status === 'booked' && e.appointmentId && (
                <button type="button" onClick={() => print.mutate(e.appointmentId!)} data-testid="wl-print">
                  {t('waiting.printTicket')}
                </button>
              )}
              {(e.status === 'waiting' || e.status === 'offered') && e.answered === null && (
                <button type="button" className="danger" onClick={() => remove.mutate(e.id)} data-testid="wl-remove">
                  {t('waiting.remove')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
