import { useEffect, useRef, useState, type InputHTMLAttributes, type KeyboardEvent } from 'react';
import { useI18n } from '../lib/i18n.js';
import { dateProblem, parseDateInput, parseTimeInput, shiftDate, showDate } from '../../src-shared/time/date-input.js';

type Common = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'min' | 'max'> & { 'data-testid'?: string };

/**
 * A text field typed in the desk's own format, never the browser's: what is wrong is the form's check (so a save
 * stops on it) and is said under the field once the field is left (not at every keystroke of a date half typed).
 */
function TypedField({ text, message, kind, onText, onLeave, ...rest }: Common & { text: string; message: string; kind: 'date' | 'time'; onText(next: string): void; onLeave?(): void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
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
        className={`${kind}-field ${rest.className ?? ''}`}
        placeholder={t(kind === 'date' ? 'ui.datePlaceholder' : 'ui.timePlaceholder')}
        value={text}
        aria-invalid={message !== ''}
        title={message || undefined}
        onChange={(e) => onText(e.target.value)}
        onBlur={() => {
          setLeft(true);
          onLeave?.();
        }}
      />
      {left && message && <span className="field-problem">{message}</span>}
    </>
  );
}

/**
 * A date field that reads and shows dd.mm.yyyy whatever the browser's locale, with the app's own translated message
 * when the text is not a day or is out of bounds (nothing is passed on until it is right). Arrow up and down move a
 * day. `value` and `onChange` are ISO `yyyy-mm-dd`, as the services take dates.
 */
export function DateField({ value, onChange, min, max, required, ...rest }: Common & { value: string; onChange(iso: string): void; min?: string; max?: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(showDate(value));
  // A value set from outside (a PIN's birth date, another day chosen) replaces the text, unless it is what was typed.
  useEffect(() => {
    setText((typed) => (parseDateInput(typed) === value ? typed : showDate(value)));
  }, [value]);
  const problem = dateProblem(text, { min, max, required });
  const change = (next: string) => {
    setText(next);
    const iso = parseDateInput(next);
    if (iso && !dateProblem(next, { min, max })) onChange(iso);
    else if (next.trim() === '') onChange('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const iso = parseDateInput(text);
    if (!iso || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    change(showDate(shiftDate(iso, e.key === 'ArrowUp' ? 1 : -1)));
  };
  return <TypedField {...rest} kind="date" required={required} text={text} message={problem ? t(problem.key, problem.params) : ''} onText={change} onKeyDown={onKeyDown} />;
}

/** A time of day in 24 hours (hh:mm) whatever the browser's locale; `930` becomes 09:30 when the field is left. */
export function TimeField({ value, onChange, ...rest }: Common & { value: string; onChange(hhmm: string): void }) {
  const { t } = useI18n();
  const [text, setText] = useState(value);
  useEffect(() => {
    setText((typed) => (parseTimeInput(typed) === value ? typed : value));
  }, [value]);
  const bad = text.trim() !== '' && parseTimeInput(text) === null;
  return (
    <TypedField
      {...rest}
      kind="time"
      text={text}
      message={bad ? t('ui.timeFormat') : ''}
      onText={(next) => {
        setText(next);
        const hhmm = parseTimeInput(next);
        if (hhmm) onChange(hhmm);
      }}
      onLeave={() => {
        const hhmm = parseTimeInput(text);
        if (hhmm) setText(hhmm);
      }}
    />
  );
}
