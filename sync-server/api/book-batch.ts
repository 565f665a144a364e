import { sql } from 'drizzle-orm';
import type { ServerDb } from '../db/connect.js';

/** One $book as kezek_api_book takes it (functions.sql). */
export interface BookItem {
  device: string;
  dirVersion: number;
  hold: string | null;
  patient: string;
  slot: string;
  id: string;
  specialty: string;
  date: string;
  limit: number;
  row: object;
  now: number;
}
export interface BookOutcome {
  outcome: string;
  seq: string | null;
  ticket: string | null;
}

type Waiting = { item: BookItem; resolve: (o: BookOutcome) => void; reject: (e: unknown) => void };
/** Per database, per organization: the bookings that arrived since its last batch was taken. */
const waiting = new WeakMap<ServerDb, Map<string, Waiting[]>>();

/**
 * $book's group commit. A clinic's bookings are written one batch at a time (its organization's lock, in the
 * clinic's writer queue); the bookings that arrive while one batch is written wait and go together in the next, in
 * one statement and one commit (kezek_api_book_batch). In the morning rush a commit per booking made every patient
 * wait for the fsyncs of all before them; now they share them. Nothing is kept between batches: a crash loses only
 * requests not yet answered, which the clients send again (their Idempotency-Key).
 */
export function bookInBatch(db: ServerDb, orgId: string, item: BookItem, serialize: <T>(orgId: string, task: () => Promise<T>) => Promise<T>): Promise<BookOutcome> {
  const byOrg = waiting.get(db) ?? new Map<string, Waiting[]>();
  waiting.set(db, byOrg);
  const queue = byOrg.get(orgId);
  return new Promise<BookOutcome>((resolve, reject) => {
    if (queue) return void queue.push({ item, resolve, reject });
    const fresh: Waiting[] = [{ item, resolve, reject }];
    byOrg.set(orgId, fresh);
    void serialize(orgId, async () => {
      // From here on, new arrivals start the next batch, which waits in the writer queue behind this one.
      if (byOrg.get(orgId) === fresh) byOrg.delete(orgId);
      try {
        const res = (await db.execute(sql`SELECT outcome, seq, ticket FROM kezek_api_book_batch(${orgId}, ${JSON.stringify(fresh.map((w) => w.item))}::jsonb)`)) as unknown as {
          rows: BookOutcome[];
        };
        for (const [i, w] of fresh.entries()) {
          const r = res.rows[i];
          if (!r || r.outcome.startsWith('error')) w.reject(new Error(`$book failed in its batch: ${r?.outcome ?? 'no answer'}`));
          else w.resolve(r);
        }
      } catch (e) {
        for (const w of fresh) w.reject(e);
      }
    });
  });
}
