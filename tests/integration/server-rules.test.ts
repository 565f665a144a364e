import { CABINET_DOCTOR } from '../support/signing.js';
import { afterAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { appointments, orgRows } from '../../sync-server/db/schema.js';
import { Backends, type Backend } from '../support/server.js';
import { makeKgPin } from '../../src-shared/ids/kg-pin.js';
import { patientIdFor } from '../../src-shared/rules/new-patient.js';
import { appointment, appointmentOf, syncFixture } from '../support/sync-fixture.js';

const backends = new Backends();
afterAll(() => backends.stop());

const book = (seq: number, a: unknown, extra: object = {}) => ({ seq, name: 'appointments.book', args: { appointment: a, preventive: false, ...extra } });

describe.each<Backend>(['pglite', 'postgres'])('the server decides by the same rules (issue 9, finding 1) on %s', (kind) => {
  /** org-a with a cardiologist (narrow, R5) whose mornings end with doctor-only repeat-visit time (R21). */
  const setup = async () => {
    const s = await syncFixture(backends, kind);
    const week = [
      { from: '08:00', to: '10:00', channel: 'registry' },
      { from: '10:00', to: '11:00', channel: 'doctor' },
    ];
    await s.database.db.insert(orgRows).values([
      { orgId: 'org-a', entity: 'specialty', id: 'cardio', row: { id: 'cardio', kind: 'narrow', name: { ru: 'Кардиолог', ky: 'Кардиолог' } } },
      { orgId: 'org-a', entity: 'doctor', id: 'doc-3', row: { id: 'doc-3', orgId: 'org-a', departmentId: 'gsv', specialtyId: 'cardio', cabinetId: 'c1', fullName: 'doc-3', active: true } },
      {
        orgId: 'org-a',
        entity: 'template',
        id: 't-doc-3',
        row: { id: 't-doc-3', doctorId: 'doc-3', validFrom: '2026-01-01', validTo: null, slotMinutes: 20, week: { '1': week, '2': week, '3': week, '4': week, '5': week } },
      },
      {
        orgId: 'org-a',
        entity: 'referral',
        id: 'ref-1',
        row: { id: 'ref-1', patientId: 'pat-200', specialtyId: 'cardio', issuedByDoctorId: 'doc-1', issuedAt: 0, validUntil: '2026-12-31', usedByAppointmentId: null },
      },
    ]);
    return s;
  };
  const cardio = (time: string, patientId: string) => ({ ...appointmentOf(`doc-3@2026-11-24T${time}`), specialtyId: 'cardio', patientId });

  it('refuses what the desk should not have booked — each kept visible as lost, with a call task and a register row, the slot left free', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const cases: Array<[string, unknown]> = [
      // R2: a patient attached to another clinic (pat-5 exists only in org-b's register here).
      ['not_attached', { ...appointment('08:00'), patientId: 'pat-5' }],
      // R5: a narrow specialist without a referral.
      ['referral_required', cardio('08:00', 'pat-201')],
      // R1: beyond the horizon (14 working days).
      ['beyond_horizon', appointmentOf('doc-1@2027-01-20T08:00')],
      // A time the doctor does not have, and a slot id that does not match its doctor's time.
      ['unknown_slot', appointmentOf('doc-1@2026-11-24T13:00')],
      ['unknown_slot', { ...appointment('08:20'), time: '08:40' }],
      // A patient the organization has never heard of.
      ['unknown_patient', { ...appointment('08:40'), patientId: 'nobody' }],
      // R21: a front desk claiming the doctor's repeat-visit channel.
      ['channel_not_allowed', { ...cardio('10:00', 'pat-200'), channel: 'doctor' }],
    ];
    // pat-5 must not be attached to org-a for the first case: move it to org-b's register only.
    await s.database.db.delete(orgRows).where(sql`${orgRows.orgId} = 'org-a' AND ${orgRows.entity} = 'patient' AND ${orgRows.id} = 'pat-5'`);
    await s.database.db.insert(orgRows).values({
      orgId: 'org-a',
      entity: 'patient',
      id: 'pat-5',
      row: {
        id: 'pat-5',
        nationalId: '1',
        nationalIdKind: 'KG_PIN',
        fullName: 'x',
        birthDate: '1990-01-01',
        sex: 'male',
        address: '',
        phone: '',
        attachment: { orgId: 'org-b', departmentId: 'g', doctorId: null, since: '2020-01-01' },
        dispensarySpecialtyIds: [],
        priority: false,
      },
    });
    const r = await s.push(
      d,
      cases.map(([, a], i) => book(i + 1, a)),
    );
    expect(r.json.results.map((x: any) => x.detail)).toEqual(cases.map(([code]) => `refused:${code}`));
    expect(r.json.results.every((x: any) => x.status === 'conflict')).toBe(true);
    const feed = await s.pull(d);
    const lost = feed.changes.filter((c: any) => c.entity === 'appointment');
    expect(lost.every((c: any) => c.row.syncState === 'conflict')).toBe(true);
    const tasks = feed.changes.filter((c: any) => c.entity === 'task').map((c: any) => c.row.reason);
    expect(tasks).toEqual(cases.map(([code]) => `refused:${code}`));
    // R3: a refusal on the closed list's ground where the profile has one (KG: not attached); the rest declined by their rule.
    const register = feed.changes.filter((c: any) => c.entity === 'register_entry').map((c: any) => [c.row.result, c.row.reason, c.row.rule]);
    expect(register).toEqual(cases.map(([code]) => (code === 'not_attached' ? ['refused', 'not_attached', code] : ['declined', null, code])));
    // Nothing refused holds a slot: the same times are booked by the rules' book.
    const ok = await s.push(d, [book(8, appointment('08:00')), book(9, { ...cardio('08:00', 'pat-200'), referralId: 'ref-1' })]);
    expect(ok.json.results.map((x: any) => x.detail)).toEqual(['confirmed', 'confirmed']);
    // A repeat of the push gets the same answers.
    expect(
      (
        await s.push(
          d,
          cases.map(([, a], i) => book(i + 1, a)),
        )
      ).json.results,
    ).toEqual(r.json.results);
    await s.close();
  });

  it('R5 (000 §2.3–2.4): a referral is spent by one booking — a second booking with it is refused, a cancellation gives it back, a preventive booking does not spend it', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const withRef = (time: string) => ({ ...cardio(time, 'pat-200'), referralId: 'ref-1' });
    const [preventive, first, second] = [withRef('08:00'), withRef('08:20'), withRef('08:40')];
    const r = await s.push(d, [book(1, preventive, { preventive: true }), book(2, first), book(3, second)]);
    expect(r.json.results.map((x: any) => x.detail)).toEqual(['confirmed', 'confirmed', 'refused:referral_required']);
    // A referral that is not the patient's, or not to this specialty, is no referral either.
    const other = await s.push(d, [book(4, { ...cardio('09:00', 'pat-201'), referralId: 'ref-1' })]);
    expect(other.json.results[0].detail).toBe('refused:referral_required');
    // The first booking is cancelled: the referral is free again for the next one.
    const cancel = await s.push(d, [{ seq: 5, name: 'appointments.cancel', args: { appointmentId: first.id, channel: 'registry' } }]);
    expect(cancel.json.results[0].detail).toBe('cancelled');
    const again = await s.push(d, [book(6, withRef('09:20'))]);
    expect(again.json.results[0].detail).toBe('confirmed');
    await s.close();
  });

  it('an undone cancellation takes the time back only while it is free: another device booked it meanwhile → rejected, and the booking is published again as cancelled', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const other = await s.enrollDesk('org-a');
    const a = appointment('09:00');
    const steps = await s.push(d, [
      book(1, a),
      { seq: 2, name: 'appointments.cancel', args: { appointmentId: a.id, channel: 'registry' } },
      { seq: 3, name: 'appointments.restore', args: { appointmentId: a.id } },
      { seq: 4, name: 'appointments.cancel', args: { appointmentId: a.id, channel: 'registry' } },
    ]);
    expect(steps.json.results.map((x: any) => x.detail)).toEqual(['confirmed', 'cancelled', 'booked', 'cancelled']);
    // Another desk books the freed time; the first desk's undo comes too late.
    expect((await s.push(other, [book(1, { ...appointment('09:00'), id: 'other-1', patientId: 'pat-7' })])).json.results[0].detail).toBe('confirmed');
    const late = await s.push(d, [{ seq: 5, name: 'appointments.restore', args: { appointmentId: a.id } }]);
    expect(late.json.results[0]).toMatchObject({ status: 'rejected', detail: 'slot_taken' });
    const [row] = await s.database.db.select({ status: appointments.status }).from(appointments).where(eq(appointments.id, a.id));
    expect(row!.status).toBe('cancelled');
    const published = (await s.pull(d)).changes.filter((c: any) => c.entity === 'appointment' && c.id === a.id).map((c: any) => c.row.status);
    expect(published.at(-1)).toBe('cancelled');
    await s.close();
  });

  it("R3 (000 §1): a refusal a desk sends must name a ground of the closed list; an older desk's rule code is filed as a decline", async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const refusal = (seq: number, extra: object) => ({
      seq,
      name: 'register.refuse',
      args: { id: `r-${seq}`, patientId: 'pat-1', applicant: 'x', specialtyId: null, doctorId: null, channel: 'registry', ...extra },
    });
    const r = await s.push(d, [
      refusal(1, { reason: 'intoxication' }),
      refusal(2, { reason: 'bad_mood' }),
      refusal(3, { reason: 'referral_required' }), // as desks before closed-list outcomes sent it
      refusal(4, { result: 'declined', reason: null, rule: 'slot_channel' }),
    ]);
    expect(r.json.results.map((x: any) => `${x.status}:${x.detail}`)).toEqual(['applied:recorded', 'rejected:unknown_reason', 'applied:recorded', 'applied:recorded']);
    const rows = (await s.pull(d)).changes.filter((c: any) => c.entity === 'register_entry').map((c: any) => [c.id, c.row.result, c.row.reason, c.row.rule]);
    expect(rows).toEqual([
      ['r-1', 'refused', 'intoxication', null],
      ['r-3', 'declined', null, 'referral_required'],
      ['r-4', 'declined', null, 'slot_channel'],
    ]);
    await s.close();
  });

  it("R6: an out-of-schedule visit joins the organization's register; an unknown destination is rejected", async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const op = (seq: number, destination: string) => ({ seq, name: 'register.outOfSchedule', args: { id: `e-${seq}`, patientId: null, applicant: 'x', channel: 'registry', destination } });
    const r = await s.push(d, [op(1, 'duty_doctor'), op(2, 'icu')]);
    expect(r.json.results.map((x: any) => `${x.status}:${x.detail}`)).toEqual(['applied:recorded', 'rejected:bad_args']);
    const rows = (await s.pull(d)).changes.filter((c: any) => c.entity === 'register_entry').map((c: any) => [c.id, c.row.result, c.row.reason]);
    expect(rows).toEqual([['e-1', 'out_of_schedule', 'duty_doctor']]);
    await s.close();
  });

  it('R16: the server checks a registration by the same rules — a PIN that contradicts the birth date, a ГСВ it does not know — and keeps one record per PIN', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const pin = makeKgPin('1', '1975-02-03', 321);
    const reg = (seq: number, extra: object = {}) => ({
      seq,
      name: 'patients.register',
      args: { nationalId: pin, nationalIdKind: 'KG_PIN', fullName: 'Осмонова Айжан', birthDate: '1975-02-03', sex: 'female', attach: null, ...extra },
    });
    const r = await s.push(d, [reg(1, { birthDate: '1975-02-04' }), reg(2, { attach: { departmentId: 'nowhere', doctorId: null } }), reg(3), reg(4, { phone: '+996 555 000 000' })]);
    expect(r.json.results.map((x: any) => `${x.status}:${x.detail}`)).toEqual(['rejected:id_mismatch', 'rejected:unknown_department', 'applied:registered', 'applied:already_registered']);
    const rows = await s.database.db.select({ id: orgRows.id }).from(orgRows).where(sql`${orgRows.entity} = 'patient' AND ${orgRows.row}->>'nationalId' = ${pin}`);
    expect(rows.map((x) => x.id)).toEqual([patientIdFor('KG_PIN', pin)]);
    await s.close();
  });

  it("R5 (000 §2.3): a family doctor refers from their cabinet PC — the server names the PC's doctor as the issuer — and a front desk then books with that referral at once", async () => {
    const s = await setup();
    const desk = await s.enrollDesk('org-a');
    const familyCab = await s.enrollDesk('org-a', { kind: 'cabinet', doctorId: 'doc-1' });
    const cardioCab = await s.enrollDesk('org-a', { kind: 'cabinet', doctorId: 'doc-3' });
    const issue = (seq: number, extra: object = {}) => ({
      seq,
      name: 'referrals.issue',
      args: { id: `ref-new-${seq}`, patientId: 'pat-210', specialtyId: 'cardio', validUntil: '2026-12-10', ...extra },
    });
    expect((await s.push(desk, [issue(1)])).json.results[0].detail).toBe('referral_issuer'); // a front desk
    expect((await s.push(cardioCab, [issue(1)])).json.results[0].detail).toBe('referral_issuer'); // not a family doctor
    const r = await s.push(familyCab, [issue(1, { specialtyId: 'family' }), issue(2, { validUntil: '2027-03-01' }), issue(3)]);
    expect(r.json.results.map((x: any) => x.detail)).toEqual(['referral_target', 'referral_validity', 'issued']);
    const [row] = await s.database.db.select({ row: orgRows.row }).from(orgRows).where(sql`${orgRows.entity} = 'referral' AND ${orgRows.id} = 'ref-new-3'`);
    expect(row!.row).toMatchObject({ issuedByDoctorId: 'doc-1', patientId: 'pat-210' });
    // The registrar books the cardiologist with it straight away (no directory re-import in between).
    const booked = await s.push(desk, [book(2, { ...cardio('09:20', 'pat-210'), referralId: 'ref-new-3' })]);
    expect(booked.json.results[0].detail).toBe('confirmed');
    await s.close();
  });

  it('channels by the PC, not by the request: a cabinet PC books its doctor’s repeat-visit time, a front desk cannot', async () => {
    const s = await setup();
    const desk = await s.enrollDesk('org-a');
    const cab = await s.enrollDesk('org-a', { kind: 'cabinet', doctorId: 'doc-3' });
    const repeat = { ...cardio('10:20', 'pat-202'), channel: 'doctor' };
    expect((await s.push(desk, [book(1, repeat)])).json.results[0].detail).toBe('refused:channel_not_allowed');
    // From the cabinet: the doctor's own repeat visit needs no referral (R5 exemption) and is confirmed.
    const again = { ...repeat, id: 'repeat-2', createdBy: CABINET_DOCTOR };
    expect((await s.push(cab, [book(1, again)])).json.results[0]).toMatchObject({ status: 'applied', detail: 'confirmed' });
    await s.close();
  });

  it('status changes by the shared status machine: a no-show before the visit is rejected, and the booking is published again as the server holds it', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const a = appointment('11:00');
    await s.push(d, [book(1, a)]);
    const r = await s.push(d, [
      { seq: 2, name: 'appointments.noShow', args: { appointmentId: a.id } },
      { seq: 3, name: 'appointments.fulfil', args: { appointmentId: a.id } },
    ]);
    expect(r.json.results.map((x: any) => `${x.status}:${x.detail}`)).toEqual(['rejected:not_started', 'rejected:bad_status:booked']);
    const [row] = await s.database.db.select({ status: appointments.status }).from(appointments).where(eq(appointments.id, a.id));
    expect(row!.status).toBe('booked');
    const rows = (await s.pull(d)).changes.filter((c: any) => c.entity === 'appointment' && c.id === a.id).map((c: any) => c.row.status);
    expect(rows).toEqual(['booked', 'booked', 'booked']);
    await s.close();
  });
});
