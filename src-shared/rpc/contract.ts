import { z } from 'zod';
import { callOutcome } from '../rules/call-outcomes.js';
import { absenceRequest } from '../rules/absences.js';
import { newPassword } from '../rules/accounts.js';
import { report, reportFilter } from '../reports/report.js';
import { doctorEdit, quotaRequest, templateEdit } from '../rules/schedule-edits.js';
import { newPatient, patientContacts } from '../rules/new-patient.js';
import { homeVisitRequest } from '../domain/home-visit.js';
import { waitingWish } from '../domain/waiting-entry.js';
import { referral } from '../domain/patient.js';
import { emergencyDestination, registerResult, ticket, user, visitReason } from '../domain/appointment.js';
import { id, isoDate } from '../domain/primitives.js';
import { lang, requestChannel, type Role } from '../domain/enums.js';
import { printerSettings, printerStatus } from '../print/settings.js';
import { hallAction, hallAnswer } from '../hall/calls.js';
import { kioskCheckIn, kioskPatient, kioskTime } from '../kiosk/views.js';
import {
  absenceView,
  accountView,
  doctorScheduleView,
  staffAccountInput,
  verdict,
  appointmentView,
  bookResult,
  dayLists,
  daySlot,
  directoryView,
  homeVisitView,
  waitingView,
  patientCard,
  patientMatches,
  patientSummary,
  registerView,
  session,
  slotSearchResult,
  syncStatusView,
  taskView,
} from './views.js';

interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
  /** "public" methods need no session; every other method names the roles that may call it. */
  roles: 'public' | readonly Role[];
}

const staff = ['registrar', 'head', 'doctor', 'admin'] as const;
const desk = ['registrar', 'head', 'doctor'] as const;
/** The clinic's own management (004 §3.4.3: schedules change on the head's order). */
const managers = ['head', 'admin'] as const;
const ok = z.object({ ok: z.literal(true) });

/** Booking-channel field: what the screen says the request came through (R21). */
const channelField = requestChannel.default('registry');

/**
 * The one RPC contract between the desk UI and the local services. Both
 * transports (Electron IPC and HTTP `POST /rpc/<method>`) serve exactly this map,
 * validating input and output with these schemas.
 */
/** The register of requests' filters: the screen's list and its export take the same. */
const registerFilter = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  result: registerResult.optional(),
  specialtyId: id.optional(),
  doctorId: id.optional(),
  channel: requestChannel.optional(),
  /** The applicant's or patient's name (prefix, as the desk's search matches it) or national ID. */
  patient: z.string().trim().min(2).max(100).optional(),
});

/** A fresh desk's first run (issue 12): where it stands, enrolling with the clinic's server, or the demo clinic when chosen. */
const setupState = z.object({
  state: z.enum(['choose', 'enrolling', 'failed', 'ready']),
  /** The first download: records so far, and in all (null until the server said). */
  progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }).nullable(),
  error: z.string().nullable(),
  /** This PC's name, suggested as the desk's name. */
  deviceName: z.string(),
});
export type SetupState = z.infer<typeof setupState>;

export const contract = {
  'setup.status': { input: z.object({}), output: setupState, roles: 'public' },
  /** Enroll with the clinic's sync server by a one-time code (from the installers' console) and download the clinic. */
  'setup.enroll': {
    input: z.object({
      serverUrl: z.url({ protocol: /^https?$/ }),
      code: z.string().trim().min(4).max(40),
      deviceName: z.string().trim().min(1).max(100),
      /** The clinic's first accounts' password (used only if this is the clinic's first desk). */
      password: z.string().min(8).max(200),
    }),
    output: setupState,
    roles: 'public',
  },
  /** The demo clinic, only when chosen (never on its own on a fresh install). */
  'setup.demo': { input: z.object({}), output: setupState, roles: 'public' },
  'auth.signIn': {
    input: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200), lang: lang.default('ru') }),
    output: session,
    roles: 'public',
  },
  'auth.signOut': { input: z.object({}), output: ok, roles: staff },
  'auth.me': { input: z.object({}), output: user, roles: staff },
  /** Everyone's own password (forced after the administrator set a temporary one). */
  'auth.changePassword': { input: z.object({ current: z.string().min(1).max(200), next: newPassword }), output: ok, roles: staff },
  /** Staff accounts: the administrator's (the server checks the account's role again). */
  'accounts.list': { input: z.object({}), output: z.array(accountView), roles: ['admin'] },
  'accounts.save': { input: staffAccountInput, output: z.object({ account: accountView, verdict }), roles: ['admin'] },
  // The kiosk names specialties and doctors too.
  'directory.get': { input: z.object({}), output: directoryView, roles: [...staff, 'kiosk'] },
  /** R16: a new patient (national ID checked per profile; birth date and sex must agree with it). */
  'patients.register': { input: newPatient, output: patientCard, roles: ['registrar', 'head'] },
  /** R16: likely the same person already registered — shown before saving a new one. */
  'patients.similar': { input: z.object({ fullName: z.string().trim().min(3).max(200), birthDate: isoDate }), output: z.array(patientSummary), roles: ['registrar', 'head'] },
  /** R16: correct phone and address. */
  'patients.update': { input: patientContacts.extend({ patientId: id }), output: patientCard, roles: ['registrar', 'head'] },
  'patients.find': {
    input: z.object({ query: z.string().trim().min(2).max(100), offset: z.number().int().nonnegative().max(100_000).default(0) }),
    output: patientMatches,
    roles: desk,
  },
  'patients.get': { input: z.object({ patientId: id }), output: patientCard, roles: desk },
  'slots.search': {
    input: z.object({ specialtyId: id.optional(), doctorId: id.optional(), patientId: id.optional(), channel: channelField, preventive: z.boolean().default(false) }),
    output: slotSearchResult,
    roles: desk,
  },
  'slots.day': { input: z.object({ doctorId: id, date: isoDate, patientId: id.optional(), channel: channelField }), output: z.array(daySlot), roles: desk },
  'appointments.book': {
    input: z.object({
      patientId: id,
      slotId: id,
      channel: channelField,
      preventive: z.boolean().default(false),
      /** Who asked, when it is not the patient (a parent for a child): the register names them (R15). */
      applicant: z.string().trim().max(200).optional(),
      /** R14: the reason for the visit (004 App. 3 item 7). */
      visitReason: visitReason.optional(),
    }),
    output: bookResult,
    roles: desk,
  },
  'appointments.cancel': { input: z.object({ appointmentId: id, channel: channelField }), output: appointmentView, roles: desk },
  'appointments.move': { input: z.object({ appointmentId: id, slotId: id }), output: bookResult, roles: desk },
  'appointments.checkIn': { input: z.object({ appointmentId: id }), output: appointmentView, roles: desk },
  'appointments.noShow': { input: z.object({ appointmentId: id }), output: appointmentView, roles: desk },
  'appointments.fulfil': { input: z.object({ appointmentId: id }), output: appointmentView, roles: ['doctor', 'head'] },
  'appointments.restore': { input: z.object({ appointmentId: id }), output: bookResult, roles: desk },
  /**
   * The hall's queue screen (issue 21): call the next patient checked in for a doctor (`next`), or one booking — call,
   * call again, or "did not come" (`dismiss`). A doctor calls only their own patients.
   */
  'hall.ask': { input: z.object({ action: hallAction, doctorId: id.optional(), appointmentId: id.optional() }), output: hallAnswer, roles: desk },
  /**
   * The hall's kiosk (issue 21): its screen's session, on the kiosk PC itself only (no one signs in at a kiosk); then
   * what the patient in front of it does. Each op is signed as the kiosk, booked as the kiosk channel.
   */
  'kiosk.start': { input: z.object({ lang: lang.default('ru') }), output: session, roles: 'public' },
  /** The administrator closes the kiosk's window (Electron); false where the shell cannot (browser mode: close the browser). */
  'kiosk.exit': { input: z.object({}), output: z.object({ closed: z.boolean() }), roles: ['admin'] },
  'kiosk.identify': { input: z.object({ code: z.string().trim().min(4).max(300) }), output: kioskPatient, roles: ['kiosk'] },
  'kiosk.checkIn': { input: z.object({ patientId: id, appointmentId: id }), output: kioskCheckIn, roles: ['kiosk'] },
  'kiosk.print': { input: z.object({ patientId: id, appointmentId: id }), output: z.object({ jobId: id }), roles: ['kiosk'] },
  'kiosk.specialties': {
    input: z.object({ patientId: id }),
    output: z.array(z.object({ specialtyId: id, free: z.number().int(), referralMissing: z.boolean() })),
    roles: ['kiosk'],
  },
  'kiosk.times': { input: z.object({ patientId: id, specialtyId: id }), output: z.array(kioskTime), roles: ['kiosk'] },
  /** "Call the registrar" (003 L118, P18): a task on the registry's call list — over the LAN at once where a hall's desk is set. */
  'kiosk.help': { input: z.object({ patientId: id.nullable() }), output: z.object({ sent: z.boolean() }), roles: ['kiosk'] },
  /** No time free for the specialty (issue 21): the patient joins the waiting list, any doctor, from today to the horizon. */
  'kiosk.wait': { input: z.object({ patientId: id, specialtyId: id }), output: z.object({ until: isoDate }), roles: ['kiosk'] },
  'kiosk.book': { input: z.object({ patientId: id, slotId: id }), output: z.object({ ticket, printed: z.boolean() }), roles: ['kiosk'] },
  'appointments.day': {
    input: z.object({ date: isoDate.optional(), doctorId: id.optional() }),
    output: z.array(appointmentView),
    roles: desk,
  },
  'register.list': {
    input: registerFilter.extend({ limit: z.number().int().min(1).max(5000).default(200) }),
    output: z.array(registerView),
    roles: ['registrar', 'head', 'admin'],
  },
  /** R15: the register for a period as a file (CSV for any tool, XLSX for Excel), up to 5,000 rows. */
  'register.export': {
    input: registerFilter.extend({ format: z.enum(['csv', 'xlsx']) }),
    output: z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() }),
    roles: ['registrar', 'head', 'admin'],
  },
  /** The head's report for a period (issue 11): requests by channel, refusals, attendance, occupancy, earliest free time. */
  'reports.get': { input: reportFilter, output: report, roles: managers },
  'reports.export': {
    input: reportFilter.and(z.object({ format: z.enum(['csv', 'xlsx']) })),
    output: z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() }),
    roles: managers,
  },
  'register.refuse': {
    input: z.object({ patientId: id.nullable(), applicant: z.string().max(200).default(''), specialtyId: id.nullable(), reason: z.string().min(1).max(64), channel: channelField }),
    output: registerView,
    roles: ['registrar', 'head'],
  },
  /** R6: an emergency sent on without a booking, recorded "out of schedule". */
  'visits.outOfSchedule': {
    input: z.object({ patientId: id.nullable(), applicant: z.string().trim().max(200).default(''), destination: emergencyDestination, channel: channelField }),
    output: registerView,
    roles: desk,
  },
  /** The day's out-of-schedule visits, for today's list (doctors see it too). */
  'visits.outOfScheduleList': { input: z.object({ date: isoDate.optional() }), output: z.array(registerView), roles: desk },
  /** R5: the family doctor refers the patient on the card to a narrow specialist (valid 30 days unless said). */
  'referrals.issue': { input: z.object({ patientId: id, specialtyId: id, validUntil: isoDate.optional() }), output: referral, roles: ['doctor'] },
  /** R24: a home visit taken down at the desk, for the area's doctor. */
  'homeVisits.request': { input: homeVisitRequest.extend({ channel: channelField }), output: homeVisitView, roles: ['registrar', 'head'] },
  'homeVisits.setStatus': { input: z.object({ id, status: z.enum(['done', 'cancelled']) }), output: homeVisitView, roles: desk },
  /** The day's home visits — a doctor's list, or everyone's. */
  'homeVisits.list': { input: z.object({ date: isoDate.optional(), doctorId: id.optional() }), output: z.array(homeVisitView), roles: desk },
  /** The waiting list (issue 21): live entries (waiting or holding an offer), or every entry of the last weeks. */
  'waiting.list': { input: z.object({ all: z.boolean().default(false) }), output: z.array(waitingView), roles: desk },
  /** A patient for whom no time was free, with a wish: the server offers freed times, first come first offered. */
  'waiting.add': { input: waitingWish.extend({ channel: channelField }), output: waitingView, roles: desk },
  'waiting.remove': { input: z.object({ id }), output: waitingView, roles: desk },
  /** The patient's answer to the offer (by phone, at the window): accepted, the server books it. */
  'waiting.answer': { input: z.object({ id, slotId: id, answer: z.enum(['accept', 'decline']) }), output: waitingView, roles: desk },
  'tickets.get': { input: z.object({ appointmentId: id }), output: ticket, roles: desk },
  /** Queue the ticket on the desk's printer; a second print of a booking is marked COPY. */
  'tickets.print': { input: z.object({ appointmentId: id }), output: z.object({ jobId: id, copy: z.boolean() }), roles: desk },
  /** R18: what the barcode scanner typed (Code128 or QR text) → the patient arrived. */
  'appointments.checkInByScan': { input: z.object({ scan: z.string().min(1).max(200) }), output: appointmentView, roles: desk },
  'dayLists.get': { input: z.object({ date: isoDate.optional() }), output: dayLists, roles: desk },
  'dayLists.print': {
    input: z.object({ date: isoDate.optional(), which: z.enum(['doctors', 'cards']), doctorId: id.nullable().default(null) }),
    output: z.object({ jobId: id }),
    roles: desk,
  },
  'printer.profiles': { input: z.object({}), output: z.array(z.object({ id: z.string(), name: z.string(), paperMm: z.number() })), roles: staff },
  'printer.getSettings': { input: z.object({}), output: printerSettings, roles: staff },
  'printer.saveSettings': { input: printerSettings, output: printerSettings, roles: ['registrar', 'head', 'admin'] },
  'printer.status': { input: z.object({}), output: printerStatus, roles: staff },
  'printer.testPage': { input: z.object({}), output: z.object({ jobId: id }), roles: ['registrar', 'head', 'admin'] },
  'printer.dismiss': { input: z.object({ jobId: id }), output: ok, roles: desk },
  'sync.status': { input: z.object({}), output: syncStatusView, roles: staff },
  /** Sync now instead of waiting for the next round. */
  'sync.now': { input: z.object({}), output: syncStatusView, roles: staff },
  /** A desk the server refuses enrolls again with a new code from the console, keeping its data. */
  'sync.enrollAgain': { input: z.object({ code: z.string().trim().min(4).max(64) }), output: syncStatusView, roles: ['admin'] },
  /** The call list: bookings the clinic must phone about (lost conflicts, quarantined ops). */
  'tasks.list': { input: z.object({ status: z.enum(['open', 'all']).default('open') }), output: z.array(taskView), roles: desk },
  'tasks.resolve': { input: z.object({ taskId: id, outcome: callOutcome }), output: ok, roles: desk },
  /** The patient agreed to another time: the lost booking moves there (never a second booking), and the task is done. */
  'tasks.rebook': { input: z.object({ taskId: id, slotId: id }), output: bookResult, roles: desk },
  /** R8: a doctor's absence (head and administrator; the server checks the account's role again). */
  'schedule.enterAbsence': { input: absenceRequest.omit({ id: true }), output: absenceView.extend({ verdict }), roles: managers },
  'schedule.listAbsences': { input: z.object({}), output: z.array(absenceView), roles: managers },
  /** Hire (no id), change or dismiss (`active: false`) a doctor; the cabinet by its number and floor. */
  'directory.saveDoctor': { input: doctorEdit.extend({ id: id.optional() }), output: z.object({ id, verdict }), roles: managers },
  /** A doctor's weekly schedule from a day on (R7 internet share, R13 priority windows, R21 repeat visits) → how many patients went to the call list. */
  'schedule.saveTemplate': { input: templateEdit.omit({ id: true }), output: z.object({ id, calls: z.number().int(), verdict }), roles: managers },
  /** R7: an internet quota for a doctor and a period (at most 30 %). */
  'schedule.setQuota': { input: quotaRequest.omit({ id: true }), output: z.object({ id, verdict }), roles: managers },
  'schedule.doctors': { input: z.object({}), output: z.array(doctorScheduleView), roles: managers },
} as const satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type Input<M extends Method> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>;
export type Output<M extends Method> = z.output<Contract[M]['output']>;

export const isMethod = (name: string): name is Method => Object.hasOwn(contract, name);
