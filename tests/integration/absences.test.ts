import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journal } from '../../src-main/services/journal.js';
import { exportDirectory } from '../../src-main/sync/export-directory.js';
import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';
import { importDirectory, parseDirectoryFile } from '../../sync-server/directory/import.js';
import { ClinicServer, signedIn, type EnrolledDesk, actorAt } from '../support/clinic-server.js';

const clinic = new ClinicServer();
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

const TOMORROW = '2026-11-24';
const sql = (d: EnrolledDesk) => d.desk.env.db.sqlite;
const sync = async (...desks: EnrolledDesk[]) => {
  for (const d of desks) await d.desk.sync!.syncOnce();
};

/** Two desks of one clinic, and two patients booked at the first with a family doctor who has colleagues, for tomorrow. */
async function deskPairWithBookings(skip: number) {
  const a = await clinic.enrolledDesk('Регистратура 1');
  const b = await clinic.enrolledDesk('Регистратура 2');
  await sync(a, b);
  const { id: doctorId } = sql(a).prepare("SELECT id FROM doctors WHERE specialty_id = 'family' AND active = 1 ORDER BY id LIMIT 1 OFFSET ?").get(skip) as { id: string };
  const times = sql(a)
    .prepare("SELECT id FROM slots WHERE doctor_id = ? AND date = ? AND channel = 'registry' AND appointment_id IS NULL AND id NOT IN (SELECT slot_id FROM leases) ORDER BY start_utc LIMIT 2")
    .all(doctorId, TOMORROW) as Array<{ id: string }>;
  const patients = sql(a)
    .prepare(`SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 AND id NOT IN (SELECT patient_id FROM appointments) ORDER BY id LIMIT 2 OFFSET ?`)
    .all(a.desk.env.org.id, skip * 2) as Array<{ id: string }>;
  const booked = [];
  for (const [i, t] of times.entries()) booked.push((await a.call('appointments.book', { patientId: patients[i]!.id, slotId: t.id })).appointment);
  await sync(a, b);
  return { a, b, doctorId, booked };
}

const freeTimes = (d: EnrolledDesk, doctorId: string) =>
  (sql(d).prepare('SELECT count(*) AS n FROM slots WHERE doctor_id = ? AND date = ? AND blocked = 0 AND appointment_id IS NULL').get(doctorId, TOMORROW) as { n: number }).n;

describe('a doctor falls ill: the absence, the call list, the moves (R8, 000 §1, 004 §3.4.2–3.4.3)', () => {
  it('entered by the head at one desk: both desks stop offering the doctor, both call lists have the patients with another doctor at the same time first; one moves, one declines', async () => {
    const { a, b, doctorId, booked } = await deskPairWithBookings(0);
    const head = await signedIn(a.desk, 'head');
    const absence = await head.call('schedule.enterAbsence', { doctorId, kind: 'sick', fromDate: TOMORROW, toDate: TOMORROW, hours: null, note: 'ОРВИ' });
    expect(absence).toMatchObject({ doctorId, kind: 'sick', calls: 2 });
    // At once on this desk: the doctor's day is closed.
    expect(freeTimes(a, doctorId)).toBe(0);
    await expect(a.call('appointments.book', { patientId: booked[0]!.patientId, slotId: `${doctorId}@${TOMORROW}T11:00` })).rejects.toThrow(/slot_blocked|not_found/);
    await sync(a, b);
    expect(freeTimes(b, doctorId)).toBe(0);
    // Issue 23 finding 3: the card, today's lists and a reprint say the visit will not happen as booked.
    for (const d of [a, b]) {
      const card = await d.call('patients.get', { patientId: booked[0]!.patientId });
      expect(card.upcoming.find((x) => x.id === booked[0]!.id)).toMatchObject({ status: 'booked', callReason: 'absence:sick' });
      await expect(d.call('tickets.print', { appointmentId: booked[0]!.id })).rejects.toThrow('ticket_not_valid');
    }
    const search = await b.call('slots.search', { doctorId, channel: 'registry' });
    expect(search.doctorDays.filter((d) => d.date === TOMORROW)).toEqual([]);

    for (const d of [a, b]) {
      const tasks = await d.call('tasks.list', {});
      const mine = tasks.filter((t) => booked.some((x) => x.id === t.appointment?.id));
      // Both patients, once each, first-day patients of an absence known a day ahead first (004 §3.4.3.2).
      expect(mine.map((t) => t.appointment!.id)).toEqual(booked.map((x) => x.id));
      for (const t of mine) {
        expect(t).toMatchObject({ reason: 'absence:sick', urgent: true });
        // R8: another doctor of the specialty at the same time first, then the same doctor's nearest time.
        expect(t.alternatives[0]).toMatchObject({ kind: 'same_time', date: TOMORROW });
        expect(t.alternatives[0]!.doctorId).not.toBe(doctorId);
        expect(t.alternatives.find((x) => x.kind === 'same_doctor')?.date ?? '9999').not.toBe(TOMORROW);
      }
    }
    const taskOf = async (d: EnrolledDesk, apptId: string) => (await d.call('tasks.list', {})).find((t) => t.appointment?.id === apptId)!;

    // No answer the first time: the task stays open, the attempt counted (on the other desk too).
    const first = await taskOf(a, booked[0]!.id);
    await a.call('tasks.resolve', { taskId: first.id, outcome: 'unreachable' });
    await sync(a, b);
    for (const d of [a, b]) expect(await taskOf(d, booked[0]!.id)).toMatchObject({ status: 'open', attempts: 1 });

    // The first patient agrees on the phone at desk B: the booking moves, with a new ticket.
    const t1 = await taskOf(b, booked[0]!.id);
    const moved = await b.call('tasks.rebook', { taskId: t1.id, slotId: t1.alternatives[0]!.slotId });
    expect(moved.appointment).toMatchObject({ replacesId: booked[0]!.id, doctorId: t1.alternatives[0]!.doctorId, status: 'booked' });
    expect(moved.ticket.code).not.toBe(booked[0]!.ticketCode);
    // The second declines at desk A: the booking is cancelled on the clinic's initiative.
    const t2 = await taskOf(a, booked[1]!.id);
    await a.call('tasks.resolve', { taskId: t2.id, outcome: 'declined' });
    await sync(b, a, b);

    for (const d of [a, b]) {
      const status = (id: string) => sql(d).prepare('SELECT status, sync_state AS st FROM appointments WHERE id = ?').get(id) as { status: string; st: string };
      expect(status(booked[0]!.id).status).toBe('cancelled');
      expect(status(moved.appointment.id)).toEqual({ status: 'booked', st: 'confirmed' });
      expect(status(booked[1]!.id).status).toBe('cancelled');
      expect((await d.call('tasks.list', {})).filter((t) => t.id === t1.id || t.id === t2.id)).toEqual([]);
      const register = await d.call('register.list', { doctorId });
      expect(register.find((r) => r.appointmentId === booked[1]!.id && r.result === 'cancelled')).toMatchObject({ rule: 'R8' });
    }
    expect((await a.call('register.list', {})).find((r) => r.appointmentId === moved.appointment.id)).toMatchObject({ result: 'moved' });
  });

  it('entered while the server is unreachable: effective on that desk at once, confirmed when the link returns, each patient phoned once', async () => {
    const { a, b, doctorId, booked } = await deskPairWithBookings(1);
    // Every booking of the doctor in the four days (an earlier test may have moved a patient to this doctor).
    const held = (
      sql(a).prepare("SELECT id FROM appointments WHERE doctor_id = ? AND date BETWEEN ? AND '2026-11-27' AND status = 'booked' ORDER BY start_utc").all(doctorId, TOMORROW) as Array<{ id: string }>
    ).map((r) => r.id);
    expect(held).toEqual(expect.arrayContaining(booked.map((x) => x.id)));
    await clinic.down();
    try {
      const head = await signedIn(a.desk, 'head');
      await head.call('schedule.enterAbsence', { doctorId, kind: 'vacation', fromDate: TOMORROW, toDate: '2026-11-27', hours: null, note: '' });
      expect(freeTimes(a, doctorId)).toBe(0);
      expect((await a.call('tasks.list', {})).filter((t) => t.reason === 'absence:vacation').map((t) => t.appointment!.id)).toEqual(held);
      // The other desk has not heard yet.
      expect(freeTimes(b, doctorId)).toBeGreaterThan(0);
    } finally {
      await clinic.up();
    }
    await sync(a, b, a);
    expect(sql(a).prepare("SELECT status FROM outbox WHERE name = 'schedule.absence'").all()).toEqual([{ status: 'applied' }]);
    expect(freeTimes(b, doctorId)).toBe(0);
    for (const d of [a, b]) {
      const calls = (await d.call('tasks.list', {})).filter((t) => t.reason === 'absence:vacation');
      expect(calls.map((t) => t.appointment!.id)).toEqual(held);
      expect(calls.every((t) => t.alternatives.length > 0)).toBe(true);
    }
  });

  it('the server decides: an absence op naming a registrar account is rejected and changes no desk (000 §1 on the head’s order)', async () => {
    const { a, b, doctorId } = await deskPairWithBookings(2);
    // Forged past the desk's own check: the op as a modified desk could send it.
    const env = a.desk.env;
    const signedRegistrar = await actorAt(a.desk);
    env.db.sqlite.transaction(() =>
      journal(
        env,
        signedRegistrar,
        { name: 'schedule.absence', args: { id: 'forged-absence', doctorId, kind: 'sick', fromDate: TOMORROW, toDate: TOMORROW, hours: null, note: '', userId: 'user-registrar' } },
        { entity: 'exception', entityId: 'forged-absence' },
      ),
    )();
    await sync(a, b);
    expect(sql(a).prepare("SELECT status FROM outbox WHERE name = 'schedule.absence'").all()).toEqual([{ status: 'rejected' }]);
    expect(sql(b).prepare("SELECT count(*) AS n FROM schedule_exceptions WHERE id = 'forged-absence'").get()).toEqual({ n: 0 });
    expect(freeTimes(b, doctorId)).toBeGreaterThan(0);
  });

  it('refuses a registrar, an absence ending before it starts, hours under four, a past one — translated, and nothing changes', async () => {
    const a = await clinic.enrolledDesk('Регистратура 4');
    await sync(a);
    const { id: doctorId } = sql(a).prepare('SELECT id FROM doctors WHERE active = 1 LIMIT 1').get() as { id: string };
    const head = await signedIn(a.desk, 'head');
    const before = sql(a).prepare('SELECT (SELECT count(*) FROM schedule_exceptions) AS e, (SELECT count(*) FROM outbox) AS o, (SELECT count(*) FROM tasks) AS t').get();
    const base = { doctorId, kind: 'sick' as const, fromDate: TOMORROW, toDate: TOMORROW, hours: null, note: '' };
    await expect(a.call('schedule.enterAbsence', base)).rejects.toThrow('forbidden');
    await expect(head.call('schedule.enterAbsence', { ...base, toDate: '2026-11-23', fromDate: '2026-11-25' })).rejects.toThrow('absence_dates');
    await expect(head.call('schedule.enterAbsence', { ...base, kind: 'absenteeism', hours: { from: '08:00', to: '11:00' } })).rejects.toThrow('absence_hours');
    await expect(head.call('schedule.enterAbsence', { ...base, fromDate: '2026-11-20', toDate: '2026-11-21' })).rejects.toThrow('absence_past');
    await expect(head.call('schedule.enterAbsence', { ...base, doctorId: 'nobody' })).rejects.toThrow('unknown_doctor');
    expect(sql(a).prepare('SELECT (SELECT count(*) FROM schedule_exceptions) AS e, (SELECT count(*) FROM outbox) AS o, (SELECT count(*) FROM tasks) AS t').get()).toEqual(before);
  });
});

describe('an absence loaded with the directory (issue 19 finding 4: `npm run server -- import`, IT’s HR file)', () => {
  it('puts the booked patients on every desk’s call list with R8’s offers, as the head’s absence does — once, however often the file is imported', async () => {
    const { a, b, doctorId, booked } = await deskPairWithBookings(3);
    const file = JSON.parse(JSON.stringify(exportDirectory(clinic.source.desk.env))) as DirectoryFile;
    const org = file.organizations.find((o) => o.organization.id === a.desk.env.org.id)!;
    org.exceptions.push({ id: 'hr-vacation-1', doctorId, fromDate: TOMORROW, toDate: '2026-12-04', kind: 'vacation', intervals: null, share: null, note: 'отпуск (HR)' } as never);
    const first = await importDirectory(clinic.database.db, parseDirectoryFile(file), clinic.now());
    expect(first.calls).toBe(2);
    await sync(a, b);
    for (const d of [a, b]) {
      const mine = (await d.call('tasks.list', {})).filter((t) => booked.some((x) => x.id === t.appointment?.id));
      expect(mine.map((t) => t.appointment!.id).sort()).toEqual(booked.map((x) => x.id).sort());
      for (const t of mine) {
        expect(t).toMatchObject({ reason: 'absence:vacation', urgent: true });
        expect(t.alternatives[0]).toMatchObject({ kind: 'same_time', date: TOMORROW });
        expect(t.alternatives[0]!.doctorId).not.toBe(doctorId);
      }
      expect(freeTimes(d, doctorId)).toBe(0);
    }
    // The same file again, and once more with an unrelated change: nobody is phoned twice.
    expect((await importDirectory(clinic.database.db, parseDirectoryFile(file), clinic.now())).calls).toBe(0);
    org.exceptions.push({ id: 'hr-training-1', doctorId, fromDate: '2026-12-07', toDate: '2026-12-07', kind: 'training', intervals: null, share: null, note: '' } as never);
    expect((await importDirectory(clinic.database.db, parseDirectoryFile(file), clinic.now())).calls).toBe(0);
    await sync(a);
    expect((await a.call('tasks.list', {})).filter((t) => booked.some((x) => x.id === t.appointment?.id))).toHaveLength(2);
  });
});
