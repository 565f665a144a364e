import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../lib/i18n.js';

/** A modal with the primary action focused, so Enter confirms and Esc goes back. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  dismissLabel,
  busy,
  danger = false,
  onKey,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The "go back" button's words, where "Отмена" would be ambiguous (in a cancellation dialog). */
  dismissLabel?: string;
  busy: boolean;
  /** The action cannot simply be taken back (a cancellation): the button says so by its colour. */
  danger?: boolean;
  /** Other keys pressed anywhere in the dialog (digits choosing an option). */
  onKey?(e: KeyboardEvent): void;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => ok.current?.focus(), []);
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid="confirm"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          } else if (!(e.target instanceof HTMLInputElement && e.target.type === 'text')) onKey?.(e); // typing a name is not choosing
        }}
      >
        <h2>{title}</h2>
        {children}
        <div className="row end">
          <button type="button" onClick={onCancel}>
            {dismissLabel ?? t('ui.cancel')}
          </button>
          <button type="button" ref={ok} className={danger ? 'primary danger' : 'primary'} disabled={busy} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
