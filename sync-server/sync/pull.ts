import { and, asc, eq, gt, ne } from 'drizzle-orm';
import type { OpResult, PullResponse } from '../../src-shared/sync/protocol.js';
import type { ServerDb } from '../db/connect.js';
import { changeLog, devices } from '../db/schema.js';

/**
 * A page of the organization's changes after `cursor`, with the device's
 * last-processed sequence and its op results, read in one snapshot (REPEATABLE
 * READ): what the device applies is one consistent state of the server.
 */
export async function pull(db: ServerDb, device: { id: string; orgId: string }, cursor: number, limit: number, clock: () => number, withCount = false): Promise<PullResponse> {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(changeLog)
      .where(and(eq(changeLog.orgId, device.orgId), gt(changeLog.seq, cursor)))
      .orderBy(asc(changeLog.seq)).limit(limit + 1);
    const page = rows.slice(0, limit);
    const [d] = await tx.select({ last: devices.lastAppliedSeq }).from(devices).where(eq(devices.id, device.id));
    const remaining = withCount ? await tx.$count(changeLog, and(eq(changeLog.orgId, device.orgId), gt(changeLog.seq, cursor), ne(changeLog.entity, 'op_result'))) : undefined;
    const results: OpResult[] = page
      .filter((c) => c.entity === 'op_result' && (c.row as { deviceId: string }).deviceId === device.id)
      .map((c) => { const r = c.row as OpResult & { deviceId: string }; return { seq: r.seq, opId: r.opId, status: r.status, detail: r.detail }; });
    return {
      changes: page.filter((c) => c.entity !== 'op_result').map((c) => ({ seq: c.seq, entity: c.entity, id: c.entityId, op: c.op as 'put' | 'remove', row: c.row })),
      cursor: page.length ? page[page.length - 1]!.seq : cursor,
      hasMore: rows.length > limit,
      lastAppliedSeq: d!.last,
      results,
      serverTime: clock(),
      ...(remaining === undefined ? {} : { remaining }),
    };
  }, { isolationLevel: 'repeatable read' });
}
