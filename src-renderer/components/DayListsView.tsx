import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { fmtDate, specialtyLabel, useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import { DateField } from './DateTimeFields.js';
import { qk } from '../lib/query-keys.js';

/** R17: the next working day's list per doctor and the medical cards to pull; thermal or A4. */
export function DayListsView({ directory }: { directory: DirectoryView }) {
  const { t, lang } = useI18n();
  const notify = useNotify();
  const [date, setDate] = useState<string | undefined>(undefined);
  const lists = useQuery({ queryKey: qk.dayLists(date), queryFn: () => call('dayLists.get', { date }) });
  const print = useMutation({
    mutationFn: (which: 'doctors' | 'cards') => call('dayLists.print', { date: lists.data?.date, which, doctorId: null }),
    onSuccess: () => notify(t('ui.listSent')),
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  const spec = (id: string) => specialtyLabel(directory, id, lang, id);
  const d = lists.data;
  return (
    <div className="day-lists">
      <div className="row">
        <DateField value={d?.date ?? ''} onChange={(v) => setDate(v)} data-testid="lists-date" />
        <button type="button" onClick={() => print.mutate('doctors')}>
          {t('ui.printThermal')}: {t('ui.doctorLists')}
        </button>
        <button type="button" onClick={() => print.mutate('cards')}>
          {t('ui.printThermal')}: {t('ui.cardsToPull')}
        </button>
        <button type="button" onClick={() => window.print()}>
          {t('ui.printA4')}
        </button>
      </div>
      {d && (
        <div className="table-wrap print-area lists-print" data-testid="day-lists">
          <h3>
            {t('ui.cardsToPull')} — {fmtDate(d.date)}
          </h3>
          <table className="list">
            <thead>
              <tr>
                <th>{t('ui.patient')}</th>
                <th>{t('ui.birthYear')}</th>
                <th>{t('ui.doctor')}</th>
                <th>{t('ui.cabinet')}</th>
                <th>{t('ui.time')}</th>
              </tr>
            </thead>
            <tbody>
              {d.cards.map((c) => (
                <tr key={c.patientId}>
                  <td>{c.patientName}</td>
                  <td>{c.birthDate.slice(0, 4)}</td>
                  <td>{c.doctorName}</td>
                  <td>{c.cabinet}</td>
                  <td>{c.time}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.doctors.map((doc) => (
            <section key={doc.doctorId} className="doctor-list">
              <h3>
                {doc.doctorName} · {spec(doc.specialtyId)} · {t('ui.cabinet')} {doc.cabinet} — {fmtDate(d.date)}
              </h3>
              <table className="list">
                <tbody>
                  {doc.appointments.map((a) => (
                    <tr key={a.id}>
                      <td>{a.time}</td>
                      <td>{a.queueNumber}</td>
                      <td>{a.patientName}</td>
                      <td>{a.patientNationalId}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
