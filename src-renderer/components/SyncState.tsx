import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EnrollAgainDialog } from './EnrollAgainDialog.js';
import { fmtInstant, useI18n } from '../lib/i18n.js';
import { call } from '../lib/rpc.js';
import { qk } from '../lib/query-keys.js';

/** Offline-first promise 4: online or not, what waits to upload, what conflicted, when the last sync was, a wrong desk clock. */
export function SyncState({ timezone, canEnrollAgain }: { timezone: string; canEnrollAgain: boolean }) {
  const { t } = useI18n();
  const [enrolling, setEnrolling] = useState(false);
  const status = useQuery({ queryKey: qk.syncStatus(), queryFn: () => call('sync.status', {}) });
  const s = status.data;
  if (!s?.enrolled)
    return (
      <>
        <span className="dot off" /> <span data-testid="sync-state">{t('ui.syncOffline')}</span>
      </>
    );
  const time = s.lastSyncAt ? fmtInstant(s.lastSyncAt, timezone, 'time') : null;
  const registerDays = s.registerAgeMs === null ? null : Math.floor(s.registerAgeMs / 86_400_000);
  const skewMin = s.clockOffsetMs === null ? 0 : Math.round(Math.abs(s.clockOffsetMs) / 60_000);
  // Refused by the server (revoked, or a server restored from before this PC): say only that, what waits, and the way out.
  if (s.lastError === 'unauthorized')
    return (
      <span data-testid="sync-state" className="sync-state">
        <span className="dot bad" />{' '}
        <span className="error" data-testid="sync-revoked">
          {t('ui.syncRevoked')}
        </span>{' '}
        {canEnrollAgain && (
          <button type="button" className="link" onClick={() => setEnrolling(true)} data-testid="enroll-again">
            {t('ui.enrollAgain')}
          </button>
        )}
        {' · '}
        {t('ui.syncPending', { n: s.pending })}
        {enrolling && <EnrollAgainDialog onClose={() => setEnrolling(false)} />}
      </span>
    );
  // The server takes only signed ops of newer desks: what waits stays here until this PC updates (the installer's console shows it).
  if (s.lastError === 'update_required')
    return (
      <span data-testid="sync-state" className="sync-state">
        <span className="dot bad" />{' '}
        <span className="error" data-testid="sync-update-required">
          {t('ui.syncUpdateRequired')}
        </span>
        {' · '}
        {t('ui.syncPending', { n: s.pending })}
      </span>
    );
  return (
    <span data-testid="sync-state" className="sync-state">
      <span className={`dot ${s.online ? 'on' : 'bad'}`} /> {s.online ? t('ui.syncOnline') : t('ui.syncOffline2')}
      {' · '}
      {t('ui.syncPending', { n: s.pending })}
      {s.conflicts > 0 && <span className="error"> · {t('ui.syncConflicts', { n: s.conflicts })}</span>}
      {' · '}
      {time ? t('ui.syncLast', { time }) : t('ui.syncNever')}
      {registerDays !== null && (
        <span className={registerDays > 7 ? 'warn' : undefined} data-testid="register-age">
          {' '}
          · {registerDays <= 0 ? t('ui.registerAgeToday') : t('ui.registerAge', { days: registerDays })}
        </span>
      )}
      {skewMin >= 2 && <span className="warn"> · {t('ui.clockSkew', { min: skewMin })}</span>}
    </span>
  );
}
