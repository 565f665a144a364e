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

const ID_DIGITS: Record<NationalIdKind, number> = { KG_PIN: 14, KZ_IIN: 12, RU_SNILS: 11, RU_OMS: 16 };

/** How many digits the profile's ID kinds have ("14", "11 / 16"), for the message on a wrong count. */
export const idLengths = (profile: PolicyProfile): string => [...new Set(profile.nationalIdKinds.map((k) => ID_DIGITS[k]))].join(' / ');

/** Which of the profile's ID kinds a typed string looks like, by its digit count. */
export function guessIdKind(raw: string, profile: PolicyProfile): NationalIdKind | null {
  const n = digitsOnly(raw);
  if (!/^\d+$/.test(n)) return null;
  return profile.nationalIdKinds.find((k) => ID_DIGITS[k] === n.length) ?? null;
}

/** Mask the middle of an ID for the ticket: 21204199*****12 style, first 4 and last 3 shown. */
export function maskNationalId(id: string): string {
  if (id.length <= 7) return id;
  return id.slice(0, 4) + '*'.repeat(id.length - 7) + id.slice(-3);
}
