import { digitsOnly, type IdCheck } from './types.js';

/** SNILS control number (PFR algorithm, mod 101; docs/national-ids.md, Russian SNILS). */
export function snilsControl(first9: string): number {
  const s = [...first9].reduce((acc, d, i) => acc + Number(d) * (9 - i), 0);
  if (s < 100) return s;
  if (s === 100 || s === 101) return 0;
  const r = s % 101;
  return r === 100 ? 0 : r;
}

export function checkRuSnils(raw: string): IdCheck {
  const s = digitsOnly(raw);
  if (!/^\d{11}$/.test(s)) return { ok: false, kind: 'RU_SNILS', error: 'id_format' };
  // Numbers up to 001-001-998 were issued before the control number existed.
  if (Number(s.slice(0, 9)) > 1001998 && snilsControl(s.slice(0, 9)) !== Number(s.slice(9))) {
    return { ok: false, kind: 'RU_SNILS', error: 'id_check_digit' };
  }
  return { ok: true, kind: 'RU_SNILS', normalized: s, warnings: [] };
}

/** ЕНП check digit (docs/national-ids.md, Russian OMS ЕНП). */
export function omsCheckDigit(first15: string): number {
  let odd = '';
  let even = '';
  for (let pos = 15; pos >= 1; pos--) {
    if (pos % 2 === 1) odd += first15[pos - 1];
    else even += first15[pos - 1];
  }
  const all = even + String(BigInt(odd) * 2n);
  const sum = [...all].reduce((acc, d) => acc + Number(d), 0);
  return (10 - (sum % 10)) % 10;
}

/** OMS single policy number: 16 digits. The algorithm is not from a primary text, so a mismatch only warns. */
export function checkRuOms(raw: string): IdCheck {
  const s = digitsOnly(raw);
  if (!/^\d{16}$/.test(s)) return { ok: false, kind: 'RU_OMS', error: 'id_format' };
  const warnings = omsCheckDigit(s.slice(0, 15)) === Number(s[15]) ? [] : ['id_check_digit_unconfirmed'];
  return { ok: true, kind: 'RU_OMS', normalized: s, warnings };
}
