import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DirectoryView, SlotSearchResult } from '../../src-shared/rpc/views.js';
import { fmtDate, useI18n, weekday } from '../lib/i18n.js';

const isWeekend = (iso: string) => [0, 6].includes(new Date(`${iso}T00:00:00Z`).getUTCDay());

export interface Cell {
  doctorId: string;
  date: string;
  needsConsent: boolean;
}

interface Props {
  directory: DirectoryView;
  result: SlotSearchResult;
  specialtyId: string;
  autoFocus: boolean;
  /** The doctor whose row comes first and holds the keyboard's starting day (the signed-in doctor's own). */
  preferDoctorId?: string | null;
  onPick(c: Cell): void;
}

/** R25: doctors × days over the horizon with free counts; arrows move, Enter opens the day. */
export function DoctorDayGrid({ directory, result, specialtyId, autoFocus, preferDoctorId = null, onPick }: Props) {
  const { t, lang } = useI18n();
  const grid = useRef<HTMLTableElement>(null);
  const byKey = useMemo(() => new Map(result.doctorDays.map((d) => [`${d.doctorId}|${d.date}`, d])), [result]);
  // Rows: the doctors the search offers (R4 may narrow family medicine to the patient's own doctor).
  const rows = useMemo(() => {
    const offered = [...new Set(result.doctorDays.map((d) => d.doctorId))];
    const all = directory.doctors.filter((d) => d.specialtyId === specialtyId && d.active).map((d) => d.id);
    const narrowed = result.doctorDays.some((d) => d.needsConsent) || offered.length < all.length;
    const shown = narrowed && offered.length > 0 ? offered : all;
    // The signed-in doctor's own row first: their own schedule is where the keyboard starts.
    return preferDoctorId && shown.includes(preferDoctorId) ? [preferDoctorId, ...shown.filter((d) => d !== preferDoctorId)] : shown;
  }, [result, directory, specialtyId, preferDoctorId]);
  // Weekend columns only where someone works (KZ and RU clinics open on Saturdays).
  const dates = useMemo(() => result.dates.filter((d) => !isWeekend(d) || result.doctorDays.some((x) => x.date === d)), [result]);
  // The earliest free day — with the patient's own family doctor if they have one (R4: another doctor needs consent, so it is never the default).
  const first = useMemo(() => {
    const own = preferDoctorId ? rows.indexOf(preferDoctorId) : -1;
    if (own >= 0)
      for (let c = 0; c < dates.length; c++) {
        const d = byKey.get(`${rows[own]}|${dates[c]}`);
        if (d && d.free > 0) return { r: own, c };
      }
    for (const consent of [false, true])
      for (let c = 0; c < dates.length; c++)
        for (let r = 0; r < rows.length; r++) {
          const d = byKey.get(`${rows[r]}|${dates[c]}`);
          if (d && d.free > 0 && d.needsConsent === consent) return { r, c };
        }
    return { r: 0, c: 0 };
  }, [rows, dates, byKey, preferDoctorId]);
  const [pos, setPos] = useState(first);
  useEffect(() => setPos(first), [first]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search result takes the keyboard again
  useEffect(() => {
    if (autoFocus) grid.current?.focus();
  }, [autoFocus, result]);

  const pick = (r: number, c: number) => {
    const d = byKey.get(`${rows[r]}|${dates[c]}`);
    if (d && d.free > 0) onPick({ doctorId: d.doctorId, date: d.date, needsConsent: d.needsConsent });
  };
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const m = moves[e.key];
    if (m) {
      e.preventDefault();
      setPos((p) => ({ r: Math.max(0, Math.min(rows.length - 1, p.r + m[0])), c: Math.max(0, Math.min(dates.length - 1, p.c + m[1])) }));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(pos.r, pos.c);
    }
  };

  return (
    <div className="grid-wrap">
      {/* A grid that keeps the keyboard itself: the highlighted doctor-day is its active descendant. */}
      <table
        ref={grid}
        tabIndex={0}
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: WAI-ARIA's grid pattern is a table whose cells the arrows walk
        role="grid"
        aria-label={t('ui.doctor')}
        aria-activedescendant={`cell-${pos.r}-${pos.c}`}
        className="grid"
        data-testid="slot-grid"
        onKeyDown={onKey}
      >
        <thead>
          <tr>
            <th className="doc">{t('ui.doctor')}</th>
            {dates.map((d) => (
              <th key={d} className={d === result.today ? 'today' : ''}>
                <div>{weekday(d, lang)}</div>
                <div>
                  {d.slice(8, 10)}.{d.slice(5, 7)}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((docId, r) => {
            const doc = directory.doctors.find((d) => d.id === docId);
            return (
              <tr key={docId}>
                <th className="doc" title={doc?.fullName}>
                  <div className="docname">{doc?.fullName}</div>
                  <div className="muted small">
                    {t('ui.cabinet')} {doc?.cabinet.number}
                  </div>
                  {result.internetLimits
                    .filter((l) => l.doctorId === docId)
                    .map((l) => (
                      <div key={l.fromDate} className="badge warn small" data-testid="internet-limit">
                        {t('ui.quotaBadge', { percent: l.percent, to: fmtDate(l.toDate) })}
                      </div>
                    ))}
                </th>
                {dates.map((date, c) => {
                  const d = byKey.get(`${docId}|${date}`);
                  const cls = ['cell', d && d.free > 0 ? 'free' : 'none', pos.r === r && pos.c === c ? 'focus' : '', d?.needsConsent ? 'consent' : ''].join(' ');
                  return (
                    // biome-ignore lint/a11y/useKeyWithClickEvents: the grid around it takes the keys (arrows, Enter)
                    <td
                      key={date}
                      id={`cell-${r}-${c}`}
                      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a cell of the grid above
                      role="gridcell"
                      tabIndex={-1}
                      aria-selected={pos.r === r && pos.c === c}
                      className={cls}
                      onClick={() => {
                        setPos({ r, c });
                        pick(r, c);
                      }}
                      title={d && d.free > 0 ? `${d.free} ${t('ui.freeTickets')}` : t('ui.noFree')}
                    >
                      {d && d.free > 0 ? d.free : '—'}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {result.doctorDays.some((d) => d.needsConsent) && <p className="warn small">⚠ {t('ui.otherFamilyDoctor')}</p>}
    </div>
  );
}
