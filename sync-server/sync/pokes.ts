import { inArray, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/connect.js';
import { changeLog } from '../db/schema.js';

export interface PokeListener {
  poke(): void;
  close(): void;
}

/**
 * "Something changed in your organization — pull": hints for the desks' event
 * streams (the pull is what carries data; a lost poke only delays). Writes in
 * this process poke at once; writes by other server processes over the same
 * database are noticed by one cheap query per second over the organizations
 * that have listeners — no in-process state is needed for correctness.
 */
export class Pokes {
  private readonly listeners = new Map<string, Set<PokeListener>>();
  private readonly lastSeq = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: ServerDb,
    private readonly intervalMs = 1000,
  ) {}

  subscribe(orgId: string, l: PokeListener): () => void {
    if (!this.listeners.has(orgId)) this.listeners.set(orgId, new Set());
    this.listeners.get(orgId)!.add(l);
    this.timer ??= setInterval(() => void this.check().catch(() => undefined), this.intervalMs);
    this.timer.unref();
    return () => {
      this.listeners.get(orgId)?.delete(l);
      if (this.listeners.get(orgId)?.size === 0) {
        this.listeners.delete(orgId);
        this.lastSeq.delete(orgId);
      }
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  notify(orgId: string): void {
    for (const l of this.listeners.get(orgId) ?? []) l.poke();
  }

  private async check(): Promise<void> {
    const orgs = [...this.listeners.keys()];
    if (orgs.length === 0) return;
    const rows = await this.db
      .select({ orgId: changeLog.orgId, seq: sql<number>`max(${changeLog.seq})` })
      .from(changeLog)
      .where(inArray(changeLog.orgId, orgs))
      .groupBy(changeLog.orgId);
    const now = new Map(rows.map((r) => [r.orgId, Number(r.seq)]));
    for (const org of orgs) {
      // An organization with no changes yet stands at 0, so its very first change pokes too.
      const seq = now.get(org) ?? 0;
      const before = this.lastSeq.get(org);
      this.lastSeq.set(org, seq);
      if (before !== undefined && seq > before) this.notify(org);
    }
  }

  /** Shutdown: end every stream so the server can exit. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const set of this.listeners.values()) for (const l of set) l.close();
    this.listeners.clear();
  }
}
