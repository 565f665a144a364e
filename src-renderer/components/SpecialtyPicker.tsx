import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';

interface Props {
  directory: DirectoryView;
  free: Array<{ specialtyId: string; free: number }>;
  selected: string | null;
  autoFocus: boolean;
  /** Changes when the patient is picked again: the list takes the keyboard even if nothing else changed. */
  focusKey: number;
  onPick(id: string): void;
}

/** R25: specialties with their free-ticket counts. Digits 1–9 or arrows + Enter. */
export function SpecialtyPicker({ directory, free, selected, autoFocus, focusKey, onPick }: Props) {
  const { t, lang } = useI18n();
  const list = useRef<HTMLUListElement>(null);
  const firstFree = Math.max(
    0,
    free.findIndex((f) => f.free > 0),
  );
  const [active, setActive] = useState(firstFree);

  useEffect(() => setActive(firstFree), [firstFree]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focusKey is the parent's "patient picked" signal
  useEffect(() => {
    if (autoFocus) list.current?.focus();
  }, [autoFocus, focusKey]);

  const onKey = (e: KeyboardEvent) => {
    const n = Number(e.key);
    if (n >= 1 && n <= Math.min(9, free.length)) {
      e.preventDefault();
      onPick(free[n - 1]!.specialtyId);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowRight' || e.key === 'ArrowUp' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : -1;
      setActive((a) => (a + step + free.length) % free.length);
    } else if (e.key === 'Enter' && free[active]) {
      e.preventDefault();
      onPick(free[active]!.specialtyId);
    }
  };

  return (
    <section className="specialties">
      <h3>
        {t('ui.specialties')} <span className="muted small">{t('ui.chooseSpecialty')}</span>
      </h3>
      <ul ref={list} tabIndex={0} role="listbox" className="spec-list" data-testid="specialties" onKeyDown={onKey}>
        {free.map((f, i) => {
          const s = directory.specialties.find((x) => x.id === f.specialtyId);
          const cls = ['spec', i === active ? 'active' : '', f.specialtyId === selected ? 'selected' : '', f.free === 0 ? 'empty' : ''].join(' ');
          return (
            <li key={f.specialtyId} role="option" aria-selected={f.specialtyId === selected} className={cls} onClick={() => onPick(f.specialtyId)}>
              <span className="key">{i < 9 ? i + 1 : ''}</span>
              <span className="name">{s?.name[lang] ?? f.specialtyId}</span>
              <span className="count" title={t('ui.freeTickets')}>
                {f.free}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
