import type { Sex } from '../domain/enums.js';
import { digitsOnly, validDate, type IdCheck } from './types.js';

/**
 * Kyrgyz PIN: 14 digits = sex digit + DDMMYYYY birth date + 5-digit serial.
 * The sex mapping is disputed (docs/national-ids.md, Kyrgyz PIN), so it comes from the
 * policy profile, and no check digit is enforced until verified on real PINs.
 */
export function checkKgPin(raw: string, sexDigits: Record<string, Sex>, todayIso: string): IdCheck {
  const s = digitsOnly(raw);
  if (!/^\d{14}$/.test(s)) return { ok: false, kind: 'KG_PIN', error: 'id_format' };
  const sex = sexDigits[s[0]!];
  if (!sex) return { ok: false, kind: 'KG_PIN', error: 'id_format' };
  const birthDate = validDate(+s.slice(5, 9), +s.slice(3, 5), +s.slice(1, 3), todayIso);
  if (!birthDate) return { ok: false, kind: 'KG_PIN', error: 'id_date' };
  return { ok: true, kind: 'KG_PIN', normalized: s, birthDate, sex, warnings: [] };
}

/** Build a PIN from its parts (demo data, tests). */
export function makeKgPin(sexDigit: string, birthDate: string, serial: number): string {
  const [y, m, d] = birthDate.split('-');
  return `${sexDigit}${d}${m}${y}${String(serial).padStart(5, '0')}`;
}
