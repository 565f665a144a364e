import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getProfile } from '../../src-shared/policy/profiles.js';
import { bookingMode, LEASE_SAFETY_MS } from '../../src-shared/sync/leases.js';
import { appointments, leaseSets, slotLeases } from '../../sync-server/db/schema.js';
import { Backends, type Backend } from '../support/server.js';

const backends = new Backends();
afterAll(() => backends.stop());

const NOW = Date.parse('2026-11-23T03:00:00Z');
const H = 3_600_000;
type Lease = { holder: 'me' | 'other'; expiresAt: number; reclaimAfter: number };
interface Case {
  name: string;
  booked?: boolean;
  lease?: Lease;
  /** What both must say: the slot is free to book here, held by a confirmed booking, or under another device's lease. */
  expect: 'free' | 'taken' | 'leased';
}

const CASES: Case[] = [
  { name: 'nobody’s', expect: 'free' },
  { name: 'my live lease', lease: { holder: 'me', expiresAt: NOW + 10 * H, reclaimAfter: NOW + 22 * H }, expect: 'free' },
  { name: 'my lease past expiry, within grace', lease: { holder: 'me', expiresAt: NOW - H, reclaimAfter: NOW + 11 * H }, expect: 'free' },
  { name: 'my lease within the safety margin', lease: { holder: 'me', expiresAt: NOW + LEASE_SAFETY_MS - 1, reclaimAfter: NOW + 12 * H }, expect: 'free' },
  { name: 'another desk’s live lease', lease: { holder: 'other', expiresAt: NOW + 10 * H, reclaimAfter: NOW + 22 * H }, expect: 'leased' },
  { name: 'another desk’s lease past expiry, within grace', lease: { holder: 'other', expiresAt: NOW - H, reclaimAfter: NOW + 11 * H }, expect: 'leased' },
  { name: 'another desk’s lease past its reclaim time', lease: { holder: 'other', expiresAt: NOW - 13 * H, reclaimAfter: NOW - H }, expect: 'free' },
  { name: 'a confirmed booking', booked: true, expect: 'taken' },
  { name: 'a confirmed booking under another desk’s lease', booked: true, lease: { holder: 'other', expiresAt: NOW + 10 * H, reclaimAfter: NOW + 22 * H }, expect: 'taken' },
];

/** The desk's prediction: its replica's slot holder, then bookingMode on the lease (online, so nothing else refuses). */
function deskSays(c: Case): Case['expect'] {
  if (c.booked) return 'taken';
  const d = bookingMode({
    me: 'me',
    lease: c.lease ? { deviceId: c.lease.holder, epoch: 1 } : null,
    holder: c.lease ? { expiresAt: c.lease.expiresAt, reclaimAfter: c.lease.reclaimAfter } : null,
    serverNow: NOW,
    clockWentBack: false,
    renewalInDoubt: false,
    releaseInDoubt: false,
    online: true,
    profile: getProfile('KG'),
  });
  return d.ok ? 'free' : d.code === 'slot_reserved' ? 'leased' : 'taken';
}

describe.each<Backend>(['pglite', 'postgres'])('one answer for "who holds this time?": the desk’s TypeScript and the server’s SQL (issue 19 finding 7) on %s', (kind) => {
  it('agree on every case of the table', async () => {
    const database = await backends.database(kind);
    const db = database.db;
    const serverSays: Record<string, string> = {};
    for (const [i, c] of CASES.entries()) {
      const slot = `doc-1@2026-11-24T${String(8 + i).padStart(2, '0')}:00`;
      if (c.booked) await db.insert(appointments).values({ id: `a-${i}`, orgId: 'org-p', patientId: 'p', slotId: slot, status: 'booked', syncState: 'confirmed', serverSeq: i + 1 });
      if (c.lease) {
        const device = `${c.lease.holder}-${i}`;
        await db.insert(slotLeases).values({ orgId: 'org-p', slotId: slot, deviceId: c.lease.holder === 'me' ? 'me' : device, epoch: 1 });
        await db
          .insert(leaseSets)
          .values({ deviceId: c.lease.holder === 'me' ? 'me' : device, orgId: 'org-p', expiresAt: c.lease.expiresAt, reclaimAfter: c.lease.reclaimAfter })
          .onConflictDoUpdate({ target: leaseSets.deviceId, set: { expiresAt: c.lease.expiresAt, reclaimAfter: c.lease.reclaimAfter } });
      }
      const r = (await db.execute(sql`SELECT kezek_slot_state('org-p', 'new-booking', ${slot}, 'me', ${NOW}) AS s`)) as unknown as { rows: Array<{ s: string }> };
      serverSays[c.name] = r.rows[0]!.s;
    }
    expect(serverSays).toEqual(Object.fromEntries(CASES.map((c) => [c.name, c.expect])));
    expect(Object.fromEntries(CASES.map((c) => [c.name, deskSays(c)]))).toEqual(Object.fromEntries(CASES.map((c) => [c.name, c.expect])));
  });
});
