import { AppError } from '../../src-shared/rpc/errors.js';
import type { BookResult } from '../../src-shared/rpc/views.js';
import { stmt } from '../db/stmt.js';
import { getAppointment } from './appointment-views.js';
import { cancel } from './booking.js';
import type { Actor, Env } from './env.js';
import { ticketFor } from './tickets.js';

/** How long the registrar waits for the server before the desk takes the offline path. */
export const ONLINE_BOOKING_TIMEOUT_MS = 2000;

export interface Pusher {
  pushNow(timeoutMs: number): Promise<boolean>;
}

/**
 * An online booking (committed locally, queued) goes to the server at once, so
 * the common case is as strong as a central system: the answer is confirmed, or
 * a conflict shown while the patient is still at the desk. If the server does
 * not answer in time the booking stays queued as tentative — or, where the
 * clinic allows no tentative bookings, is cancelled again and refused.
 */
export async function settleOnline(env: Env, actor: Actor, result: BookResult, sync: Pusher | null): Promise<BookResult> {
  if (result.appointment.mode !== 'online' || !sync) return result;
  const id = result.appointment.id;
  await sync.pushNow(ONLINE_BOOKING_TIMEOUT_MS);
  if (getAppointment(env, id)?.syncState === 'local') {
    if (env.profile.leases.offlineOutsideLease === 'refuse') {
      cancel(env, actor, id, 'registry');
      throw new AppError('offline_not_leased');
    }
    stmt(env.db.sqlite, "UPDATE appointments SET mode = 'tentative' WHERE id = ? AND sync_state = 'local'").run(id);
  }
  return { appointment: getAppointment(env, id)!, ticket: ticketFor(env, id) };
}
