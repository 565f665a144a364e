import { z } from 'zod';
import { waitingEntry, waitingOffer } from '../domain/waiting-entry.js';
import { absenceKind } from '../rules/absences.js';
import { homeVisit } from '../domain/home-visit.js';
import { appointment, registerEntry, ticket, user } from '../domain/appointment.js';
import { cabinet, department, doctor, organization, scheduleTemplate, specialty } from '../domain/directory.js';
import { patient, referral } from '../domain/patient.js';
import { hhmm, id, instant, isoDate } from '../domain/primitives.js';
import { lang, nationalIdKind, profileId, slotChannel, staffRole } from '../domain/enums.js';
import { account } from '../domain/account.js';
import { patientMessage } from '../domain/patient-message.js';
import { newPassword } from '../rules/accounts.js';

/** What the screens receive: domain records joined with the names they display. */
export const appointmentView = appointment.extend({
  /** `local` (not yet answered by the server), `confirmed`, or `conflict`. */
  syncState: z.enum(['local', 'confirmed', 'conflict']),
  /** How it was booked (src-shared/sync/leases.ts): local, online, guaranteed (inside this desk's lease) or tentative. */
  mode: z.enum(['local', 'online', 'guaranteed', 'tentative']),
  patientName: z.string(),
  patientNationalId: z.string(),
  patientBirthDate: isoDate,
  doctorName: z.string(),
  cabinet: z.string(),
  floor: z.number().int(),
  /** R22: checked in and still waiting more than the limit past the appointed time: the minutes since it; else null. */
  overdueWaitMinutes: z.number().int().nullable(),
  /**
   * Why this booking is on the call list, while its call is open (an absence, a new schedule, a lost time): the visit
   * will not happen as booked, and every screen that shows the booking says so (issue 23 finding 3). Null otherwise.
   */
  callReason: z.string().nullable(),
  /** The hall's queue screen (issue 21): when the patient was last called to the cabinet, null if not (or "did not come"). */
  calledAt: z.number().int().nullable(),
});
export type AppointmentView = z.infer<typeof appointmentView>;

export const patientSummary = patient.pick({ id: true, nationalId: true, fullName: true, birthDate: true, phone: true }).extend({
  attached: z.boolean(),
});
export type PatientSummary = z.infer<typeof patientSummary>;

/** One page of a patient search: the matches from `offset`, and how many there are in all. */
export const patientMatches = z.object({ items: z.array(patientSummary), total: z.number().int().nonnegative(), offset: z.number().int().nonnegative() });
export type PatientMatches = z.infer<typeof patientMatches>;

export const patientCard = z.object({
  patient,
  age: z.number().int(),
  attached: z.boolean(),
  attachedOrgName: z.string().nullable(),
  departmentName: z.string().nullable(),
  familyDoctorId: id.nullable(),
  familyDoctorName: z.string().nullable(),
  upcoming: z.array(appointmentView),
  referrals: z.array(referral),
  noShowBlockedUntil: instant.nullable(),
  /** The latest messages the server sent the patient, newest first (issue 20). */
  messages: z.array(patientMessage),
});
export type PatientCard = z.infer<typeof patientCard>;

export const doctorDay = z.object({
  doctorId: id,
  date: isoDate,
  free: z.number().int().nonnegative(),
  needsConsent: z.boolean(),
});
export type DoctorDay = z.infer<typeof doctorDay>;

export const slotSearchResult = z.object({
  today: isoDate,
  horizonEnd: isoDate,
  dates: z.array(isoDate),
  /** R25: free tickets per specialty over the horizon. */
  specialtyFree: z.array(
    z.object({
      specialtyId: id,
      free: z.number().int(),
      /** R5: the patient has no referral this specialty needs (not preventive, not under its dispensary observation): shown disabled. */
      referralMissing: z.boolean(),
    }),
  ),
  /** R25: free tickets per doctor-day. */
  doctorDays: z.array(doctorDay),
  /** R7: the head's limits on these doctors' internet booking within the horizon (shown on the grid). */
  internetLimits: z.array(z.object({ doctorId: id, percent: z.number().int(), fromDate: isoDate, toDate: isoDate })),
});
export type SlotSearchResult = z.infer<typeof slotSearchResult>;

export const daySlot = z.object({
  slotId: id,
  time: hhmm,
  startUtc: instant,
  channel: slotChannel,
  state: z.enum(['free', 'taken', 'blocked', 'past', 'reserved']),
  /** `mine`: this desk may book it offline with a guarantee; `other`: leased to another device, not bookable here. */
  lease: z.enum(['mine', 'other']).nullable(),
});
export type DaySlot = z.infer<typeof daySlot>;

export const directoryView = z.object({
  organization,
  departments: z.array(department),
  specialties: z.array(specialty),
  doctors: z.array(doctor.extend({ cabinet: cabinet.pick({ number: true, floor: true }) })),
  profile: z.object({
    id: profileId,
    refusalReasons: z.array(z.string()),
    /** R3: the closed-list ground an unattached patient's refusal is filed under, if the list has one. */
    notAttachedGround: z.string().nullable(),
    nationalIdKinds: z.array(nationalIdKind),
    /** R7: the most of a doctor's time internet booking may have, in percent. */
    maxInternetPercent: z.number().int(),
    /** R22: the longest a checked-in patient should wait past the appointed time, in minutes. */
    maxWaitMinutes: z.number().int(),
  }),
  today: isoDate,
  horizonEnd: isoDate,
  device: z.object({ id, prefix: z.string() }),
});
export type DirectoryView = z.infer<typeof directoryView>;

/** `mustChangePassword`: the administrator set a temporary password — nothing else works until the person chose their own. */
export const session = z.object({ token: z.string(), user, lang, mustChangePassword: z.boolean() });
export type Session = z.infer<typeof session>;

export const bookResult = z.object({ appointment: appointmentView, ticket });
export type BookResult = z.infer<typeof bookResult>;

export const registerView = registerEntry.extend({ patientName: z.string().nullable() });
export type RegisterView = z.infer<typeof registerView>;

/** R17: the lists for one day. */
export const dayLists = z.object({
  date: isoDate,
  doctors: z.array(z.object({ doctorId: id, doctorName: z.string(), specialtyId: id, cabinet: z.string(), appointments: z.array(appointmentView) })),
  cards: z.array(z.object({ patientId: id, patientName: z.string(), nationalId: z.string(), birthDate: isoDate, doctorName: z.string(), cabinet: z.string(), time: hhmm })),
});
export type DayLists = z.infer<typeof dayLists>;

/** What the status bar says about sync (offline-first promise 4). */
export const syncStatusView = z.object({
  enrolled: z.boolean(),
  online: z.boolean(),
  pending: z.number().int(),
  conflicts: z.number().int(),
  openTasks: z.number().int(),
  lastSyncAt: instant.nullable(),
  lastError: z.string().nullable(),
  clockOffsetMs: z.number().nullable(),
  /** How long ago the server last imported the attached-patient register (desk clock). */
  registerAgeMs: z.number().nullable(),
});
export type SyncStatusView = z.infer<typeof syncStatusView>;

/** A call-the-patient task with what the registrar needs to make the call and rebook. */
export const taskView = z.object({
  id,
  kind: z.string(),
  status: z.string(),
  reason: z.string(),
  createdAt: instant,
  patientId: z.string(),
  patientName: z.string().nullable(),
  phone: z.string().nullable(),
  appointment: appointmentView.nullable(),
  /** R8: phone first (an absence known less than two days ahead: its first day's patients). */
  urgent: z.boolean(),
  /** Calls that found nobody; the task stays open until someone is reached. */
  attempts: z.number().int(),
  alternatives: z.array(
    z.object({ slotId: z.string(), doctorId: z.string(), date: isoDate, time: hhmm, sameDoctor: z.boolean(), kind: z.enum(['same_time', 'near_time', 'same_doctor', 'specialty']) }),
  ),
  /** A waiting list's offer to phone the patient about (issue 21): its entry and the time held. */
  offer: waitingOffer.extend({ entryId: z.string() }).nullable(),
});
export type TaskView = z.infer<typeof taskView>;

/** R8: a doctor's absence as the management screen lists it, with its patients still to phone. */
export const absenceView = z.object({
  id,
  doctorId: id,
  doctorName: z.string(),
  kind: absenceKind,
  fromDate: isoDate,
  toDate: isoDate.nullable(),
  hours: z.object({ from: hhmm, to: hhmm }).nullable(),
  note: z.string(),
  calls: z.number().int(),
});
export type AbsenceView = z.infer<typeof absenceView>;

/** R24: a home visit as the desk and the doctor's list show it. */
export const homeVisitView = homeVisit.extend({ patientName: z.string(), patientBirthDate: isoDate, doctorName: z.string() });
export type HomeVisitView = z.infer<typeof homeVisitView>;

/** The waiting list (issue 21) as the desk shows it: the wish, the patient to phone, the offer held for them. */
export const waitingView = waitingEntry
  .pick({ id: true, patientId: true, specialtyId: true, doctorId: true, fromDate: true, toDate: true, part: true, channel: true, status: true, createdAt: true, appointmentId: true })
  .extend({
    patientName: z.string(),
    phone: z.string(),
    doctorName: z.string().nullable(),
    offer: waitingOffer.extend({ doctorName: z.string(), cabinet: z.string() }).nullable(),
    /** The answer taken here that the server has not decided yet. */
    answered: z.enum(['accept', 'decline']).nullable(),
    /** Not yet on the server: the entry (or its last change) waits for the link. */
    pending: z.boolean(),
    /** How many offers this entry was made. */
    offers: z.number().int(),
    /** The time it got from the list, once the server's booking is here. */
    booking: z.object({ date: isoDate, time: hhmm, doctorName: z.string(), ticketCode: z.string() }).nullable(),
  });
export type WaitingView = z.infer<typeof waitingView>;

/** A staff account as the administrator's screen shows it (never its password hash). */
export const accountView = z.object({
  id,
  username: z.string(),
  fullName: z.string(),
  role: staffRole,
  doctorId: id.nullable(),
  doctorName: z.string().nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  /** A cabinet PC's own doctor account: not the organization's, not on the server. */
  thisPcOnly: z.boolean(),
});
export type AccountView = z.infer<typeof accountView>;

/** The administrator's form: a new account (no id) needs a temporary password; a reset gives one too. */
export const staffAccountInput = account.pick({ username: true, fullName: true, doctorId: true, disabled: true }).extend({
  role: staffRole,
  id: id.optional(),
  temporaryPassword: newPassword.nullable().default(null),
});
export type StaffAccountInput = z.infer<typeof staffAccountInput>;

/** Where the server's answer to a management change stands: confirmed, sent when the link returns, or final on a standalone desk. */
export const verdict = z.enum(['confirmed', 'queued', 'local']);

/** A doctor's weekly schedules in force today or later, and internet quotas not over yet (R7). */
export const doctorScheduleView = z.object({
  doctorId: id,
  templates: z.array(scheduleTemplate),
  quotas: z.array(z.object({ id, fromDate: isoDate, toDate: isoDate, percent: z.number().int() })),
});
export type DoctorScheduleView = z.infer<typeof doctorScheduleView>;
