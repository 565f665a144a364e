import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestDesk } from '../support/desk.js';

let t: TestDesk;
beforeEach(async () => {
  t = await TestDesk.start();
});
afterEach(() => t.close());

const db = () => t.desk.env.db.sqlite;
const attachedPatient = (extra = '') =>
  db().prepare(`SELECT id, national_id AS pin FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ${extra} ORDER BY id LIMIT 1`).get() as { id: string; pin: string };
/** A free registry slot of a specialty, tomorrow or later. */
const freeSlot = (specialtyId = 'family', offset = 0) =>
  db()
    .prepare(`SELECT id, doctor_id AS doctorId, date FROM slots WHERE specialty_id = ? AND appointment_id IS NULL
  AND blocked = 0 AND channel = 'registry' AND date > '2026-11-23' ORDER BY start_utc LIMIT 1 OFFSET ?`)
    .get(specialtyId, offset) as { id: string; doctorId: string; date: string };

describe('booking on a real SQLite replica', () => {
  it('books: the appointment holds the slot, and the register, audit and outbox rows commit with it', async () => {
    const p = attachedPatient();
    const slot = freeSlot();
    const before = t.snapshot();
    const r = await t.call('appointments.book', { patientId: p.id, slotId: slot.id });
    expect(r.appointment).toMatchObject({ patientId: p.id, slotId: slot.id, status: 'booked', channel: 'registry' });
    expect(r.ticket.code).toMatch(new RegExp(`^${t.desk.env.device.prefix}\\d{6}$`));
    expect(r.ticket.patientIdMasked).toContain('*');
    expect(t.count('slots', `id = '${slot.id}' AND appointment_id = '${r.appointment.id}'`)).toBe(1);
    const after = t.snapshot();
    expect(after.appointments).toBe(before.appointments! + 1);
    expect(after.register_entries).toBe(before.register_entries! + 1);
    expect(after.audit).toBe(before.audit! + 1);
    expect(after.outbox).toBe(before.outbox! + 1);
    const audit = db().prepare('SELECT user_id AS u, device_id AS d FROM audit ORDER BY at DESC LIMIT 1').get() as { u: string; d: string };
    expect(audit).toEqual({ u: 'user-registrar', d: t.desk.env.device.id });
  });

  it("R4 (000 §2.2): on a day the own family doctor is full, the other family doctors of that day are offered with consent; on the own doctor's free days they are not", async () => {
    const p = db().prepare("SELECT id, attached_doctor_id AS own FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND attached_doctor_id IS NOT NULL AND priority = 0 LIMIT 1").get() as {
      id: string;
      own: string;
    };
    const full = '2026-11-25';
    // The own doctor's Wednesday is booked out (here: closed), the other days stay free.
    db().prepare('UPDATE slots SET blocked = 1 WHERE doctor_id = ? AND date = ?').run(p.own, full);
    const r = await t.call('slots.search', { specialtyId: 'family', patientId: p.id, channel: 'registry' });
    const own = r.doctorDays.filter((d) => d.doctorId === p.own);
    const others = r.doctorDays.filter((d) => d.doctorId !== p.own);
    expect(own.length).toBeGreaterThan(3);
    expect(own.every((d) => !d.needsConsent)).toBe(true);
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((d) => d.date))).toEqual(new Set([full]));
    expect(others.every((d) => d.needsConsent && d.free > 0)).toBe(true);
    // Another family-kind specialty (pediatrics) is not the own doctor's: no consent, every doctor offered.
    const peds = await t.call('slots.search', { specialtyId: 'pediatrics', patientId: p.id, channel: 'registry' });
    expect(peds.doctorDays.length).toBeGreaterThan(0);
    expect(peds.doctorDays.some((d) => d.needsConsent)).toBe(false);
  });

  it('R5 on the specialty list: narrow specialists the patient has no referral for are marked, unless the visit is preventive or the patient holds one (issue 10)', async () => {
    const none = db()
      .prepare(`SELECT id FROM patients p WHERE attached_org_id = 'org-bishkek-lenin' AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id) LIMIT 1`)
      .get() as { id: string };
    const kinds = new Map((await t.call('directory.get', {})).specialties.map((x) => [x.id, x.kind]));
    const missing = (r: { specialtyFree: Array<{ specialtyId: string; referralMissing: boolean }> }) => r.specialtyFree.filter((f) => f.referralMissing).map((f) => f.specialtyId);
    const plain = await t.call('slots.search', { patientId: none.id, channel: 'registry' });
    expect(missing(plain).length).toBeGreaterThan(0);
    expect(missing(plain).every((id) => kinds.get(id) === 'narrow')).toBe(true);
    expect(plain.specialtyFree.filter((f) => kinds.get(f.specialtyId) === 'narrow').every((f) => f.referralMissing)).toBe(true);
    expect(missing(await t.call('slots.search', { patientId: none.id, channel: 'registry', preventive: true }))).toEqual([]);
    const holder = db().prepare('SELECT patient_id AS p, specialty_id AS s FROM referrals WHERE used_by_appointment_id IS NULL LIMIT 1').get() as { p: string; s: string };
    expect(missing(await t.call('slots.search', { patientId: holder.p, channel: 'registry' }))).not.toContain(holder.s);
  });

  it('R21 (001 §1): the registrar records how the patient asked — in person or by phone — on the booking and in the register', async () => {
    const p = attachedPatient();
    const r = await t.call('appointments.book', { patientId: p.id, slotId: freeSlot().id, channel: 'phone' });
    expect(r.appointment.channel).toBe('phone');
    expect((await t.call('register.list', {})).find((x) => x.appointmentId === r.appointment.id)).toMatchObject({ result: 'booked', channel: 'phone' });
  });

  it('R15 register of requests: filtered by day, doctor, result and channel, and searched by patient name or PIN (issue 10)', async () => {
    const [p1, p2] = db().prepare("SELECT id, national_id AS pin, full_name AS name FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 2").all() as Array<{
      id: string;
      pin: string;
      name: string;
    }>;
    const a = freeSlot('family', 0);
    const b = db()
      .prepare(
        "SELECT id, doctor_id AS doctorId FROM slots WHERE specialty_id = 'family' AND doctor_id != ? AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND date > '2026-11-23' LIMIT 1",
      )
      .get(a.doctorId) as { id: string; doctorId: string };
    const r1 = await t.call('appointments.book', { patientId: p1!.id, slotId: a.id, channel: 'phone' });
    const r2 = await t.call('appointments.book', { patientId: p2!.id, slotId: b.id });
    const ids = async (f: object) => (await t.call('register.list', f)).map((r) => r.appointmentId);
    expect(await ids({ doctorId: a.doctorId })).toEqual([r1.appointment.id]);
    expect(await ids({ channel: 'phone' })).toEqual([r1.appointment.id]);
    expect(await ids({ channel: 'registry', result: 'booked' })).toEqual([r2.appointment.id]);
    expect(await ids({ patient: p2!.name.split(' ')[0]!.toUpperCase() })).toContain(r2.appointment.id);
    expect(await ids({ patient: p1!.pin })).toEqual([r1.appointment.id]);
    expect(await ids({ from: '2026-11-24', to: '2026-11-24' })).toEqual([]);
  });

  it('R6 (000 §3; 001 §2): an emergency needs no booking — sent to the pre-doctor room or the duty doctor, recorded out of schedule, attached or not, known or not', async () => {
    const unattached = db().prepare("SELECT id FROM patients WHERE attached_org_id IS NULL OR attached_org_id != 'org-bishkek-lenin' LIMIT 1").get() as { id: string };
    const before = t.snapshot();
    const a = await t.call('visits.outOfSchedule', { patientId: unattached.id, destination: 'duty_doctor' });
    const b = await t.call('visits.outOfSchedule', { patientId: null, applicant: 'Неизвестный мужчина, ~40 лет', destination: 'pre_doctor_room' });
    expect(a).toMatchObject({ result: 'out_of_schedule', reason: 'duty_doctor', patientId: unattached.id });
    expect(b).toMatchObject({ result: 'out_of_schedule', reason: 'pre_doctor_room', applicant: 'Неизвестный мужчина, ~40 лет' });
    expect(t.snapshot()).toMatchObject({ appointments: before.appointments, register_entries: before.register_entries! + 2, outbox: before.outbox! + 2 });
    expect((await t.call('visits.outOfScheduleList', {})).map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect((await t.fail('visits.outOfSchedule', { patientId: null, destination: 'icu' })).status).toBe(400);
  });

  it('R15: a booking made for someone else (a parent for a child) names the applicant in the register', async () => {
    const child = db().prepare("SELECT id, full_name AS name FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 AND birth_date > '2015-01-01' LIMIT 1").get() as {
      id: string;
      name: string;
    };
    const slot = db().prepare("SELECT id FROM slots WHERE specialty_id = 'pediatrics' AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND date > '2026-11-23' LIMIT 1").get() as {
      id: string;
    };
    const r = await t.call('appointments.book', { patientId: child.id, slotId: slot.id, applicant: 'Асанова Гулзат (мать)' });
    expect((await t.call('register.list', {})).find((x) => x.appointmentId === r.appointment.id)).toMatchObject({ applicant: 'Асанова Гулзат (мать)', patientName: child.name });
  });

  it('R14 (004 App. 3 items 6-7): the ticket says child (0-14 on the day of the visit) or adult, and the reason — a preventive booking is a check-up', async () => {
    // 14 on the visit day is still a child; 15 is an adult.
    const child = db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 AND birth_date > '2012-11-30' AND birth_date < '2020-01-01' LIMIT 1").get() as {
      id: string;
    };
    const adult = db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 AND birth_date < '2011-11-01' LIMIT 1").get() as { id: string };
    const peds = db().prepare("SELECT id FROM slots WHERE specialty_id = 'pediatrics' AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND date > '2026-11-23' LIMIT 1").get() as {
      id: string;
    };
    const c = await t.call('appointments.book', { patientId: child.id, slotId: peds.id, visitReason: 'vaccination' });
    expect(c.ticket).toMatchObject({ ageGroup: 'child', visitReason: 'vaccination' });
    const a = await t.call('appointments.book', { patientId: adult.id, slotId: freeSlot().id, preventive: true });
    expect(a.ticket).toMatchObject({ ageGroup: 'adult', visitReason: 'checkup' });
    expect(a.appointment.visitReason).toBe('checkup');
  });

  it('R5 (000 §2.3): the family doctor issues a referral at the cabinet; the registrar sees it on the card and books the specialist with it; a registrar cannot issue one', async () => {
    const p = db()
      .prepare(`SELECT id FROM patients p WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id) LIMIT 1`)
      .get() as { id: string };
    expect((await t.fail('referrals.issue', { patientId: p.id, specialtyId: 'cardiology' })).status).toBe(403);
    await t.signIn('doctor');
    const ref = await t.call('referrals.issue', { patientId: p.id, specialtyId: 'cardiology' });
    expect(ref).toMatchObject({ issuedByDoctorId: 'doc-001', validUntil: '2026-12-23', usedByAppointmentId: null });
    expect((await t.fail('referrals.issue', { patientId: p.id, specialtyId: 'family' })).error.code).toBe('referral_target');
    await t.signIn('registrar');
    expect((await t.call('patients.get', { patientId: p.id })).referrals.map((r) => r.id)).toEqual([ref.id]);
    const booked = await t.call('appointments.book', { patientId: p.id, slotId: freeSlot('cardiology').id });
    expect(booked.appointment.referralId).toBe(ref.id);
  });

  it("R5, R21: where the clinic's schedule lets the doctor's channel take registry times, the family doctor books the specialist directly with the referral", async () => {
    const p = db()
      .prepare(`SELECT id FROM patients p WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id) LIMIT 1`)
      .get() as { id: string };
    expect(t.desk.env.profile.slotAccess.registry).toContain('doctor');
    await t.signIn('doctor');
    const ref = await t.call('referrals.issue', { patientId: p.id, specialtyId: 'neurology' });
    const booked = await t.call('appointments.book', { patientId: p.id, slotId: freeSlot('neurology').id, channel: 'doctor' });
    expect(booked.appointment).toMatchObject({ channel: 'doctor', referralId: ref.id, specialtyId: 'neurology' });
  });

  it('a taken slot is refused with 409 and nothing is written', async () => {
    const [p1, p2] = db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 2").all() as Array<{ id: string }>;
    const slot = freeSlot();
    await t.call('appointments.book', { patientId: p1!.id, slotId: slot.id });
    const before = t.snapshot();
    const f = await t.fail('appointments.book', { patientId: p2!.id, slotId: slot.id });
    expect(f.status).toBe(409);
    expect(f.error.code).toBe('slot_taken');
    expect(f.error.message).toBe('Это время уже занято — выберите другое');
    expect(t.snapshot()).toEqual(before);
  });

  it('R2 (000 §1): an unattached patient is refused with 422, and the refusal is recorded in the register (R15, 004 App. 5)', async () => {
    const p = db().prepare('SELECT id FROM patients WHERE attached_org_id IS NULL OR attached_org_id != ? LIMIT 1').get('org-bishkek-lenin') as { id: string };
    const slot = freeSlot();
    const before = t.snapshot();
    const f = await t.fail('appointments.book', { patientId: p.id, slotId: slot.id });
    expect(f).toMatchObject({ status: 422, error: { code: 'not_attached' } });
    const after = t.snapshot();
    expect(after.appointments).toBe(before.appointments);
    expect(after.register_entries).toBe(before.register_entries! + 1);
    const reg = await t.call('register.list', { result: 'refused' });
    expect(reg[0]).toMatchObject({ patientId: p.id, result: 'refused', reason: 'not_attached', specialtyId: 'family' });
  });

  it('R5 (000 §2.3–2.4): a narrow specialist needs a referral; the booking uses it up, a preventive one does not, and a cancel gives it back', async () => {
    const withRef = db()
      .prepare(`SELECT r.patient_id AS patientId, r.specialty_id AS specialtyId, r.id FROM referrals r
      JOIN patients p ON p.id = r.patient_id WHERE p.priority = 0 AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id) LIMIT 1`)
      .get() as { patientId: string; specialtyId: string; id: string };
    const other = db()
      .prepare(`SELECT id FROM patients p WHERE attached_org_id = 'org-bishkek-lenin' AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id) LIMIT 1`)
      .get() as { id: string };
    const slot = freeSlot(withRef.specialtyId);
    expect((await t.fail('appointments.book', { patientId: other.id, slotId: slot.id })).error.code).toBe('referral_required');
    // Recorded as declined by R5 — KG's closed list (000 §1) has no ground for it, so it is no refusal.
    expect((await t.call('register.list', { result: 'declined' }))[0]).toMatchObject({ patientId: other.id, result: 'declined', reason: null, rule: 'referral_required' });
    // A preventive examination needs no referral, and does not spend the one the patient holds (issue 10).
    const preventive = await t.call('appointments.book', { patientId: withRef.patientId, slotId: freeSlot(withRef.specialtyId, 1).id, preventive: true });
    expect(preventive.appointment.referralId).toBeNull();
    expect(t.count('referrals', `id = '${withRef.id}' AND used_by_appointment_id IS NULL`)).toBe(1);
    const r = await t.call('appointments.book', { patientId: withRef.patientId, slotId: slot.id });
    expect(r.appointment.referralId).toBe(withRef.id);
    expect(t.count('referrals', `id = '${withRef.id}' AND used_by_appointment_id IS NOT NULL`)).toBe(1);
    await t.call('appointments.cancel', { appointmentId: r.appointment.id });
    expect(t.count('referrals', `id = '${withRef.id}' AND used_by_appointment_id IS NULL`)).toBe(1);
  });

  it('cancel frees the slot for someone else; a second cancel is refused and changes nothing', async () => {
    const [p1, p2] = db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 2").all() as Array<{ id: string }>;
    const slot = freeSlot();
    const { appointment } = await t.call('appointments.book', { patientId: p1!.id, slotId: slot.id });
    const cancelled = await t.call('appointments.cancel', { appointmentId: appointment.id });
    expect(cancelled.status).toBe('cancelled');
    expect(t.count('slots', `id = '${slot.id}' AND appointment_id IS NULL`)).toBe(1);
    const before = t.snapshot();
    const again = await t.fail('appointments.cancel', { appointmentId: appointment.id });
    expect(again).toMatchObject({ status: 409, error: { code: 'bad_status' } });
    expect(t.snapshot()).toEqual(before);
    const rebooked = await t.call('appointments.book', { patientId: p2!.id, slotId: slot.id });
    expect(rebooked.appointment.status).toBe('booked');
  });

  it('a cancellation can be undone for 5 minutes: the same booking, ticket and slot again; later, or once the time is taken, it is refused and nothing changes (issue 10)', async () => {
    const [p1, p2] = db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 2").all() as Array<{ id: string }>;
    const slot = freeSlot();
    const { appointment, ticket } = await t.call('appointments.book', { patientId: p1!.id, slotId: slot.id });
    await t.call('appointments.cancel', { appointmentId: appointment.id });
    t.now += 4 * 60_000;
    const back = await t.call('appointments.restore', { appointmentId: appointment.id });
    expect(back.appointment).toMatchObject({ id: appointment.id, status: 'booked', slotId: slot.id });
    expect(back.ticket.code).toBe(ticket.code);
    expect(t.count('slots', `id = '${slot.id}' AND appointment_id = '${appointment.id}'`)).toBe(1);
    expect(db().prepare('SELECT name FROM outbox ORDER BY seq DESC LIMIT 1').get()).toEqual({ name: 'appointments.restore' });
    // R15: the register keeps the cancellation and says it was taken back.
    const rows = (await t.call('register.list', {})).filter((r) => r.appointmentId === appointment.id).map((r) => [r.result, r.rule]);
    expect(rows).toEqual([
      ['booked', 'cancel_undone'],
      ['cancelled', null],
      ['booked', null],
    ]);

    // Too late: 6 minutes after the cancellation.
    await t.call('appointments.cancel', { appointmentId: appointment.id });
    t.now += 6 * 60_000;
    let before = t.snapshot();
    expect(await t.fail('appointments.restore', { appointmentId: appointment.id })).toMatchObject({ error: { code: 'undo_expired', message: expect.stringContaining('5 минут') } });
    expect(t.snapshot()).toEqual(before);

    // In time, but another patient has the time now.
    const other = freeSlot('family', 3);
    const second = await t.call('appointments.book', { patientId: p1!.id, slotId: other.id });
    await t.call('appointments.cancel', { appointmentId: second.appointment.id });
    await t.call('appointments.book', { patientId: p2!.id, slotId: other.id });
    before = t.snapshot();
    expect((await t.fail('appointments.restore', { appointmentId: second.appointment.id })).error.code).toBe('slot_taken');
    expect(t.snapshot()).toEqual(before);
  });

  it('R9, R15 (004 §3.4.1): a cancellation refused by the 45-minute cut-off is recorded in the register, and the booking stays', async () => {
    const p = attachedPatient();
    const slot = freeSlot();
    const { appointment } = await t.call('appointments.book', { patientId: p.id, slotId: slot.id });
    t.now = appointment.startUtc - 30 * 60_000;
    await t.signIn('registrar');
    expect((await t.fail('appointments.cancel', { appointmentId: appointment.id, channel: 'call_centre' })).error.code).toBe('cancel_cutoff');
    expect((await t.call('appointments.day', { date: appointment.date })).find((a) => a.id === appointment.id)?.status).toBe('booked');
    const [row] = await t.call('register.list', { from: appointment.date, to: appointment.date, result: 'declined' });
    expect(row).toMatchObject({ appointmentId: appointment.id, result: 'declined', rule: 'cancel_cutoff', channel: 'call_centre' });
  });

  it("a cancelled booking's ticket is not printed as valid (issue 10)", async () => {
    const p = attachedPatient();
    const { appointment } = await t.call('appointments.book', { patientId: p.id, slotId: freeSlot().id });
    await t.call('printer.saveSettings', { profileId: 'epson-80', transport: { kind: 'file', path: '/dev/null' }, ticketLang: 'ru', autoPrint: false });
    await t.call('appointments.cancel', { appointmentId: appointment.id });
    const jobs = t.count('print_jobs');
    expect(await t.fail('tickets.print', { appointmentId: appointment.id })).toMatchObject({ status: 409, error: { code: 'ticket_not_valid' } });
    expect(t.count('print_jobs')).toBe(jobs);
  });

  it('move is atomic: into a taken slot nothing changes; into a free one the old is cancelled and the new replaces it', async () => {
    const [p1, p2] = db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 2").all() as Array<{ id: string }>;
    const a = freeSlot('family', 0);
    const b = freeSlot('family', 1);
    const first = await t.call('appointments.book', { patientId: p1!.id, slotId: a.id });
    await t.call('appointments.book', { patientId: p2!.id, slotId: b.id });
    const before = t.snapshot();
    expect((await t.fail('appointments.move', { appointmentId: first.appointment.id, slotId: b.id })).error.code).toBe('slot_taken');
    expect(t.snapshot()).toEqual(before);
    expect(t.count('appointments', `id = '${first.appointment.id}' AND status = 'booked'`)).toBe(1);
    const c = freeSlot('family', 0);
    const moved = await t.call('appointments.move', { appointmentId: first.appointment.id, slotId: c.id });
    expect(moved.appointment).toMatchObject({ slotId: c.id, replacesId: first.appointment.id, status: 'booked' });
    expect(t.count('appointments', `id = '${first.appointment.id}' AND status = 'cancelled'`)).toBe(1);
    expect(t.count('slots', `id = '${a.id}' AND appointment_id IS NULL`)).toBe(1);
  });

  it('a slot in the past is refused (R1)', async () => {
    const p = attachedPatient();
    const slot = freeSlot();
    await t.travel(t.now + 30 * 86_400_000);
    expect((await t.fail('appointments.book', { patientId: p.id, slotId: slot.id })).error.code).toBe('slot_in_past');
  });

  it('R1: a slot that falls beyond the horizon (the clock went back, or holidays were added) is refused', async () => {
    const p = attachedPatient();
    const last = db().prepare("SELECT id FROM slots WHERE channel = 'registry' AND appointment_id IS NULL AND blocked = 0 ORDER BY start_utc DESC LIMIT 1").get() as { id: string };
    await t.travel(t.now - 7 * 86_400_000);
    const before = t.snapshot();
    expect(await t.fail('appointments.book', { patientId: p.id, slotId: last.id })).toMatchObject({ status: 409, error: { code: 'beyond_horizon' } });
    expect(t.snapshot()).toEqual(before);
  });

  it('R12 (001 §2): check-in more than 15 min late puts the patient in the live queue; R18 arrival only on the day', async () => {
    const p = attachedPatient();
    const today = db()
      .prepare("SELECT id, start_utc AS s FROM slots WHERE date = '2026-11-23' AND channel = 'registry' AND appointment_id IS NULL AND start_utc > ? ORDER BY start_utc LIMIT 1")
      .get(t.now) as { id: string; s: number };
    const { appointment } = await t.call('appointments.book', { patientId: p.id, slotId: today.id });
    await t.travel(today.s + 16 * 60_000);
    const arrived = await t.call('appointments.checkIn', { appointmentId: appointment.id });
    expect(arrived).toMatchObject({ status: 'arrived', liveQueue: true });
    const later = freeSlot();
    const other = await t.call('appointments.book', { patientId: p.id, slotId: later.id });
    expect((await t.fail('appointments.checkIn', { appointmentId: other.appointment.id })).error.code).toBe('not_today');
  });

  it('R22 (001 order 2.3): today’s list marks a checked-in patient still waiting more than 15 min past the appointed time, until seen', async () => {
    const p = attachedPatient();
    const slot = db()
      .prepare("SELECT id, start_utc AS s FROM slots WHERE date = ? AND channel = 'registry' AND appointment_id IS NULL AND blocked = 0 AND start_utc > ? ORDER BY start_utc LIMIT 1")
      .get(new Date(t.now + 6 * 3_600_000).toISOString().slice(0, 10), t.now + 10 * 60_000) as { id: string; s: number };
    const { appointment } = await t.call('appointments.book', { patientId: p.id, slotId: slot.id });
    const inList = async () => ((await t.call('appointments.day', {})) as Array<{ id: string; overdueWaitMinutes: number | null }>).find((a) => a.id === appointment.id)!;
    await t.travel(slot.s - 5 * 60_000);
    await t.call('appointments.checkIn', { appointmentId: appointment.id });
    await t.travel(slot.s + 15 * 60_000);
    expect((await inList()).overdueWaitMinutes).toBeNull();
    await t.travel(slot.s + 21 * 60_000);
    expect((await inList()).overdueWaitMinutes).toBe(21);
    await t.signIn('head');
    await t.call('appointments.fulfil', { appointmentId: appointment.id });
    expect((await inList()).overdueWaitMinutes).toBeNull();
    await t.signIn('registrar');
  });

  it('no-show only once the visit time has come', async () => {
    const p = attachedPatient();
    const slot = freeSlot();
    const { appointment } = await t.call('appointments.book', { patientId: p.id, slotId: slot.id });
    expect((await t.fail('appointments.noShow', { appointmentId: appointment.id })).error.code).toBe('not_started');
    await t.travel(appointment.startUtc + 60_000);
    expect((await t.call('appointments.noShow', { appointmentId: appointment.id })).status).toBe('noshow');
  });

  it('R21 (issue 9, finding 1): a registrar’s booking claiming the internet or the doctor’s channel is refused, nothing written (R11 belongs to the electronic channels: rules.test.ts)', async () => {
    const p = attachedPatient();
    const before = t.snapshot();
    for (const channel of ['internet', 'doctor'] as const) {
      const slot = db()
        .prepare(`SELECT id FROM slots WHERE channel = ? AND appointment_id IS NULL AND date = '2026-11-25' ORDER BY start_utc LIMIT 1`)
        .get(channel === 'internet' ? 'internet' : 'doctor') as { id: string };
      const f = await t.fail('appointments.book', { patientId: p.id, slotId: slot.id, channel });
      expect(f).toMatchObject({ status: 403, error: { code: 'channel_not_allowed' } });
    }
    expect(t.snapshot()).toEqual(before);
  });
});

describe('R7 the internet share’s release (our choice: PolicyProfile.internetRelease)', () => {
  it('tomorrow’s internet times are reserved at the desk until 18:00 today, then free to book by phone — the grid, the day’s times and the booking agree', async () => {
    const p = attachedPatient();
    const tomorrow = '2026-11-24';
    const internet = db()
      .prepare(`SELECT id, doctor_id AS doctorId, specialty_id AS specialtyId FROM slots WHERE channel = 'internet' AND appointment_id IS NULL AND blocked = 0 AND date = ? ORDER BY start_utc LIMIT 1`)
      .get(tomorrow) as { id: string; doctorId: string; specialtyId: string };
    const state = async () => (await t.call('slots.day', { doctorId: internet.doctorId, date: tomorrow, channel: 'phone' })).find((x) => x.slotId === internet.id)!.state;
    const gridFree = async () => (await t.call('slots.search', { doctorId: internet.doctorId, channel: 'phone' })).doctorDays.find((d) => d.date === tomorrow)?.free ?? 0;
    expect(await state()).toBe('reserved');
    const before = await gridFree();
    expect((await t.fail('appointments.book', { patientId: p.id, slotId: internet.id, channel: 'phone' })).error.code).toBe('slot_channel');
    await t.travel(Date.parse('2026-11-23T12:00:00Z')); // Monday 18:00 in Bishkek
    expect(await state()).toBe('free');
    expect(await gridFree()).toBeGreaterThan(before);
    expect((await t.call('appointments.book', { patientId: p.id, slotId: internet.id, channel: 'phone' })).appointment.status).toBe('booked');
  });
});

describe('free-slot counters (R25)', () => {
  it('the trigger-kept counters equal a recount of the slots after bookings, cancels and moves', async () => {
    const ps = db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 6").all() as Array<{ id: string }>;
    const booked = [];
    for (let i = 0; i < 6; i++) booked.push((await t.call('appointments.book', { patientId: ps[i]!.id, slotId: freeSlot('family', i).id })).appointment);
    await t.call('appointments.cancel', { appointmentId: booked[0]!.id });
    await t.call('appointments.move', { appointmentId: booked[1]!.id, slotId: freeSlot('therapy').id });
    const drift = db()
      .prepare(`SELECT c.doctor_id, c.date, c.channel, c.free, (SELECT count(*) FROM slots s WHERE s.doctor_id = c.doctor_id AND s.date = c.date
        AND s.channel = c.channel AND s.appointment_id IS NULL AND s.blocked = 0) AS actual FROM slot_counts c WHERE c.free != actual`)
      .all();
    expect(drift).toEqual([]);
    const search = await t.call('slots.search', { specialtyId: 'family' });
    const day = search.doctorDays.find((d) => d.date > '2026-11-23')!;
    // A later day's internet times are not the registry's yet at 09:00 (released 18:00 the day before: internetRelease).
    const actual = t.count('slots', `doctor_id = '${day.doctorId}' AND date = '${day.date}' AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry'`);
    expect(day.free).toBe(actual);
  });
});

describe('restart', () => {
  it('keeps bookings, the ticket counter and the device identity', async () => {
    const p = attachedPatient();
    const { appointment, ticket } = await t.call('appointments.book', { patientId: p.id, slotId: freeSlot().id });
    const device = { id: t.desk.env.device.id, prefix: t.desk.env.device.prefix };
    await t.desk.close();
    await t.open();
    await t.signIn('registrar');
    expect({ id: t.desk.env.device.id, prefix: t.desk.env.device.prefix }).toEqual(device);
    expect((await t.call('tickets.get', { appointmentId: appointment.id })).code).toBe(ticket.code);
    const next = await t.call('appointments.book', { patientId: p.id, slotId: freeSlot('therapy').id });
    expect(next.ticket.code > ticket.code).toBe(true);
  });
});
