import { useI18n } from '../lib/i18n.js';
import { LangSwitch } from './LangSwitch.js';

/** Always-visible state: sync and printer (placeholders until those issues land), who is signed in, on which desk. */
export function StatusBar({ user, devicePrefix, onSignOut }: { user: string; devicePrefix: string; onSignOut(): void }) {
  const { t } = useI18n();
  return (
    <footer className="statusbar">
      <span className="dot off" /> <span data-testid="sync-state">{t('ui.syncOffline')}</span>
      <span className="sep">|</span>
      <span data-testid="printer-state">{t('ui.printerNone')}</span>
      <span className="grow" />
      <span className="muted">{devicePrefix}</span>
      <span className="sep">|</span>
      <span>{user}</span>
      <LangSwitch />
      <button className="link" onClick={onSignOut}>{t('ui.signOut')}</button>
    </footer>
  );
}
