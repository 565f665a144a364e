import { describe, expect, it } from 'vitest';
import { getProfile } from '../../src-shared/policy/profiles.js';
import { bookingMode, LEASE_SAFETY_MS, leaseWindow, planLeases, type LeaseCandidate, type LeaseHolder } from '../../src-shared/sync/leases.js';

const KG = getProfile('KG');
const day = (doctorId: string, date: string, n: number, channel: LeaseCandidate['channel'] = 'registry'): LeaseCandidate[] =>
  Array.from({ length: n }, (_, i) => ({ slotId: `${doctorId}@${date}T${String(8 + i).padStart(2, '0')}:00`, doctorId, date, channel }));
const desk = (id: string) => ({ id, kind: 'desk' as const, doctorId: null });

describe('lease planning (docs/sync-design.md, Leases: grant and give-back at renewal)', () => {
  it('the window is today and the next two working days (a weekend is skipped)', () => {
    expect(leaseWindow(KG, '2026-11-27')).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01']);
  });

  it('a lone desk gets half of each doctor-day, spread over the day, never a taken slot', () => {
    const slots = day('d1', '2026-11-24', 10);
    const plan = planLeases({ device: desk('a'), candidates: slots, taken: new Set([slots[0]!.slotId]), holders: new Map(), desks: ['a'], share: 0.5 });
    expect(plan.grant).toHaveLength(5);
    expect(plan.grant).not.toContain(slots[0]!.slotId);
    expect(plan.grant).toContain(slots[1]!.slotId);
    expect(plan.grant.at(-1)! > slots[5]!.slotId).toBe(true);
  });

  it('a kiosk (issue 21) leases only the internet share (R7), its kiosks’ part of it dealt out among the kiosks; never a registry time', () => {
    const slots = [...day('d1', '2026-11-24', 6, 'internet'), ...day('d2', '2026-11-24', 6, 'registry')];
    const kiosk = (id: string) => ({ id, kind: 'kiosk' as const, doctorId: null });
    const one = planLeases({ device: kiosk('k1'), candidates: slots, taken: new Set(), holders: new Map(), desks: ['k1', 'k2'], share: KG.leases.kioskShare });
    expect(one.grant.length).toBeGreaterThanOrEqual(Math.floor((6 * KG.leases.kioskShare) / 2));
    expect(one.grant.every((id) => id.startsWith('d1@'))).toBe(true);
    const holders = new Map<string, LeaseHolder>(one.grant.map((id) => [id, { deviceId: 'k1', live: true }]));
    const two = planLeases({ device: kiosk('k2'), candidates: slots, taken: new Set(), holders, desks: ['k1', 'k2'], share: KG.leases.kioskShare });
    expect(two.grant.filter((id) => one.grant.includes(id))).toEqual([]);
    expect(one.grant.length + two.grant.length).toBe(Math.floor(6 * KG.leases.kioskShare));
  });

  it('desks together never exceed the share: a newcomer waits until the holder gives its excess back', () => {
    const slots = day('d1', '2026-11-24', 12);
    const aHolds = new Map<string, LeaseHolder>(slots.slice(0, 6).map((s) => [s.slotId, { deviceId: 'a', live: true }]));
    expect(planLeases({ device: desk('b'), candidates: slots, taken: new Set(), holders: aHolds, desks: ['a', 'b'], share: 0.5 }).grant).toEqual([]);
    const aRenews = planLeases({ device: desk('a'), candidates: slots, taken: new Set(), holders: aHolds, desks: ['a', 'b'], share: 0.5 });
    expect(aRenews).toEqual({ grant: [], release: slots.slice(3, 6).map((s) => s.slotId) });
    const after = new Map([...aHolds].filter(([k]) => !aRenews.release.includes(k)));
    expect(planLeases({ device: desk('b'), candidates: slots, taken: new Set(), holders: after, desks: ['a', 'b'], share: 0.5 }).grant).toHaveLength(3);
  });

  it('many desks, few slots: the share is dealt out one by one, turning with the doctor-day, never over the share', () => {
    const desks = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const days = ['2026-11-24', '2026-11-25', '2026-11-26'].map((date) => day('d1', date, 12));
    const lucky = days.map((slots) => {
      let holders = new Map<string, LeaseHolder>();
      for (const id of desks) {
        const plan = planLeases({ device: desk(id), candidates: slots, taken: new Set(), holders, desks, share: 0.5 });
        holders = new Map([...holders, ...plan.grant.map((g) => [g, { deviceId: id, live: true }] as const)]);
      }
      expect(holders.size).toBe(6);
      expect(new Set([...holders.values()].map((h) => h.deviceId)).size).toBe(6);
      return [...new Set([...holders.values()].map((h) => h.deviceId))].sort().join('');
    });
    expect(new Set(lucky).size).toBeGreaterThan(1);
  });

  it('a dead holder’s slots (past expiry + grace) may be granted again; a live one’s never', () => {
    const slots = day('d1', '2026-11-24', 4);
    const holders = new Map<string, LeaseHolder>([
      [slots[0]!.slotId, { deviceId: 'gone', live: false }],
      [slots[1]!.slotId, { deviceId: 'b', live: true }],
    ]);
    const plan = planLeases({ device: desk('a'), candidates: slots, taken: new Set(), holders, desks: ['a', 'b'], share: 1 });
    expect(plan.grant).toContain(slots[0]!.slotId);
    expect(plan.grant).not.toContain(slots[1]!.slotId);
  });

  it('a cabinet PC leases only its own doctor’s repeat-visit (R21 doctor channel) slots, all of them', () => {
    const slots = [...day('d1', '2026-11-24', 3, 'doctor'), ...day('d1', '2026-11-24', 3), ...day('d2', '2026-11-24', 3, 'doctor')];
    const plan = planLeases({ device: { id: 'cab', kind: 'cabinet', doctorId: 'd1' }, candidates: slots, taken: new Set(), holders: new Map(), desks: ['x', 'y', 'z'], share: 0.5 });
    expect(plan.grant).toEqual(slots.slice(0, 3).map((s) => s.slotId));
  });
});

describe('booking mode on an enrolled desk (docs/sync-design.md, Booking modes)', () => {
  const base = { me: 'a', serverNow: 1_000_000, clockWentBack: false, renewalInDoubt: false, releaseInDoubt: false, online: false, profile: KG };
  const mine = { lease: { deviceId: 'a', epoch: 7 }, holder: { expiresAt: 1_000_000 + LEASE_SAFETY_MS + 1, reclaimAfter: 9e12 } };
  it('own valid lease → guaranteed, citing the epoch; too close to expiry or a clock that went back → not guaranteed', () => {
    expect(bookingMode({ ...base, ...mine })).toEqual({ ok: true, mode: 'guaranteed', leaseEpoch: 7 });
    expect(bookingMode({ ...base, ...mine, serverNow: base.serverNow + 2 })).toMatchObject({ mode: 'tentative' });
    expect(bookingMode({ ...base, ...mine, clockWentBack: true })).toMatchObject({ mode: 'tentative' });
  });
  it('issue 9 finding 8: after sending a renewal and before pulling its outcome, no own lease is trusted (the renewal may have given it back)', () => {
    expect(bookingMode({ ...base, ...mine, renewalInDoubt: true })).toMatchObject({ ok: true, mode: 'tentative', leaseEpoch: null });
  });
  it('issue 25 (seed 7142): a time freed only by this desk’s own cancellation the server has not applied is not guaranteed — the server still holds it for that booking and may refuse the cancellation', () => {
    expect(bookingMode({ ...base, ...mine, releaseInDoubt: true })).toMatchObject({ ok: true, mode: 'tentative', leaseEpoch: null });
    expect(bookingMode({ ...base, ...mine, releaseInDoubt: true, online: true })).toMatchObject({ ok: true, mode: 'online', leaseEpoch: null });
  });
  it('another device’s lease → refused until its reclaim time; the pool → online, or offline tentative / refused by clinic setting', () => {
    const other = { lease: { deviceId: 'b', epoch: 3 }, holder: { expiresAt: 0, reclaimAfter: base.serverNow + 1 } };
    expect(bookingMode({ ...base, ...other })).toEqual({ ok: false, code: 'slot_reserved' });
    expect(bookingMode({ ...base, ...other, serverNow: base.serverNow + 1 })).toMatchObject({ ok: true, mode: 'tentative' });
    expect(bookingMode({ ...base, lease: null, holder: null, online: true })).toMatchObject({ mode: 'online' });
    const strict = { ...KG, leases: { ...KG.leases, offlineOutsideLease: 'refuse' as const } };
    expect(bookingMode({ ...base, lease: null, holder: null, profile: strict })).toEqual({ ok: false, code: 'offline_not_leased' });
  });
});
