import { randomInt } from 'node:crypto';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { TICKET_PREFIX_COUNT, ticketPrefixAt } from '../../src-shared/print/ticket-prefix.js';
import { devices } from '../db/schema.js';
import { lockOrg, type Tx } from '../sync/context.js';

/**
 * The device's ticket prefix, assigned on first need: unique among the organization's
 * devices (and the unique index stands behind it), and never one already printed on the
 * organization's tickets — desks enrolled before the server assigned prefixes chose
 * their own, and those codes stay valid. Runs under the organization's lock.
 */
export async function ticketPrefixFor(tx: Tx, orgId: string, deviceId: string): Promise<string> {
  await lockOrg(tx, orgId);
  const [cur] = await tx.select({ prefix: devices.ticketPrefix }).from(devices).where(eq(devices.id, deviceId));
  if (cur?.prefix) return cur.prefix;
  const assigned = await tx
    .select({ prefix: devices.ticketPrefix })
    .from(devices)
    .where(and(eq(devices.orgId, orgId), isNotNull(devices.ticketPrefix)));
  const printed = (await tx.execute(sql`SELECT DISTINCT left(row->>'ticketCode', 3) AS prefix FROM change_log WHERE org_id = ${orgId} AND entity = 'appointment'`)) as unknown as {
    rows: Array<{ prefix: string | null }>;
  };
  const used = new Set([...assigned.map((r) => r.prefix), ...printed.rows.map((r) => r.prefix)]);
  if (used.size >= TICKET_PREFIX_COUNT) throw new Error(`organization ${orgId} has used every ticket prefix`);
  // A random free one (devices of a clinic do not get neighbouring, easily confused prefixes); a scan past it if taken.
  const start = randomInt(TICKET_PREFIX_COUNT);
  let prefix = ticketPrefixAt(start);
  for (let i = 1; used.has(prefix); i++) prefix = ticketPrefixAt((start + i) % TICKET_PREFIX_COUNT);
  await tx.update(devices).set({ ticketPrefix: prefix }).where(eq(devices.id, deviceId));
  return prefix;
}
