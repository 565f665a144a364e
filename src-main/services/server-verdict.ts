import { AppError, type ErrorCode } from '../../src-shared/rpc/errors.js';
import { REFUSALS } from '../../src-shared/rules/decision.js';
import { stmt } from '../db/stmt.js';
import type { Env } from './env.js';
import { ONLINE_BOOKING_TIMEOUT_MS, type Pusher } from './online-booking.js';

/** Where the server's answer to a management change stands once the screen may tell its user. */
export type Verdict = 'confirmed' | 'queued' | 'local';

/**
 * The clinic's management changes take effect on this desk at once (offline too) and go to the
 * server, which decides them again. While the link is up the screen waits a moment for that answer:
 * confirmed, or refused with the server's reason (the desk has by then taken the server's version
 * back). Offline the change stands here and is "queued"; a standalone desk's is final ("local").
 */
export async function serverVerdict(env: Env, sync: Pusher | null, opName: string, entityId: string): Promise<Verdict> {
  if (!sync) return 'local';
  await sync.pushNow(ONLINE_BOOKING_TIMEOUT_MS);
  const op = stmt(env.db.sqlite, 'SELECT status, detail FROM outbox WHERE entity_id = ? AND name = ? ORDER BY seq DESC LIMIT 1').get(entityId, opName) as
    | { status: string; detail: string | null }
    | undefined;
  if (!op || op.status === 'pending') return 'queued';
  if (op.status === 'applied') return 'confirmed';
  const code = op.detail && Object.hasOwn(REFUSALS, op.detail) ? (op.detail as ErrorCode) : 'internal';
  throw new AppError(code);
}
