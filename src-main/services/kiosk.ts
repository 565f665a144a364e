import type { NationalIdKind } from '../../src-shared/domain/enums.js';
import { initials, type KioskBooking, type KioskPatient, type KioskTime, nationalIdIn } from '../../src-shared/kiosk/views.js';
import { ticketCodeFromScan } from '../../src-shared/print/ticket-layout.js';
import { noShowBlockedUntil } from '../../src-shared/rules/booking.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { patientHistory } from './patients.js';
import { daySlots, searchSlots } from './slots.js';

const ID_LENGTHS: Record<NationalIdKind, number> = { KG_PIN: 14, KZ_IIN: 12, RU_OMS: 16, RU_SNILS: 11 };
/** Identifications a minute a kiosk answers: a patient needs one or two; someone trying PINs gets a wait. */
const PER_MINUTE = 20;
/** How many free times the kiosk offers for a specialty. */
const OFFERED = 4;

/**
 * The hall's kiosk (issue 21 part 1): a patient identifies with the barcode of the ID card or policy, the PIN on the
 * keypad, or a ticket; the kiosk books (as the patients' own channel, R9–R11, R5), checks in (R18, R12) and reprints.
 */
export class Kiosk {
  private asked: number[] = [];

  constructor(private readonly env: Env) {}

  identify(code: string): KioskPatient {
    const { env } = this;
    const now = env.clock();
    this.asked = this.asked.filter((t) => t > now - 60_000);
    if (this.asked.length >= PER_MINUTE) throw new AppError('too_many_attempts', { seconds: Math.ceil((this.asked[0]! + 60_000 - now) / 1000) });
    this.asked.push(now);
    const patientId = this.patientOf(code);
    if (!patientId) throw new AppError('kiosk_unknown');
    const p = stmt(env.db.sqlite, 'SELECT full_name AS fullName, attached_org_id AS orgId FROM patients WHERE id = ?').get(patientId) as { fullName: string; orgId: string | null };
    const until = noShowBlockedUntil(env.profile, patientHistory(env, patientId), now);
    return {
      patientId,
      name: initials(p.fullName),
      attached: p.orgId === env.org.id,
      blockedUntil: until === null ? null : new Date(until).toISOString().slice(0, 10),
      bookings: this.bookings(patientId),
    };
  }

  /** The patient's bookings from today on that are still to happen. */
  bookings(patientId: string): KioskBooking[] {
    const { env } = this;
    const { today } = clinicToday(env);
    const rows = stmt(
      env.db.sqlite,
      `SELECT id AS appointmentId, date, time, start_utc AS startUtc, doctor_id AS doctorId, specialty_id AS specialtyId, status, queue_number AS queueNumber
         FROM appointments WHERE patient_id = ? AND date >= ? AND status IN ('booked', 'arrived') ORDER BY start_utc LIMIT 10`,
    ).all(patientId, today) as (Omit<KioskBooking, 'doctorName' | 'cabinet' | 'floor' | 'canCheckIn'> & { doctorId: string })[];
    return rows.map(({ doctorId, ...r }) => {
      const d = env.directory.doctor(doctorId);
      return { ...r, doctorName: d?.fullName ?? '', cabinet: d?.cabinet.number ?? '', floor: d?.cabinet.floor ?? 0, canCheckIn: r.date === today && r.status === 'booked' };
    });
  }

  /** A booking of this patient, or not found: the kiosk acts only on the patient in front of it. */
  mustBeTheirs(patientId: string, appointmentId: string): void {
    const r = stmt(this.env.db.sqlite, 'SELECT patient_id AS p FROM appointments WHERE id = ?').get(appointmentId) as { p: string } | undefined;
    if (r?.p !== patientId) throw new AppError('not_found');
  }

  /** The earliest free times of a specialty the kiosk may give this patient (R25's counts, then the doctor-days in order). */
  times(actor: Actor, patientId: string, specialtyId: string): KioskTime[] {
    const { env } = this;
    const found = searchSlots(env, { specialtyId, patientId, channel: 'kiosk' }, actor);
    const days = found.doctorDays.filter((d) => d.free > 0).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const out: (KioskTime & { startUtc: number })[] = [];
    const offline = env.device.kind === 'kiosk' && !env.online();
    for (const [i, d] of days.entries()) {
      const doc = env.directory.doctor(d.doctorId);
      for (const s of daySlots(env, { doctorId: d.doctorId, date: d.date, patientId, channel: 'kiosk' })) {
        // Offline, only the kiosk's own leased times: a booking there is certain; any other would be tentative.
        if (s.state === 'free' && (offline ? s.lease === 'mine' : true)) {
          out.push({ slotId: s.slotId, date: d.date, time: s.time, startUtc: s.startUtc, doctorName: doc?.fullName ?? '', cabinet: doc?.cabinet.number ?? '' });
        }
      }
      // The days come in date order: with enough times found, a later date cannot come first.
      if (out.length >= OFFERED && days[i + 1]?.date !== d.date) break;
    }
    return out
      .sort((a, b) => a.startUtc - b.startUtc)
      .slice(0, OFFERED)
      .map(({ startUtc: _, ...t }) => t);
  }

  private patientOf(code: string): string | null {
    const { env } = this;
    const ticket = ticketCodeFromScan(code);
    if (ticket) {
      const r = stmt(env.db.sqlite, 'SELECT patient_id AS p FROM appointments WHERE ticket_code = ? AND org_id = ? ORDER BY created_at DESC LIMIT 1').get(ticket, env.org.id) as
        | { p: string }
        | undefined;
      if (r) return r.p;
    }
    const nationalId = nationalIdIn(
      code,
      env.profile.nationalIdKinds.map((k) => ID_LENGTHS[k]),
    );
    if (!nationalId) return null;
    const r = stmt(env.db.sqlite, 'SELECT id FROM patients WHERE national_id = ? LIMIT 1').get(nationalId) as { id: string } | undefined;
    return r?.id ?? null;
  }
}
