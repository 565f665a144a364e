import { and, eq, inArray } from 'drizzle-orm';
import type { Appointment, Slot } from '../../src-shared/domain/appointment.js';
import type { Patient } from '../../src-shared/domain/patient.js';
import { decideBooking } from '../../src-shared/rules/booking.js';
import { allowedChannels, type DeviceKind } from '../../src-shared/rules/channels.js';
import { refuse, type Decision } from '../../src-shared/rules/decision.js';
import { decideStatusChange, type StatusOp } from '../../src-shared/rules/transitions.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { parseSlotId } from '../../src-shared/slots/lookup.js';
import { localParts } from '../../src-shared/time/dates.js';
import { horizonEnd } from '../../src-shared/time/working-days.js';
import { orgRows } from '../db/schema.js';
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
}

/** When the rules are judged: when the desk acted (offline ops upload late), but never later than the server's now. */
export const decisionTime = (opAt: number | null, now: number): number => Math.min(opAt ?? now, now);

/**
 * The server's own decision on a booking, by the same rules the desk predicted with
 * (src-shared/rules/booking.ts), on the facts the server holds: its directory, its register
 * of attached patients, the device's kind. The slot's own facts come from the server's
 * schedule, so a booking of a time the doctor does not have — or one whose doctor, date or
 * specialty do not match its slot — is refused. Whether the slot is free or leased is
 * decided after this, by the unique index and the leases.
 */
export function judgeBooking(dir: RulesDirectory, device: ServerDevice, a: Appointment, preventive: boolean, at: number, patient: Patient | undefined): Decision {
  const slot = slotOf(dir, a.slotId);
  if (!slot || slot.doctorId !== a.doctorId || slot.date !== a.date || slot.time !== a.time || slot.startUtc !== a.startUtc || slot.specialtyId !== a.specialtyId) return refuse('unknown_slot');
  if (!patient) return refuse('unknown_patient');
  const kind = dir.specialtyKinds.get(slot.specialtyId);
  if (!kind) return refuse('specialty_not_offered');
  const cabinetDoctor = device.kind === 'cabinet' && device.doctorId ? dir.doctors.get(device.doctorId) : undefined;
  return decideBooking({
    profile: dir.profile,
    now: at,
    horizonEnd: horizonOf(dir, localParts(at, dir.timezone).date),
    orgId: dir.orgId,
    patient: { attachedOrgId: patient.attachment?.orgId ?? null, dispensarySpecialtyIds: patient.dispensarySpecialtyIds, priority: patient.priority },
    slot: { date: slot.date, startUtc: slot.startUtc, channel: slot.channel, blocked: slot.blocked, taken: false, specialtyId: slot.specialtyId },
    specialtyKind: kind,
    channel: a.channel,
    allowedChannels: allowedChannels(device.kind),
    // Only a cabinet PC's doctor books through the doctor channel (R5's repeat-visit exemption follows from it).
    actor: a.channel === 'doctor' && cabinetDoctor ? { role: 'doctor', doctorSpecialtyId: cabinetDoctor.specialtyId } : { role: 'registrar', doctorSpecialtyId: null },
    hasReferral: (dir.referrals.get(a.patientId) ?? []).some((r) => r.specialtyId === slot.specialtyId && r.validUntil >= slot.date),
    preventive,
    // Electronic channels are refused above for every device (allowedChannels), so the no-show block and the
    // daily limit, which apply to them only, never decide a device's op: no history needs reading.
    history: [],
    sameSpecialtySameDay: 0,
  });
}

/**
 * The doctor's slot by id, from the doctor-day generated once per directory version (a push names
 * many times of few doctor-days). The doctor is the one the id names, never the request's word.
 */
function slotOf(dir: RulesDirectory, slotId: string): Slot | null {
  const parts = parseSlotId(slotId);
  if (!parts) return null;
  const key = `${parts.doctorId}@${parts.date}`;
  let day = dir.slots.get(key);
  if (day === undefined) {
    const doctor = dir.doctors.get(parts.doctorId);
    const generated = doctor?.active
      ? (dir.templates.get(doctor.id) ?? []).flatMap((template) =>
          generateDoctorSlots({
            template,
            exceptions: dir.exceptions.get(doctor.id) ?? [],
            specialtyId: doctor.specialtyId,
            dates: [parts.date],
            profile: dir.profile,
            timezone: dir.timezone,
          }),
        )
      : [];
    if (dir.slots.size > 50_000) dir.slots.clear(); // bounded, whatever ids are sent
    day = new Map(generated.map((x) => [x.id, x]));
    dir.slots.set(key, day);
  }
  return day.get(slotId) ?? null;
}

function horizonOf(dir: RulesDirectory, today: string): string {
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

/** A status change by the shared transition rules, judged at the op's time in the clinic's zone. */
export function judgeStatusChange(
  op: StatusOp,
  dir: RulesDirectory,
  a: Pick<Appointment, 'status' | 'startUtc' | 'date'>,
  at: number,
  channel: Appointment['channel'] = 'registry',
): Decision<{ liveQueue?: boolean }> {
  return decideStatusChange(op, dir.profile, a, { now: at, today: localParts(at, dir.timezone).date, channel });
}
