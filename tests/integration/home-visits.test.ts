import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClinicServer } from '../support/clinic-server.js';
import { TestDesk } from '../support/desk.js';

describe('R24 home visits at the desk (001 portal walkthrough; issue 10)', () => {
  let t: TestDesk;
  beforeEach(async () => {
    t = await TestDesk.start();
  });
  afterEach(() => t.close());
  const patientWithDoctor = () =>
    t.desk.env.db.sqlite.prepare('SELECT id, address, phone, attached_doctor_id AS doctorId FROM patients WHERE attached_doctor_id IS NOT NULL LIMIT 1').get() as {
      id: string;
      address: string;
      phone: string;
      doctorId: string;
    };

  it("taken down for the area's doctor, on that doctor's list for the day, then done; nothing else changes", async () => {
    const p = patientWithDoctor();
    const before = t.snapshot();
    const v = await t.call('homeVisits.request', { patientId: p.id, doctorId: p.doctorId, date: '2026-11-23', address: p.address, reason: 'температура 39, ребёнок 3 года', callbackPhone: p.phone });
    expect(v).toMatchObject({ status: 'open', doctorId: p.doctorId, reason: 'температура 39, ребёнок 3 года' });
    expect(t.snapshot()).toMatchObject({ appointments: before.appointments, outbox: before.outbox! + 1, register_entries: before.register_entries! + 1 });
    // R15: in the register of requests too, for the doctor it was given to.
    expect((await t.call('register.list', { result: 'home_visit' }))[0]).toMatchObject({ patientId: p.id, doctorId: p.doctorId, result: 'home_visit' });
    expect((await t.call('homeVisits.list', { doctorId: p.doctorId })).map((x) => x.id)).toEqual([v.id]);
    expect(await t.call('homeVisits.list', { date: '2026-11-24' })).toEqual([]);
    expect((await t.call('homeVisits.setStatus', { id: v.id, status: 'done' })).status).toBe('done');
    expect((await t.fail('homeVisits.setStatus', { id: v.id, status: 'cancelled' })).error.code).toBe('bad_status');
  });

  it('refuses a day in the past or more than a week ahead, an unknown patient or doctor — and writes nothing', async () => {
    const p = patientWithDoctor();
    const base = { patientId: p.id, doctorId: p.doctorId, date: '2026-11-23', address: 'ул. Чуй, 1', reason: 'кашель', callbackPhone: '' };
    const outbox = t.count('outbox');
    expect((await t.fail('homeVisits.request', { ...base, date: '2026-11-22' })).error.code).toBe('home_visit_date');
    expect((await t.fail('homeVisits.request', { ...base, date: '2026-12-01' })).error.code).toBe('home_visit_date');
    expect((await t.fail('homeVisits.request', { ...base, patientId: 'nobody' })).error.code).toBe('unknown_patient');
    expect((await t.fail('homeVisits.request', { ...base, doctorId: 'nobody' })).error.code).toBe('unknown_department');
    expect(t.count('outbox')).toBe(outbox);
  });
});

describe('R24 home visits across desks', () => {
  const clinic = new ClinicServer();
  beforeAll(() => clinic.start());
  afterAll(() => clinic.stop());

  it("a visit taken down at one desk reaches the others (and the doctor's list there); its outcome too", async () => {
    const a = await clinic.enrolledDesk('Регистратура 1');
    const b = await clinic.enrolledDesk('Регистратура 2');
    for (const d of [a, b]) await d.desk.sync!.syncOnce();
    const p = a.desk.env.db.sqlite.prepare('SELECT id, attached_doctor_id AS doctorId FROM patients WHERE attached_doctor_id IS NOT NULL LIMIT 1').get() as { id: string; doctorId: string };
    const v = await a.call('homeVisits.request', { patientId: p.id, doctorId: p.doctorId, date: '2026-11-24', address: 'ул. Боконбаева, 7', reason: 'не встаёт', callbackPhone: '+996 555 111 222' });
    await a.desk.sync!.syncOnce();
    await b.desk.sync!.syncOnce();
    expect((await b.call('homeVisits.list', { date: '2026-11-24', doctorId: p.doctorId })).map((x) => [x.id, x.status])).toEqual([[v.id, 'open']]);
    expect((await b.call('register.list', { result: 'home_visit' })).map((r) => r.patientId)).toContain(p.id);
    await b.call('homeVisits.setStatus', { id: v.id, status: 'cancelled' });
    await b.desk.sync!.syncOnce();
    await a.desk.sync!.syncOnce();
    expect((await a.call('homeVisits.list', { date: '2026-11-24' })).map((x) => x.status)).toEqual(['cancelled']);
    for (const d of [a, b]) expect(d.desk.sync!.status()).toMatchObject({ pending: 0, lastError: null });
  });
});
