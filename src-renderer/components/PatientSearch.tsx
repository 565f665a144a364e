import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PatientMatches, PatientSummary } from '../../src-shared/rpc/views.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';
import { ticketCodeFromScan } from '../../src-shared/print/ticket-layout.js';

/**
 * The desk's entry point: focused on open; ID, surname or phone, then Enter. Many matches are
 * counted and shown a page at a time (PgDn / PgUp, or the arrows past either end).
 */
export function PatientSearch({
  onPick,
  onScan,
  onRegister,
  onMiss,
  focusKey,
}: {
  onPick(p: PatientSummary): void;
  /**
   * A search that picked nobody — not found, several found, or refused (a mistyped PIN): the patient picked
   * before is no longer the one in front of the desk, and must not stay ready to book (issue 23 finding 2).
   */
  onMiss(): void;
  onScan(code: string): void;
  /** Nobody found: register a new patient, with what was typed if it is an ID. */
  onRegister?(query: string): void;
  focusKey: number;
}) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<PatientMatches | null>(null);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focusKey is the parent's "search again" signal
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusKey]);

  // The highlighted match stays in sight when the arrows move past the visible rows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the highlight or the page changes
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, results]);

  const search = async (offset: number, highlight: 'first' | 'last' = 'first') => {
    setError(null);
    try {
      const found = await call('patients.find', { query, offset });
      if (found.total === 1 && offset === 0) {
        setResults(null);
        onPick(found.items[0]!);
      } else {
        // Paging through one search's matches keeps them; a new search that picks nobody lets go of the last patient.
        if (offset === 0) onMiss();
        setResults(found);
        setActive(highlight === 'first' ? 0 : found.items.length - 1);
        if (found.total === 0) setError(t('ui.notFound'));
      }
    } catch (e) {
      onMiss();
      setResults(null);
      setError(e instanceof RpcError ? e.message : String(e));
    }
  };

  const hasNext = results !== null && results.offset + results.items.length < results.total;
  const hasPrev = results !== null && results.offset > 0;
  const onKey = (e: KeyboardEvent) => {
    const many = results !== null && results.items.length > 0;
    if (e.key === 'Enter') {
      e.preventDefault();
      if (many) onPick(results.items[active]!);
      else if (ticketCodeFromScan(query)) {
        // A ticket scanned into the search field: check the patient in (R18).
        onScan(query);
        setQuery('');
      } else void search(0);
    } else if (many && (e.key === 'PageDown' || (e.key === 'ArrowDown' && active === results.items.length - 1))) {
      e.preventDefault();
      if (hasNext) void search(results.offset + results.items.length);
    } else if (many && (e.key === 'PageUp' || (e.key === 'ArrowUp' && active === 0))) {
      e.preventDefault();
      if (hasPrev) void search(Math.max(0, results.offset - results.items.length), e.key === 'ArrowUp' ? 'last' : 'first');
    } else if (many && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => Math.max(0, Math.min(results.items.length - 1, a + (e.key === 'ArrowDown' ? 1 : -1))));
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
      {onRegister && results?.total === 0 && (
        <button type="button" className="link" onClick={() => onRegister(query)} data-testid="register-new">
          {t('ui.registerNew')}
        </button>
      )}
      {results && results.items.length > 0 && (
        <>
          <p className="muted small" data-testid="search-count">
            {t('ui.foundCount', { total: results.total, from: results.offset + 1, to: results.offset + results.items.length })}
            {(hasNext || hasPrev) && <> · {t('ui.pageKeys')}</>}
          </p>
          <div className="results" role="listbox" ref={list} data-testid="search-results">
            {results.items.map((p, i) => (
              <div
                key={p.id}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                className={i === active ? 'active' : ''}
                onClick={() => onPick(p)}
                onKeyDown={(e) => e.key === 'Enter' && onPick(p)}
              >
                <b>{p.fullName}</b>{' '}
                <span className="muted">
                  {fmtDate(p.birthDate)} · {p.nationalId}
                </span>
                {!p.attached && <span className="badge bad">{t('ui.notAttached')}</span>}
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
