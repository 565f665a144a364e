import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../lib/i18n.js';
import { call } from '../lib/rpc.js';
import { invalidate, qk } from '../lib/query-keys.js';

/** The printer's state in the status bar: model and target, queue, the last error in words, uncertain jobs. */
export function PrinterState() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: qk.printerStatus(), queryFn: () => call('printer.status', {}) });
  const dismiss = useMutation({
    mutationFn: (jobId: string) => call('printer.dismiss', { jobId }),
    onSuccess: () => invalidate(qc, ['printer']),
  });
  const s = status.data;
  if (!s?.configured) return <span data-testid="printer-state">{t('ui.printerNone')}</span>;
  return (
    <span data-testid="printer-state" className="printer-state">
      <span className={`dot ${s.lastError ? 'bad' : 'on'}`} /> {t('ui.printer')}: {s.profileName} ({s.target}) —{' '}
      {s.lastError ? (
        <span className="error" title={s.lastError.message}>
          {s.lastError.message}
        </span>
      ) : s.queued > 0 ? (
        t('ui.printerQueued', { n: s.queued })
      ) : (
        t('ui.printerReady')
      )}
      {s.uncertain.length > 0 && (
        <span className="warn">
          {' '}
          · {t('ui.printerUncertain', { n: s.uncertain.length })}{' '}
          <button type="button" className="link" onClick={() => dismiss.mutate(s.uncertain[0]!.jobId)}>
            {t('ui.dismiss')}
          </button>
        </span>
      )}
    </span>
  );
}
