import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClinicServer, type EnrolledDesk } from '../support/clinic-server.js';

const clinic = new ClinicServer();
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

const usedBy = (d: EnrolledDesk, referralId: string) => (d.desk.env.db.sqlite.prepare('SELECT used_by_appointment_id AS a FROM referrals WHERE id = ?').get(referralId) as { a: string | null }).a;

describe('a referral is spent once across the clinic (R5, 000 §2.3–2.4)', () => {
  it('another desk sees the referral spent by a booking it pulled, refuses to spend it again, and sees it given back when the booking is cancelled', async () => {
    const a = await clinic.enrolledDesk('Регистратура 1');
    const b = await clinic.enrolledDesk('Регистратура 2');
    for (const d of [a, b]) await d.desk.sync!.syncOnce();
    const s = a.desk.env.db.sqlite;
    // A patient holding one referral to a narrow specialist, no dispensary exemption, and two free times of that specialist.
    const ref = s
      .prepare(`SELECT r.id, r.patient_id AS patientId, r.specialty_id AS specialtyId FROM referrals r JOIN patients p ON p.id = r.patient_id
        WHERE p.priority = 0 AND r.used_by_appointment_id IS NULL AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id)
        AND (SELECT count(*) FROM referrals r2 WHERE r2.patient_id = r.patient_id AND r2.specialty_id = r.specialty_id) = 1 LIMIT 1`)
      .get() as { id: string; patientId: string; specialtyId: string };
    const [s1, s2] = s
      .prepare(`SELECT id FROM slots WHERE specialty_id = ? AND channel = 'registry' AND appointment_id IS NULL AND date = '2026-11-25' ORDER BY start_utc LIMIT 2`)
      .all(ref.specialtyId) as Array<{ id: string }>;
    const booked = await a.call('appointments.book', { patientId: ref.patientId, slotId: s1!.id });
    await a.desk.sync!.syncOnce();
    await b.desk.sync!.syncOnce();
    expect(usedBy(b, ref.id)).toBe(booked.appointment.id);
    await expect(b.call('appointments.book', { patientId: ref.patientId, slotId: s2!.id })).rejects.toThrow('referral_required');
    await a.call('appointments.cancel', { appointmentId: booked.appointment.id });
    await a.desk.sync!.syncOnce();
    await b.desk.sync!.syncOnce();
    expect(usedBy(b, ref.id)).toBeNull();
    const again = await b.call('appointments.book', { patientId: ref.patientId, slotId: s2!.id });
    expect(again.appointment.referralId).toBe(ref.id);
    await b.desk.sync!.syncOnce();
    expect(b.desk.env.db.sqlite.prepare('SELECT sync_state AS st FROM appointments WHERE id = ?').get(again.appointment.id)).toEqual({ st: 'confirmed' });
  });
});
