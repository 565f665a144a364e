import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Lang } from '../../src-shared/domain/enums.js';
import { translate } from '../../src-shared/i18n/index.js';
import { setRpcLang } from './rpc.js';

type T = (key: string, params?: Record<string, string | number>) => string;
const Ctx = createContext<{ lang: Lang; setLang(l: Lang): void; t: T } | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('kezek.lang') === 'ky' ? 'ky' : 'ru'));
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
const WEEKDAYS = { ru: ['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'], ky: ['дш', 'шш', 'шр', 'бш', 'жм', 'иш', 'жк'] };
export const weekday = (iso: string, lang: Lang) => WEEKDAYS[lang][(new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7]!;
