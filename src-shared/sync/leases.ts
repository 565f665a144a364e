import type { SlotChannel } from '../domain/enums.js';
import type { PolicyProfile } from '../policy/types.js';
import { addDays } from '../time/dates.js';
import { isWorkingDay } from '../time/working-days.js';

/**
 * Slot leases (escrow; docs/sync-design.md, Leases): the only source of offline
 * guarantees. The server plans them (planLeases) in one locked transaction;
 * the desk decides a booking's mode from them (bookingMode). Both are pure.
 */

export type DeviceKind = 'desk' | 'cabinet' | 'kiosk';
export interface LeaseCandidate {
  slotId: string;
  doctorId: string;
  date: string;
  channel: SlotChannel;
}
/** Who holds a slot's lease, and whether that lease may still be used (not past expiry + grace). */
export interface LeaseHolder {
  deviceId: string;
  live: boolean;
}

/** Today and the next working days a lease covers. */
export function leaseWindow(profile: PolicyProfile, today: string): string[] {
  const dates = [today];
  let d = today;
  for (let working = 0; working < profile.leases.windowWorkingDays && dates.length < 31; ) {
    d = addDays(d, 1);
    dates.push(d);
    if (isWorkingDay(profile, d)) working++;
  }
  return dates;
}

/** A small stable hash (FNV-1a) of a string. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193) >>> 0;
  return h;
}

/** Spread `n` picks over a list, so a desk's share covers the morning and the afternoon. */
function spread<T>(list: readonly T[], n: number): T[] {
  if (n >= list.length) return [...list];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(list[Math.floor((i * list.length) / n)]!);
  return out;
}

/**
 * What one device should hold after this renewal. A desk gets its turn's part
 * of floor(registry slots × share) of each doctor-day; a cabinet gets
 * its doctor's free repeat-visit slots. Only free slots are granted, never one
 * another device may still use; a desk over its share (another desk came back)
 * gives the excess back itself — the holder agreeing is what makes it safe —
 * and all desks together never hold more than the share.
 * Leases on booked or no-longer-offered slots are released.
 */
export function planLeases(i: {
  device: { id: string; kind: DeviceKind; doctorId: string | null };
  /** Future, unblocked slots of the window, in time order. */
  candidates: readonly LeaseCandidate[];
  taken: ReadonlySet<string>;
  holders: ReadonlyMap<string, LeaseHolder>;
  /** Ids of the live devices of this one's kind — desks, or kiosks — this one included (any order). */
  desks: readonly string[];
  share: number;
  /** Times kept for the waiting list (issue 21): nobody keeps or gets them; the one who holds one gives it back. */
  reserved?: ReadonlySet<string>;
}): { grant: string[]; release: string[] } {
  const desks = [...new Set([...i.desks, i.device.id])].sort();
  const me = desks.indexOf(i.device.id);
  const mineNow = new Set([...i.holders].filter(([, h]) => h.deviceId === i.device.id).map(([slot]) => slot));
  // A cabinet: its doctor's repeat-visit times; a kiosk: the internet share (its patients' channel, R7); a desk: the registry's.
  const wanted =
    i.device.kind === 'cabinet'
      ? i.candidates.filter((c) => c.channel === 'doctor' && c.doctorId === i.device.doctorId)
      : i.candidates.filter((c) => c.channel === (i.device.kind === 'kiosk' ? 'internet' : 'registry'));
  const open = i.reserved ? wanted.filter((c) => !i.reserved!.has(c.slotId)) : wanted;
  const keep = new Set<string>();
  const grant: string[] = [];
  const groups = new Map<string, LeaseCandidate[]>();
  for (const c of open) {
    const key = `${c.doctorId}|${c.date}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  for (const group of groups.values()) {
    // The share of this doctor-day, dealt out like cards: every desk floor(share ÷ desks), and the
    // remainder one each to desks in an order that turns with the doctor-day (so with eight desks
    // and six shared slots, six desks get one, and not always the same six).
    const cap = Math.floor(group.length * i.share);
    const turn = (me + hash(`${group[0]!.doctorId}|${group[0]!.date}`)) % desks.length;
    const target = i.device.kind === 'cabinet' ? group.length : Math.floor(cap / desks.length) + (turn < cap % desks.length ? 1 : 0);
    const free = group.filter((c) => !i.taken.has(c.slotId));
    const held = free.filter((c) => mineNow.has(c.slotId));
    for (const c of held.slice(0, target)) keep.add(c.slotId);
    const open = free.filter((c) => !mineNow.has(c.slotId) && !i.holders.get(c.slotId)?.live);
    // Desks together never hold more than their share: until a desk over its share gives the excess
    // back (at its own next renewal), a newcomer waits — the common pool is never eaten into.
    const heldByOthers = group.filter((c) => !mineNow.has(c.slotId) && i.holders.get(c.slotId)?.live).length;
    const room = i.device.kind === 'cabinet' ? Infinity : cap - heldByOthers - Math.min(held.length, target);
    for (const c of spread(open, Math.max(0, Math.min(target - held.length, room)))) grant.push(c.slotId);
  }
  return { grant, release: [...mineNow].filter((s) => !keep.has(s)) };
}

/** How far before the server's expiry a desk stops trusting its lease (its clock estimate may be off a little). */
export const LEASE_SAFETY_MS = 5 * 60_000;

export type BookingMode = 'local' | 'online' | 'guaranteed' | 'tentative';

/**
 * The mode of a new booking on an enrolled desk. Guaranteed only inside this
 * device's lease while the lease is valid by the server's clock as the desk
 * estimates it (and the desk clock has not gone backwards), and only on a time
 * the server holds as free too (see releaseInDoubt); a slot another
 * device may still use offline is refused; anything else goes to the server at
 * once when online, else is tentative or refused as the clinic decides.
 */
export function bookingMode(i: {
  me: string;
  lease: { deviceId: string; epoch: number } | null;
  /** The lease holder's expiry and reclaim time (server time), if known. */
  holder: { expiresAt: number; reclaimAfter: number } | null;
  serverNow: number;
  clockWentBack: boolean;
  /**
   * A renewal was sent whose effect this desk has not pulled yet: the server may have taken back
   * some of its leases (a desk gives back its excess at renewal), so none of them is trusted until then.
   */
  renewalInDoubt: boolean;
  /**
   * The slot is free here only because of an op of this desk the server has not applied yet (a cancellation,
   * a move away): the server still gives the time to that booking, and may refuse its release (another desk
   * checked the patient in meanwhile — seed 7142). A lease guards against other desks, not against that.
   */
  releaseInDoubt: boolean;
  online: boolean;
  profile: PolicyProfile;
}): { ok: true; mode: BookingMode; leaseEpoch: number | null } | { ok: false; code: 'slot_reserved' | 'offline_not_leased' } {
  const { lease, holder, serverNow } = i;
  if (lease && lease.deviceId === i.me) {
    if (!i.clockWentBack && !i.renewalInDoubt && !i.releaseInDoubt && holder && serverNow < holder.expiresAt - LEASE_SAFETY_MS) return { ok: true, mode: 'guaranteed', leaseEpoch: lease.epoch };
  } else if (lease && (!holder || serverNow < holder.reclaimAfter)) {
    return { ok: false, code: 'slot_reserved' };
  }
  if (i.online) return { ok: true, mode: 'online', leaseEpoch: null };
  return i.profile.leases.offlineOutsideLease === 'tentative' ? { ok: true, mode: 'tentative', leaseEpoch: null } : { ok: false, code: 'offline_not_leased' };
}
