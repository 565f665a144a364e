import { useState } from 'react';
import { useI18n } from '../lib/i18n.js';

/** The on-screen keypad (issue 21): large keys, no keyboard needed; OK once the ID has its digits. */
export function Keypad({ title, digits, onDone, onBack }: { title: string; digits: number; onDone: (value: string) => void; onBack: () => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const press = (d: string) => setValue((v) => (v.length < digits ? v + d : v));
  return (
    <div className="kiosk-keypad" data-testid="kiosk-keypad">
      <h2>{title}</h2>
      <output className="kiosk-entered" data-testid="kiosk-entered">
        {value.padEnd(digits, '·')}
      </output>
      <div className="kiosk-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <button type="button" key={d} onClick={() => press(d)}>
            {d}
          </button>
        ))}
        <button type="button" className="kiosk-key-erase" onClick={() => setValue((v) => v.slice(0, -1))}>
          {t('kiosk.erase')}
        </button>
        <button type="button" onClick={() => press('0')}>
          0
        </button>
        <button type="button" className="kiosk-key-ok" disabled={value.length !== digits} onClick={() => onDone(value)} data-testid="kiosk-keypad-ok">
          {t('kiosk.ok')}
        </button>
      </div>
      <button type="button" className="kiosk-back" onClick={onBack}>
        {t('kiosk.back')}
      </button>
    </div>
  );
}
