import { useI18n } from '../lib/i18n.js';
import { LangSwitch } from './LangSwitch.js';
import { PrinterState } from './PrinterState.js';

/** Always-visible state: sync (placeholder until the sync server lands), the printer, who is signed in, on which desk. */
export function StatusBar({ user, devicePrefix, onSignOut }: { user: string; devicePrefix: string; onSignOut(): void }) {
  const { t } = useI18n();
  return (
    <footer className="statusbar">
      <span className="dot off" /> <span data-testid="sync-state">{t('ui.syncOffline')}</span>
      <span className="sep">|</span>
      <PrinterState />
      <span className="grow" />
      <span className="muted">{devicePrefix}</span>
      <span className="sep">|</span>
      <span>{user}</span>
      <LangSwitch />
      <button className="link" onClick={onSignOut}>{t('ui.signOut')}</button>
    </footer>
  );
}
