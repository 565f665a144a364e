import { localName } from '../../src-shared/i18n/index.js';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';

interface Props {
  directory: DirectoryView;
  free: Array<{ specialtyId: string; free: number; referralMissing: boolean }>;
  selected: string | null;
  /** The parent asks for the keyboard (a patient picked, Esc back here); the list takes it and says so, once per ask. */
  takeFocus: boolean;
  onFocusTaken(): void;
  onPick(id: string): void;
}

/** R25: specialties with their free-ticket counts. Digits 1–9 or arrows + Enter. */
export function SpecialtyPicker({ directory, free, selected, takeFocus, onFocusTaken, onPick }: Props) {
  const { t, lang } = useI18n();
  const list = useRef<HTMLDivElement>(null);
  const firstFree = Math.max(
    0,
    free.findIndex((f) => f.free > 0 && !f.referralMissing),
  );
  const [active, setActive] = useState(firstFree);
  // R5: a specialty the patient has no referral for is shown, greyed, with the reason; choosing it says why instead.
  const [hint, setHint] = useState<string | null>(null);
  const choose = (f: Props['free'][number]) => (f.referralMissing ? setHint(t('errors.referral_required')) : onPick(f.specialtyId));

  useEffect(() => setActive(firstFree), [firstFree]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: onFocusTaken is a new closure on every render
  useEffect(() => {
    if (!takeFocus) return;
    list.current?.focus();
    onFocusTaken();
  }, [takeFocus]);

  const onKey = (e: KeyboardEvent) => {
    const n = Number(e.key);
    if (n >= 1 && n <= Math.min(9, free.length)) {
      e.preventDefault();
      choose(free[n - 1]!);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowRight' || e.key === 'ArrowUp' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : -1;
      setActive((a) => (a + step + free.length) % free.length);
    } else if (e.key === 'Enter' && free[active]) {
      e.preventDefault();
      choose(free[active]!);
    }
  };

  return (
    <section className="specialties">
      <h3>
        {t('ui.specialties')} <span className="muted small">{t('ui.chooseSpecialty')}</span>
      </h3>
      {/* A listbox that keeps the keyboard itself: the highlighted option is its active descendant. */}
      <div
        ref={list}
        tabIndex={0}
        role="listbox"
        aria-label={t('ui.specialties')}
        aria-activedescendant={free[active] ? `spec-${free[active].specialtyId}` : undefined}
        className="spec-list"
        data-testid="specialties"
        onKeyDown={onKey}
      >
        {free.map((f, i) => {
          const s = directory.specialties.find((x) => x.id === f.specialtyId);
          const cls = ['spec', i === active ? 'active' : '', f.specialtyId === selected ? 'selected' : '', f.free === 0 ? 'empty' : '', f.referralMissing ? 'blocked' : ''].join(' ');
          return (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox around it takes the keys (digits, arrows, Enter)
            <div key={f.specialtyId} id={`spec-${f.specialtyId}`} role="option" tabIndex={-1} aria-selected={i === active} aria-disabled={f.referralMissing} className={cls} onClick={() => choose(f)}>
              <span className="key">{i < 9 ? i + 1 : ''}</span>
              <span className="name">
                {s ? localName(s.name, lang) : f.specialtyId}
                {f.referralMissing && <span className="why">{t('refusal.referral_required')}</span>}
              </span>
              <span className="count" title={t('ui.freeTickets')}>
                {f.free}
              </span>
            </div>
          );
        })}
      </div>
      {hint && (
        <p className="warn small" role="alert" data-testid="specialty-hint">
          {hint}
        </p>
      )}
    </section>
  );
}
