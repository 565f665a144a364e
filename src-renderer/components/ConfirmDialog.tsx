import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../lib/i18n.js';

/** A modal with the primary action focused, so Enter confirms and Esc goes back. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => ok.current?.focus(), []);
  return (
    <div
      className="modal-backdrop"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid="confirm">
        <h2>{title}</h2>
        {children}
        <div className="row end">
          <button type="button" onClick={onCancel}>
            {t('ui.cancel')}
          </button>
          <button type="button" ref={ok} className="primary" disabled={busy} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
