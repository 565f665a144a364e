import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../lib/i18n.js';

/**
 * A modal with the primary action focused, so Enter confirms and Esc goes back. A `form` dialog takes the
 * keyboard at its first field instead (its action is not ready until the fields are filled), and Enter in
 * one of its fields confirms once it is ready — a keyboard-first desk never needs the mouse (issue 23).
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  dismissLabel,
  busy,
  danger = false,
  form = false,
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
  /** Fields to fill first: the keyboard starts in the first one, and Enter in a field confirms. */
  form?: boolean;
  /** Other keys pressed anywhere in the dialog (digits choosing an option). */
  onKey?(e: KeyboardEvent): void;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const ok = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: where the keyboard starts is decided once, when the dialog opens
  useEffect(() => {
    if (form) box.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    else ok.current?.focus();
  }, []);
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid="confirm"
        ref={box}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          } else if (form && e.key === 'Enter' && e.target instanceof HTMLInputElement) {
            e.preventDefault();
            e.stopPropagation();
            if (!busy) onConfirm();
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
