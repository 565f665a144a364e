import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { PolicyProfile } from '../../src-shared/policy/types.js';
import type { ServerDb } from '../db/connect.js';
import { patientSessions } from '../db/schema.js';
import { findPatient, type KnownPatient } from '../api/scheduling.js';

/** What a patient types to prove who they are, per the profile (P2, P5; P8's IIN, whose proof is the SMS code, codes.ts). */
export type Identification = { kind: 'pin_phone'; pin: string; phone: string } | { kind: 'policy_birth_date'; policy: string; birthDate: string } | { kind: 'iin_sms'; iin: string };

/** A phone as a subscriber number: its last nine digits (+996 555 123 456, 0555 123456 and 555123456 are one phone). */
export const phoneKey = (phone: string): string => phone.replace(/\D/g, '').slice(-9);

/**
 * The patient these details name, in one of these organizations — or null, the same null whether no such ID exists
 * or the phone (birth date) does not match: the page never tells a stranger who is registered.
 */
export async function identify(db: ServerDb, orgIds: readonly string[], how: Identification): Promise<KnownPatient | null> {
  if (how.kind === 'pin_phone') {
    const p = await findPatient(db, orgIds, 'KG_PIN', how.pin.replace(/\D/g, ''));
    const want = phoneKey(how.phone);
    return p && want.length === 9 && phoneKey(p.patient.phone) === want ? p : null;
  }
  if (how.kind === 'iin_sms') return findPatient(db, orgIds, 'KZ_IIN', how.iin.replace(/\D/g, ''));
  const p = await findPatient(db, orgIds, 'RU_OMS', how.policy.replace(/\D/g, ''));
  return p && p.patient.birthDate === how.birthDate ? p : null;
}

/** Which identification a profile asks for, when this server can offer it (KZ's SMS code needs an SMS transport). */
export const identificationOf = (profile: PolicyProfile, sms: boolean): Identification['kind'] | null => (profile.patientPage.identify === 'iin_sms' && !sms ? null : profile.patientPage.identify);

const SESSION_MS = 30 * 60_000;
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

/** A signed-in patient for half an hour (in the database, so any server process answers). */
export async function startSession(db: ServerDb, p: { orgId: string; patientId: string }, now: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.delete(patientSessions).where(lt(patientSessions.expiresAt, now));
  await db.insert(patientSessions).values({ tokenHash: digest(token), orgId: p.orgId, patientId: p.patientId, expiresAt: now + SESSION_MS });
  return token;
}

export async function sessionOf(db: ServerDb, token: string | undefined, now: number): Promise<{ orgId: string; patientId: string } | null> {
  if (!token) return null;
  const [s] = await db
    .select({ orgId: patientSessions.orgId, patientId: patientSessions.patientId })
    .from(patientSessions)
    .where(and(eq(patientSessions.tokenHash, digest(token)), gt(patientSessions.expiresAt, now)));
  return s ?? null;
}

export async function endSession(db: ServerDb, token: string | undefined): Promise<void> {
  if (token) await db.delete(patientSessions).where(eq(patientSessions.tokenHash, digest(token)));
}
