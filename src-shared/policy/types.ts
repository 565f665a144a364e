import type { RefusalCode } from '../rules/decision.js';
import type { Lang, NationalIdKind, ProfileId, RequestChannel, Sex, SlotChannel } from '../domain/enums.js';

/** Opening hours of a weekday; null = closed. ISO weekday keys 1 (Mon) … 7 (Sun). */
export type WorkingWeek = Record<1 | 2 | 3 | 4 | 5 | 6 | 7, { open: string; close: string } | null>;

/**
 * A country's or region's booking rules as data: the values differ by country. Every value
 * carries the clause it comes from in `sources`.
 */
export interface PolicyProfile {
  id: ProfileId;
  country: 'KG' | 'KZ' | 'RU';
  defaultTimezone: string;
  /** R1: bookable horizon, refreshed daily. */
  horizon: { unit: 'working_days' | 'calendar_days' | 'months'; count: number };
  /** R20: what a working day is. */
  workingWeek: WorkingWeek;
  /** R20: public holidays and the days off moved onto weekdays (YYYY-MM-DD). */
  holidays: readonly string[];
  /** Weekend days made working by decree (YYYY-MM-DD). */
  extraWorkingDays: readonly string[];
  nationalIdKinds: readonly NationalIdKind[];
  /** Unverified mapping of the KG PIN's first digit (docs/national-ids.md, Kyrgyz PIN). */
  kgPinSexDigits: Record<string, Sex>;
  /** R3: the closed list of refusal reasons a registrar may record. */
  refusalReasons: readonly string[];
  /** R3: the closed-list ground a rule's refusal is recorded under, where the list has one (see rules/register-outcome.ts). */
  refusalGrounds: Partial<Record<RefusalCode, string>>;
  /** R5: who needs a family doctor's referral. */
  referral: { requiredForNarrow: boolean; exemptDispensary: boolean; exemptPreventive: boolean; exemptDoctorRepeat: boolean };
  /** R9: cut-off for cancelling through electronic channels. */
  electronicCancelCutoffMinutes: number;
  /** R10: no-shows in a row within a window block electronic channels for a while. */
  noShowBlock: { inARow: number; withinDays: number; blockDays: number };
  /** R11: max electronic bookings per specialty per patient per day (0 = no limit). */
  electronicPerSpecialtyPerDay: number;
  /** R12: later than this → live queue. */
  liveQueueAfterMinutes: number;
  /** R16: the oldest a patient can plausibly be, in years (a birth date further back is a typing or ID mistake). */
  maxPatientAgeYears: number;
  /** R22: a checked-in patient waits at most this long past the appointed time. */
  maxWaitMinutes: number;
  /** R7: the most of a doctor's time the head may give the internet channel. */
  maxInternetShare: number;
  /** Which request channels may take a slot reserved for a slot channel (R7, R13, R21). */
  slotAccess: Record<SlotChannel, readonly RequestChannel[]>;
  /**
   * R7: internet-share times nobody booked go to these channels from `at` (local time) `daysBefore` days before the
   * visit (rules/internet-release.ts); until then only slotAccess.internet's channels take them.
   */
  internetRelease: { daysBefore: number; at: string; to: readonly RequestChannel[]; source: string };
  /**
   * Offline guarantees (issue 3; docs/sync-design.md, Leases): while online the server
   * leases each desk a share of every doctor's registry slots over the next
   * working days, and each doctor's cabinet PC that doctor's repeat-visit slots.
   * Offline, a booking inside a valid lease is guaranteed; outside it, tentative
   * or refused. A lease is reclaimed only after expiry plus grace.
   */
  leases: {
    deskShare: number;
    /** The hall's kiosks' part of every doctor-day's internet-share times (R7), dealt out among the clinic's kiosks (issue 21). */
    kioskShare: number;
    windowWorkingDays: number;
    ttlMs: number;
    graceMs: number;
    offlineOutsideLease: 'tentative' | 'refuse';
  };
  /**
   * The patient's own page (issue 20), as the seeds describe each country's portal: how a patient proves who they are
   * (KG: PIN and the registered phone, P2; KZ: IIN and a one-time SMS code, P8; RU: policy number and birth date, P5),
   * what they may book online (KG: the family doctor's times, P1; elsewhere what the rules allow), and whether the
   * first visit must go through the registry (RU, P4).
   */
  patientPage: {
    identify: 'pin_phone' | 'iin_sms' | 'policy_birth_date';
    book: 'family_doctor' | 'any';
    firstVisitAtRegistry: boolean;
    /** R24: the patient may call the family doctor home from the page. */
    homeVisit: boolean;
    source: string;
  };
  /**
   * Messages to patients (issue 20): the language when the patient chose none on the patient page, the night when no
   * booking message is sent (local time; a sign-in code the patient asked for is), and which channels' bookings get a
   * confirmation (a patient booked at the window holds the printed ticket). Our choice where `source` says so.
   */
  /**
   * The waiting list (issue 21): how long a freed time is held for the patient it is offered to, and how long before
   * the visit an offer must end at the latest. No seed says: our choice (`source`).
   */
  waitingList: { offerHoldMinutes: number; leadMinutes: number; source: string };
  messages: { lang: Lang; quietHours: { from: string; to: string }; confirmFor: readonly RequestChannel[]; source: string };
  sources: Record<string, string>;
}
