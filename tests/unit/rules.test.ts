import { overdueWaitMinutes } from '../../src-shared/rules/waiting.js';
import { describe, expect, it } from 'vitest';
import { decideBooking, noShowBlockedUntil, type BookingFacts } from '../../src-shared/rules/booking.js';
import { decideCancel, decideCheckIn, decideFulfil, decideNoShow } from '../../src-shared/rules/transitions.js';
import { orderFamilyDoctors } from '../../src-shared/rules/family.js';
import { PROFILES } from '../../src-shared/policy/profiles.js';
import { REFUSALS, type RefusalCode } from '../../src-shared/rules/decision.js';
import { registerOutcome } from '../../src-shared/rules/register-outcome.js';
import { ADULT_AGE, bookingWarnings } from '../../src-shared/rules/warnings.js';
import { ageText } from '../../src-shared/i18n/index.js';
import { requestChannel } from '../../src-shared/domain/enums.js';
import { allowedChannels } from '../../src-shared/rules/channels.js';
import { internetReleasedThrough } from '../../src-shared/rules/internet-release.js';

const NOW = Date.parse('2026-11-23T03:00:00Z'); // 09:00 in Bishkek
const H = 3_600_000;
const DAY = 24 * H;
const base = (): BookingFacts => ({
  profile: PROFILES.KG,
  now: NOW,
  horizonEnd: '2026-12-10',
  releasedThrough: '2026-11-23',
  orgId: 'org1',
  patient: { attachedOrgId: 'org1', dispensarySpecialtyIds: [], priority: false },
  slot: { date: '2026-11-24', startUtc: NOW + DAY, channel: 'registry', blocked: false, taken: false, specialtyId: 'cardio' },
  specialtyKind: 'family',
  channel: 'registry',
  // The other rules are tested on their own: any channel may be claimed here (channels.ts has its own tests below).
  allowedChannels: requestChannel.options,
  actor: { role: 'registrar', doctorSpecialtyId: null },
  hasReferral: false,
  preventive: false,
  history: [],
  sameSpecialtySameDay: 0,
});
const withFacts = (patch: (f: BookingFacts) => void) => {
  const f = base();
  patch(f);
  return decideBooking(f);
};

describe('R1 horizon (000 §1; 004 §3; 001 order 2.1)', () => {
  it('refuses a slot after the horizon end and a slot in the past', () => {
    expect(
      withFacts((f) => {
        f.slot.date = '2026-12-11';
      }),
    ).toMatchObject({ ok: false, code: 'beyond_horizon' });
    expect(
      withFacts((f) => {
        f.slot.startUtc = NOW - 1;
      }),
    ).toMatchObject({ ok: false, code: 'slot_in_past' });
    expect(
      withFacts((f) => {
        f.slot.date = '2026-12-10';
      }),
    ).toEqual({ ok: true });
  });
});

describe('R2 attachment (000 §1; 002 §5; 003 item 9)', () => {
  it('refuses an unattached patient and one attached elsewhere', () => {
    expect(
      withFacts((f) => {
        f.patient.attachedOrgId = null;
      }),
    ).toMatchObject({ ok: false, code: 'not_attached' });
    expect(
      withFacts((f) => {
        f.patient.attachedOrgId = 'other';
      }),
    ).toMatchObject({ ok: false, code: 'not_attached' });
  });
  it('a refusal for non-attachment is a policy refusal, recorded in the register (R15, 004 App. 5)', () => {
    expect(REFUSALS.not_attached.kind).toBe('policy');
  });
});

describe('R3 refusal reasons are a closed list per profile (000 §1; 003 item 9; 004 §2.6)', () => {
  it('each profile lists its own reasons', () => {
    expect(PROFILES.KG.refusalReasons).toEqual(['not_attached', 'no_such_specialist', 'intoxication', 'forged_documents']);
    expect(PROFILES.KZ.refusalReasons).toEqual(['unreliable_documents', 'not_attached']);
    expect(PROFILES['RU-SM'].refusalReasons).toEqual(['missing_documents', 'unreliable_data', 'not_territorial']);
  });
  it("every refusal a rule records is on a ground of the profile's closed list — or a decline naming its rule, never a refusal outside the list (issue 10)", () => {
    const policy = (Object.keys(REFUSALS) as RefusalCode[]).filter((c) => REFUSALS[c].kind === 'policy');
    for (const profile of Object.values(PROFILES)) {
      for (const code of policy) {
        const o = registerOutcome(profile, code);
        if (o.result === 'refused') expect(profile.refusalReasons).toContain(o.reason);
        else expect(o).toEqual({ result: 'declined', reason: null, rule: code });
      }
    }
    // The grounds themselves: not attached is "не по территории" in Russia (004 §2.6), a missing referral a missing document (§2.5);
    // KG's "no such specialist on staff" (000 §1).
    expect(registerOutcome(PROFILES['RU-SM'], 'not_attached')).toEqual({ result: 'refused', reason: 'not_territorial', rule: 'not_attached' });
    expect(registerOutcome(PROFILES['RU-SM'], 'referral_required')).toEqual({ result: 'refused', reason: 'missing_documents', rule: 'referral_required' });
    expect(registerOutcome(PROFILES.KZ, 'not_attached')).toEqual({ result: 'refused', reason: 'not_attached', rule: 'not_attached' });
    expect(registerOutcome(PROFILES.KG, 'specialty_not_offered')).toEqual({ result: 'refused', reason: 'no_such_specialist', rule: 'specialty_not_offered' });
    expect(registerOutcome(PROFILES.KG, 'referral_required')).toEqual({ result: 'declined', reason: null, rule: 'referral_required' });
  });
});

describe('R4 family doctor (000 §2.2)', () => {
  it('books a family doctor the same day', () => {
    expect(
      withFacts((f) => {
        f.slot.date = '2026-11-23';
        f.slot.startUtc = NOW + H;
      }),
    ).toEqual({ ok: true });
  });
  it('offers only the own family doctor on a day they have free time; others, with consent, on a day they are full', () => {
    const days = [
      { doctorId: 'own', date: 'mon', free: 2 },
      { doctorId: 'other', date: 'mon', free: 5 },
    ];
    expect(orderFamilyDoctors('own', days)).toEqual([{ doctorId: 'own', date: 'mon', free: 2, needsConsent: false }]);
    const full = [
      { doctorId: 'own', date: 'mon', free: 0 },
      { doctorId: 'other', date: 'mon', free: 5 },
    ];
    expect(orderFamilyDoctors('own', full).find((d) => d.doctorId === 'other')).toEqual({ doctorId: 'other', date: 'mon', free: 5, needsConsent: true });
  });
  it('the own doctor full today but free tomorrow: the other family doctors are offered today, not only other days (issue 10)', () => {
    const days = [
      { doctorId: 'own', date: 'tue', free: 3 }, // nothing on Monday
      { doctorId: 'other', date: 'mon', free: 4 },
      { doctorId: 'other', date: 'tue', free: 6 },
    ];
    expect(orderFamilyDoctors('own', days)).toEqual([
      { doctorId: 'own', date: 'tue', free: 3, needsConsent: false },
      { doctorId: 'other', date: 'mon', free: 4, needsConsent: true },
    ]);
  });
});

describe('R5 narrow specialists need a referral (000 §2.3–2.4; 001 §2, §4)', () => {
  const narrow = (patch: (f: BookingFacts) => void = () => {}) =>
    withFacts((f) => {
      f.specialtyKind = 'narrow';
      patch(f);
    });
  it('refuses without a referral and books with one', () => {
    expect(narrow()).toMatchObject({ ok: false, code: 'referral_required' });
    expect(
      narrow((f) => {
        f.hasReferral = true;
      }),
    ).toEqual({ ok: true });
  });
  it('exempts dispensary observation by that specialty', () => {
    expect(
      narrow((f) => {
        f.patient.dispensarySpecialtyIds = ['cardio'];
      }),
    ).toEqual({ ok: true });
    expect(
      narrow((f) => {
        f.patient.dispensarySpecialtyIds = ['neuro'];
      }),
    ).toMatchObject({ ok: false });
  });
  it('exempts preventive examinations', () => {
    expect(
      narrow((f) => {
        f.preventive = true;
      }),
    ).toEqual({ ok: true });
  });
  it('exempts a repeat visit booked by a doctor of that specialty, not by another', () => {
    expect(
      narrow((f) => {
        f.channel = 'doctor';
        f.slot.channel = 'doctor';
        f.actor = { role: 'doctor', doctorSpecialtyId: 'cardio' };
      }),
    ).toEqual({ ok: true });
    expect(
      narrow((f) => {
        f.channel = 'doctor';
        f.actor = { role: 'doctor', doctorSpecialtyId: 'neuro' };
      }),
    ).toMatchObject({ ok: false, code: 'referral_required' });
  });
});

describe('R7 internet quota and R13 priority windows (000 §5; 004 §3.4.1)', () => {
  it('doctor repeat-visit slots are for the doctor channel only', () => {
    expect(
      withFacts((f) => {
        f.slot.channel = 'doctor';
      }),
    ).toMatchObject({ ok: false, code: 'slot_channel' });
  });
  it('priority windows take only priority patients', () => {
    expect(
      withFacts((f) => {
        f.slot.channel = 'priority';
      }),
    ).toMatchObject({ ok: false, code: 'slot_channel' });
    expect(
      withFacts((f) => {
        f.slot.channel = 'priority';
        f.patient.priority = true;
      }),
    ).toEqual({ ok: true });
  });
  it('the internet channel cannot take registry slots', () => {
    expect(
      withFacts((f) => {
        f.channel = 'internet';
      }),
    ).toMatchObject({ ok: false, code: 'slot_channel' });
    expect(
      withFacts((f) => {
        f.channel = 'internet';
        f.slot.channel = 'internet';
      }),
    ).toEqual({ ok: true });
  });
  it('the internet share is the patients’ until 18:00 the day before; then what nobody took goes to the registry (our choice: PolicyProfile.internetRelease)', () => {
    const registryTakes = (slotDate: string, now: number) =>
      withFacts((f) => {
        f.now = now;
        f.releasedThrough = internetReleasedThrough(PROFILES.KG, now, 'Asia/Bishkek');
        f.slot = { ...f.slot, channel: 'internet', date: slotDate, startUtc: Date.parse(`${slotDate}T05:00:00Z`) };
      });
    // Monday 09:00: Tuesday's internet times are the patients'; Monday's own are released.
    expect(registryTakes('2026-11-24', NOW)).toMatchObject({ ok: false, code: 'slot_channel' });
    expect(registryTakes('2026-11-23', NOW)).toEqual({ ok: true });
    // Monday 17:59 and 18:00 in Bishkek (UTC+6): Tuesday's go to the registry at 18:00, Wednesday's stay online.
    expect(registryTakes('2026-11-24', Date.parse('2026-11-23T11:59:00Z'))).toMatchObject({ ok: false, code: 'slot_channel' });
    expect(registryTakes('2026-11-24', Date.parse('2026-11-23T12:00:00Z'))).toEqual({ ok: true });
    expect(registryTakes('2026-11-25', Date.parse('2026-11-23T12:00:00Z'))).toMatchObject({ ok: false, code: 'slot_channel' });
    // The patients' channels keep them all the while.
    expect(
      withFacts((f) => {
        f.channel = 'internet';
        f.slot = { ...f.slot, channel: 'internet', date: '2026-11-25' };
      }),
    ).toEqual({ ok: true });
    expect(PROFILES.KG.internetRelease.source).toMatch(/our choice/);
  });
  it("the head may give the internet at most 30 % of a doctor's time", () => {
    expect(PROFILES.KG.maxInternetShare).toBe(0.3);
  });
});

describe('R9 cancellation (000 §1; 004 §3.4.1)', () => {
  const a = { status: 'booked' as const, startUtc: NOW + 30 * 60_000, date: '2026-11-23' };
  it('the desk cancels any time before the visit; electronic channels up to 45 min before', () => {
    expect(decideCancel(PROFILES.KG, a, 'registry', NOW)).toEqual({ ok: true });
    expect(decideCancel(PROFILES.KG, a, 'internet', NOW)).toMatchObject({ ok: false, code: 'cancel_cutoff', params: { minutes: 45 } });
    expect(decideCancel(PROFILES.KG, { ...a, startUtc: NOW + 46 * 60_000 }, 'internet', NOW)).toEqual({ ok: true });
  });
  it('a cancelled booking cannot be cancelled again', () => {
    expect(decideCancel(PROFILES.KG, { ...a, status: 'cancelled' }, 'registry', NOW)).toMatchObject({ ok: false, code: 'bad_status' });
  });
});

describe('R10 no-show blocking (004 §3.4.1)', () => {
  const visits = (...s: Array<['noshow' | 'fulfilled' | 'cancelled', number]>) => s.map(([status, daysAgo]) => ({ status, startUtc: NOW - daysAgo * DAY }));
  it('3 no-shows in a row within a month block electronic channels for a month after the last', () => {
    const h = visits(['noshow', 2], ['noshow', 10], ['noshow', 20], ['fulfilled', 40]);
    expect(noShowBlockedUntil(PROFILES.KG, h, NOW)).toBe(NOW - 2 * DAY + 30 * DAY);
    expect(
      withFacts((f) => {
        f.channel = 'internet';
        f.slot.channel = 'internet';
        f.history = h;
      }),
    ).toMatchObject({ ok: false, code: 'noshow_blocked' });
  });
  it('the block covers every remote channel 004 §3.4.1 names: portal (ЕПГУ), kiosk (инфомат) and call centre (ЦТО)', () => {
    const h = visits(['noshow', 2], ['noshow', 10], ['noshow', 20]);
    for (const channel of ['internet', 'kiosk', 'call_centre'] as const) {
      expect(
        withFacts((f) => {
          f.channel = channel;
          f.allowedChannels = [channel];
          f.slot.channel = 'internet';
          f.history = h;
        }),
      ).toMatchObject({ ok: false, code: 'noshow_blocked' });
    }
  });
  it('the registry desk still books them', () => {
    const h = visits(['noshow', 2], ['noshow', 10], ['noshow', 20]);
    expect(
      withFacts((f) => {
        f.history = h;
      }),
    ).toEqual({ ok: true });
  });
  it('a visit in between breaks the row; cancellations do not count; spread over more than a month does not block', () => {
    expect(noShowBlockedUntil(PROFILES.KG, visits(['noshow', 2], ['fulfilled', 5], ['noshow', 10], ['noshow', 20]), NOW)).toBeNull();
    expect(noShowBlockedUntil(PROFILES.KG, visits(['noshow', 2], ['cancelled', 5], ['noshow', 10], ['noshow', 20]), NOW)).not.toBeNull();
    expect(noShowBlockedUntil(PROFILES.KG, visits(['noshow', 2], ['noshow', 20], ['noshow', 40]), NOW)).toBeNull();
  });
  it('the block ends after a month', () => {
    expect(noShowBlockedUntil(PROFILES.KG, visits(['noshow', 31], ['noshow', 35], ['noshow', 40]), NOW)).toBeNull();
  });
});

describe('R11 one electronic booking per specialty per day (004 §3.4.1)', () => {
  it('refuses a second electronic booking of the specialty that day, but not at the desk', () => {
    expect(
      withFacts((f) => {
        f.channel = 'internet';
        f.slot.channel = 'internet';
        f.sameSpecialtySameDay = 1;
      }),
    ).toMatchObject({ ok: false, code: 'electronic_daily_limit' });
    expect(
      withFacts((f) => {
        f.sameSpecialtySameDay = 1;
      }),
    ).toEqual({ ok: true });
  });
});

describe('R12 lateness (001 §2; 004 §3.4.1) and R18 arrival (004 §3.4.1)', () => {
  const a = { status: 'booked' as const, startUtc: NOW, date: '2026-11-23' };
  it('checks in on time, and more than 15 min late goes to the live queue', () => {
    expect(decideCheckIn(PROFILES.KG, a, '2026-11-23', NOW + 15 * 60_000)).toEqual({ ok: true, liveQueue: false });
    expect(decideCheckIn(PROFILES.KG, a, '2026-11-23', NOW + 16 * 60_000)).toEqual({ ok: true, liveQueue: true });
  });
  it('checks in only on the day of the visit and only a booked appointment', () => {
    expect(decideCheckIn(PROFILES.KG, { ...a, date: '2026-11-24' }, '2026-11-23', NOW)).toMatchObject({ ok: false, code: 'not_today' });
    expect(decideCheckIn(PROFILES.KG, { ...a, status: 'arrived' }, '2026-11-23', NOW)).toMatchObject({ ok: false, code: 'bad_status' });
  });
});

describe('R22 waiting (001 order 2.3): a patient waits at most 15 min past the appointed time', () => {
  const a = { status: 'arrived' as const, startUtc: NOW, liveQueue: false };
  it('a checked-in patient not seen 15 min after the appointed time is fine; past it, the minutes since it', () => {
    expect(overdueWaitMinutes(PROFILES.KG, a, NOW - 10 * 60_000)).toBeNull();
    expect(overdueWaitMinutes(PROFILES.KG, a, NOW + 15 * 60_000)).toBeNull();
    expect(overdueWaitMinutes(PROFILES.KG, a, NOW + 16 * 60_000)).toBe(16);
    expect(overdueWaitMinutes(PROFILES.KG, a, NOW + 42 * 60_000 + 59_000)).toBe(42);
  });
  it('only while checked in and waiting: not before arrival, not once seen, not for the live queue (R12)', () => {
    for (const status of ['booked', 'fulfilled', 'noshow', 'cancelled'] as const) expect(overdueWaitMinutes(PROFILES.KG, { ...a, status }, NOW + 60 * 60_000)).toBeNull();
    expect(overdueWaitMinutes(PROFILES.KG, { ...a, liveQueue: true }, NOW + 60 * 60_000)).toBeNull();
  });
  it('the limit is profile data with its source, 15 minutes in every profile', () => {
    for (const p of Object.values(PROFILES)) {
      expect(p.maxWaitMinutes).toBe(15);
      expect(p.sources.R22).toBe('001 order 2.3');
    }
  });
});

describe('status machine (FHIR AppointmentStatus)', () => {
  const a = { status: 'booked' as const, startUtc: NOW, date: '2026-11-23' };
  it('no-show only once the visit time has come; fulfil only after arrival', () => {
    expect(decideNoShow(a, NOW - 1)).toMatchObject({ ok: false, code: 'not_started' });
    expect(decideNoShow(a, NOW)).toEqual({ ok: true });
    expect(decideFulfil(a)).toMatchObject({ ok: false, code: 'bad_status' });
    expect(decideFulfil({ ...a, status: 'arrived' })).toEqual({ ok: true });
  });
});

describe('slot guards', () => {
  it('refuses a taken or blocked slot', () => {
    expect(
      withFacts((f) => {
        f.slot.taken = true;
      }),
    ).toMatchObject({ ok: false, code: 'slot_taken' });
    expect(
      withFacts((f) => {
        f.slot.blocked = true;
      }),
    ).toMatchObject({ ok: false, code: 'slot_blocked' });
  });
});

describe('R21 channels by role and PC, never the request’s word (issue 9, finding 1)', () => {
  it('a registrar books in person or by phone; a doctor books repeat visits; nobody at a desk books as the internet', () => {
    expect(allowedChannels('desk', 'registrar')).toEqual(['registry', 'phone']);
    expect(allowedChannels('cabinet', 'doctor')).toEqual(['doctor']);
    expect(allowedChannels('desk', 'admin')).toEqual([]);
    // The server knows the PC, not who signed in: a front desk has no doctor, so it can never claim doctor time.
    expect(allowedChannels('desk')).toEqual(['registry', 'phone']);
    expect(allowedChannels('cabinet')).toEqual(['registry', 'phone', 'doctor']);
    for (const kind of ['desk', 'cabinet', 'standalone'] as const) expect(allowedChannels(kind)).not.toContain('internet');
  });
  it('a booking claiming a channel it may not use is refused before anything else is looked at', () => {
    expect(
      withFacts((f) => {
        f.channel = 'doctor';
        f.allowedChannels = allowedChannels('desk');
        f.slot.channel = 'doctor';
      }),
    ).toEqual({ ok: false, code: 'channel_not_allowed', params: { channel: 'doctor' } });
  });
});

describe('warnings before booking (issue 10): allowed, but most likely a slip', () => {
  const base = { patientAge: 40, specialtyAges: 'all' as const, slotStartUtc: NOW, patientBookings: [] };
  it('an adult to a pediatrician, a child to an adults-only therapist', () => {
    expect(bookingWarnings({ ...base, specialtyAges: 'children' })).toEqual([{ code: 'age_mismatch', ages: 'children' }]);
    expect(bookingWarnings({ ...base, patientAge: 17, specialtyAges: 'children' })).toEqual([]);
    expect(bookingWarnings({ ...base, patientAge: 17, specialtyAges: 'adults' })).toEqual([{ code: 'age_mismatch', ages: 'adults' }]);
    expect(bookingWarnings({ ...base, patientAge: ADULT_AGE, specialtyAges: 'adults' })).toEqual([]);
  });
  it('a second booking at the same time as an active one (not a cancelled one, not the booking being moved)', () => {
    const b = (id: string, minutes: number, status: 'booked' | 'cancelled' = 'booked') => ({ id, startUtc: NOW + minutes * 60_000, status });
    expect(bookingWarnings({ ...base, patientBookings: [b('a', 20)] })).toEqual([{ code: 'same_time', appointmentId: 'a' }]);
    expect(bookingWarnings({ ...base, patientBookings: [b('a', 40)] })).toEqual([]);
    expect(bookingWarnings({ ...base, patientBookings: [b('a', 0, 'cancelled')] })).toEqual([]);
    expect(bookingWarnings({ ...base, patientBookings: [b('a', 0)], movingId: 'a' })).toEqual([]);
  });
});

describe('ages in words', () => {
  it('Russian counts 1 год, 2–4 года, 5–20 лет, 21 год, 111 лет; Kyrgyz says жаш', () => {
    expect([1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 72, 111].map((n) => ageText('ru', n))).toEqual([
      '1 год',
      '2 года',
      '4 года',
      '5 лет',
      '11 лет',
      '12 лет',
      '14 лет',
      '21 год',
      '22 года',
      '25 лет',
      '72 года',
      '111 лет',
    ]);
    expect(ageText('ky', 2)).toBe('2 жаш');
  });
});
