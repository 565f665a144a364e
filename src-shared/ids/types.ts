import type { NationalIdKind, Sex } from '../domain/enums.js';

/** Hard errors reject the ID; warnings are shown but never block (docs/national-ids.md, Errors and warnings). */
export type IdCheck =
  | { ok: true; kind: NationalIdKind; normalized: string; birthDate?: string; sex?: Sex; warnings: string[] }
  | { ok: false; kind: NationalIdKind; error: 'id_format' | 'id_date' | 'id_check_digit' };

export const digitsOnly = (raw: string): string => raw.replace(/[\s-]/g, '');

/** A real calendar date, not in the future. */
export function validDate(y: number, m: number, d: number, todayIso: string): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return iso <= todayIso ? iso : null;
}
