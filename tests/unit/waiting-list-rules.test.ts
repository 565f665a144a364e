import { describe, expect, it } from 'vitest';
import { getProfile } from '../../src-shared/policy/profiles.js';
import { assignOffers, dayPart, decideAnswer, decideWish, offerExpiry, wishMatches } from '../../src-shared/rules/waiting-list.js';
import { planLeases } from '../../src-shared/sync/leases.js';

/** The waiting list's shared rules (issue 21 part 3): one definition for the desk's prediction and the server's decision. */
const KG = getProfile('KG');
const wish = { specialtyId: 'family', doctorId: null, fromDate: '2026-11-24', toDate: '2026-11-26', part: 'any' as const };
const slot = (id: string, date: string, time: string, doctorId = 'd1') => ({ slotId: id, doctorId, specialtyId: 'family', date, time, startUtc: Date.parse(`${date}T${time}:00+06:00`) });

describe('waiting list rules (issue 21)', () => {
  it('a wish takes the specialty, the named doctor, a day of its range and its part of the day (13:00 splits it)', () => {
    expect(wishMatches(wish, slot('a', '2026-11-24', '08:00'))).toBe(true);
    expect(wishMatches(wish, slot('a', '2026-11-27', '08:00'))).toBe(false);
    expect(wishMatches({ ...wish, doctorId: 'd2' }, slot('a', '2026-11-24', '08:00'))).toBe(false);
    expect(wishMatches({ ...wish, part: 'afternoon' }, slot('a', '2026-11-24', '12:59'))).toBe(false);
    expect(wishMatches({ ...wish, part: 'afternoon' }, slot('a', '2026-11-24', '13:00'))).toBe(true);
    expect([dayPart('08:00'), dayPart('13:00')]).toEqual(['morning', 'afternoon']);
  });

  it('first come, first offered: each time to one entry, the earliest that fits, never one the patient passed on', () => {
    const entries = [
      { ...wish, id: 'late', createdAt: 2, passed: [] },
      { ...wish, id: 'early', createdAt: 1, passed: ['t1'] },
    ];
    const times = [slot('t1', '2026-11-24', '08:00'), slot('t2', '2026-11-24', '09:00'), slot('t3', '2026-11-25', '09:00')];
    const got = assignOffers(entries, times);
    expect(got.get('early')!.slotId).toBe('t2');
    expect(got.get('late')!.slotId).toBe('t1');
    // A rule that refuses (the referral R5, the block R10…) skips the time for that entry only.
    const ruled = assignOffers(entries, times, (e, t) => !(e === 'late' && t.slotId === 't1'));
    expect([ruled.get('early')!.slotId, ruled.get('late')!.slotId]).toEqual(['t2', 't3']);
  });

  it("an offer holds the profile's two hours, ends two hours before the visit at the latest, and is not made with under a quarter of an hour left", () => {
    const now = Date.parse('2026-11-24T09:00:00+06:00');
    expect(offerExpiry(KG, now, now + 24 * 3_600_000)).toBe(now + 120 * 60_000);
    expect(offerExpiry(KG, now, now + 3 * 3_600_000)).toBe(now + 60 * 60_000);
    expect(offerExpiry(KG, now, now + 2 * 3_600_000 + 10 * 60_000)).toBeNull();
  });

  it('an answer counts only for the live offer of that time, before its hold ends', () => {
    const offer = { slotId: 't1', doctorId: 'd1', date: '2026-11-24', time: '08:00', startUtc: 0, offeredAt: 0, expiresAt: 1000, via: 'call' as const };
    expect(decideAnswer({ status: 'offered', offer }, 't1', 999)).toEqual({ ok: true });
    expect(decideAnswer({ status: 'offered', offer }, 't1', 1000)).toEqual({ ok: false, code: 'offer_gone' });
    expect(decideAnswer({ status: 'offered', offer }, 't2', 10)).toEqual({ ok: false, code: 'offer_gone' });
    expect(decideAnswer({ status: 'waiting', offer: null }, 't1', 10)).toEqual({ ok: false, code: 'offer_gone' });
  });

  it('a wish: a known patient and specialty, the doctor of it, dates from today within the horizon, once per specialty', () => {
    const facts = { today: '2026-11-23', horizonEnd: '2026-12-10', patientKnown: true, specialtyKnown: true, doctorSpecialtyId: null, alreadyWaiting: false };
    const w = { ...wish, patientId: 'p', channel: 'registry' as const };
    expect(decideWish(w, facts)).toEqual({ ok: true });
    expect(decideWish({ ...w, doctorId: 'd1' }, { ...facts, doctorSpecialtyId: 'cardiology' })).toMatchObject({ code: 'doctor_not_of_specialty' });
    expect(decideWish({ ...w, fromDate: '2026-11-22' }, facts)).toMatchObject({ code: 'wish_dates' });
    expect(decideWish({ ...w, toDate: '2026-11-23' }, facts)).toMatchObject({ code: 'wish_dates' });
    expect(decideWish({ ...w, fromDate: '2026-12-11', toDate: '2026-12-12' }, facts)).toMatchObject({ code: 'beyond_horizon' });
    expect(decideWish(w, { ...facts, alreadyWaiting: true })).toMatchObject({ code: 'already_waiting' });
  });

  it('a time kept for the waiting list is given back by the desk that holds it, and granted to nobody', () => {
    const candidates = ['s1', 's2', 's3', 's4'].map((id) => ({ slotId: id, doctorId: 'd1', date: '2026-11-24', channel: 'registry' as const }));
    const holders = new Map([['s2', { deviceId: 'deskA', live: true }]]);
    const plan = planLeases({ device: { id: 'deskA', kind: 'desk', doctorId: null }, candidates, taken: new Set(), holders, desks: ['deskA'], share: 1, reserved: new Set(['s2', 's3']) });
    expect(plan.release).toEqual(['s2']);
    expect(plan.grant.sort()).toEqual(['s1', 's4']);
  });
});
