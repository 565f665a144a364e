import { useState } from 'react';
import { useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';

const MIN_LENGTH = 8;

/** One's own new password: the current one, the new one twice (the desk checks the current one before anything changes). */
export function PasswordForm({ onDone, onCancel }: { onDone(): void; onCancel?(): void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (next.length < MIN_LENGTH) return setError(t('ui.passwordTooShort'));
    if (next !== repeat) return setError(t('ui.passwordsDiffer'));
    setBusy(true);
    setError(null);
    try {
      await call('auth.changePassword', { current, next });
      onDone();
    } catch (e) {
      setError(e instanceof RpcError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="password-form"
      data-testid="password-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        {t('ui.currentPassword')}
        <input
          type="password"
          // biome-ignore lint/a11y/noAutofocus: the dialog opens to be typed in
          autoFocus
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          data-testid="password-current"
        />
      </label>
      <label>
        {t('ui.newPasswordLabel')}
        <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} data-testid="password-next" />
      </label>
      <label>
        {t('ui.repeatPassword')}
        <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} data-testid="password-repeat" />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row between">
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('ui.cancel')}
          </button>
        ) : (
          <span />
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="password-save">
          {t('ui.changePassword')}
        </button>
      </div>
    </form>
  );
}
