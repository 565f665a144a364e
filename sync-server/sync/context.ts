import type { ServerDb } from '../db/connect.js';
import { and, eq, sql } from 'drizzle-orm';
import { changeLog, organizations, orgRows } from '../db/schema.js';
import type { RulesDirectory } from '../rules/directory-cache.js';
import type { ServerDevice } from '../rules/judge.js';
import type { Proven } from './signatures.js';

/** A transaction of the server's drizzle database (either driver). */
export type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/**
 * What an op runs with: its transaction, the pushing device (as enrolled), the server's now,
 * the instant its rules are judged at (when the desk acted, never after now), and the
 * organization's directory as the rules read it.
 */
export interface OpContext {
  tx: Tx;
  orgId: string;
  deviceId: string;
  now: number;
  at: number;
  device: ServerDevice;
  dir: RulesDirectory;
  /** The person the op is proven to come from (signatures.ts), with their role now. */
  by: Proven;
}

/**
 * Serialize this organization's writers, across every server process: the change
 * log's order then equals commit order (a puller never skips a late-committing
 * lower sequence), and "is the slot free?" cannot race. Other organizations are
 * not held up.
 */
export async function lockOrg(tx: Tx, orgId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${orgId}))`);
}

/** Append one change to the pull feed; returns its sequence number. */
export async function logChange(ctx: OpContext, entity: string, id: string, op: 'put' | 'remove', row: unknown): Promise<number> {
  const [r] = await ctx.tx
    .insert(changeLog)
    .values({ orgId: ctx.orgId, entity, entityId: id, op, row: row as object, at: ctx.now })
    .returning({ seq: changeLog.seq });
  return r!.seq;
}

/** An organization's directory rows of one kind (doctors, templates, exceptions…). */
export async function orgRowsOf<T>(tx: Tx, orgId: string, entity: string): Promise<T[]> {
  const rows = await tx
    .select({ row: orgRows.row })
    .from(orgRows)
    .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, entity)));
  return rows.map((r) => r.row as T);
}

/** Every server process reloads its copy of the rules' directory (schedules, and the accounts ops are signed by) when this moves. */
export async function directoryMoved(ctx: OpContext): Promise<void> {
  await ctx.tx
    .update(organizations)
    .set({ directoryVersion: sql`${organizations.directoryVersion} + 1` })
    .where(eq(organizations.id, ctx.orgId));
}
