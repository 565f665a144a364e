import type { KeyboardEvent } from 'react';

/** One of a few options, each with its digit: a dialog passes `digitKey` to its onKey so 1–9 choose. */
export function Choices<T extends string>({
  legend,
  options,
  value,
  onChange,
  testId,
}: {
  legend: string;
  options: ReadonlyArray<{ value: T; label: string }>;
  value: T;
  onChange(v: T): void;
  testId: string;
}) {
  return (
    <fieldset className="choices" data-testid={testId}>
      <legend>{legend}</legend>
      {options.map((o, i) => (
        <label key={o.value}>
          <input type="radio" name={testId} checked={value === o.value} onChange={() => onChange(o.value)} /> <span className="key">{i < 9 ? i + 1 : ''}</span> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Digits 1–9 choose the n-th option. */
export const digitKey =
  <T,>(options: ReadonlyArray<{ value: T }>, onChange: (v: T) => void) =>
  (e: KeyboardEvent) => {
    const n = Number(e.key);
    if (n >= 1 && n <= Math.min(9, options.length)) onChange(options[n - 1]!.value);
  };
