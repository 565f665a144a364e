import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { ticketNumber } from '../../src-shared/print/ticket-prefix.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';

const meta = (db: Db, key: string) => (stmt(db.sqlite, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;

/** This desk's ticket prefix: the server's assignment once enrolled, a local one on a standalone desk. */
export const ticketPrefix = (db: Db): string => meta(db, 'device_prefix') ?? '';

/**
 * The ticket mark: a small file *outside* the data directory holding the highest ticket number
 * this install may have printed. A backup of the data directory rolls the counter back with the
 * database; the mark does not roll back, so a restored desk goes on past every ticket it printed
 * even before it hears from the server. Numbers are reserved a block at a time (one fsync per
 * block, not per booking); a restart skips what was reserved and not used — codes need not be dense.
 */
const MARK_BLOCK = 20;
const Mark = z.object({ deviceId: z.string(), reserved: z.number().int().nonnegative() });
interface OpenMark {
  file: string;
  deviceId: string;
  reserved: number;
}
const marks = new WeakMap<Db, OpenMark>();

const seq = (db: Db) => Number(meta(db, 'ticket_seq') ?? 0);

function writeMark(m: OpenMark): void {
  const tmp = `${m.file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify({ deviceId: m.deviceId, reserved: m.reserved }));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, m.file);
}

function readMark(file: string, deviceId: string): number {
  try {
    const m = Mark.parse(JSON.parse(readFileSync(file, 'utf8')));
    return m.deviceId === deviceId ? m.reserved : 0; // another install's mark (a fresh data directory) says nothing about this one
  } catch {
    return 0; // none yet (first start, or a version before marks): the server's copies still move a restored counter on
  }
}

/**
 * Open the mark at start: the counter moves past what the mark reserved. Returns false (and the
 * desk runs without a mark) when the file cannot be written, e.g. a read-only parent folder.
 */
export function openTicketMark(db: Db, file: string, deviceId: string): boolean {
  const reserved = readMark(file, deviceId);
  if (reserved > seq(db)) stmt(db.sqlite, "UPDATE meta SET value = ? WHERE key = 'ticket_seq'").run(String(reserved));
  const m = { file, deviceId, reserved: seq(db) };
  try {
    writeMark(m);
  } catch {
    return false;
  }
  marks.set(db, m);
  return true;
}

/** The next ticket code: this desk's prefix + its own counter, so offline desks never collide. Call inside the booking's transaction. */
export function nextTicketCode(db: Db): string {
  const { value } = stmt(db.sqlite, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'ticket_seq' RETURNING value").get() as { value: number };
  const m = marks.get(db);
  // Reserve before the ticket exists: if the write fails, the booking's transaction rolls back.
  if (m && value > m.reserved) {
    writeMark({ ...m, reserved: value + MARK_BLOCK - 1 });
    m.reserved = value + MARK_BLOCK - 1;
  }
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
