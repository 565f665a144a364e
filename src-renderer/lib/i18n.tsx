import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Lang } from '../../src-shared/domain/enums.js';
import { localName, translate } from '../../src-shared/i18n/index.js';
import { localParts } from '../../src-shared/time/dates.js';
import { setRpcLang } from './rpc.js';

type T = (key: string, params?: Record<string, string | number>) => string;
const Ctx = createContext<{ lang: Lang; setLang(l: Lang): void; t: T } | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const saved = localStorage.getItem('kezek.lang');
    return saved === 'ky' || saved === 'kk' ? saved : 'ru';
  });
  const value = useMemo(() => {
    setRpcLang(lang);
    document.documentElement.lang = lang;
    return {
      lang,
      setLang: (l: Lang) => {
        localStorage.setItem('kezek.lang', l);
        setLangState(l);
      },
      t: ((key, params) => translate(lang, key, params)) as T,
    };
  }, [lang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n() {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** dd.mm.yyyy, as clinic paperwork writes dates. */
export const fmtDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
const WEEKDAYS: Record<Lang, string[]> = {
  ru: ['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'],
  ky: ['дш', 'шш', 'шр', 'бш', 'жм', 'иш', 'жк'],
  kk: ['дс', 'сс', 'ср', 'бс', 'жм', 'сн', 'жс'],
};
export const weekday = (iso: string, lang: Lang) => WEEKDAYS[lang][(new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7]!;

/** A specialty's name in the UI language (Kazakh shows the Russian name: the directory has ru and ky). */
export const specialtyLabel = (directory: { specialties: ReadonlyArray<{ id: string; name: { ru: string; ky: string } }> }, id: string | null, lang: Lang, fallback = ''): string => {
  const s = directory.specialties.find((x) => x.id === id);
  return s ? localName(s.name, lang) : fallback;
};

/**
 * An instant as the clinic's wall clock, "dd.mm.yyyy HH:MM" (or just the time) — formatted here,
 * not by the browser: Chromium's Kyrgyz and Kazakh locales fall back to American dates.
 */
export const fmtInstant = (ms: number, timezone: string, part: 'both' | 'time' = 'both'): string => {
  const { date, time } = localParts(ms, timezone);
  return part === 'time' ? time : `${fmtDate(date)} ${time}`;
};
