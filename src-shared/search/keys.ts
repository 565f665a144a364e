/**
 * Search keys: how a stored name or phone is matched against what a registrar types.
 * One definition for every place that stores or looks up a key.
 */

/**
 * Letters a registrar types instead of the real one: Kyrgyz and Kazakh letters on a Russian
 * keyboard layout (Ң→Н, Ө→О, Ү→У, …), and Latin letters that look like Cyrillic ones (a
 * Latin "A" or "o" slipped in from the other layout, or from a copied document).
 */
const FOLD: Record<string, string> = {
  ё: 'е',
  ң: 'н',
  ө: 'о',
  ү: 'у',
  ә: 'а',
  ғ: 'г',
  қ: 'к',
  ұ: 'у',
  һ: 'х',
  і: 'и',
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'н',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
};
const FOLDABLE = new RegExp(`[${Object.keys(FOLD).join('')}]`, 'g');
/** Zero-width spaces and joiners, the byte-order mark and soft hyphens: invisible, pasted along with a name. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u2060\ufeff]/g;

/** Bump when nameKey changes: desks recompute the stored keys once (see src-main/db/search-keys.ts). */
export const NAME_KEY_VERSION = 2;

/** Name search key: lower case, look-alike letters folded, invisible characters dropped, single spaces. */
export const nameKey = (name: string): string =>
  name
    .normalize('NFC')
    .toLowerCase()
    .replace(INVISIBLE, '')
    .replace(FOLDABLE, (ch) => FOLD[ch]!)
    .replace(/\s+/g, ' ')
    .trim();

/** Phone search key: the last 9 digits (the subscriber number without +996 / 8 / 0 prefixes). */
export const phoneKey = (phone: string): string => phone.replace(/\D/g, '').slice(-9);

/** Digits only, invisible characters and separators dropped — an ID or phone as typed or pasted. */
export const digitsKey = (query: string): string => query.replace(INVISIBLE, '').replace(/[\s\-()+]/g, '');

/** Longer than any phone number with its country code: a string of digits this long can only be an ID. */
export const MAX_PHONE_DIGITS = 12;
