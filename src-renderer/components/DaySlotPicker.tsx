import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DaySlot } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';

/**
 * One doctor-day's times; only free ones can be chosen. Arrows + Enter. A dot
 * marks this desk's leased times (bookable with a guarantee even offline);
 * times leased to another desk cannot be chosen here.
 */
export function DaySlotPicker({ slots, title, onPick }: { slots: DaySlot[]; title: string; onPick(s: DaySlot): void }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const free = slots.filter((s) => s.state === 'free' && s.lease !== 'other');
  const hasMine = slots.some((s) => s.lease === 'mine' && s.state === 'free');
  const hasOther = slots.some((s) => s.lease === 'other' && s.state === 'free');
  const [active, setActive] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new day's times (a new array) start again at the first and take the keyboard
  useEffect(() => {
    setActive(0);
    box.current?.focus();
  }, [slots]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(free.length - 1, a + 1));
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter' && free[active]) {
      e.preventDefault();
      onPick(free[active]!);
    }
  };

  return (
    <section className="day">
      <h3>
        {t('ui.chooseTime')}: {title}
      </h3>
      {/* A listbox that keeps the keyboard itself: the highlighted time is its active descendant. */}
      <div
        ref={box}
        tabIndex={0}
        role="listbox"
        aria-label={`${t('ui.chooseTime')}: ${title}`}
        aria-activedescendant={free[active] ? `time-${free[active].slotId}` : undefined}
        className="times"
        data-testid="day-slots"
        onKeyDown={onKey}
      >
        {slots.map((s) => {
          const i = free.indexOf(s);
          return (
            <button
              type="button"
              key={s.slotId}
              id={`time-${s.slotId}`}
              role="option"
              aria-selected={i === active && i >= 0}
              tabIndex={-1}
              className={`time ${s.state} ${s.lease ? `lease-${s.lease}` : ''} ${i === active && i >= 0 ? 'focus' : ''}`}
              disabled={i < 0}
              title={s.lease === 'other' ? t('ui.leaseOther') : s.lease === 'mine' ? t('ui.leaseMine') : t(`channel.${s.channel}`)}
              onClick={() => onPick(s)}
              data-lease={s.lease ?? ''}
            >
              {s.time}
              {s.lease === 'mine' && s.state === 'free' ? ' ●' : ''}
            </button>
          );
        })}
      </div>
      {(hasMine || hasOther) && (
        <p className="muted small lease-legend">
          {hasMine && <span>● {t('ui.leaseMine')}</span>}
          {hasOther && (
            <span>
              <span className="time lease-other swatch" /> {t('ui.leaseOther')}
            </span>
          )}
        </p>
      )}
    </section>
  );
}
