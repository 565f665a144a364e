import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';

// The sync state a desk keeps in its meta table (cursor, server identity, history), shared by the engine and enrollment.

export const meta = (db: Db, key: string) => (stmt(db.sqlite, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
export const setMeta = (db: Db, key: string, value: string) => stmt(db.sqlite, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);

/** Pull everything again from the start, and send again every op after `lastAppliedSeq` (all the server still has of ours). */
export function startOver(db: Db, lastAppliedSeq: number): void {
  setMeta(db, 'pull_cursor', '0');
  // The leases come back from the feed as the server now has them: one it no longer knows (it was restored
  // from a backup, or this is a new device) must not stay behind as ours. Until the next renewal's answer, none is trusted.
  stmt(db.sqlite, 'DELETE FROM leases').run();
  stmt(db.sqlite, 'DELETE FROM lease_sets').run();
  setMeta(db, 'lease_renewal_in_doubt', '1');
  stmt(db.sqlite, "UPDATE outbox SET status = 'pending' WHERE seq > ? AND status != 'pending'").run(lastAppliedSeq);
}
