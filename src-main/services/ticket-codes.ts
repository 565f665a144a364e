import { ticketNumber } from '../../src-shared/print/ticket-prefix.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';

const meta = (db: Db, key: string) => (stmt(db.sqlite, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;

/** This desk's ticket prefix: the server's assignment once enrolled, a local one on a standalone desk. */
export const ticketPrefix = (db: Db): string => meta(db, 'device_prefix') ?? '';

/** The next ticket code: this desk's prefix + its own counter, so offline desks never collide. Call inside the booking's transaction. */
export function nextTicketCode(db: Db): string {
  const { value } = stmt(db.sqlite, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'ticket_seq' RETURNING value").get() as { value: number };
  return `${ticketPrefix(db)}${String(value).padStart(6, '0')}`;
}

/**
 * A booking of this desk's prefix arrived from the server: the counter moves past its number.
 * A desk restored from a backup rolled its counter back with the file; the server's copies of
 * the tickets it issued after that backup bring it forward again, so no code is issued twice.
 */
export function noteTicketCode(db: Db, code: string): void {
  const n = ticketNumber(code, ticketPrefix(db));
  if (n !== null) stmt(db.sqlite, "UPDATE meta SET value = ? WHERE key = 'ticket_seq' AND CAST(value AS INTEGER) < ?").run(String(n), n);
}

/**
 * The server assigned this desk a ticket prefix (unique in the organization): use it from the next
 * ticket on. Codes already printed keep theirs; the counter goes on, so a code never repeats.
 */
export function adoptTicketPrefix(db: Db, prefix: string): void {
  if (ticketPrefix(db) !== prefix) stmt(db.sqlite, "INSERT INTO meta (key, value) VALUES ('device_prefix', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(prefix);
}
