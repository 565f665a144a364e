import type { NationalIdKind } from '../domain/enums.js';
import type { PolicyProfile } from '../policy/types.js';
import { checkKgPin } from './kg-pin.js';
import { checkKzIin } from './kz-iin.js';
import { checkRuOms, checkRuSnils } from './ru.js';
import { digitsOnly, type IdCheck } from './types.js';

export type { IdCheck } from './types.js';

export function checkNationalId(kind: NationalIdKind, raw: string, profile: PolicyProfile, todayIso: string): IdCheck {
  switch (kind) {
    case 'KG_PIN':
      return checkKgPin(raw, profile.kgPinSexDigits, todayIso);
    case 'KZ_IIN':
      return checkKzIin(raw, todayIso);
    case 'RU_SNILS':
      return checkRuSnils(raw);
    case 'RU_OMS':
      return checkRuOms(raw);
  }
}

/** Which of the profile's ID kinds a typed string looks like, by its digit count. */
export function guessIdKind(raw: string, profile: PolicyProfile): NationalIdKind | null {
  const n = digitsOnly(raw);
  if (!/^\d+$/.test(n)) return null;
  const byLength: Record<number, NationalIdKind> = { 14: 'KG_PIN', 12: 'KZ_IIN', 11: 'RU_SNILS', 16: 'RU_OMS' };
  const kind = byLength[n.length];
  return kind && profile.nationalIdKinds.includes(kind) ? kind : null;
}

/** Mask the middle of an ID for the ticket: 21204199*****12 style, first 4 and last 3 shown. */
export function maskNationalId(id: string): string {
  if (id.length <= 7) return id;
  return id.slice(0, 4) + '*'.repeat(id.length - 7) + id.slice(-3);
}
