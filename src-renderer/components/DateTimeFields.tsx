import { useEffect, useRef, useState, type InputHTMLAttributes, type KeyboardEvent } from 'react';
import { useI18n } from '../lib/i18n.js';
import { dateProblem, parseDateInput, parseTimeInput, shiftDate, showDate } from '../../src-shared/time/date-input.js';

type Common = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'min' | 'max'> & { 'data-testid'?: string };

/**
 * A date field that reads and shows dd.mm.yyyy whatever the browser's locale, with the app's own translated message
 * when the text is not a day or is out of bounds (the form's check shows it; nothing is passed on until it is right).
 * Arrow up and down move a day. `value` and `onChange` are ISO `yyyy-mm-dd`, as the services take dates.
 */
export function DateField({ value, onChange, min, max, required, ...rest }: Common & { value: string; onChange(iso: string): void; min?: string; max?: string }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(showDate(value));
  // A value set from outside (a PIN's birth date, another day chosen) replaces the text, unless it is what was typed.
  useEffect(() => {
    setText((typed) => (parseDateInput(typed) === value ? typed : showDate(value)));
  }, [value]);
  const problem = dateProblem(text, { min, max, required });
  const message = problem ? t(problem.key, problem.params) : '';
  // Said under the field once it is left (not at every keystroke of a date half typed).
  const [left, setLeft] = useState(false);
  useEffect(() => input.current?.setCustomValidity(message), [message]);
  const change = (next: string) => {
    setText(next);
    const iso = parseDateInput(next);
    if (iso && !dateProblem(next, { min, max })) onChange(iso);
    else if (next.trim() === '') onChange('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const iso = parseDateInput(text);
    if (!iso || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    change(showDate(shiftDate(iso, e.key === 'ArrowUp' ? 1 : -1)));
  };
  return (
    <>
      <input
        {...rest}
        ref={input}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className={`date-field ${rest.className ?? ''}`}
        placeholder={t('ui.datePlaceholder')}
        value={text}
        required={required}
        aria-invalid={problem !== null}
        title={message || undefined}
        onChange={(e) => change(e.target.value)}
        onKeyDown={onKey}
        onBlur={() => setLeft(true)}
      />
      {left && message && <span className="field-problem">{message}</span>}
    </>
  );
}

/** A time of day in 24 hours (hh:mm) whatever the browser's locale; `930` becomes 09:30 when the field is left. */
export function TimeField({ value, onChange, ...rest }: Common & { value: string; onChange(hhmm: string): void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(value);
  useEffect(() => {
    setText((typed) => (parseTimeInput(typed) === value ? typed : value));
  }, [value]);
  const bad = text.trim() !== '' && parseTimeInput(text) === null;
  const message = bad ? t('ui.timeFormat') : '';
  const [left, setLeft] = useState(false);
  useEffect(() => input.current?.setCustomValidity(message), [message]);
  return (
    <>
      <input
        {...rest}
        ref={input}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className={`time-field ${rest.className ?? ''}`}
        placeholder={t('ui.timePlaceholder')}
        value={text}
        aria-invalid={bad}
        title={message || undefined}
        onChange={(e) => {
          setText(e.target.value);
          const hhmm = parseTimeInput(e.target.value);
          if (hhmm) onChange(hhmm);
        }}
        onBlur={() => {
          setLeft(true);
          const hhmm = parseTimeInput(text);
          if (hhmm) setText(hhmm);
        }}
      />
      {left && message && <span className="field-problem">{message}</span>}
    </>
  );
}
