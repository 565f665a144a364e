import { internetReleasedThrough } from '../../src-shared/rules/internet-release.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Appointment, Slot } from '../../src-shared/domain/appointment.js';
import type { Patient, Referral } from '../../src-shared/domain/patient.js';
import { decideBooking, needsReferral, type BookingFacts, type PastVisit } from '../../src-shared/rules/booking.js';
import { ACTIVE_STATUSES, type AppointmentStatus, type RequestChannel, type Role } from '../../src-shared/domain/enums.js';
import { allowedChannels, type DeviceKind } from '../../src-shared/rules/channels.js';
import { refuse, type Decision } from '../../src-shared/rules/decision.js';
import { decideStatusChange, type StatusOp } from '../../src-shared/rules/transitions.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { parseSlotId } from '../../src-shared/slots/lookup.js';
import { localParts } from '../../src-shared/time/dates.js';
import { horizonEnd } from '../../src-shared/time/working-days.js';
import { orgRows, referralUses } from '../db/schema.js';
import type { ServerDb } from '../db/connect.js';
import type { RulesDirectory } from './directory-cache.js';

/** The database or one of its transactions: reads only. */
type Reader = Pick<ServerDb, 'select'>;

/** The pushing device as the server knows it from its enrollment — never from what it says. */
export interface ServerDevice {
  id: string;
  orgId: string;
  kind: DeviceKind;
  doctorId: string | null;
  /** The desk install every op's signature names (null: a device from before, until its first push names it). */
  installId?: string | null;
  /** A cabinet PC's own doctor account and its public key. */
  signer?: { userId: string; publicKey: string } | null;
  /** The one channel a booking API client books through (issue 20): then that is all it may claim, whoever's role. */
  channels?: readonly RequestChannel[];
}

/** What R10 and R11 read for a booking through an electronic channel: the patient's past visits and that day's bookings of the specialty. */
export interface ElectronicFacts {
  history: readonly PastVisit[];
  sameSpecialtySameDay: number;
}

/** When the rules are judged: when the desk acted (offline ops upload late), but never later than the server's now. */
export const decisionTime = (opAt: number | null, now: number): number => Math.min(opAt ?? now, now);

export interface Judgement {
  decision: Decision;
  /** The referral this booking spends (R5), when it is accepted and the rules required one. */
  spendsReferral: string | null;
}

/**
 * The server's own decision on a booking, by the same rules the desk predicted with
 * (src-shared/rules/booking.ts), on the facts the server holds: its directory, its register
 * of attached patients, the device's kind. The slot's own facts come from the server's
 * schedule, so a booking of a time the doctor does not have — or one whose doctor, date or
 * specialty do not match its slot — is refused. Whether the slot is free or leased is
 * decided after this, by the unique index and the leases; whether its referral is still
 * unspent, by `spentReferrals` (the organization's referral_uses).
 */
export function judgeBooking(
  dir: RulesDirectory,
  device: ServerDevice,
  a: Appointment,
  preventive: boolean,
  at: number,
  patient: Patient | undefined,
  /** The referral the booking names, as the server holds it (loadReferral), and whether another booking spent it. */
  named: { referral: Referral | undefined; spent: boolean },
  /** The role of the person who signed the booking (signatures.ts): the channels are that role's on this kind of PC. */
  role: Role | null = null,
  /** For an electronic channel (the booking API): the patient's history R10 and R11 read. */
  electronic: ElectronicFacts = { history: [], sameSpecialtySameDay: 0 },
): Judgement {
  const slot = slotOf(dir, a.slotId);
  if (!slot || slot.doctorId !== a.doctorId || slot.date !== a.date || slot.time !== a.time || slot.startUtc !== a.startUtc || slot.specialtyId !== a.specialtyId) {
    return { decision: refuse('unknown_slot'), spendsReferral: null };
  }
  if (!patient) return { decision: refuse('unknown_patient'), spendsReferral: null };
  const kind = dir.specialtyKinds.get(slot.specialtyId);
  if (!kind) return { decision: refuse('specialty_not_offered'), spendsReferral: null };
  const cabinetDoctor = device.kind === 'cabinet' && device.doctorId ? dir.doctors.get(device.doctorId) : undefined;
  // The referral the desk spent, if it is this patient's, to this specialty, valid that day, and not spent on another booking.
  const r = named.referral;
  const referral = r && r.id === a.referralId && r.patientId === a.patientId && r.specialtyId === slot.specialtyId && r.validUntil >= slot.date && !named.spent ? r : undefined;
  const facts: BookingFacts = {
    profile: dir.profile,
    now: at,
    horizonEnd: horizonOf(dir, localParts(at, dir.timezone).date),
    releasedThrough: internetReleasedThrough(dir.profile, at, dir.timezone),
    orgId: dir.orgId,
    patient: { attachedOrgId: patient.attachment?.orgId ?? null, dispensarySpecialtyIds: patient.dispensarySpecialtyIds, priority: patient.priority },
    slot: { date: slot.date, startUtc: slot.startUtc, channel: slot.channel, blocked: slot.blocked, taken: false, specialtyId: slot.specialtyId },
    specialtyKind: kind,
    channel: a.channel,
    allowedChannels: device.channels ?? allowedChannels(device.kind, role),
    // Only a cabinet PC's doctor books through the doctor channel (R5's repeat-visit exemption follows from it).
    actor: a.channel === 'doctor' && cabinetDoctor ? { role: 'doctor', doctorSpecialtyId: cabinetDoctor.specialtyId } : { role: 'registrar', doctorSpecialtyId: null },
    hasReferral: referral !== undefined,
    preventive,
    // Electronic channels are refused for every device (allowedChannels): the no-show block and the daily limit,
    // which apply to them only, read the patient's history only for the booking API's clients.
    history: electronic.history,
    sameSpecialtySameDay: electronic.sameSpecialtySameDay,
  };
  const decision = decideBooking(facts);
  // Only a booking the rules required a referral for spends it (a preventive or dispensary one does not).
  return { decision, spendsReferral: decision.ok && referral && needsReferral(facts) ? referral.id : null };
}

/**
 * The doctor's slot by id, from the doctor-day generated once per directory version (a push names
 * many times of few doctor-days). The doctor is the one the id names, never the request's word.
 */
export function slotOf(dir: RulesDirectory, slotId: string): Slot | null {
  const parts = parseSlotId(slotId);
  return parts ? (doctorDaySlots(dir, parts.doctorId, parts.date).get(slotId) ?? null) : null;
}

/** A doctor-day's slots as this version of the schedules generates them, kept with the directory (slot id → slot). */
export function doctorDaySlots(dir: RulesDirectory, doctorId: string, date: string): Map<string, Slot> {
  const key = `${doctorId}@${date}`;
  let day = dir.slots.get(key);
  if (day === undefined) {
    const doctor = dir.doctors.get(doctorId);
    const generated = doctor?.active
      ? (dir.templates.get(doctor.id) ?? []).flatMap((template) =>
          generateDoctorSlots({
            template,
            exceptions: dir.exceptions.get(doctor.id) ?? [],
            specialtyId: doctor.specialtyId,
            dates: [date],
            profile: dir.profile,
            timezone: dir.timezone,
          }),
        )
      : [];
    if (dir.slots.size > 50_000) dir.slots.clear(); // bounded, whatever ids are sent
    day = new Map(generated.map((x) => [x.id, x]));
    dir.slots.set(key, day);
  }
  return day;
}

export function horizonOf(dir: RulesDirectory, today: string): string {
  let end = dir.horizons.get(today);
  if (end === undefined) {
    end = horizonEnd(dir.profile, today);
    dir.horizons.set(today, end);
  }
  return end;
}

/** The organization's register rows of these patients (one indexed read for a whole push). */
export async function loadPatients(db: Reader, orgId: string, ids: readonly string[]): Promise<Map<string, Patient>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: orgRows.id, row: orgRows.row })
    .from(orgRows)
    .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, 'patient'), inArray(orgRows.id, [...new Set(ids)])));
  return new Map(rows.map((r) => [r.id, r.row as Patient]));
}

/** Which of these referrals a booking has already spent (R5). */
export async function loadSpentReferrals(db: Reader, orgId: string, ids: ReadonlyArray<string | null>): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Set();
  const rows = await db
    .select({ id: referralUses.referralId })
    .from(referralUses)
    .where(and(eq(referralUses.orgId, orgId), inArray(referralUses.referralId, wanted)));
  return new Set(rows.map((r) => r.id));
}

/**
 * The referral a booking names, read by key when the booking is judged: referrals are issued
 * all day at cabinet PCs, so they are not part of the cached directory.
 */
export async function loadReferral(db: Reader, orgId: string, referralId: string | null): Promise<{ referral: Referral | undefined; spent: boolean }> {
  if (referralId === null) return { referral: undefined, spent: false };
  const [row] = await db
    .select({ row: orgRows.row })
    .from(orgRows)
    .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, 'referral'), eq(orgRows.id, referralId)));
  const spent = (await loadSpentReferrals(db, orgId, [referralId])).size > 0;
  return { referral: row?.row as Referral | undefined, spent };
}

/** A status change by the shared transition rules, judged at the op's time in the clinic's zone. */
export function judgeStatusChange(
  op: StatusOp,
  dir: RulesDirectory,
  a: Pick<Appointment, 'status' | 'startUtc' | 'date'> & { updatedAt?: number | null },
  at: number,
  channel: Appointment['channel'] = 'registry',
): Decision<{ liveQueue?: boolean }> {
  return decideStatusChange(op, dir.profile, a, { now: at, today: localParts(at, dir.timezone).date, channel });
}

/**
 * R10 and R11's facts for an electronic booking: the patient's bookings as the server holds them (each one's time and
 * status from its latest change-log row), and how many of them are active on `date` in `specialtyId`.
 */
export async function loadElectronicFacts(tx: Pick<ServerDb, 'execute'>, orgId: string, patientId: string, specialtyId: string, date: string): Promise<ElectronicFacts> {
  const res = (await tx.execute(sql`
    SELECT (c.row->>'startUtc')::bigint AS "startUtc", a.status, c.row->>'specialtyId' AS "specialtyId", c.row->>'date' AS date
    FROM appointments a JOIN change_log c ON c.org_id = a.org_id AND c.seq = a.server_seq
    WHERE a.org_id = ${orgId} AND a.patient_id = ${patientId} AND a.sync_state = 'confirmed'`)) as unknown as {
    rows: Array<{ startUtc: string; status: AppointmentStatus; specialtyId: string; date: string }>;
  };
  const history = res.rows.map((r) => ({ startUtc: Number(r.startUtc), status: r.status }));
  const sameSpecialtySameDay = res.rows.filter((r) => r.specialtyId === specialtyId && r.date === date && ACTIVE_STATUSES.includes(r.status)).length;
  return { history, sameSpecialtySameDay };
}
