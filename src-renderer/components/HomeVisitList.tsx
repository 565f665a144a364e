import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { ageOn } from '../../src-shared/time/dates.js';
import { ageText } from '../../src-shared/i18n/index.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';
import { useNotify } from '../lib/notice.js';
import { invalidate, qk } from '../lib/query-keys.js';
import { METHOD_CHANGES } from '../../src-shared/rpc/changes.js';

/** R24: the day's home visits — the doctor's list, on screen and printed on A4 for the round. */
export function HomeVisitList({ directory, doctorId }: { directory: DirectoryView; doctorId: string }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const notify = useNotify();
  const list = useQuery({ queryKey: qk.homeVisits(directory.today, doctorId), queryFn: () => call('homeVisits.list', { date: directory.today, doctorId: doctorId || undefined }) });
  const setStatus = useMutation({
    mutationFn: (v: { id: string; status: 'done' | 'cancelled' }) => call('homeVisits.setStatus', v),
    onSuccess: () => invalidate(qc, METHOD_CHANGES['homeVisits.setStatus']!),
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  if (!list.data || list.data.length === 0) return null;
  return (
    <section className="home-visits print-area" data-testid="home-visits">
      <div className="row">
        <h3>
          {t('ui.homeVisits')} · {fmtDate(directory.today)}
        </h3>
        <button type="button" className="no-print" onClick={() => window.print()} data-testid="home-visits-print">
          {t('ui.printA4')}
        </button>
      </div>
      <table className="list">
        <tbody>
          {list.data.map((v) => (
            <tr key={v.id} className={`hv-${v.status}`}>
              <td>{v.doctorName}</td>
              <td>
                <b>{v.patientName}</b>, {ageText(lang, ageOn(v.patientBirthDate, v.date))}
              </td>
              <td>{v.address}</td>
              <td>{v.reason}</td>
              <td>{v.callbackPhone}</td>
              <td>{t(`ui.homeVisitStatus.${v.status}`)}</td>
              <td className="no-print">
                {v.status === 'open' && (
                  <>
                    <button type="button" onClick={() => setStatus.mutate({ id: v.id, status: 'done' })}>
                      {t('ui.done')}
                    </button>
                    <button type="button" onClick={() => setStatus.mutate({ id: v.id, status: 'cancelled' })}>
                      {t('ui.cancelVisit')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
