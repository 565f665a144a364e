import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DaySlot } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';

/** One doctor-day's times; only free ones can be chosen. Arrows + Enter. */
export function DaySlotPicker({ slots, title, onPick }: { slots: DaySlot[]; title: string; onPick(s: DaySlot): void }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const free = slots.filter((s) => s.state === 'free');
  const [active, setActive] = useState(0);
  useEffect(() => {
    setActive(0);
    box.current?.focus();
  }, [slots]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(free.length - 1, a + 1)); }
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(0, a - 1)); }
    else if (e.key === 'Enter' && free[active]) { e.preventDefault(); onPick(free[active]!); }
  };

  return (
    <section className="day">
      <h3>{t('ui.chooseTime')}: {title}</h3>
      <div ref={box} tabIndex={0} className="times" data-testid="day-slots" onKeyDown={onKey}>
        {slots.map((s) => {
          const i = free.indexOf(s);
          return (
            <button key={s.slotId} tabIndex={-1} className={`time ${s.state} ${i === active && i >= 0 ? 'focus' : ''}`} disabled={s.state !== 'free'}
              title={t(`channel.${s.channel}`)} onClick={() => onPick(s)}>
              {s.time}
            </button>
          );
        })}
      </div>
    </section>
  );
}
