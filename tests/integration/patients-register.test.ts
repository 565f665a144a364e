import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeKgPin } from '../../src-shared/ids/kg-pin.js';
import { patientIdFor } from '../../src-shared/rules/new-patient.js';
import { ClinicServer } from '../support/clinic-server.js';
import { TestDesk } from '../support/desk.js';

const newcomer = (serial: number, extra: object = {}) => ({
  nationalId: makeKgPin('2', '1988-04-12', serial),
  nationalIdKind: 'KG_PIN' as const,
  fullName: 'Жумабеков  Азамат Нурланович',
  birthDate: '1988-04-12',
  sex: 'male' as const,
  address: 'г. Бишкек, ул. Киевская, 10',
  phone: '+996 555 123 456',
  attach: null,
  ...extra,
});

describe('R16 registering a patient at the desk (issue 10)', () => {
  let t: TestDesk;
  beforeEach(async () => {
    t = await TestDesk.start();
  });
  afterEach(() => t.close());

  it('a new patient with a valid PIN: the record, attachment to a ГСВ and its doctor, found by PIN and name, and an op for the server', async () => {
    const doctor = t.desk.env.db.sqlite.prepare("SELECT id, department_id AS dep FROM doctors WHERE department_id LIKE 'gsv-%' AND active = 1 LIMIT 1").get() as { id: string; dep: string };
    const card = await t.call('patients.register', newcomer(77, { attach: { departmentId: doctor.dep, doctorId: doctor.id } }));
    expect(card.patient).toMatchObject({ id: patientIdFor('KG_PIN', newcomer(77).nationalId), fullName: 'Жумабеков Азамат Нурланович', sex: 'male' });
    expect(card).toMatchObject({ attached: true, familyDoctorId: doctor.id });
    expect((await t.call('patients.find', { query: newcomer(77).nationalId })).items.map((p) => p.id)).toEqual([card.patient.id]);
    expect((await t.call('patients.find', { query: 'Жумабеков Аз' })).items.map((p) => p.id)).toContain(card.patient.id);
    expect(t.desk.env.db.sqlite.prepare('SELECT name FROM outbox ORDER BY seq DESC LIMIT 1').get()).toEqual({ name: 'patients.register' });
    // And books like anyone attached.
    const slot = t.desk.env.db.sqlite
      .prepare("SELECT id FROM slots WHERE doctor_id = ? AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND date > '2026-11-23' LIMIT 1")
      .get(doctor.id) as { id: string };
    expect((await t.call('appointments.book', { patientId: card.patient.id, slotId: slot.id })).appointment.status).toBe('booked');
  });

  it('refuses, with nothing written: a birth date or sex the PIN contradicts, a malformed PIN, a PIN already registered, a ГСВ of no one, a bad phone', async () => {
    const taken = t.desk.env.db.sqlite.prepare('SELECT national_id AS pin, full_name AS name FROM patients LIMIT 1').get() as { pin: string; name: string };
    const before = t.count('patients');
    const fail = async (input: object) => (await t.fail('patients.register', input)).error;
    expect((await fail(newcomer(1, { birthDate: '1988-04-13' }))).code).toBe('id_mismatch');
    expect((await fail(newcomer(1, { sex: 'female' }))).code).toBe('id_mismatch');
    expect((await fail(newcomer(1, { nationalId: '2120419880001' }))).code).toBe('id_format');
    expect(await fail(newcomer(1, { nationalId: taken.pin }))).toMatchObject({ code: 'patient_exists', message: expect.stringContaining(taken.name) });
    expect((await fail(newcomer(1, { attach: { departmentId: 'gsv-999', doctorId: null } }))).code).toBe('unknown_department');
    expect((await fail(newcomer(1, { phone: 'позвонить маме' }))).code).toBe('phone_format');
    expect((await fail(newcomer(1, { address: 'Киевская 10\nкв. 5' }))).code).toBe('address_format');
    // Issue 23 finding 5: a PIN encoding 1800 is a mistake, not a patient aged 226 (the KG profile's limit: 120 years).
    const old = await fail(newcomer(2, { nationalId: makeKgPin('2', '1800-04-12', 2), birthDate: '1800-04-12' }));
    expect(old).toMatchObject({ code: 'birth_date_implausible', message: expect.stringContaining('120') });
    expect((await fail(newcomer(3, { nationalId: makeKgPin('2', '1905-04-12', 3), birthDate: '1905-04-12' }))).code).toBe('birth_date_implausible');
    expect(t.count('patients')).toBe(before);
    // The oldest plausible person still registers.
    const eldest = await t.call('patients.register', newcomer(4, { nationalId: makeKgPin('2', '1907-01-10', 4), birthDate: '1907-01-10' }));
    expect(eldest.patient.birthDate).toBe('1907-01-10');
  });

  it('shows a likely duplicate before saving — the same birth date and name, however typed', async () => {
    const p = t.desk.env.db.sqlite.prepare('SELECT id, full_name AS name, birth_date AS b FROM patients LIMIT 1').get() as { id: string; name: string; b: string };
    const typed = p.name.toUpperCase().replace(/О/g, 'O'); // capitals, a Latin O
    expect((await t.call('patients.similar', { fullName: typed, birthDate: p.b })).map((x) => x.id)).toContain(p.id);
    expect(await t.call('patients.similar', { fullName: typed, birthDate: '1900-01-01' })).toEqual([]);
  });

  it('corrects phone and address; the phone search finds the new number', async () => {
    const p = t.desk.env.db.sqlite.prepare('SELECT id FROM patients LIMIT 1').get() as { id: string };
    const card = await t.call('patients.update', { patientId: p.id, phone: '+996 777 000 111', address: 'ул. Токтогула, 1' });
    expect(card.patient).toMatchObject({ phone: '+996 777 000 111', address: 'ул. Токтогула, 1' });
    expect((await t.call('patients.find', { query: '0777000111' })).items.map((x) => x.id)).toContain(p.id);
    expect((await t.fail('patients.update', { patientId: p.id, phone: 'x', address: '' })).error.code).toBe('phone_format');
  });
});

describe('R16 registrations through the sync server', () => {
  const clinic = new ClinicServer();
  beforeAll(() => clinic.start());
  afterAll(() => clinic.stop());

  it('two desks register the same person offline: one record on the server and both desks, the bookings made for it confirmed; contact corrections reach the other desk', async () => {
    const a = await clinic.enrolledDesk('Регистратура 1');
    const b = await clinic.enrolledDesk('Регистратура 2');
    for (const d of [a, b]) await d.desk.sync!.syncOnce();
    await clinic.down();
    const doctor = a.desk.env.db.sqlite.prepare("SELECT id, department_id AS dep FROM doctors WHERE specialty_id = 'family' AND active = 1 LIMIT 1").get() as { id: string; dep: string };
    const input = newcomer(4242, { attach: { departmentId: doctor.dep, doctorId: doctor.id } });
    const onA = await a.call('patients.register', input);
    const onB = await b.call('patients.register', { ...input, phone: '+996 700 000 001' });
    expect(onA.patient.id).toBe(onB.patient.id);
    const slot = a.desk.env.db.sqlite
      .prepare(`SELECT s.id FROM slots s JOIN leases l ON l.slot_id = s.id WHERE s.channel = 'registry' AND s.appointment_id IS NULL AND s.specialty_id = 'family' LIMIT 1`)
      .get() as { id: string };
    const booked = await a.call('appointments.book', { patientId: onA.patient.id, slotId: slot.id });
    await clinic.up();
    for (const d of [a, b, a, b]) await d.desk.sync!.syncOnce();
    for (const d of [a, b]) expect(d.desk.sync!.status()).toMatchObject({ pending: 0, lastError: null });
    const rows = (await clinic.database.db.execute(`SELECT id FROM org_rows WHERE entity = 'patient' AND row->>'nationalId' = '${input.nationalId}'`)) as unknown as { rows: Array<{ id: string }> };
    expect(rows.rows.map((r) => r.id)).toEqual([onA.patient.id]);
    expect(a.desk.env.db.sqlite.prepare('SELECT sync_state AS s FROM appointments WHERE id = ?').get(booked.appointment.id)).toEqual({ s: 'confirmed' });
    expect(b.desk.env.db.sqlite.prepare('SELECT count(*) AS n FROM appointments WHERE id = ?').get(booked.appointment.id)).toEqual({ n: 1 });
    // The registration the server took first stands — on both desks, whichever typed which phone.
    const first = (await clinic.database.db.execute(`SELECT row->>'phone' AS phone FROM change_log WHERE entity = 'patient' AND entity_id = '${onA.patient.id}' ORDER BY seq LIMIT 1`)) as unknown as {
      rows: Array<{ phone: string }>;
    };
    for (const d of [a, b]) expect(d.desk.env.db.sqlite.prepare('SELECT phone FROM patients WHERE id = ?').get(onA.patient.id)).toEqual(first.rows[0]);
    // A correction at one desk reaches the other.
    await b.call('patients.update', { patientId: onA.patient.id, phone: '+996 700 000 002', address: 'ул. Ахунбаева, 5' });
    for (const d of [b, a]) await d.desk.sync!.syncOnce();
    expect(a.desk.env.db.sqlite.prepare('SELECT phone, address FROM patients WHERE id = ?').get(onA.patient.id)).toEqual({ phone: '+996 700 000 002', address: 'ул. Ахунбаева, 5' });
  });
});
