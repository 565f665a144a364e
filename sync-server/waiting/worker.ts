import { sql } from 'drizzle-orm';
import type { ServerDb } from '../db/connect.js';
import type { Logger } from '../log.js';
import type { DirectoryCache } from '../rules/directory-cache.js';
import { lockOrg } from '../sync/context.js';
import { type OfferNotice, runWaitingList } from './offers.js';

/**
 * Runs the waiting list's passes (offers.ts): for an organization as soon as something may have freed a time there (a
 * push, a renewal that gave leases back, a cancellation through the booking API — `poke`), and every organization
 * with live entries on a timer, for the holds that end by the clock. One pass per organization at a time in this
 * process; several processes are kept apart by the organization's lock.
 */
export class WaitingList {
  private timer: NodeJS.Timeout | null = null;
  private readonly queued = new Set<string>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: ServerDb,
    private readonly directories: DirectoryCache,
    private readonly clock: () => number,
    private readonly howToTell: OfferNotice,
    private readonly log: Logger,
    /** Told when a pass changed something (the desks' pokes). */
    private readonly changed: (orgId: string) => void,
  ) {}

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.sweep().catch((e) => this.log('warn', 'waiting list sweep failed', { err: String(e).slice(0, 300) })), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Something may have freed a time in this organization: a pass soon. Resolves when the queued passes are done. */
  poke(orgId: string): Promise<void> {
    this.queued.add(orgId);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private sweeping: Promise<void> | null = null;

  /** Every organization with someone waiting or holding an offer (a sweep still running is joined, never doubled). */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const rows = (await this.db.execute(sql`SELECT DISTINCT org_id AS "orgId" FROM org_rows WHERE entity = 'waiting_entry' AND row->>'status' IN ('waiting', 'offered')`)) as unknown as {
      rows: Array<{ orgId: string }>;
    };
    await Promise.all(rows.rows.map((r) => this.poke(r.orgId)));
  }

  private async anyoneWaits(orgId: string): Promise<boolean> {
    const r = (await this.db.execute(sql`SELECT 1 FROM org_rows WHERE org_id = ${orgId} AND entity = 'waiting_entry' AND row->>'status' IN ('waiting', 'offered') LIMIT 1`)) as unknown as {
      rows: unknown[];
    };
    return r.rows.length > 0;
  }

  private async drain(): Promise<void> {
    while (this.queued.size > 0) {
      const [orgId] = this.queued;
      this.queued.delete(orgId!);
      try {
        // Most pushes come from clinics with nobody waiting: a look without the organization's lock, so their desks'
        // next pushes never queue behind a pass that has nothing to do.
        if (!(await this.anyoneWaits(orgId!))) continue;
        const n = await this.db.transaction(async (tx) => {
          await lockOrg(tx, orgId!);
          const dir = await this.directories.get(tx, orgId!);
          return dir ? runWaitingList(tx, dir, this.clock(), this.howToTell) : 0;
        });
        if (n > 0) this.changed(orgId!);
      } catch (e) {
        this.log('warn', 'waiting list pass failed', { orgId, err: String(e).slice(0, 300) });
      }
    }
  }
}
