import { useState, type FormEvent } from 'react';
import type { Session } from '../../src-shared/rpc/views.js';
import { LangSwitch } from '../components/LangSwitch.js';
import { useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';

export function SignInScreen({ onSignedIn, sessionEnded }: { onSignedIn(s: Session): void; sessionEnded: boolean }) {
  const { t, lang } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await call('auth.signIn', { username, password, lang }));
    } catch (err) {
      setError(err instanceof RpcError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={submit}>
        <h1>{t('ui.appName')}</h1>
        {sessionEnded && (
          <p className="warn" role="status" data-testid="session-ended">
            {t('ui.sessionEnded')}
          </p>
        )}
        <label>
          {t('ui.username')}
          <input
            // biome-ignore lint/a11y/noAutofocus: a keyboard-first desk: the sign-in screen is for typing the name
            autoFocus
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
          />
        </label>
        <label>
          {t('ui.password')}
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row between">
          <LangSwitch />
          <button className="primary" type="submit" disabled={busy}>
            {t('ui.signIn')}
          </button>
        </div>
      </form>
    </div>
  );
}
