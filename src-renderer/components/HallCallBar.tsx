import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { HallAction, HallCall } from '../../src-shared/hall/calls.js';
import { useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';

/**
 * The hall's queue screen from today's list (issue 21): **F6** calls the doctor's next checked-in patient to the screen;
 * the last call can be said again or marked "did not come". The registry's desk chooses who is next — it sees the
 * check-ins — and the screen shows the number within a second, with the internet down too.
 */
export function HallCallBar({ doctorId, onError }: { doctorId: string; onError: (message: string | null) => void }) {
  const { t } = useI18n();
  const [last, setLast] = useState<HallCall | null | undefined>(undefined);
  const ask = useMutation({
    mutationFn: (i: { action: HallAction; appointmentId?: string }) => call('hall.ask', { ...i, doctorId }),
    onSuccess: (r, i) => {
      onError(null);
      if (i.action === 'dismiss') setLast(undefined);
      else setLast(r.call);
    },
    onError: (e) => onError(e instanceof RpcError ? e.message : String(e)),
  });
  const next = () => {
    if (doctorId && !ask.isPending) ask.mutate({ action: 'next' });
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F6') return;
      e.preventDefault();
      next();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  if (!doctorId) return null;
  return (
    <div className="row hall-bar" data-testid="hall-bar">
      <button type="button" className="primary" onClick={next} disabled={ask.isPending} data-testid="call-next">
        F6 · {t('hall.callNext')}
      </button>
      {last === null && (
        <span className="muted" data-testid="nobody-waiting">
          {t('hall.nobody')}
        </span>
      )}
      {last && (
        <>
          <strong data-testid="called">{t('hall.called', { number: last.queueNumber, cabinet: last.cabinet })}</strong>
          <button type="button" onClick={() => ask.mutate({ action: 'recall', appointmentId: last.appointmentId })} disabled={ask.isPending}>
            {t('hall.again')}
          </button>
          <button type="button" onClick={() => ask.mutate({ action: 'dismiss', appointmentId: last.appointmentId })} disabled={ask.isPending} data-testid="did-not-come">
            {t('hall.didNotCome')}
          </button>
        </>
      )}
    </div>
  );
}
