import type { PolicyProfile } from '../policy/types.js';
import type { RefusalCode } from './decision.js';

/**
 * How a rule's refusal is entered in the register of requests (R3, R15). Where the profile's
 * closed list has a ground for it (not attached → "не прикреплён" in KG, "не по территории" in
 * RU), it is a refusal on that ground; otherwise the request was declined by the rule (no
 * referral, reserved time, a late cancellation…), which is no legal refusal and is kept apart.
 */
export function registerOutcome(profile: PolicyProfile, code: RefusalCode): { result: 'refused' | 'declined'; reason: string | null; rule: RefusalCode } {
  const ground = profile.refusalGrounds[code];
  return ground ? { result: 'refused', reason: ground, rule: code } : { result: 'declined', reason: null, rule: code };
}

/** A refusal entered by hand or sent by a desk must name a ground of the profile's closed list. */
export const isClosedGround = (profile: PolicyProfile, reason: string | null): boolean => reason !== null && profile.refusalReasons.includes(reason);
