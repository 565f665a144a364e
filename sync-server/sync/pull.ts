import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import type { OpResult, PullResponse } from '../../src-shared/sync/protocol.js';
import type { ServerDb } from '../db/connect.js';
import { changeLog, devices, opResults, organizations } from '../db/schema.js';

/**
 * A page of the organization's changes after `cursor`, with the device's
 * last-processed sequence and its op results, read in one snapshot (REPEATABLE
 * READ): what the device applies is one consistent state of the server.
 *
 * An op's result has a place in the change log's order (after the op's own
 * changes) without a row there. A page hands over the results placed within it;
 * the last page hands over every result so far and its cursor moves past them:
 * every writer of an organization holds its lock while it draws sequence numbers
 * and until it commits, so nothing below a committed number can still appear.
 */
export async function pull(db: ServerDb, device: { id: string; orgId: string }, cursor: number, limit: number, clock: () => number, withCount = false): Promise<PullResponse> {
  return db.transaction(
    async (tx) => {
      const rows = await tx
        .select()
        .from(changeLog)
        .where(and(eq(changeLog.orgId, device.orgId), gt(changeLog.seq, cursor)))
        .orderBy(asc(changeLog.seq))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const hasMore = rows.length > limit;
      const lastChange = page.length ? page[page.length - 1]!.seq : cursor;
      const stored = await tx
        .select()
        .from(opResults)
        .where(and(eq(opResults.deviceId, device.id), gt(opResults.serverSeq, cursor), hasMore ? lte(opResults.serverSeq, lastChange) : undefined))
        .orderBy(asc(opResults.serverSeq));
      const [d] = await tx.select({ last: devices.lastAppliedSeq }).from(devices).where(eq(devices.id, device.id));
      const [org] = await tx
        // The newest place this device's cursor can legitimately reach: the organization's newest change, or a later result of this device's ops.
        .select({
          historyId: organizations.historyId,
          head: sql<
            number | null
          >`greatest((SELECT max(${changeLog.seq}) FROM ${changeLog} WHERE ${changeLog.orgId} = ${device.orgId}), (SELECT max(${opResults.serverSeq}) FROM ${opResults} WHERE ${opResults.deviceId} = ${device.id}))`,
        })
        .from(organizations)
        .where(eq(organizations.id, device.orgId));
      const remaining = withCount ? await tx.$count(changeLog, and(eq(changeLog.orgId, device.orgId), gt(changeLog.seq, cursor))) : undefined;
      const results: OpResult[] = stored.map((r) => ({ seq: r.deviceSeq, opId: r.opId, status: r.status as OpResult['status'], detail: String((r.result as { detail?: string }).detail ?? '') }));
      return {
        changes: page.map((c) => ({ seq: c.seq, entity: c.entity, id: c.entityId, op: c.op as 'put' | 'remove', row: c.row })),
        cursor: hasMore ? lastChange : Math.max(lastChange, ...stored.map((r) => r.serverSeq)),
        hasMore,
        lastAppliedSeq: d!.last,
        results,
        serverTime: clock(),
        ...(remaining === undefined ? {} : { remaining }),
        ...(org ? { historyId: org.historyId, head: Number(org.head ?? 0) } : {}),
      };
    },
    { isolationLevel: 'repeatable read' },
  );
}
