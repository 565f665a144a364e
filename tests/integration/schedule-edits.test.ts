import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journal } from '../../src-main/services/journal.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { DirectoryCache } from '../../sync-server/rules/directory-cache.js';
import { ClinicServer, ORG, signedIn, type EnrolledDesk, actorAt } from '../support/clinic-server.js';

const clinic = new ClinicServer();
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

const TODAY = '2026-11-23';
const TOMORROW = '2026-11-24';
const sql = (d: EnrolledDesk) => d.desk.env.db.sqlite;
const sync = async (...desks: EnrolledDesk[]) => {
  for (const d of desks) await d.desk.sync!.syncOnce();
};
const weekdays = (ivs: Array<{ from: string; to: string; channel: 'registry' | 'internet' | 'doctor' | 'priority' }>) => Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, ivs]));
const MORNINGS = weekdays([
  { from: '08:00', to: '11:00', channel: 'registry' },
  { from: '11:00', to: '12:00', channel: 'priority' },
  { from: '12:00', to: '13:00', channel: 'internet' },
]);
const freePatients = (d: EnrolledDesk, n: number, offset: number) =>
  sql(d)
    .prepare(`SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 AND id NOT IN (SELECT patient_id FROM appointments) ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(ORG, n, offset) as Array<{ id: string }>;
const slotsOf = (d: EnrolledDesk, doctorId: string, date: string, where = '1 = 1') =>
  sql(d).prepare(`SELECT time, channel, blocked, appointment_id AS appointmentId FROM slots WHERE doctor_id = ? AND date = ? AND ${where} ORDER BY time`).all(doctorId, date) as Array<{
    time: string;
    channel: string;
    blocked: number;
    appointmentId: string | null;
  }>;

/** Two desks of the clinic, the head signed in at the first, and a doctor the head has just hired there with a weekly schedule. */
async function hiredDoctor(name: string, cabinet: string) {
  const a = await clinic.enrolledDesk(`${name} A`);
  const b = await clinic.enrolledDesk(`${name} B`);
  const head = await signedIn(a.desk, 'head');
  const dir = await head.call('directory.get', {});
  const specialtyId = dir.specialties.find((s) => s.kind === 'narrow')!.id;
  const hired = await head.call('directory.saveDoctor', { fullName: name, specialtyId, departmentId: dir.departments[0]!.id, cabinetNumber: cabinet, floor: 3, active: true });
  expect(hired.verdict).toBe('confirmed');
  const t1 = await head.call('schedule.saveTemplate', { doctorId: hired.id, validFrom: TODAY, validTo: null, slotMinutes: 20, week: MORNINGS });
  expect(t1).toMatchObject({ calls: 0, verdict: 'confirmed' });
  await sync(b);
  return { a, b, head, doctorId: hired.id, specialtyId };
}

describe('the head runs the directory and the weekly schedules (issue 11; R7, R8, R13)', () => {
  it('hires a doctor with a week of channel shares; another desk books them; a new schedule sends the booking it drops to both call lists; dismissal waits for the patients', async () => {
    const { a, b, head, doctorId } = await hiredDoctor('Токтогулов Нурлан Бекович', '315');
    // The other desk has the doctor, the new cabinet, and the times.
    const onB = (await b.call('directory.get', {})).doctors.find((d) => d.id === doctorId);
    expect(onB).toMatchObject({ fullName: 'Токтогулов Нурлан Бекович', active: true, cabinet: { number: '315', floor: 3 } });
    expect(slotsOf(b, doctorId, TOMORROW).map((s) => `${s.time} ${s.channel}`)).toEqual(slotsOf(a, doctorId, TOMORROW).map((s) => `${s.time} ${s.channel}`));
    expect(slotsOf(b, doctorId, TOMORROW).filter((s) => s.channel === 'priority')).toHaveLength(3);

    const [p1, p2] = freePatients(b, 2, 0);
    const booked = (await b.call('appointments.book', { patientId: p1!.id, slotId: `${doctorId}@${TOMORROW}T08:00`, preventive: true })).appointment;
    // R13 (004 §3.4.1): the priority window is not for an ordinary patient.
    await expect(b.call('appointments.book', { patientId: p2!.id, slotId: `${doctorId}@${TOMORROW}T11:00`, preventive: true })).rejects.toThrow('slot_channel');
    await sync(b, a);
    expect(sql(a).prepare('SELECT sync_state AS s FROM appointments WHERE id = ?').get(booked.id)).toEqual({ s: 'confirmed' });

    // From tomorrow the doctor works afternoons: the morning booking is not silently dropped.
    const t2 = await head.call('schedule.saveTemplate', { doctorId, validFrom: TOMORROW, validTo: null, slotMinutes: 20, week: weekdays([{ from: '14:00', to: '17:00', channel: 'registry' }]) });
    expect(t2).toMatchObject({ calls: 1, verdict: 'confirmed' });
    await sync(b);
    for (const d of [a, b]) {
      const task = (await d.call('tasks.list', {})).find((t) => t.appointment?.id === booked.id);
      expect(task).toMatchObject({ reason: 'schedule_change', status: 'open' });
      expect(task!.alternatives.length).toBeGreaterThan(0);
      // The free morning times are gone, the booked one stays (blocked) so its booking is found; today is as it was.
      expect(slotsOf(d, doctorId, TOMORROW, "time < '14:00'")).toEqual([{ time: '08:00', channel: 'registry', blocked: 1, appointmentId: booked.id }]);
      expect(slotsOf(d, doctorId, TOMORROW, "time >= '14:00'")).toHaveLength(9);
      expect(slotsOf(d, doctorId, TODAY).length).toBeGreaterThan(0);
    }
    // One task for the patient on the server too (same id from both sides).
    expect((await a.call('tasks.list', {})).filter((t) => t.appointment?.id === booked.id)).toHaveLength(1);

    // Dismissal waits for the patients: refused while the booking holds.
    const edit = { id: doctorId, fullName: 'Токтогулов Нурлан Бекович', specialtyId: onB!.specialtyId, departmentId: onB!.departmentId, cabinetNumber: '315', floor: 3 };
    await expect(head.call('directory.saveDoctor', { ...edit, active: false })).rejects.toThrow('doctor_has_bookings');
    const task = (await a.call('tasks.list', {})).find((t) => t.appointment?.id === booked.id)!;
    await a.call('tasks.resolve', { taskId: task.id, outcome: 'declined' });
    await sync(a);
    expect(await head.call('directory.saveDoctor', { ...edit, active: false })).toMatchObject({ verdict: 'confirmed' });
    await sync(b);
    expect((await b.call('directory.get', {})).doctors.find((d) => d.id === doctorId)?.active).toBe(false);
    expect(slotsOf(b, doctorId, TOMORROW, 'appointment_id IS NULL')).toEqual([]);
    expect((await b.call('slots.search', { doctorId, channel: 'registry' })).doctorDays).toEqual([]);
  });

  it('R7 (000 §5): the head limits a doctor’s internet booking for a period — every desk and the server’s rules keep fewer internet times, and the grid shows the limit', async () => {
    const { a, b, head, doctorId } = await hiredDoctor('Сыдыкова Айнура', '316');
    const day3 = '2026-11-25';
    expect(slotsOf(b, doctorId, day3, "channel = 'internet'")).toHaveLength(3);
    await expect(head.call('schedule.setQuota', { doctorId, fromDate: day3, toDate: '2026-11-26', percent: 40 })).rejects.toThrow('internet_quota');
    expect(await head.call('schedule.setQuota', { doctorId, fromDate: day3, toDate: '2026-11-26', percent: 10 })).toMatchObject({ verdict: 'confirmed' });
    await sync(b);
    for (const d of [a, b]) {
      // 15 times a day, 10 % → one internet time; the other two are registry times now. The day after, unchanged.
      expect(slotsOf(d, doctorId, day3, "channel = 'internet'").map((s) => s.time)).toEqual(['12:00']);
      expect(slotsOf(d, doctorId, '2026-11-27', "channel = 'internet'")).toHaveLength(3);
    }
    // The server's rules generate the same: an internet booking of 12:20 would meet a registry time (slot_channel).
    const dir = (await new DirectoryCache().get(clinic.database.db, ORG))!;
    const serverDay = generateDoctorSlots({
      template: dir.templates.get(doctorId)![0]!,
      exceptions: dir.exceptions.get(doctorId) ?? [],
      specialtyId: dir.doctors.get(doctorId)!.specialtyId,
      dates: [day3],
      profile: dir.profile,
      timezone: dir.timezone,
    });
    expect(serverDay.filter((s) => s.channel === 'internet').map((s) => s.time)).toEqual(['12:00']);
    // Staff see the limit on the doctor's grid.
    expect((await b.call('slots.search', { doctorId, channel: 'registry' })).internetLimits).toEqual([{ doctorId, percent: 10, fromDate: day3, toDate: '2026-11-26' }]);
  });

  it('a one-off day of other hours: the bookings outside them go to both call lists, the ones inside stay', async () => {
    const { a, b, head, doctorId } = await hiredDoctor('Жээнбеков Айбек', '318');
    const [p1, p2] = freePatients(b, 2, 10);
    const early = (await b.call('appointments.book', { patientId: p1!.id, slotId: `${doctorId}@${TOMORROW}T08:00`, preventive: true })).appointment;
    const inside = (await b.call('appointments.book', { patientId: p2!.id, slotId: `${doctorId}@${TOMORROW}T10:00`, preventive: true })).appointment;
    await sync(b, a);
    const day = await head.call('schedule.enterAbsence', { doctorId, kind: 'changed_hours', fromDate: TOMORROW, toDate: TOMORROW, hours: { from: '09:00', to: '13:00' }, note: 'совещание утром' });
    expect(day).toMatchObject({ calls: 1, verdict: 'confirmed' });
    await sync(b);
    for (const d of [a, b]) {
      const listed = (await d.call('tasks.list', {})).filter((t) => t.appointment?.id === early.id || t.appointment?.id === inside.id);
      expect(listed.map((t) => [t.appointment!.id, t.reason])).toEqual([[early.id, 'absence:changed_hours']]);
      expect(slotsOf(d, doctorId, TOMORROW, "time < '09:00'")).toEqual([{ time: '08:00', channel: 'registry', blocked: 1, appointmentId: early.id }]);
      expect(slotsOf(d, doctorId, TOMORROW, "time >= '09:00' AND blocked = 0").map((s) => s.time)[0]).toBe('09:00');
    }
  });

  it('bad input is a translated error and changes nothing; the server refuses a forged change and the desk that made it takes it back', async () => {
    const { a, b, doctorId } = await hiredDoctor('Бекова Гүлмира', '317');
    const templates = () => sql(a).prepare('SELECT id, valid_to AS validTo FROM schedule_templates WHERE doctor_id = ? ORDER BY valid_from').all(doctorId);
    const before = templates();
    const token = (await a.desk.router.call('auth.signIn', { username: 'head', password: 'desk-pass' }, {})) as { ok: true; data: { token: string } };
    const overlap = await a.desk.router.call(
      'schedule.saveTemplate',
      {
        doctorId,
        validFrom: TOMORROW,
        validTo: null,
        slotMinutes: 20,
        week: {
          '1': [
            { from: '08:00', to: '12:00', channel: 'registry' },
            { from: '11:00', to: '13:00', channel: 'registry' },
          ],
        },
      },
      { token: token.data.token, lang: 'ru' },
    );
    expect(overlap).toMatchObject({ ok: false, error: { code: 'template_overlap', message: 'В графике (1-й день недели) интервалы пересекаются: 11:00 раньше, чем 12:00' } });
    expect(templates()).toEqual(before);
    const registrar = await signedIn(a.desk, 'registrar');
    await expect(registrar.call('schedule.saveTemplate', { doctorId, validFrom: TOMORROW, validTo: null, slotMinutes: 20, week: {} })).rejects.toThrow('forbidden');

    // A modified desk applies and sends a registrar's weekly schedule: the server refuses it, and the desk is as before again.
    const env = a.desk.env;
    const forged = { id: 'forged-tpl', doctorId, validFrom: TOMORROW, validTo: null, slotMinutes: 20, week: {}, userId: 'user-registrar' };
    const signedRegistrar = await actorAt(a.desk);
    env.db.sqlite.transaction(() => {
      env.db.sqlite
        .prepare("INSERT INTO schedule_templates (id, org_id, doctor_id, valid_from, valid_to, slot_minutes, week_json) VALUES ('forged-tpl', ?, ?, ?, NULL, 20, '{}')")
        .run(ORG, doctorId, TOMORROW);
      journal(env, signedRegistrar, { name: 'schedule.template', args: forged }, { entity: 'template', entityId: 'forged-tpl' });
    })();
    await sync(a, b);
    expect(sql(a).prepare("SELECT status, detail FROM outbox WHERE entity_id = 'forged-tpl'").get()).toEqual({ status: 'rejected', detail: 'not_manager' });
    expect(templates()).toEqual(before);
    expect(sql(b).prepare("SELECT count(*) AS n FROM schedule_templates WHERE id = 'forged-tpl'").get()).toEqual({ n: 0 });
  });
});
