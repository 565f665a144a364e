import { z } from 'zod';
import { appointment, emergencyDestination, registerEntry } from '../domain/appointment.js';
import { registerRecord } from './change-rows.js';
import { newPatient, patientContacts } from '../rules/new-patient.js';
import { homeVisitRequest, homeVisitStatus } from '../domain/home-visit.js';
import { id, isoDate } from '../domain/primitives.js';
import { requestChannel } from '../domain/enums.js';
import { waitingWish } from '../domain/waiting-entry.js';
import { absenceRequest } from '../rules/absences.js';
import { callOutcome } from '../rules/call-outcomes.js';
import { accountChange } from '../rules/accounts.js';
import { publicKey } from '../domain/account.js';
import { doctorEdit, quotaRequest, templateEdit } from '../rules/schedule-edits.js';

/**
 * Bumped when an op's arguments or envelope change shape. 2: every op carries the person who made it and their
 * signature (issue 19); the server answers a desk still sending format 1 "update this desk" and applies nothing of it.
 */
export const SYNC_SCHEMA_VERSION = 4;
/**
 * The oldest format the server still takes. 3 and 4 only added ops (3: tasks.help, the hall's kiosk; 4: the waiting
 * list's waiting.*, issue 21): every op of format 2 is an op of format 4, so a desk not yet updated goes on syncing;
 * format 1 (unsigned) is told to update.
 */
export const OLDEST_ACCEPTED_SCHEMA_VERSION = 2;
/** Whether the server takes ops of this format. */
export const acceptedFormat = (v: number): boolean => v >= OLDEST_ACCEPTED_SCHEMA_VERSION && v <= SYNC_SCHEMA_VERSION;
/** The first format whose ops are signed: a desk's ops queued before it (unsigned) go up as this format and are refused visibly. */
export const FIRST_SIGNED_SCHEMA_VERSION = 2;
export const MAX_PUSH_OPS = 500;

/** The arguments of each op a desk can push, as the server will check them. */
export const opArgs = {
  // mode, leaseEpoch and register arrived after version 1 went out: optional, so older desks' ops still parse.
  'appointments.book': z.object({
    appointment,
    preventive: z.boolean(),
    mode: z.enum(['local', 'online', 'guaranteed', 'tentative']).optional(),
    leaseEpoch: z.number().int().nullable().optional(),
    register: registerRecord.optional(),
  }),
  /** A move: the booking `appointmentId` cancelled and `appointment` (which replaces it) booked, both or neither (issue 19 finding 2). */
  'appointments.move': z.object({
    appointmentId: id,
    appointment,
    preventive: z.boolean(),
    mode: z.enum(['local', 'online', 'guaranteed', 'tentative']).optional(),
    leaseEpoch: z.number().int().nullable().optional(),
    register: registerRecord.optional(),
  }),
  'appointments.cancel': z.object({ appointmentId: id, channel: requestChannel, register: registerRecord.optional() }),
  // liveQueue is the desk's prediction (R12), kept so the op's shape stays; the server computes its own.
  'appointments.checkIn': z.object({ appointmentId: id, liveQueue: z.boolean() }),
  'appointments.noShow': z.object({ appointmentId: id }),
  'appointments.fulfil': z.object({ appointmentId: id }),
  'appointments.restore': z.object({ appointmentId: id, register: registerRecord.optional() }),
  'tasks.resolve': z.object({ taskId: id, outcome: callOutcome }),
  /** The hall's kiosk: "call the registrar" (003 L118, P18) — a task on the registry's list, for the patient in front of it if known. */
  'tasks.help': z.object({ id, patientId: id.nullable() }),
  /** The waiting list (issue 21): a patient put on it with a wish; the server offers freed times, first come first offered. */
  'waiting.add': waitingWish.extend({ id, userId: id.optional(), register: registerRecord.optional() }),
  /** Taken off the list (the patient no longer needs a time): a live offer goes to the next. */
  'waiting.remove': z.object({ id }),
  /** The patient's answer to the offer of `slotId`: accepted, the server books it; declined, it goes to the next. */
  'waiting.answer': z.object({ id, slotId: id, answer: z.enum(['accept', 'decline']) }),
  /** R8: a doctor's absence entered by the head or administrator (the server checks the account's role itself). */
  'schedule.absence': absenceRequest.extend({ userId: id }),
  /** Hiring, changing or dismissing a doctor (head or administrator; a dismissal waits until the doctor's bookings are moved). */
  'directory.doctor': doctorEdit.extend({ userId: id }),
  /** A doctor's weekly schedule from a day on, with its channel shares (R7, R13, R21). */
  'schedule.template': templateEdit.extend({ userId: id }),
  /** R7: the internet quota of a doctor for a period. */
  'schedule.quota': quotaRequest.extend({ userId: id }),
  /** The administrator's change to a staff account (the server checks the account's role and the logins itself). */
  'accounts.put': accountChange.extend({ userId: id }),
  /**
   * A person's own new password: their signing key sealed under it (the desk checked the old one). After a temporary
   * password it is a new key pair (`publicKey`), so the administrator who knew the temporary one cannot sign as them.
   */
  'accounts.password': z.object({ userId: id, passwordHash: z.string().min(20).max(400), publicKey: publicKey.optional() }),
  /**
   * An account from before signed ops gets its key pair at its person's first sign-in on an updated desk (or a cabinet
   * PC enrolled before them, for its own doctor account): taken only while the server holds no key for it.
   */
  'accounts.key': z.object({ userId: id, passwordHash: z.string().min(20).max(400), publicKey }),
  'register.refuse': registerEntry
    .omit({ at: true, userId: true, deviceId: true, tookPlace: true, result: true, appointmentId: true, appointedAt: true })
    // Older desks send neither result nor rule: a refusal on a closed ground.
    .extend({ reason: z.string().nullable(), result: z.enum(['refused', 'declined']).default('refused'), appointmentId: id.nullable().default(null), userId: id.optional() }),
  /** R16: a patient registered at a desk; the server checks and derives the record itself. */
  'patients.register': newPatient,
  /** R16: corrected contact details. */
  'patients.update': patientContacts.extend({ patientId: id }),
  /** R5: a referral issued at a doctor's cabinet PC (the server names the issuing doctor from the enrollment). */
  'referrals.issue': z.object({ id, patientId: id, specialtyId: id, validUntil: isoDate }),
  /** R24: a home visit taken down at a desk. */
  'homeVisits.request': homeVisitRequest.extend({ id, userId: id.optional(), register: registerRecord.optional() }),
  /** R24: a home visit done or cancelled. */
  'homeVisits.setStatus': z.object({ id, status: homeVisitStatus }),
  'register.outOfSchedule': registerEntry.pick({ id: true, patientId: true, applicant: true, channel: true }).extend({ destination: emergencyDestination, userId: id.optional() }),
} as const;
export type OpName = keyof typeof opArgs;
export type OpArgs<N extends OpName> = z.infer<(typeof opArgs)[N]>;

/** The envelope's strings are the desk's own making: printable text only (PostgreSQL text refuses NUL, logs hate the rest). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters
const CONTROL = /[\u0000-\u001f\u007f]/;
const printable = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL.test(s), 'printable characters only');

export const pushOp = z.object({
  seq: z
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
  opId: printable(80),
  hlc: printable(80),
  name: printable(60),
  args: z.unknown(),
  /** The person who made the op, and their Ed25519 signature over it (src-shared/node/op-keys.ts); null: made before signed ops. */
  userId: printable(80).nullable().default(null),
  signature: z.string().max(200).nullable().default(null),
});
export type PushOp = z.infer<typeof pushOp>;

export const pushRequest = z.object({
  schemaVersion: z.number().int().nonnegative(),
  /** The desk install (its own id): the server records it for a device enrolled before installs were, then holds it. */
  installId: printable(80).optional(),
  ops: z.array(pushOp).min(1).max(MAX_PUSH_OPS),
});
export type PushRequest = z.infer<typeof pushRequest>;

/**
 * What happened to one op. `applied`: done as asked. `conflict`: kept, but lost
 * (e.g. the slot went to another device first) — a call-the-patient task exists.
 * `rejected`: not applicable (e.g. cancelling what the server never had), stored.
 * `quarantined`: the server could not process it (unknown op, old version, a bug);
 * a task exists and the device's queue moves on.
 */
export const opStatus = z.enum(['applied', 'conflict', 'rejected', 'quarantined']);
export const opResult = z.object({ seq: z.number().int(), opId: id, status: opStatus, detail: z.string() });
export type OpResult = z.infer<typeof opResult>;

export const pushResponse = z.object({
  results: z.array(opResult),
  lastAppliedSeq: z.number().int(),
  /** Set when a sequence number was skipped: the device must resend from lastAppliedSeq + 1. */
  gapAt: z.number().int().nullable(),
  /**
   * Set when a different op arrived under a sequence number the server has already used (the device
   * was restored from a backup): the device renumbers its pending ops from this one on to follow
   * lastAppliedSeq and sends them again. Nothing was applied from that op on.
   */
  seqReusedAt: z.number().int().nullable().default(null),
  serverTime: z.number(),
});
export type PushResponse = z.infer<typeof pushResponse>;

export const change = z.object({ seq: z.number().int(), entity: z.string(), id, op: z.enum(['put', 'remove']), row: z.unknown() });
export type Change = z.infer<typeof change>;

export const pullResponse = z.object({
  changes: z.array(change),
  cursor: z.number().int(),
  hasMore: z.boolean(),
  lastAppliedSeq: z.number().int(),
  results: z.array(opResult),
  serverTime: z.number(),
  /** Changes after `cursor` in all, when asked (`count=1`): what a first download shows its progress against. */
  remaining: z.number().int().optional(),
  /** This device's ticket prefix as the server assigned it (unique within the organization). */
  ticketPrefix: z.string().optional(),
  /**
   * The organization's history on the server, and the newest change it holds: a new history, or a newest change
   * behind this desk's cursor, means the server came back from a backup — the desk pulls everything again and
   * re-sends its ops the server no longer has (older servers send neither).
   */
  historyId: z.string().optional(),
  head: z.number().int().optional(),
});
export type PullResponse = z.infer<typeof pullResponse>;

/**
 * A lease renewal, numbered by the desk (1, 2, 3…): the server carries out only a number higher than any it
 * carried out for this device, so a renewal the network delays or replays cannot take back leases after the
 * desk has learned what its later renewal left it. Desks before this change send no number.
 */
export const leaseRequest = z.object({ renewal: z.number().int().positive().optional() }).strict();
/**
 * The answer to a lease renewal; the leases themselves arrive through pull like every other row.
 * `renewal` is the latest number the server carried out for this device: the request's own, or — `stale`,
 * nothing done — the one that came before it (a desk restored from a backup numbers on from there).
 */
export const leaseResponse = z.object({
  expiresAt: z.number(),
  held: z.number().int(),
  granted: z.number().int(),
  released: z.number().int(),
  renewal: z.number().int().optional(),
  stale: z.boolean().optional(),
});
export type LeaseResponse = z.infer<typeof leaseResponse>;

/**
 * What a desk reports of itself after a sync round (at most every minute): what the installer's console
 * shows per PC — uploads waiting, lost bookings, the printer, the clock's offset, the last error.
 */
export const deskReport = z.object({
  pending: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  openTasks: z.number().int().nonnegative(),
  printer: z.object({ configured: z.boolean(), queued: z.number().int().nonnegative(), error: z.string().max(300).nullable() }),
  clockOffsetMs: z.number().int().nullable(),
  lastError: z.string().max(300).nullable(),
});
export type DeskReport = z.infer<typeof deskReport>;
