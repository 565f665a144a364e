import type { ProfileId } from '../domain/enums.js';
import { KG_HOLIDAYS, KZ_HOLIDAYS, RU_HOLIDAYS } from './holidays.js';
import type { PolicyProfile, WorkingWeek } from './types.js';

const weekdays = (open: string, close: string, sat: { open: string; close: string } | null = null): WorkingWeek => ({
  1: { open, close },
  2: { open, close },
  3: { open, close },
  4: { open, close },
  5: { open, close },
  6: sat,
  7: null,
});

const common = {
  referral: { requiredForNarrow: true, exemptDispensary: true, exemptPreventive: true, exemptDoctorRepeat: true },
  electronicCancelCutoffMinutes: 45,
  noShowBlock: { inARow: 3, withinDays: 30, blockDays: 30 },
  electronicPerSpecialtyPerDay: 1,
  liveQueueAfterMinutes: 15,
  // R16: no one registered is older; a PIN encoding 1800 is a mistake, not a patient of 226 (issue 23).
  maxPatientAgeYears: 120,
  maxWaitMinutes: 15,
  maxInternetShare: 0.3,
  // The desk may also take internet-quota slots: unused quota is released to the
  // registry (the patient in front of the desk outranks an empty slot).
  slotAccess: {
    registry: ['registry', 'phone', 'call_centre', 'doctor'],
    internet: ['internet', 'kiosk', 'call_centre'],
    doctor: ['doctor'],
    priority: ['registry', 'phone', 'doctor'],
  },
  // The internet share is the patients' until 18:00 the day before the visit; then what nobody booked goes back to
  // the registry (by phone or at the window) for the next morning. No seed says when: our choice.
  internetRelease: { daysBefore: 1, at: '18:00', to: ['registry', 'phone', 'doctor'], source: 'our choice (no seed says)' },
  // Half of each doctor's registry slots are split among the clinic's desks for the next two
  // working days; the other half (and the internet quota) stays with whoever is online.
  // A lease lives a day and is renewed every few minutes while online; 12 h of grace cover
  // a desk that booked just before expiry and uploads late.
  // The hall's kiosks book half of each doctor-day's internet share offline, rounded down (P4, P6: 001 lets the kiosk's
  // share be limited; the number is our choice); the rest stays with the portal and the call centre, online.
  leases: { deskShare: 0.5, kioskShare: 0.5, windowWorkingDays: 2, ttlMs: 24 * 3_600_000, graceMs: 12 * 3_600_000, offlineOutsideLease: 'tentative' },
  // The waiting list (issue 21): a freed time is held two hours for the first patient waiting for it, and at the
  // latest until two hours before the visit — time to answer and to come. No seed says: our choice.
  waitingList: { offerHoldMinutes: 120, leadMinutes: 120, source: 'our choice (no seed says)' },
  // 000 fig. 4: PIN 20604199601785 belongs to «Калысбеков Ислан Калысбекович» — 2 is male.
  kgPinSexDigits: { '1': 'female', '2': 'male' },
} as const satisfies Partial<PolicyProfile>;

/**
 * P15 (004 L277–283) tells to inform a patient by SMS, e-mail or phone when a visit cannot happen; no seed sets the hours
 * or the wording. Our choice: nothing between 21:00 and 09:00 local time (a confirmation booked at night waits for the
 * morning), and a confirmation for every channel but the window, where the patient holds the printed ticket.
 */
const messages = (lang: 'ru' | 'ky' | 'kk') =>
  ({
    lang,
    quietHours: { from: '21:00', to: '09:00' },
    confirmFor: ['phone', 'doctor', 'internet', 'kiosk', 'call_centre'],
    source: '004 L277–283 (P15) for the change notice; hours, confirmations and reminders our choice',
  }) as const;

const commonSources = {
  R2: '000 §1; 002 §5; 003 item 9',
  R5: '000 §2.3–2.4; 001 §2, §4',
  R7: '000 §5',
  R9: '000 §1; 004 §3.4.1',
  R10: '004 §3.4.1',
  R11: '004 §3.4.1',
  R12: '001 §2; 004 §3.4.1',
  R13: '004 §3.4.1',
  R22: '001 order 2.3',
};

const russianSources = { ...commonSources, R3: '004 §2.6', R20: 'Labour Code RF art. 112' };
/** Russian regions share everything but the horizon (and its source). */
const russia = (id: 'RU-MO' | 'RU-SM') => ({
  ...common,
  id,
  country: 'RU' as const,
  defaultTimezone: 'Europe/Moscow',
  workingWeek: weekdays('08:00', '20:00', { open: '09:00', close: '15:00' }),
  holidays: RU_HOLIDAYS,
  extraWorkingDays: [],
  nationalIdKinds: ['RU_OMS', 'RU_SNILS'] as const,
  refusalReasons: ['missing_documents', 'unreliable_data', 'not_territorial'],
  // 004 §2.6: no territorial attachment; a narrow specialist's referral is one of the documents §2.5 requires.
  refusalGrounds: { not_attached: 'not_territorial', referral_required: 'missing_documents' },
  patientPage: {
    identify: 'policy_birth_date' as const,
    book: 'any' as const,
    firstVisitAtRegistry: true,
    homeVisit: true,
    source: '001 L61, L105, L141–147 (P4, P5); the home visit 001 L146 (R24)',
  },
  messages: messages('ru'),
});

export const PROFILES: Record<ProfileId, PolicyProfile> = {
  KG: {
    ...common,
    id: 'KG',
    country: 'KG',
    defaultTimezone: 'Asia/Bishkek',
    horizon: { unit: 'working_days', count: 14 },
    workingWeek: weekdays('08:00', '17:00'),
    holidays: KG_HOLIDAYS,
    extraWorkingDays: [],
    nationalIdKinds: ['KG_PIN'],
    refusalReasons: ['not_attached', 'no_such_specialist', 'intoxication', 'forged_documents'],
    refusalGrounds: { not_attached: 'not_attached', specialty_not_offered: 'no_such_specialist' },
    patientPage: {
      identify: 'pin_phone',
      book: 'family_doctor',
      firstVisitAtRegistry: false,
      homeVisit: false,
      source: '000 L225, L237–239, L324–379 (P1, P2); no home visit online: 000 names none, called in by phone (our choice)',
    },
    messages: messages('ky'),
    sources: { ...commonSources, R1: '000 §1', R3: '000 §1', R20: 'Labour Code KR art. 113' },
  },
  KZ: {
    ...common,
    id: 'KZ',
    country: 'KZ',
    defaultTimezone: 'Asia/Almaty',
    horizon: { unit: 'working_days', count: 14 },
    workingWeek: weekdays('08:00', '20:00', { open: '09:00', close: '14:00' }),
    holidays: KZ_HOLIDAYS,
    extraWorkingDays: [],
    nationalIdKinds: ['KZ_IIN'],
    refusalReasons: ['unreliable_documents', 'not_attached'],
    refusalGrounds: { not_attached: 'not_attached' },
    patientPage: {
      identify: 'iin_sms',
      book: 'any',
      firstVisitAtRegistry: false,
      homeVisit: false,
      source: '002 L11, L37–53; 003 L80–115 (P8); no home visit online: 002/003 name none, called in by phone (our choice)',
    },
    messages: messages('kk'),
    sources: { ...commonSources, R1: 'not set by 003; KG value used', R3: '003 item 9', R20: '003 item 7' },
  },
  'RU-MO': { ...russia('RU-MO'), horizon: { unit: 'months', count: 1 }, sources: { ...russianSources, R1: '001 order 2.1' } },
  'RU-SM': { ...russia('RU-SM'), horizon: { unit: 'calendar_days', count: 14 }, sources: { ...russianSources, R1: '004 §3' } },
};

export function getProfile(id: string): PolicyProfile {
  const p = PROFILES[id as ProfileId];
  if (!p) throw new Error(`unknown policy profile ${id}`);
  return p;
}
