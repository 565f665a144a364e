import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { parseEnrollmentQr } from '../../src-shared/sync/enrollment-code.js';
import { useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';
import { invalidate } from '../lib/query-keys.js';

/**
 * The server refuses this PC (revoked, or restored from before its enrollment): the administrator types the
 * console's new code — or scans its QR — and the desk enrolls again keeping everything it holds.
 */
export function EnrollAgainDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const again = useMutation({
    mutationFn: (c: string) => call('sync.enrollAgain', { code: c }),
    onSuccess: () => {
      invalidate(qc, ['sync']);
      onClose();
    },
  });
  // The console's QR typed by the scanner: take its code (the server stays the one this desk knows).
  const typed = (text: string) => setCode(parseEnrollmentQr(text)?.code ?? text);
  // Above the page, not inside the status bar that opens it (whose one-line layout it would inherit).
  return createPortal(
    <div className="modal-backdrop">
      <form
        className="modal form"
        role="dialog"
        aria-modal="true"
        aria-label={t('ui.enrollAgain')}
        onSubmit={(e) => {
          e.preventDefault();
          again.mutate(code);
        }}
      >
        <h3>{t('ui.enrollAgain')}</h3>
        <p className="muted">{t('ui.enrollAgainHint')}</p>
        <label>
          {t('ui.enrollCodeLabel')}
          {/* biome-ignore lint/a11y/noAutofocus: the dialog opens to be typed or scanned into */}
          <input autoFocus value={code} onChange={(e) => typed(e.target.value)} placeholder="XXXX-XXXX-XXXX" data-testid="enroll-again-code" />
        </label>
        {again.error && (
          <p className="error" role="alert">
            {again.error instanceof RpcError ? again.error.message : String(again.error)}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={again.isPending || code.trim().length < 4}>
            {t('ui.enrollAgainGo')}
          </button>
          <button type="button" onClick={onClose}>
            {t('ui.cancel')}
          </button>
        </div>
      </form>
    </div>,
    document.body,
  );
}
