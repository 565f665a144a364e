import type { Lang } from '../domain/enums.js';
import { kk } from './kk.js';
import { ky } from './ky.js';
import { ru, type Messages } from './ru.js';

export const resources: Record<Lang, Messages> = { ru, ky, kk };
export type { Messages };

/**
 * Translate a dotted key with {{param}} interpolation. The renderer uses i18next
 * over the same resources; the main process only needs this for error messages,
 * so it does not pull i18next in.
 */
export function translate(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  let node: unknown = resources[lang];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  const text = typeof node === 'string' ? node : key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => shown(params[k]));
}

/** A parameter as a person reads it: a calendar date (the rules speak ISO, 2026-12-31) as 31.12.2026 in every language. */
function shown(v: string | number | undefined): string {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v.slice(8, 10)}.${v.slice(5, 7)}.${v.slice(0, 4)}`;
  return String(v ?? '');
}

/** An age with its word: Russian counts years as 1 год, 2–4 года, 5–20 лет…; Kyrgyz says жаш after any number. */
export function ageText(lang: Lang, n: number): string {
  if (lang !== 'ru') return `${n} ${resources[lang].ui.years}`;
  const d = n % 10;
  const dd = n % 100;
  const word = d === 1 && dd !== 11 ? 'год' : d >= 2 && d <= 4 && (dd < 12 || dd > 14) ? 'года' : 'лет';
  return `${n} ${word}`;
}

/** A directory name in the user's language: the directory carries Russian and Kyrgyz names; a Kazakh UI shows the Russian one. */
export const localName = (name: { ru: string; ky: string; kk?: string }, lang: Lang): string => (lang === 'ky' ? name.ky : lang === 'kk' ? (name.kk ?? name.ru) : name.ru);
