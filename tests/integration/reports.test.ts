import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src-shared/reports/report.js';
import { TestDesk } from '../support/desk.js';

let t: TestDesk;
beforeAll(async () => {
  t = await TestDesk.start('head');
});
afterAll(() => t.close());

const TODAY = '2026-11-23';
const sql = () => t.desk.env.db.sqlite;
const of = (r: Report, doctorId: string) => ({
  attendance: r.attendance.find((a) => a.doctorId === doctorId) ?? { booked: 0, noShows: 0, cancelled: 0, late: 0 },
  occupancy: r.occupancy.find((o) => o.doctorId === doctorId)!,
});

describe('the head’s reports (issue 11): requests, refusals, attendance, occupancy, earliest free time', () => {
  it('counts a day of one doctor as it happened: a cancellation (a move is none), a late arrival in the live queue (R12), a no-show; the register’s figures; the schedule’s bookable times', async () => {
    // The doctor with the most free registry times left today.
    const { doctorId } = sql()
      .prepare(
        "SELECT doctor_id AS doctorId FROM slots WHERE date = ? AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND start_utc > ? GROUP BY doctor_id ORDER BY count(*) DESC LIMIT 1",
      )
      .get(TODAY, t.now) as { doctorId: string };
    const free = sql()
      .prepare("SELECT id, start_utc AS s FROM slots WHERE doctor_id = ? AND date = ? AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND start_utc > ? ORDER BY start_utc LIMIT 5")
      .all(doctorId, TODAY, t.now) as Array<{ id: string; s: number }>;
    const patients = sql()
      .prepare(
        "SELECT id FROM patients WHERE attached_org_id = (SELECT value FROM meta WHERE key = 'org_id') AND priority = 0 AND id NOT IN (SELECT patient_id FROM appointments WHERE date >= '2026-11-23') ORDER BY id LIMIT 4",
      )
      .all() as Array<{ id: string }>;
    const filter = { from: TODAY, to: TODAY, doctorId };
    const before = of(await t.call('reports.get', filter), doctorId);

    const book = async (i: number, slot: number) => (await t.call('appointments.book', { patientId: patients[i]!.id, slotId: free[slot]!.id, preventive: true })).appointment;
    const cancelled = await book(0, 0);
    await t.call('appointments.cancel', { appointmentId: cancelled.id });
    const moved = await book(1, 1);
    await t.call('appointments.move', { appointmentId: moved.id, slotId: free[4]!.id });
    const late = await book(2, 2);
    const absent = await book(3, 3);
    await t.travel(free[2]!.s + 20 * 60_000, 'head');
    expect((await t.call('appointments.checkIn', { appointmentId: late.id })).liveQueue).toBe(true);
    await t.travel(free[3]!.s + 60_000, 'head');
    await t.call('appointments.noShow', { appointmentId: absent.id });

    const report = await t.call('reports.get', filter);
    const after = of(report, doctorId);
    expect({
      booked: after.attendance.booked - before.attendance.booked,
      noShows: after.attendance.noShows - before.attendance.noShows,
      cancelled: after.attendance.cancelled - before.attendance.cancelled,
      late: after.attendance.late - before.attendance.late,
    }).toEqual({ booked: 3, noShows: 1, cancelled: 1, late: 1 });
    expect(after.occupancy.booked - before.occupancy.booked).toBe(3);
    // Bookable: the doctor's open times of the day, as the desk materialized them from the same schedules.
    expect(after.occupancy.bookable).toBe((sql().prepare('SELECT count(*) AS n FROM slots WHERE doctor_id = ? AND date = ? AND blocked = 0').get(doctorId, TODAY) as { n: number }).n);

    // Requests by channel and result: what the register of requests lists for the same filter.
    const register = await t.call('register.list', filter);
    const counted = new Map<string, number>();
    for (const r of register) counted.set(`${r.channel}/${r.result}`, (counted.get(`${r.channel}/${r.result}`) ?? 0) + 1);
    expect(new Map(report.requests.map((r) => [`${r.channel}/${r.result}`, r.n]))).toEqual(counted);
    expect(counted.get('registry/moved')).toBeGreaterThanOrEqual(1);
  });

  it('counts refusals by their reason, and gives each specialty’s earliest free time as the booking grid finds it', async () => {
    const filter = { from: TODAY, to: TODAY };
    const n = (r: Report) => r.refusals.find((x) => x.reason === 'intoxication')?.n ?? 0;
    const before = n(await t.call('reports.get', filter));
    await t.call('register.refuse', { patientId: null, applicant: 'Иванов', specialtyId: null, reason: 'intoxication' });
    await t.call('register.refuse', { patientId: null, applicant: 'Петров', specialtyId: null, reason: 'intoxication' });
    const report = await t.call('reports.get', filter);
    expect(n(report) - before).toBe(2);
    for (const e of report.earliest.slice(0, 4)) {
      const grid = await t.call('slots.search', { specialtyId: e.specialtyId, channel: 'registry' });
      const first =
        grid.doctorDays
          .filter((d) => d.free > 0)
          .map((d) => d.date)
          .sort()[0] ?? null;
      expect(e.date).toBe(first);
      if (first) expect(e.days).toBe(Math.round((Date.parse(first) - Date.parse(report.today)) / 86_400_000));
    }
  });

  it('exports the same tables as XLSX (one sheet a part) and CSV; a reversed period is refused', async () => {
    const filter = { from: '2026-11-01', to: TODAY };
    const report = await t.call('reports.get', filter);
    const xlsx = await t.call('reports.export', { ...filter, format: 'xlsx' });
    expect(xlsx.fileName).toBe('report-2026-11-01_2026-11-23.xlsx');
    const sheets = await readXlsxFile(Buffer.from(xlsx.base64, 'base64'));
    expect(sheets.map((s) => s.sheet)).toEqual([
      '1 Обращения по каналам',
      '2 Отказы по причинам',
      '3 Неявки, отмены, опоздания',
      '4 Загрузка врачей',
      '5 Ближайшее свободное время',
      '6 Лист ожидания',
    ]);
    const occupancy = sheets[3]!.data;
    expect(occupancy[0]).toEqual(['Врач', 'Время по графику', 'Записей', 'Загрузка']);
    expect(occupancy.length - 1).toBe(report.occupancy.length);
    const first = report.occupancy[0]!;
    expect(occupancy.find((row) => row[0] === t.desk.env.directory.doctor(first.doctorId)!.fullName)?.slice(1, 3)).toEqual([first.bookable, first.booked]);
    const csv = Buffer.from((await t.call('reports.export', { ...filter, format: 'csv' })).base64, 'base64').toString('utf8');
    expect(csv.startsWith('\ufeffОбращения по каналам\r\nОбращение;')).toBe(true);
    expect(csv).toContain('\r\n\r\nЗагрузка врачей\r\nВрач;Время по графику;Записей;Загрузка\r\n');
    expect((await t.fail('reports.get', { from: TODAY, to: '2026-11-01' })).error.code).toBe('bad_input');
    await t.signIn('registrar');
    expect((await t.fail('reports.get', filter)).error.code).toBe('forbidden');
  });
});
