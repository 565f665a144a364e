import type { Rng } from '../../src-main/seed/random.js';
import type { FetchFn } from '../../src-main/sync/server-client.js';

export interface Faults {
  dropRequest: number;
  loseResponse: number;
  duplicate: number;
  replayOld: number;
  /** A lease renewal sent before the current one arrives again, late (issue 25: numbered renewals). */
  replayOldRenewal: number;
}

/**
 * The network between desks and the server, with faults: requests dropped before
 * the server sees them, responses lost after it acted, duplicates, old requests
 * arriving late (reordering), and partitions that cut one desk off. The server
 * is the real Hono app, called in-process.
 */
export class SimNetwork {
  readonly partitioned = new Set<string>();
  private readonly past = new Map<string, Request[]>();
  private readonly pastRenewals = new Map<string, Request[]>();
  healed = false;
  stats = { requests: 0, dropped: 0, lost: 0, duplicated: 0, replayed: 0, renewalsReplayed: 0 };

  constructor(
    private readonly app: { fetch(req: Request): Response | Promise<Response> },
    private readonly rng: Rng,
    private readonly faults: Faults,
    /** Its own stream, so runs recorded before renewals were replayed (seed 7142's) go as they went until the first replay. */
    private readonly renewalRng: Rng,
  ) {}

  fetchFor(desk: string): FetchFn {
    return async (url, init) => {
      const req = new Request(url, init);
      const sync = url.pathname.startsWith('/sync/');
      this.stats.requests++;
      if (!sync || this.healed) return this.app.fetch(req);
      if (this.partitioned.has(desk)) throw new TypeError(`sim: ${desk} is partitioned`);
      if (this.rng.chance(this.faults.dropRequest)) {
        this.stats.dropped++;
        throw new TypeError('sim: request dropped');
      }
      const past = this.past.get(desk) ?? [];
      if (url.pathname === '/sync/push') {
        past.push(req.clone());
        this.past.set(desk, past.slice(-20));
        if (past.length > 1 && this.rng.chance(this.faults.replayOld)) {
          this.stats.replayed++;
          await this.app.fetch(past[this.rng.int(0, past.length - 2)]!.clone());
        }
      }
      if (url.pathname === '/sync/leases') {
        const renewals = this.pastRenewals.get(desk) ?? [];
        if (renewals.length > 0 && this.renewalRng.chance(this.faults.replayOldRenewal)) {
          this.stats.renewalsReplayed++;
          await this.app.fetch(renewals[this.renewalRng.int(0, renewals.length - 1)]!.clone());
        }
        this.pastRenewals.set(desk, [...renewals, req.clone()].slice(-5));
      }
      if (this.rng.chance(this.faults.duplicate)) {
        this.stats.duplicated++;
        await this.app.fetch(req.clone());
      }
      const res = await this.app.fetch(req);
      if (this.rng.chance(this.faults.loseResponse)) {
        this.stats.lost++;
        throw new TypeError('sim: response lost');
      }
      return res;
    };
  }
}
