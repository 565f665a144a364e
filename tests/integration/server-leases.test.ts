import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getProfile } from '../../src-shared/policy/profiles.js';
import { revokeDevice } from '../../sync-server/auth/devices.js';
import { devices, slotLeases } from '../../sync-server/db/schema.js';
import { Backends, type Backend } from '../support/server.js';
import { appointmentOf, NOW, syncFixture } from '../support/sync-fixture.js';

const backends = new Backends();
afterAll(() => backends.stop());
const { ttlMs, graceMs } = getProfile('KG').leases;

/** The lease table as every desk sees it after pulling the whole feed: slot → { deviceId, epoch }. */
async function leasesSeenBy(s: Awaited<ReturnType<typeof syncFixture>>, token: string): Promise<Map<string, { deviceId: string; epoch: number }>> {
  const seen = new Map<string, { deviceId: string; epoch: number }>();
  for (let cursor = 0; ; ) {
    const page = await s.pull(token, cursor);
    for (const c of page.changes) if (c.entity === 'lease') c.op === 'put' ? seen.set(c.id, { deviceId: c.row.deviceId, epoch: c.seq }) : seen.delete(c.id);
    if (!page.hasMore) return seen;
    cursor = page.cursor;
  }
}
const byDevice = (m: Map<string, { deviceId: string }>) => {
  const counts: Record<string, number> = {};
  for (const l of m.values()) counts[l.deviceId] = (counts[l.deviceId] ?? 0) + 1;
  return counts;
};

describe.each<Backend>(['pglite', 'postgres'])('slot leases on %s (issue 3 item 4; docs/sync-design.md, Leases)', (kind) => {
  /** Desks A and B of org-a on a server whose clock the test moves; A alone has taken its leases. */
  const desksAWithLeasesAndB = async () => {
    let t = NOW;
    const s = await syncFixture(backends, kind, () => t);
    const a = await s.enrollDesk('org-a');
    const b = await s.enrollDesk('org-a');
    await s.leases(a);
    const aDevice = ((await (await fetch(`${s.server.url}/sync/whoami`, { headers: { authorization: `Bearer ${a}` } })).json()) as { id: string }).id;
    return {
      s,
      a,
      b,
      aDevice,
      at: (ms: number) => {
        t = ms;
      },
    };
  };

  it('splits half of each doctor-day among the live desks; a returning desk gets its share and the other gives the excess back', async () => {
    const s = await syncFixture(backends, kind);
    const a = await s.enrollDesk('org-a');
    // Alone: half of each doctor-day over today (8 slots left after 09:00) and the next two working days (12 each).
    expect(await s.leases(a)).toMatchObject({ granted: 2 * (4 + 6 + 6), released: 0, expiresAt: NOW + ttlMs });
    const b = await s.enrollDesk('org-a');
    // B comes: A holds the whole desk share, so B waits (the common pool is never eaten into)…
    expect(await s.leases(b)).toMatchObject({ granted: 0, released: 0 });
    // …until A renews and gives back what is over its quarter; then B gets its quarter.
    expect(await s.leases(a)).toMatchObject({ granted: 0, released: 16, held: 16 });
    expect(await s.leases(b)).toMatchObject({ granted: 2 * (2 + 3 + 3), released: 0 });
    const seen = await leasesSeenBy(s, b);
    expect(Object.values(byDevice(seen))).toEqual([16, 16]);
    expect(seen.size).toBe(await s.database.db.$count(slotLeases));
    // Only registry slots of the window, never the past.
    for (const slot of seen.keys()) expect(slot > 'doc-1@2026-11-23T09:00' || slot.startsWith('doc-2')).toBe(true);
    await s.close();
  });

  it('a booking inside its own lease is confirmed; another desk booking that slot loses with a call task; a lease honoured even when its op arrives late', async () => {
    const { s, a, b, aDevice, at } = await desksAWithLeasesAndB();
    const leased = [...(await leasesSeenBy(s, a))].filter(([slot, l]) => l.deviceId === aDevice && slot.startsWith('doc-1@2026-11-24'));
    const [slot1, lease1] = leased[0]!;
    const [slot2, lease2] = leased[1]!;
    const onB = appointmentOf(slot1);
    expect((await s.push(b, [{ seq: 1, name: 'appointments.book', args: { appointment: onB, preventive: false, mode: 'tentative', leaseEpoch: null } }])).json.results[0]).toMatchObject({
      status: 'conflict',
      detail: 'slot_leased',
    });
    const onA = { ...appointmentOf(slot1), patientId: 'pat-7' };
    expect((await s.push(a, [{ seq: 1, name: 'appointments.book', args: { appointment: onA, preventive: false, mode: 'guaranteed', leaseEpoch: lease1.epoch } }])).json.results[0]).toMatchObject({
      status: 'applied',
      detail: 'confirmed',
    });
    // A booked slot2 offline just before its lease expired and uploads within the grace period: still confirmed.
    at(NOW + ttlMs + graceMs - 60_000);
    const late = appointmentOf(slot2);
    expect((await s.push(a, [{ seq: 2, name: 'appointments.book', args: { appointment: late, preventive: false, mode: 'guaranteed', leaseEpoch: lease2.epoch } }])).json.results[0]).toMatchObject({
      status: 'applied',
    });
    await s.close();
  });

  it('after expiry + grace the slots go back to the pool; a lease cited after that is lost loudly (lease_lost task), never silently', async () => {
    const { s, a, b, aDevice, at } = await desksAWithLeasesAndB();
    const [slot, lease] = [...(await leasesSeenBy(s, a))].find(([x, l]) => l.deviceId === aDevice && x.includes('2026-11-25'))!;
    // Before expiry + grace, B cannot be granted A's slots.
    at(NOW + ttlMs + graceMs - 60_000);
    await s.leases(b);
    expect((await leasesSeenBy(s, b)).get(slot)?.deviceId).toBe(aDevice);
    at(NOW + ttlMs + graceMs + 60_000);
    await s.leases(b);
    expect((await leasesSeenBy(s, b)).get(slot)?.deviceId).not.toBe(aDevice);
    const lost = appointmentOf(slot);
    expect((await s.push(a, [{ seq: 1, name: 'appointments.book', args: { appointment: lost, preventive: false, mode: 'guaranteed', leaseEpoch: lease.epoch } }])).json.results[0]).toMatchObject({
      status: 'conflict',
      detail: 'lease_lost',
    });
    const tasks = (await s.pull(a)).changes.filter((c: any) => c.entity === 'task');
    expect(tasks.at(-1).row).toMatchObject({ kind: 'call_patient', appointmentId: lost.id, reason: 'lease_lost' });
    await s.close();
  });

  it('issue 25: a renewal the network brings late — after a later one — changes nothing; a desk restored from a backup is told the number to go on from', async () => {
    const s = await syncFixture(backends, kind);
    const a = await s.enrollDesk('org-a');
    expect(await s.leases(a, 1)).toMatchObject({ granted: 32, renewal: 1 });
    expect(await s.leases(a, 2)).toMatchObject({ granted: 0, released: 0, held: 32, renewal: 2 });
    expect((await s.leases(a, 2)).stale).toBe(true);
    // B arrives and waits for A's excess; renewal 1 arrives again, late. Carried out, it would give back
    // half of A's leases (B is live now) while A trusts what renewal 2 left it.
    const b = await s.enrollDesk('org-a');
    await s.leases(b, 1);
    const before = await leasesSeenBy(s, a);
    expect(await s.leases(a, 1)).toMatchObject({ granted: 0, released: 0, held: 32, renewal: 2, stale: true });
    expect(await leasesSeenBy(s, a)).toEqual(before);
    // A's next renewal (3) gives the excess back as it should.
    expect(await s.leases(a, 3)).toMatchObject({ released: 16, held: 16, renewal: 3 });
    // Unnumbered renewals (desks before issue 25) are carried out as before.
    expect(await s.leases(a)).toMatchObject({ held: 16 });
    await s.close();
  });

  it('a doctor’s cabinet PC leases that doctor’s repeat-visit slots; revoking a device drops its leases at once', async () => {
    const s = await syncFixture(backends, kind);
    const { orgRows } = await import('../../sync-server/db/schema.js');
    const week = [
      { from: '08:00', to: '10:00', channel: 'registry' },
      { from: '10:00', to: '11:00', channel: 'doctor' },
    ];
    await s.database.db
      .update(orgRows)
      .set({ row: { id: 't-doc-2', doctorId: 'doc-2', validFrom: '2026-01-01', validTo: null, slotMinutes: 20, week: { '1': week, '2': week, '3': week, '4': week, '5': week } } })
      .where(eq(orgRows.id, 't-doc-2'));
    const cab = await s.enrollDesk('org-a', { kind: 'cabinet', doctorId: 'doc-2' });
    expect(await s.leases(cab)).toMatchObject({ granted: 3 + 3 + 3 });
    const seen = await leasesSeenBy(s, cab);
    expect([...seen.keys()].every((x) => x.startsWith('doc-2@') && x.slice(-5) >= '10:00')).toBe(true);
    const [d] = await s.database.db.select().from(devices).where(eq(devices.kind, 'cabinet'));
    expect(d).toMatchObject({ doctorId: 'doc-2' });
    expect(await revokeDevice(s.database.db, d!.id, NOW)).toBe(true);
    expect(await s.database.db.$count(slotLeases)).toBe(0);
    await s.close();
  });
});
