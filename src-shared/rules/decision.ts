/**
 * Why an action is refused. "policy" refusals are the clinic's rules: they are
 * recorded in the register of requests (R15). "input" refusals mean the request
 * itself cannot be carried out (slot gone, wrong state): nothing is written.
 */
export const REFUSALS = {
  not_attached: { kind: 'policy', rule: 'R2' },
  specialty_not_offered: { kind: 'policy', rule: 'R3' },
  referral_required: { kind: 'policy', rule: 'R5' },
  slot_channel: { kind: 'policy', rule: 'R7/R13' },
  noshow_blocked: { kind: 'policy', rule: 'R10' },
  electronic_daily_limit: { kind: 'policy', rule: 'R11' },
  cancel_cutoff: { kind: 'policy', rule: 'R9' },
  beyond_horizon: { kind: 'input', rule: 'R1' },
  slot_in_past: { kind: 'input', rule: 'R1' },
  slot_blocked: { kind: 'input', rule: 'R8' },
  slot_taken: { kind: 'input', rule: 'double booking guard' },
  slot_reserved: { kind: 'input', rule: 'slot lease of another device' },
  offline_not_leased: { kind: 'input', rule: 'clinic setting: no tentative bookings offline' },
  bad_status: { kind: 'input', rule: 'status machine' },
  channel_not_allowed: { kind: 'input', rule: 'R21: channel by role and PC' },
  unknown_slot: { kind: 'input', rule: 'the doctor has no such time in this organization' },
  unknown_patient: { kind: 'input', rule: 'no such patient in this organization' },
  not_today: { kind: 'input', rule: 'R18' },
  not_started: { kind: 'input', rule: 'status machine' },
  undo_expired: { kind: 'input', rule: 'a cancellation is undone within minutes, or booked anew' },
  id_format: { kind: 'input', rule: 'R16: national ID format' },
  id_date: { kind: 'input', rule: 'R16: national ID birth date' },
  id_check_digit: { kind: 'input', rule: 'R16: national ID check digit' },
  id_kind_not_used: { kind: 'input', rule: "R16: an ID kind the profile's country does not use" },
  id_mismatch: { kind: 'input', rule: 'R16: the ID encodes another birth date or sex' },
  phone_format: { kind: 'input', rule: 'R16: phone number' },
  address_format: { kind: 'input', rule: 'R16: an address of printable characters' },
  birth_date_implausible: { kind: 'input', rule: "R16: a birth date within the profile's oldest plausible age" },
  unknown_department: { kind: 'input', rule: 'R2: attachment to a ГСВ of this organization' },
  patient_exists: { kind: 'input', rule: 'R16: one record per national ID' },
  home_visit_date: { kind: 'input', rule: 'R24: a home visit from today up to a week ahead' },
  referral_issuer: { kind: 'input', rule: "R5: a family doctor's referral, from their cabinet PC" },
  referral_target: { kind: 'input', rule: 'R5: referrals are to narrow specialists' },
  referral_validity: { kind: 'input', rule: 'R5: a referral valid from today up to 30 days' },
  not_manager: { kind: 'input', rule: '004 §3.4.3: schedules change on the head of registry’s order' },
  unknown_doctor: { kind: 'input', rule: 'no such active doctor in this organization' },
  absence_dates: { kind: 'input', rule: 'R8: an absence from a day to a day, at most a year' },
  absence_past: { kind: 'input', rule: 'R8: the past schedule stays as it was' },
  absence_hours: { kind: 'input', rule: 'R8, 004 §3.4.3.3: more than 4 hours in a row, one day' },
  day_hours: { kind: 'input', rule: 'a day of other hours: one day, from before to' },
  not_admin: { kind: 'input', rule: 'staff accounts are the administrator’s' },
  password_required: { kind: 'input', rule: 'a new account starts with a temporary password' },
  duplicate_login: { kind: 'input', rule: 'one login per person in the organization' },
  account_doctor: { kind: 'input', rule: 'a doctor’s account names a doctor of the organization; others none' },
  own_account: { kind: 'input', rule: 'the administrator cannot lock themselves out' },
  last_admin: { kind: 'input', rule: 'an organization keeps an enabled administrator' },
  unknown_account: { kind: 'input', rule: 'no such enabled account in this organization' },
  doctor_has_bookings: { kind: 'input', rule: 'a doctor is dismissed once their patients are moved (R8)' },
  template_interval: { kind: 'input', rule: 'a working interval holds at least one visit' },
  template_overlap: { kind: 'input', rule: 'a schedule’s intervals of one day do not overlap' },
  template_periods: { kind: 'input', rule: 'one weekly schedule of a doctor at a time' },
  internet_quota: { kind: 'input', rule: 'R7 (000 §5): internet booking at most 30 % of a doctor’s time' },
} as const;

export type RefusalCode = keyof typeof REFUSALS;

export type Decision<T = object> = ({ ok: true } & T) | { ok: false; code: RefusalCode; params?: Record<string, string | number> };

export const refuse = (code: RefusalCode, params?: Record<string, string | number>): Decision<never> => (params ? { ok: false, code, params } : { ok: false, code });
