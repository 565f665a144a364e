import { sql } from 'drizzle-orm';
import type { ServerDb } from '../../sync-server/db/connect.js';

/**
 * What happened to the times a violation names, for `npm run sim -- --trace`: every desk action on
 * those slots (with the desk's lease view at that moment), the server's feed entries for them (leases,
 * bookings) and the refused or lost ops. Issue 25's root cause was read off exactly this.
 */
export class Story {
  private readonly lines: Array<{ slotId: string; text: string }> = [];

  constructor(readonly enabled: boolean) {}

  note(slotId: string | undefined, text: () => string): void {
    if (this.enabled && slotId) this.lines.push({ slotId, text: text() });
  }

  async explain(db: ServerDb, violations: readonly string[]): Promise<string[]> {
    if (!this.enabled) return [];
    const rows = async (q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: Array<Record<string, unknown>> }).rows;
    const out: string[] = [];
    for (const v of violations) {
      const id = /booking (\S+)/.exec(v)?.[1];
      const slot = id ? String((await rows(sql`SELECT slot_id FROM appointments WHERE id = ${id}`))[0]?.slot_id ?? '') : '';
      if (!slot) continue;
      out.push(`story of ${slot} (${v}):`);
      for (const l of this.lines) if (l.slotId === slot) out.push(`  desk   ${l.text}`);
      for (const r of await rows(sql`SELECT seq, entity, op, row->>'deviceId' AS device, row->>'id' AS booking, row->>'status' AS status, row->>'syncState' AS state, at
        FROM change_log WHERE (entity = 'lease' AND entity_id = ${slot}) OR (entity = 'appointment' AND row->>'slotId' = ${slot}) ORDER BY seq`))
        out.push(
          `  server #${String(r.seq)} ${String(r.entity)} ${String(r.op)} ${r.booking ? `${String(r.booking)} ${String(r.status)}/${String(r.state)}` : `device ${String(r.device)}`} at ${String(r.at)}`,
        );
      for (const r of await rows(sql`SELECT device_id, device_seq, status, result->>'detail' AS detail FROM op_results WHERE status != 'applied' ORDER BY device_id, device_seq`))
        out.push(`  op     device ${String(r.device_id)} #${String(r.device_seq)} ${String(r.status)} ${String(r.detail)}`);
    }
    return out;
  }
}
