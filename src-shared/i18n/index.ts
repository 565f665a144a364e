import type { Lang } from '../domain/enums.js';
import { ky } from './ky.js';
import { ru, type Messages } from './ru.js';

export const resources: Record<Lang, Messages> = { ru, ky };
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
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k] ?? ''));
}
