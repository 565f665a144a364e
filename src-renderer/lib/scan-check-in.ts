import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useI18n } from './i18n.js';
import { useNotify } from './notice.js';
import { call, RpcError } from './rpc.js';
import { useScanner } from './scanner.js';
import { invalidate } from './query-keys.js';
import { METHOD_CHANGES } from '../../src-shared/rpc/changes.js';

/** R18 + R12: a scanned ticket checks its patient in from any screen, and says so. */
export function useCheckInByScan(): (scan: string) => Promise<void> {
  const { t } = useI18n();
  const notify = useNotify();
  const qc = useQueryClient();
  return useCallback(
    async (scan: string) => {
      try {
        const a = await call('appointments.checkInByScan', { scan });
        notify(`${t('ui.scanned', { name: a.patientName, time: a.time })}${a.liveQueue ? ` — ${t('ui.scannedLate')}` : ''}`, a.liveQueue ? 'warn' : 'ok');
        invalidate(qc, METHOD_CHANGES['appointments.checkInByScan']!);
      } catch (e) {
        notify(e instanceof RpcError ? e.message : String(e), 'error');
      }
    },
    [t, notify, qc],
  );
}

export function useScanCheckIn(enabled: boolean): void {
  const checkIn = useCheckInByScan();
  useScanner((scan) => {
    if (enabled) void checkIn(scan);
  });
}
