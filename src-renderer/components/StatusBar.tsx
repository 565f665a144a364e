import { useI18n } from '../lib/i18n.js';
import { LangSwitch } from './LangSwitch.js';
import { PrinterState } from './PrinterState.js';
import { SyncState } from './SyncState.js';

/** Always-visible state: sync, the printer, who is signed in, on which desk. */
export function StatusBar({
  user,
  isAdmin,
  devicePrefix,
  timezone,
  onSignOut,
  onChangePassword,
}: {
  user: string;
  isAdmin: boolean;
  devicePrefix: string;
  timezone: string;
  onSignOut(): void;
  onChangePassword(): void;
}) {
  const { t } = useI18n();
  return (
    <footer className="statusbar">
      <SyncState timezone={timezone} canEnrollAgain={isAdmin} />
      <span className="sep">|</span>
      <PrinterState />
      <span className="grow" />
      <span className="muted">{devicePrefix}</span>
      <span className="sep">|</span>
      <button type="button" className="link" onClick={onChangePassword} title={t('ui.changePassword')} data-testid="change-password">
        {user}
      </button>
      <LangSwitch />
      <button type="button" className="link" onClick={onSignOut}>
        {t('ui.signOut')}
      </button>
    </footer>
  );
}
