import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { devices } from '../db/schema.js';
import type { Tx } from '../sync/context.js';
import { ticketPrefixFor } from './ticket-prefixes.js';
import { sha256 } from './tokens.js';

/**
 * The server's own devices of an organization: no PC, no token anyone holds. `api` numbers the booking API's tickets
 * (issue 20); `waiting` holds the times offered to the waiting list as leases and books the accepted offers (issue 21).
 * Each has a ticket prefix of its own, unique in the organization like a desk's.
 */
export const SERVER_DEVICE_KINDS = ['api', 'waiting'] as const;
export type ServerDeviceKind = (typeof SERVER_DEVICE_KINDS)[number];

/** SQL that keeps the server's own devices out of a list of PCs. */
export const isPc = sql`${devices.kind} NOT IN ('api', 'waiting')`;

const NAMES: Record<ServerDeviceKind, string> = { api: 'Электронная запись (API)', waiting: 'Лист ожидания' };

export const serverDeviceId = (kind: ServerDeviceKind, orgId: string): string => `${kind}-${orgId}`;

/** Prefixes once assigned (a prefix never changes): one UPDATE per ticket after that. */
const prefixes = new Map<string, string>();

/** The device, created on first need, and its ticket prefix. */
export async function serverDevice(tx: Tx, kind: ServerDeviceKind, orgId: string): Promise<string> {
  const id = serverDeviceId(kind, orgId);
  const known = prefixes.get(id);
  if (known) return known;
  // Its token hash is of nothing anyone holds: no request ever opens it.
  await tx
    .insert(devices)
    .values({ id, orgId, name: NAMES[kind], tokenHash: sha256(`no-token:${randomUUID()}`), createdAt: 0, kind })
    .onConflictDoNothing();
  const prefix = await ticketPrefixFor(tx, orgId, id);
  prefixes.set(id, prefix);
  return prefix;
}

export const hasPrefix = (kind: ServerDeviceKind, orgId: string): boolean => prefixes.has(serverDeviceId(kind, orgId));

/** The next ticket code of the device. */
export async function nextServerTicket(tx: Tx, kind: ServerDeviceKind, orgId: string): Promise<string> {
  const prefix = await serverDevice(tx, kind, orgId);
  const [r] = await tx
    .update(devices)
    .set({ ticketSeq: sql`${devices.ticketSeq} + 1` })
    .where(eq(devices.id, serverDeviceId(kind, orgId)))
    .returning({ n: devices.ticketSeq });
  return `${prefix}${String(r!.n).padStart(6, '0')}`;
}
