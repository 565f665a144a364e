import { useEffect, useRef, useState } from 'react';
import type { SetupState } from '../../src-shared/rpc/contract.js';
import { parseEnrollmentQr } from '../../src-shared/sync/enrollment-code.js';
import { LangSwitch } from '../components/LangSwitch.js';
import { useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';

/**
 * The first run of a fresh desk (issue 12): the clinic's server and a one-time code from the
 * installers' console — typed, or its QR scanned with the desk's barcode scanner into any field —
 * then the clinic's download with a progress bar. The demo clinic only when chosen here.
 */
export function SetupWizard({ initial, onReady }: { initial: SetupState; onReady(): void }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState(initial);
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState(initial.deviceName);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(initial.error);

  // While the clinic downloads, follow it; once the desk is open, hand over to sign-in.
  useEffect(() => {
    if (state.state === 'ready') return onReady();
    if (state.state !== 'enrolling') return;
    const timer = setInterval(() => {
      void call('setup.status', {}).then((s) => {
        setState(s);
        if (s.state === 'failed') setError(s.error);
      });
    }, 400);
    return () => clearInterval(timer);
  }, [state.state, onReady]);

  /**
   * A scanned QR arrives as typed text in whichever field had the focus (in either keyboard layout): it fills address
   * and code, and the keyboard goes to the password — the scanner's own Enter right after it submits nothing.
   */
  const scannedAt = useRef(0);
  const passwordField = useRef<HTMLInputElement>(null);
  const typed = (value: string, set: (v: string) => void) => {
    const qr = parseEnrollmentQr(value);
    if (!qr) return set(value);
    setServerUrl(qr.serverUrl);
    setCode(qr.code);
    setError(null); // a new code: the last one's refusal no longer applies
    scannedAt.current = Date.now();
    passwordField.current?.focus();
  };
  const run = async (method: 'setup.enroll' | 'setup.demo') => {
    setError(null);
    try {
      setState(method === 'setup.demo' ? await call('setup.demo', {}) : await call('setup.enroll', { serverUrl: serverUrl.trim(), code, deviceName, password }));
    } catch (e) {
      setError(e instanceof RpcError ? e.message : String(e));
    }
  };
  const p = state.progress;
  const percent = p?.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;

  return (
    <div className="signin">
      <div className="card signin-card setup" data-testid="setup-wizard" lang={lang}>
        <h1>{t('ui.setupTitle')}</h1>
        {state.state === 'enrolling' ? (
          <div data-testid="setup-progress">
            <p>
              {t('ui.downloading')}
              {percent !== null ? `: ${percent} %` : p ? `: ${p.done}` : '…'}
            </p>
            <progress max={100} value={percent ?? undefined} />
          </div>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (password === '' && Date.now() - scannedAt.current < 2000) return passwordField.current?.focus();
              void run('setup.enroll');
            }}
          >
            <p className="muted">{t('ui.setupText')}</p>
            <label>
              {t('ui.serverAddress')}
              <input
                // biome-ignore lint/a11y/noAutofocus: the first field of the wizard, where the scanner's QR goes too
                autoFocus
                value={serverUrl}
                onChange={(e) => typed(e.target.value, setServerUrl)}
                placeholder="http://kezek.oblast.kg:5790"
                data-testid="setup-server"
              />
            </label>
            <label>
              {t('ui.enrollCodeLabel')}
              <input value={code} onChange={(e) => typed(e.target.value, setCode)} placeholder="XXXX-XXXX-XXXX" data-testid="setup-code" />
            </label>
            <label>
              {t('ui.pcName')}
              <input value={deviceName} maxLength={100} onChange={(e) => typed(e.target.value, setDeviceName)} data-testid="setup-name" />
            </label>
            <label>
              {t('ui.firstPassword')}
              <input ref={passwordField} type="password" value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby="setup-password-hint" data-testid="setup-password" />
              {/* Said below the field, whole: as a placeholder it was cut off (issue 23 finding 11). */}
              <small className="muted" id="setup-password-hint">
                {t('ui.firstPasswordHint')}
              </small>
            </label>
            {error && (
              <p className="error" role="alert">
                {error}
              </p>
            )}
            <div className="row between">
              <LangSwitch />
              <button type="submit" className="primary" data-testid="setup-connect">
                {t('ui.connect')}
              </button>
            </div>
            <hr />
            <button type="button" className="link" onClick={() => void run('setup.demo')} title={t('ui.demoHint')} data-testid="setup-demo">
              {t('ui.demoClinic')}
            </button>
            <span className="muted small"> — {t('ui.demoHint')}</span>
          </form>
        )}
      </div>
    </div>
  );
}
