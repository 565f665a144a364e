import type { SpecialtyKind } from '../domain/enums.js';
import { addDays } from '../time/dates.js';
import { refuse, type Decision } from './decision.js';

/** How long a referral stays usable when the doctor does not say otherwise. */
export const REFERRAL_VALID_DAYS = 30;

/**
 * R5 (000 §2.3–2.4): a family doctor refers a patient of this organization to a narrow
 * specialist, valid from today for up to REFERRAL_VALID_DAYS. Desk and server run this
 * check; the server takes the issuing doctor from the cabinet PC's enrollment, never the op.
 */
export function decideReferral(f: { issuerKind: SpecialtyKind | null; targetKind: SpecialtyKind | null; patientKnown: boolean; today: string; validUntil: string }): Decision {
  if (f.issuerKind !== 'family') return refuse('referral_issuer');
  if (f.targetKind !== 'narrow') return refuse('referral_target');
  if (!f.patientKnown) return refuse('unknown_patient');
  if (f.validUntil < f.today || f.validUntil > addDays(f.today, REFERRAL_VALID_DAYS)) return refuse('referral_validity', { days: REFERRAL_VALID_DAYS });
  return { ok: true };
}
