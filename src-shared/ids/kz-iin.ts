import type { Sex } from '../domain/enums.js';
import { digitsOnly, validDate, type IdCheck } from './types.js';

const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** IIN check digit, or null when the number cannot be issued (both passes give 10). */
export function iinCheckDigit(first11: string): number | null {
  const sum = (w: number[]) => w.reduce((acc, wi, i) => acc + wi * Number(first11[i]), 0) % 11;
  let c = sum(W1);
  if (c === 10) c = sum(W2);
  return c === 10 ? null : c;
}

/** Kazakh IIN: YYMMDD, century+sex digit, 4-digit serial, check digit (docs/national-ids.md, Kazakh IIN). */
export function checkKzIin(raw: string, todayIso: string): IdCheck {
  const s = digitsOnly(raw);
  if (!/^\d{12}$/.test(s)) return { ok: false, kind: 'KZ_IIN', error: 'id_format' };
  const cs = Number(s[6]);
  if (cs < 1 || cs > 6) return { ok: false, kind: 'KZ_IIN', error: 'id_format' };
  const century = cs <= 2 ? 1800 : cs <= 4 ? 1900 : 2000;
  const birthDate = validDate(century + Number(s.slice(0, 2)), Number(s.slice(2, 4)), Number(s.slice(4, 6)), todayIso);
  if (!birthDate) return { ok: false, kind: 'KZ_IIN', error: 'id_date' };
  if (iinCheckDigit(s.slice(0, 11)) !== Number(s[11])) return { ok: false, kind: 'KZ_IIN', error: 'id_check_digit' };
  const sex: Sex = cs % 2 === 1 ? 'male' : 'female';
  return { ok: true, kind: 'KZ_IIN', normalized: s, birthDate, sex, warnings: [] };
}
