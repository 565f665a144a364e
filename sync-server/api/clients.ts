import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { RequestChannel } from '../../src-shared/domain/enums.js';
import { sha256 } from '../auth/tokens.js';
import type { ServerDb } from '../db/connect.js';
import { apiClients, organizations, rateWindows } from '../db/schema.js';

/** The electronic channels another system books through (004 §3.4.1: portal, kiosk, call centre). */
export const API_CHANNELS = ['internet', 'kiosk', 'call_centre'] as const satisfies readonly RequestChannel[];
export type ApiChannel = (typeof API_CHANNELS)[number];

export interface ApiClient {
  id: string;
  name: string;
  channel: ApiChannel;
  /** Region ids, or ['*']. */
  regions: string[];
  organizations: string[];
  perMinute: number;
}

/** A new client and its key — shown once, kept only as its hash (`kz_` + 256 random bits). */
export async function addApiClient(
  db: ServerDb,
  c: { name: string; channel: ApiChannel; regions: string[]; organizations: string[]; perMinute?: number },
  now: number,
): Promise<{ client: ApiClient; key: string }> {
  const key = `kz_${randomBytes(32).toString('base64url')}`;
  const client: ApiClient = { id: randomUUID(), name: c.name, channel: c.channel, regions: c.regions, organizations: c.organizations, perMinute: c.perMinute ?? 600 };
  await db.insert(apiClients).values({ ...client, keyHash: sha256(key), createdAt: now });
  return { client, key };
}

/** The client a key belongs to, unless disabled. */
export async function clientForKey(db: ServerDb, key: string): Promise<ApiClient | null> {
  const [r] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.keyHash, sha256(key)), isNull(apiClients.disabledAt)));
  if (!r) return null;
  return { id: r.id, name: r.name, channel: r.channel as ApiChannel, regions: r.regions as string[], organizations: r.organizations as string[], perMinute: r.perMinute };
}

export async function disableApiClient(db: ServerDb, id: string, now: number): Promise<boolean> {
  const r = await db
    .update(apiClients)
    .set({ disabledAt: now })
    .where(and(eq(apiClients.id, id), isNull(apiClients.disabledAt)))
    .returning({ id: apiClients.id });
  return r.length === 1;
}

export async function listApiClients(db: ServerDb): Promise<Array<ApiClient & { disabled: boolean }>> {
  const rows = await db.select().from(apiClients).orderBy(apiClients.createdAt);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    channel: r.channel as ApiChannel,
    regions: r.regions as string[],
    organizations: r.organizations as string[],
    perMinute: r.perMinute,
    disabled: r.disabledAt !== null,
  }));
}

/** The organizations a client reaches: those named, and every one of its regions. */
export async function reachableOrgs(db: ServerDb, c: ApiClient): Promise<string[]> {
  const rows = await db.select({ id: organizations.id, regionId: organizations.regionId }).from(organizations);
  return rows.filter((o) => c.organizations.includes(o.id) || c.regions.includes('*') || c.regions.includes(o.regionId)).map((o) => o.id);
}

/**
 * One request against a fixed one-minute window per key, shared by every server process (the count lives in the
 * database): how long to wait when over `limit`, else 0. A busy key's count is spread over SHARDS rows, each allowing
 * its share of the limit — one hot row would make every request of a portal's morning rush wait on the one before.
 */
const SHARDS = 16;
export async function overLimit(db: ServerDb, key: string, limit: number, now: number, shards = limit >= SHARDS * 4 ? SHARDS : 1): Promise<number> {
  const window = now - (now % 60_000);
  const shard = shards > 1 ? `${key}#${Math.floor(Math.random() * shards)}` : key;
  const res = (await db.execute(sql`
    INSERT INTO ${rateWindows} (key, window_start, count) VALUES (${shard}, ${window}, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN ${rateWindows.windowStart} = excluded.window_start THEN ${rateWindows.count} + 1 ELSE 1 END,
      window_start = excluded.window_start
    RETURNING count`)) as unknown as { rows: Array<{ count: number }> };
  return Number(res.rows[0]!.count) > Math.ceil(limit / shards) ? window + 60_000 - now : 0;
}

/** How often a process adds its clients' requests to the shared counts. */
const CLIENT_FLUSH_MS = 100;
type ClientRate = { window: number; pending: number; sending: number; shared: number; flushing: boolean };
const clientRates = new WeakMap<ServerDb, Map<string, ClientRate>>();

/**
 * A booking-API client's own limit (thousands a minute, a portal's whole traffic): its requests are counted in this
 * process and added to the shared count once per CLIENT_FLUSH_MS in one statement, instead of one write per request —
 * in the morning rush that write was a third of the database's statements. A request is over the limit when the
 * shared count as of the last addition, plus this process's requests since, is; several processes together can let
 * through what the others took in one CLIENT_FLUSH_MS more. Limits that must be exact (sign-in, SMS codes) use overLimit.
 */
export function overClientLimit(db: ServerDb, key: string, limit: number, now: number): number {
  const window = now - (now % 60_000);
  const rates = clientRates.get(db) ?? new Map<string, ClientRate>();
  clientRates.set(db, rates);
  let r = rates.get(key);
  if (!r || r.window !== window) {
    if (rates.size > 10_000) rates.clear();
    r = { window, pending: 0, sending: 0, shared: 0, flushing: false };
    rates.set(key, r);
  }
  r.pending++;
  if (!r.flushing) {
    r.flushing = true;
    setTimeout(() => void addClientRequests(db, key, r), CLIENT_FLUSH_MS).unref();
  }
  return r.shared + r.sending + r.pending > limit ? window + 60_000 - now : 0;
}

async function addClientRequests(db: ServerDb, key: string, r: ClientRate): Promise<void> {
  r.sending = r.pending;
  r.pending = 0;
  try {
    const res = (await db.execute(sql`
      INSERT INTO ${rateWindows} (key, window_start, count) VALUES (${key}, ${r.window}, ${r.sending})
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN ${rateWindows.windowStart} = excluded.window_start THEN ${rateWindows.count} + excluded.count ELSE excluded.count END,
        window_start = excluded.window_start
      RETURNING count`)) as unknown as { rows: Array<{ count: number }> };
    r.shared = Number(res.rows[0]!.count);
  } catch {
    // The database away for a moment: these requests are counted with the next addition.
    r.pending += r.sending;
  }
  r.sending = 0;
  r.flushing = false;
  if (r.pending > 0) {
    r.flushing = true;
    setTimeout(() => void addClientRequests(db, key, r), CLIENT_FLUSH_MS).unref();
  }
}
