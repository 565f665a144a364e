import { changeLog } from '../db/schema.js';
import type { Tx } from './context.js';

/** Append lease changes to the pull feed in one statement; returns the sequence of each slot's entry. */
export async function logLeases(tx: Tx, orgId: string, now: number, deviceId: string, slots: string[], op: 'put' | 'remove'): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < slots.length; i += 1000) {
    const batch = slots.slice(i, i + 1000);
    const rows = await tx
      .insert(changeLog)
      .values(batch.map((slotId) => ({ orgId, entity: 'lease', entityId: slotId, op, row: op === 'put' ? { slotId, deviceId } : null, at: now })))
      .returning({ seq: changeLog.seq, slotId: changeLog.entityId });
    for (const r of rows) out.set(r.slotId, r.seq);
  }
  return out;
}
