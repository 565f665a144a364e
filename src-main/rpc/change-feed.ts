import type { Topic } from '../../src-shared/rpc/changes.js';
import type { Applied } from '../sync/apply.js';

type Listener = (topics: Topic[]) => void;

/**
 * The desk's notices to its windows that data changed (issue 23 finding 12). Topics published within one COALESCE_MS
 * go out as one notice: a sync page of 200 bookings, or a booking's several writes, make one reload per window.
 */
export class ChangeFeed {
  static readonly COALESCE_MS = 50;
  private readonly listeners = new Set<Listener>();
  private pending = new Set<Topic>();
  private timer: NodeJS.Timeout | null = null;

  publish(topics: readonly Topic[]): void {
    if (topics.length === 0) return;
    for (const t of topics) this.pending.add(t);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const out = [...this.pending];
      this.pending = new Set();
      for (const l of this.listeners) l(out);
    }, ChangeFeed.COALESCE_MS);
  }

  /** Hear every notice from now on; returns how to stop. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }
}

/** Which windows' lists a kind of row the sync brought touches. */
const ENTITY_TOPICS: Record<string, readonly Topic[]> = {
  appointment: ['bookings', 'register', 'patients'],
  task: ['tasks'],
  patient: ['patients'],
  referral: ['patients', 'bookings'],
  home_visit: ['homeVisits'],
  waiting_entry: ['waiting'],
  account: ['accounts'],
  message: ['patients'],
  register_entry: ['register'],
  register_stamp: ['register'],
  lease: ['bookings'],
  lease_set: ['bookings'],
};

/** What a page the sync applied changed, as topics (the sync's own state always). */
export function topicsOfSync(a: Applied): Topic[] {
  const out = new Set<Topic>(['sync']);
  for (const e of a.entities) for (const t of ENTITY_TOPICS[e] ?? ['schedule', 'bookings']) out.add(t);
  return [...out];
}
