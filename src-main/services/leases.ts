import { AppError } from '../../src-shared/rpc/errors.js';
import { bookingMode, type BookingMode } from '../../src-shared/sync/leases.js';
import { stmt } from '../db/stmt.js';
import type { Env } from './env.js';

const meta = (env: Env, key: string) => (stmt(env.db.sqlite, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;

/** This desk's view of the server's clock: its own clock plus the offset the last answer showed. */
function serverClock(env: Env): { me: string | undefined; serverNow: number; clockWentBack: boolean; renewalInDoubt: boolean } {
  const now = env.clock();
  const lastContact = Number(meta(env, 'last_contact_at') ?? 0);
  return {
    me: meta(env, 'server_device_id'),
    serverNow: now + Number(meta(env, 'server_offset_ms') ?? 0),
    clockWentBack: now < lastContact,
    renewalInDoubt: meta(env, 'lease_renewal_in_doubt') === '1',
  };
}

/**
 * Slots (of `slotIds`) freed here by an op of this desk the server has not applied yet: a booking of the
 * slot, not lost, with an op still pending in the outbox. The server still holds the time for it.
 */
function releasesInDoubt(env: Env, slotIds: readonly string[]): Set<string> {
  const rows = stmt(
    env.db.sqlite,
    `SELECT DISTINCT a.slot_id AS slotId FROM appointments a WHERE a.slot_id IN (SELECT value FROM json_each(?)) AND a.sync_state != 'conflict'
      AND EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = a.id AND o.status = 'pending')`,
  ).all(JSON.stringify(slotIds)) as Array<{ slotId: string }>;
  return new Set(rows.map((r) => r.slotId));
}

/**
 * The mode of a booking about to be made on this slot (see bookingMode):
 * `local` on a desk that is not enrolled; otherwise guaranteed, online or
 * tentative — or refused with a translated error.
 */
export function modeFor(env: Env, slotId: string): { mode: BookingMode; leaseEpoch: number | null } {
  const clock = serverClock(env);
  if (!clock.me) return { mode: 'local', leaseEpoch: null };
  const lease = stmt(env.db.sqlite, 'SELECT device_id AS deviceId, epoch FROM leases WHERE slot_id = ?').get(slotId) as { deviceId: string; epoch: number } | undefined;
  const holder = lease
    ? (stmt(env.db.sqlite, 'SELECT expires_at AS expiresAt, reclaim_after AS reclaimAfter FROM lease_sets WHERE device_id = ?').get(lease.deviceId) as
        | { expiresAt: number; reclaimAfter: number }
        | undefined)
    : undefined;
  const d = bookingMode({
    me: clock.me,
    lease: lease ?? null,
    holder: holder ?? null,
    serverNow: clock.serverNow,
    clockWentBack: clock.clockWentBack,
    renewalInDoubt: clock.renewalInDoubt,
    releaseInDoubt: lease?.deviceId === clock.me && releasesInDoubt(env, [slotId]).size > 0,
    online: env.online(),
    profile: env.profile,
  });
  if (!d.ok) throw new AppError(d.code);
  return { mode: d.mode, leaseEpoch: d.leaseEpoch };
}

/**
 * Lease marks for a day's slots: `mine` = bookable offline with a guarantee,
 * `other` = another device may still use it offline (not bookable here).
 */
export function leaseMarks(env: Env, slotIds: readonly string[]): Map<string, 'mine' | 'other'> {
  const out = new Map<string, 'mine' | 'other'>();
  const clock = serverClock(env);
  if (!clock.me || slotIds.length === 0) return out;
  const rows = stmt(
    env.db.sqlite,
    `SELECT l.slot_id AS slotId, l.device_id AS deviceId, s.expires_at AS expiresAt, s.reclaim_after AS reclaimAfter
      FROM leases l LEFT JOIN lease_sets s ON s.device_id = l.device_id WHERE l.slot_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(slotIds)) as Array<{ slotId: string; deviceId: string; expiresAt: number | null; reclaimAfter: number | null }>;
  const inDoubt = releasesInDoubt(env, slotIds);
  for (const r of rows) {
    const holder = r.expiresAt === null || r.reclaimAfter === null ? null : { expiresAt: r.expiresAt, reclaimAfter: r.reclaimAfter };
    const d = bookingMode({
      me: clock.me,
      lease: { deviceId: r.deviceId, epoch: 0 },
      holder,
      serverNow: clock.serverNow,
      clockWentBack: clock.clockWentBack,
      renewalInDoubt: clock.renewalInDoubt,
      releaseInDoubt: inDoubt.has(r.slotId),
      online: false,
      profile: env.profile,
    });
    if (d.ok && d.mode === 'guaranteed') out.set(r.slotId, 'mine');
    else if (!d.ok && d.code === 'slot_reserved') out.set(r.slotId, 'other');
  }
  return out;
}
