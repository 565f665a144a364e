import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../../src-shared/node/passwords.js';
import type { ServerDb } from '../db/connect.js';
import type { SignInThrottle } from '../../src-shared/node/throttle.js';
import { consoleSessions, installers, regions } from '../db/schema.js';

export interface Installer {
  id: string;
  username: string;
  /** Region ids, or ['*']. */
  regions: string[];
}

/** A console sign-in lasts a working day. */
const SESSION_MS = 12 * 3_600_000;
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export const seesRegion = (who: Installer, regionId: string): boolean => who.regions.includes('*') || who.regions.includes(regionId);

/** Region ids that are not on this server (a typo in a command would leave a region closed for ever), with the known ones. */
export async function unknownRegions(db: ServerDb, ids: readonly string[]): Promise<{ unknown: string[]; known: string[] }> {
  const known = (await db.select({ id: regions.id }).from(regions)).map((r) => r.id).sort();
  return { unknown: ids.filter((id) => id !== '*' && !known.includes(id)), known };
}

/**
 * An installer account for the console, for some regions (or '*'); an existing one gets the new password
 * and regions, and is signed out everywhere (a new password is given when the old one may be known).
 */
export async function putInstaller(db: ServerDb, username: string, password: string, regionIds: string[], now: number): Promise<Installer> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(installers)
      .values({ id: randomUUID(), username, passwordHash, regions: regionIds, createdAt: now })
      .onConflictDoUpdate({ target: installers.username, set: { passwordHash, regions: regionIds, disabled: false } })
      .returning({ id: installers.id });
    await tx.delete(consoleSessions).where(eq(consoleSessions.installerId, row!.id));
    return { id: row!.id, username, regions: regionIds };
  });
}

/** The account can no longer sign in, and its sessions end now. False when there is no such account. */
export async function disableInstaller(db: ServerDb, username: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(installers).set({ disabled: true }).where(eq(installers.username, username)).returning({ id: installers.id });
    if (!row) return false;
    await tx.delete(consoleSessions).where(eq(consoleSessions.installerId, row.id));
    return true;
  });
}

export type SignInResult = { token: string } | { refused: 'bad_credentials' } | { refused: 'too_many_attempts'; seconds: number };

/**
 * Sign in: throttled per account and per address (the desk's rule, SignInThrottle), the password checked
 * against a dummy hash for an unknown name (so timing tells nothing); a session token, or why not.
 */
export async function signIn(db: ServerDb, throttle: SignInThrottle, who: { username: string; password: string; address: string }, now: number): Promise<SignInResult> {
  const wait = throttle.wait(who.username, who.address, now);
  if (wait > 0) return { refused: 'too_many_attempts', seconds: Math.ceil(wait / 1000) };
  const [row] = await db.select().from(installers).where(eq(installers.username, who.username));
  const ok = await verifyPassword(who.password, row?.passwordHash ?? DUMMY_HASH);
  if (!row || row.disabled || !ok) {
    throttle.failed(who.username, who.address, now);
    return { refused: 'bad_credentials' };
  }
  throttle.succeeded(who.username, who.address);
  const token = randomBytes(32).toString('base64url');
  await db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, now));
  await db.insert(consoleSessions).values({ tokenHash: digest(token), installerId: row.id, expiresAt: now + SESSION_MS });
  return { token };
}

export async function installerFor(db: ServerDb, token: string | undefined, now: number): Promise<Installer | null> {
  if (!token) return null;
  const [row] = await db
    .select({ id: installers.id, username: installers.username, regions: installers.regions, disabled: installers.disabled })
    .from(consoleSessions)
    .innerJoin(installers, eq(installers.id, consoleSessions.installerId))
    .where(and(eq(consoleSessions.tokenHash, digest(token)), gt(consoleSessions.expiresAt, now)));
  return row && !row.disabled ? { id: row.id, username: row.username, regions: row.regions as string[] } : null;
}

export async function signOut(db: ServerDb, token: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.tokenHash, digest(token)));
}
