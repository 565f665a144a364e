import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PatientSummary } from '../../src-shared/rpc/views.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';
import { ticketCodeFromScan } from '../../src-shared/print/ticket-layout.js';

/** The desk's entry point: focused on open; ID, surname or phone, then Enter. */
export function PatientSearch({ onPick, onScan, focusKey }: { onPick(p: PatientSummary): void; onScan(code: string): void; focusKey: number }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<PatientSummary[] | null>(null);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusKey]);

  const search = async () => {
    setError(null);
    try {
      const found = await call('patients.find', { query });
      if (found.length === 1) {
        setResults(null);
        onPick(found[0]!);
      } else {
        setResults(found);
        setActive(0);
        if (found.length === 0) setError(t('ui.notFound'));
      }
    } catch (e) {
      setResults(null);
      setError(e instanceof RpcError ? e.message : String(e));
    }
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (results && results.length > 1) onPick(results[active]!);
      else if (ticketCodeFromScan(query)) {
        // A ticket scanned into the search field: check the patient in (R18).
        onScan(query);
        setQuery('');
      } else void search();
    } else if (results && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => Math.max(0, Math.min(results.length - 1, a + (e.key === 'ArrowDown' ? 1 : -1))));
    }
  };

  return (
    <div className="search">
      <input
        ref={input}
        className="search-input"
        data-testid="patient-search"
        placeholder={t('ui.searchPlaceholder')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setResults(null);
        }}
        onKeyDown={onKey}
        inputMode="search"
        autoComplete="off"
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {results && results.length > 1 && (
        <ul className="results" role="listbox">
          {results.map((p, i) => (
            <li key={p.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onClick={() => onPick(p)}>
              <b>{p.fullName}</b>{' '}
              <span className="muted">
                {fmtDate(p.birthDate)} · {p.nationalId}
              </span>
              {!p.attached && <span className="badge bad">{t('ui.notAttached')}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
