import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Lang } from '../../src-shared/domain/enums.js';
import type { KnownPatient } from '../api/scheduling.js';
import type { ServerDb } from '../db/connect.js';
import { patientCodes } from '../db/schema.js';
import { enqueueCode } from '../messages/outbox.js';
import { codeText } from '../messages/texts.js';

/** A code lives five minutes and takes three tries (002/003 ask for a one-time code; the numbers are our choice). */
export const CODE_MS = 5 * 60_000;
export const CODE_TRIES = 3;

const digest = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest();

/**
 * KZ sign-in, step one (P8): a six-digit code to the phone the clinic holds for this IIN, through the message outbox.
 * Returns the code's id (the browser keeps it in a cookie) whether or not the IIN is registered: an id for nobody
 * never opens, and the page answers both alike — nothing tells a stranger who is registered.
 */
export async function issueCode(db: ServerDb, p: KnownPatient | null, lang: Lang, now: number): Promise<string> {
  const id = randomBytes(18).toString('base64url');
  if (!p) return id;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db.delete(patientCodes).where(lt(patientCodes.expiresAt, now));
  await db.transaction(async (tx) => {
    await tx.insert(patientCodes).values({ id, orgId: p.orgId, patientId: p.patient.id, codeHash: digest(id, code).toString('base64url'), expiresAt: now + CODE_MS });
    await enqueueCode(tx, { orgId: p.orgId, patientId: p.patient.id, body: codeText(lang, code), now });
  });
  return id;
}

/** Step two: the code typed, checked against its id — used once, at most three tries, within five minutes. */
export async function checkCode(db: ServerDb, id: string | undefined, typed: string, now: number): Promise<{ orgId: string; patientId: string } | null> {
  if (!id || !/^\d{6}$/.test(typed)) return null;
  // One try spent before the comparison: parallel guesses cannot share a try.
  const [c] = await db
    .update(patientCodes)
    .set({ tries: sql`${patientCodes.tries} + 1` })
    .where(and(eq(patientCodes.id, id), lt(patientCodes.tries, CODE_TRIES)))
    .returning();
  if (!c || c.expiresAt <= now) return null;
  if (!timingSafeEqual(Buffer.from(c.codeHash, 'base64url'), digest(id, typed))) return null;
  await db.delete(patientCodes).where(eq(patientCodes.id, id));
  return { orgId: c.orgId, patientId: c.patientId };
}
