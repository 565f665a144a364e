import { sql } from 'drizzle-orm';
import type { Slot } from '../../src-shared/domain/appointment.js';
import { ACTIVE_SQL } from '../../src-shared/domain/enums.js';
import type { Doctor } from '../../src-shared/domain/directory.js';
import { datesBetween, localParts } from '../../src-shared/time/dates.js';
import type { ServerDb } from '../db/connect.js';
import type { RulesDirectory } from '../rules/directory-cache.js';
import { doctorDaySlots, horizonOf } from '../rules/judge.js';
import type { ApiClient } from './clients.js';

/**
 * What the booking API offers (issue 20): a clinic's free times for a client's channel — $find's search and the
 * $bulk-publish Slot feed — read fast enough for the morning its times open. Deciding a hold or a booking is
 * scheduling.ts's; a time offered here is judged again there.
 */

/** Who keeps a busy time from the API: nobody may take it (booked, under a desk's lease), or the patient holding it. */
type BusyTimes = Map<string, string | null>;

/** Reads of busy times in flight, per database, by what they read: the $finds of one rush that ask the same share one statement. */
const reading = new WeakMap<object, Map<string, Promise<BusyTimes>>>();

/**
 * The times of these doctors between two local dates (inclusive) that are not free for an electronic booking now —
 * booked, under a desk's lease, or held (with the holder, whose own hold does not keep the time from them). One
 * statement of index range scans per doctor (slot ids are `doctor@date…`), not a list of every id the days generate.
 * When the morning's times open, hundreds of $finds ask for the same days at once: the ones that arrive while the same
 * read is on its way take its answer instead of sending their own — no older than a read of their own would be by the
 * time they had it, and nothing is kept once it is answered. A time offered here is still judged under $hold and $book.
 */
function busyTimes(db: Pick<ServerDb, 'execute'>, orgId: string, doctorIds: readonly string[], from: string, to: string, now: number): Promise<BusyTimes> {
  const key = `${orgId}|${from}|${to}|${doctorIds.join(',')}`;
  const reads = reading.get(db) ?? new Map<string, Promise<BusyTimes>>();
  reading.set(db, reads);
  const inFlight = reads.get(key);
  if (inFlight) return inFlight;
  const read = readBusyTimes(db, orgId, doctorIds, from, to, now).finally(() => reads.delete(key));
  reads.set(key, read);
  return read;
}

async function readBusyTimes(db: Pick<ServerDb, 'execute'>, orgId: string, doctorIds: readonly string[], from: string, to: string, now: number): Promise<BusyTimes> {
  if (doctorIds.length === 0) return new Map();
  // [doctor@from, doctor@to + 'U'): every time of those days ('T' < 'U').
  const lo = `{${doctorIds.map((d) => JSON.stringify(`${d}@${from}`)).join(',')}}`;
  const hi = `{${doctorIds.map((d) => JSON.stringify(`${d}@${to}U`)).join(',')}}`;
  const res = (await db.execute(sql`
    WITH r AS (SELECT * FROM unnest(${lo}::text[], ${hi}::text[]) AS r(lo, hi))
    SELECT a.slot_id AS id, NULL AS holder FROM r JOIN appointments a ON a.org_id = ${orgId} AND a.slot_id >= r.lo AND a.slot_id < r.hi
      AND a.status IN ${sql.raw(ACTIVE_SQL)} AND a.sync_state = 'confirmed'
    UNION ALL SELECT l.slot_id, NULL FROM r JOIN slot_leases l ON l.org_id = ${orgId} AND l.slot_id >= r.lo AND l.slot_id < r.hi
      JOIN lease_sets s ON s.device_id = l.device_id AND s.reclaim_after > ${now}
    UNION ALL SELECT h.slot_id, h.patient_id FROM r JOIN slot_holds h ON h.org_id = ${orgId} AND h.slot_id >= r.lo AND h.slot_id < r.hi AND h.expires_at > ${now}`)) as unknown as {
    rows: Array<{ id: string; holder: string | null }>;
  };
  const busy: BusyTimes = new Map();
  // Booked or leased beats held: a held time a desk has meanwhile taken is nobody's to take.
  for (const r of res.rows) if (r.holder === null || !busy.has(r.id)) busy.set(r.id, r.holder);
  return busy;
}

const freeFor = (busy: BusyTimes, slotId: string, patientId: string | null) => {
  const holder = busy.get(slotId);
  return holder === undefined || (holder !== null && holder === patientId);
};

export interface FindQuery {
  specialtyId?: string;
  doctorId?: string;
  /** Local dates, inclusive; clipped to today and the horizon (R1). */
  from?: string;
  to?: string;
  patientId?: string | null;
  count: number;
  /**
   * Draw the `count` offered from the earliest 5 × count free times (earliest first still): when a clinic's times
   * open and hundreds look at once, offering everyone the same earliest few only makes them collide on $hold.
   */
  spread?: boolean;
}

/** Free times this client may offer, earliest first: its channel's share (R7), inside the horizon (R1), none a desk holds a lease on. */
export async function findSlots(db: ServerDb, dir: RulesDirectory, client: ApiClient, q: FindQuery, now: number): Promise<Slot[]> {
  const today = localParts(now, dir.timezone).date;
  const last = horizonOf(dir, today);
  const from = q.from && q.from > today ? q.from : today;
  const to = q.to && q.to < last ? q.to : last;
  if (from > to) return [];
  const doctors = [...dir.doctors.values()].filter((d) => d.active && (!q.doctorId || d.id === q.doctorId) && (!q.specialtyId || d.specialtyId === q.specialtyId));
  const out: Slot[] = [];
  const want = q.spread ? q.count * 5 : q.count;
  const ids = doctors.map((d) => d.id);
  // Earliest first: the first day alone (in the rush its times are most often the ones still free), then the days
  // left in one read — not one round trip per day already full.
  const days = datesBetween(from, to);
  const take = async (dates: string[]) => {
    if (dates.length === 0) return;
    const busy = await busyTimes(db, dir.orgId, ids, dates[0]!, dates.at(-1)!, now);
    for (const date of dates)
      for (const s of openTimes(dir, doctors, date, client, now)) {
        if (out.length >= want) return;
        if (freeFor(busy, s.id, q.patientId ?? null)) out.push(s);
      }
  };
  await take(days.slice(0, 1));
  if (out.length < want) await take(days.slice(1));
  if (!q.spread || out.length <= q.count) return out;
  const picked = new Set<number>();
  while (picked.size < q.count) picked.add(Math.floor(Math.random() * out.length));
  return [...picked].sort((a, b) => a - b).map((i) => out[i]!);
}

/**
 * Every time this client's channel may take over the horizon, free or busy (booked, under a desk's lease, or held):
 * the Slot file of SMART Scheduling Links' $bulk-publish, which aggregators poll instead of searching time by time.
 */
export async function slotFeed(db: ServerDb, dir: RulesDirectory, client: ApiClient, now: number): Promise<Array<{ slot: Slot; busy: boolean }>> {
  const today = localParts(now, dir.timezone).date;
  const doctors = [...dir.doctors.values()].filter((d) => d.active);
  const last = horizonOf(dir, today);
  const all = datesBetween(today, last).flatMap((date) => openTimes(dir, doctors, date, client, now));
  const busy = await busyTimes(
    db,
    dir.orgId,
    doctors.map((d) => d.id),
    today,
    last,
    now,
  );
  return all.map((slot) => ({ slot, busy: busy.has(slot.id) }));
}

/** Per directory version, per day, channel and doctors: the times that channel may take, earliest first (before `now` cuts them). */
const openByDir = new WeakMap<RulesDirectory, Map<string, Slot[]>>();

/** These doctors' times of one day this client's channel may take (R7), not blocked and not past, earliest first. */
function openTimes(dir: RulesDirectory, doctors: readonly Doctor[], date: string, client: ApiClient, now: number): Slot[] {
  const byDay = openByDir.get(dir) ?? new Map<string, Slot[]>();
  openByDir.set(dir, byDay);
  const key = `${date}|${client.channel}|${doctors.map((d) => d.id).join(',')}`;
  let day = byDay.get(key);
  if (!day) {
    const access = dir.profile.slotAccess;
    day = doctors
      .flatMap((d) => [...doctorDaySlots(dir, d.id, date).values()])
      .filter((s) => !s.blocked && access[s.channel].includes(client.channel))
      .sort((a, b) => a.startUtc - b.startUtc || (a.doctorId < b.doctorId ? -1 : a.doctorId > b.doctorId ? 1 : 0));
    if (byDay.size > 5_000) byDay.clear(); // bounded, whatever ranges are asked
    byDay.set(key, day);
  }
  return day.filter((s) => s.startUtc > now);
}

/** One slot of the organization by id, as its schedule generates it now. */
export function slotById(dir: RulesDirectory, slotId: string): Slot | null {
  const m = /^(.+)@(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}$/.exec(slotId);
  return m ? (doctorDaySlots(dir, m[1]!, m[2]!).get(slotId) ?? null) : null;
}
