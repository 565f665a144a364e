import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../../src-shared/node/passwords.js';
import type { ServerDb } from '../db/connect.js';
import { consoleSessions, installers } from '../db/schema.js';

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

/** An installer account for the console, for some regions (or '*'); an existing one gets the new password and regions. */
export async function putInstaller(db: ServerDb, username: string, password: string, regions: string[], now: number): Promise<Installer> {
  const passwordHash = await hashPassword(password);
  const [row] = await db
    .insert(installers)
    .values({ id: randomUUID(), username, passwordHash, regions, createdAt: now })
    .onConflictDoUpdate({ target: installers.username, set: { passwordHash, regions, disabled: false } })
    .returning({ id: installers.id });
  return { id: row!.id, username, regions };
}

/** Sign in: the password checked (against a dummy hash for an unknown name, so timing tells nothing); a session token, or null. */
export async function signIn(db: ServerDb, username: string, password: string, now: number): Promise<string | null> {
  const [row] = await db.select().from(installers).where(eq(installers.username, username));
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  if (!row || row.disabled || !ok) return null;
  const token = randomBytes(32).toString('base64url');
  await db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, now));
  await db.insert(consoleSessions).values({ tokenHash: digest(token), installerId: row.id, expiresAt: now + SESSION_MS });
  return token;
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
