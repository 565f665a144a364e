import { sql } from 'drizzle-orm';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../sync-server/messages/outbox.js';
import { MessageSender } from '../../sync-server/messages/sender.js';
import { fileTransport } from '../../sync-server/messages/transports/file.js';
import { DirectoryCache } from '../../sync-server/rules/directory-cache.js';
import { silentLogger } from '../../sync-server/log.js';
import { ClinicServer, ORG, signedIn, type EnrolledDesk } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';

/**
 * Issue 20, messages to patients: the outbox in the server's database, filled in the booking's own transaction by
 * every path (here a desk's pushes and an absence), sent once per booking version and kind, held through the night,
 * and shown on every desk's patient card. P15 (004 L277–283) for the change notice; the rest is our choice
 * (PolicyProfile.messages).
 */
let now = MONDAY_9AM; // Monday 09:00 in Bishkek
const clinic = new ClinicServer(() => now);
const file = join(mkdtempSync(join(tmpdir(), 'kezek-sms-')), 'sms.ndjson');
let desk: EnrolledDesk;
let sender: MessageSender;
const WEDNESDAY = '2026-11-25';
const HOUR = 3_600_000;

beforeAll(async () => {
  await clinic.start();
  desk = await clinic.enrolledDesk('Регистратура');
  await desk.desk.sync!.syncOnce();
  sender = new MessageSender(clinic.database.db, new DirectoryCache(), { sms: fileTransport(file), email: null }, () => now, silentLogger);
});
afterAll(() => clinic.stop());

const db = () => desk.desk.env.db.sqlite;
const sent = (): Array<{ id: string; to: string; text: string }> =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    : [];
const outbox = (patientId: string) =>
  rowsOf<{ kind: string; status: string; error: string | null; attempts: number }>(
    clinic.database.db,
    sql`SELECT kind, status, error, attempts FROM patient_messages WHERE org_id = ${ORG} AND patient_id = ${patientId} ORDER BY id`,
  );
let taken = 0;
/** An attached patient with a phone and no booking yet. */
function patient(): { id: string; phone: string } {
  return db()
    .prepare(
      `SELECT id, phone FROM patients p WHERE attached_org_id = ? AND priority = 0 AND length(phone) > 8
        AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id) ORDER BY id LIMIT 1 OFFSET ?`,
    )
    .get(ORG, taken++) as { id: string; phone: string };
}
/** A free registry time of a family doctor that day (the desk books it online). */
const time = (date: string, skip = 0) =>
  db()
    .prepare(
      `SELECT s.id, s.doctor_id AS doctorId FROM slots s JOIN doctors d ON d.id = s.doctor_id WHERE d.specialty_id = 'family' AND s.date = ? AND s.channel = 'registry'
          AND s.appointment_id IS NULL AND s.blocked = 0 ORDER BY s.start_utc LIMIT 1 OFFSET ?`,
    )
    .get(date, skip) as { id: string; doctorId: string };
const syncDesk = () => desk.desk.sync!.syncOnce();
/** The registrar signed in at the desk's clock now (moving the clock by hours ends an idle session, as it should). */
const registrar = async () => (await signedIn(desk.desk)).call;

describe('messages to patients (issue 20)', () => {
  it('a booking by phone is confirmed by SMS in the profile’s language, once, and listed on the card; one made at the window is not, and needs no line on the card', async () => {
    const [p1, p2] = [patient(), patient()];
    const byPhone = await desk.call('appointments.book', { patientId: p1.id, slotId: time(WEDNESDAY).id, channel: 'phone' });
    await desk.call('appointments.book', { patientId: p2.id, slotId: time(WEDNESDAY).id });
    await syncDesk();
    await sender.tick();
    await sender.tick(); // a second pass sends nothing again
    const mine = sent().filter((m) => m.to.endsWith(p1.phone.replace(/\D/g, '').slice(-9)));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.to).toMatch(/^\+996\d{9}$/);
    // KG: Kyrgyz unless the patient chose otherwise on the patient page; the time as the clinic's clock shows it.
    expect(mine[0]!.text).toContain('Сиз жазылдыңыз');
    expect(mine[0]!.text).toContain(`25.11 ${byPhone.appointment.time}`);
    expect(mine[0]!.text).toContain(byPhone.appointment.ticketCode);
    expect(await outbox(p1.id)).toEqual([{ kind: 'confirmation', status: 'sent', error: null, attempts: 1 }]);
    expect(await outbox(p2.id)).toEqual([{ kind: 'confirmation', status: 'skipped', error: 'booked_at_window', attempts: 1 }]);
    // Every desk's card shows what was sent (and what was not and why: below) — a window booking needs no message and lists none.
    await syncDesk();
    const card1 = await desk.call('patients.get', { patientId: p1.id });
    expect(card1.messages).toMatchObject([{ kind: 'confirmation', status: 'sent', channel: 'sms', recipient: expect.stringMatching(/^\+996•+\d{3}$/) }]);
    expect(card1.messages[0]!.text).toBe(mine[0]!.text);
    expect((await desk.call('patients.get', { patientId: p2.id })).messages).toEqual([]);
  });

  it('a cancellation is told once; a move is one "moved" message, not a cancellation and a booking', async () => {
    const [p1, p2] = [patient(), patient()];
    const one = await desk.call('appointments.book', { patientId: p1.id, slotId: time(WEDNESDAY).id, channel: 'phone' });
    const two = await desk.call('appointments.book', { patientId: p2.id, slotId: time(WEDNESDAY).id, channel: 'phone' });
    await syncDesk();
    await sender.tick();
    await desk.call('appointments.cancel', { appointmentId: one.appointment.id, channel: 'phone' });
    const moved = await desk.call('appointments.move', { appointmentId: two.appointment.id, slotId: time(WEDNESDAY, 3).id });
    await syncDesk();
    await sender.tick();
    expect((await outbox(p1.id)).map((m) => [m.kind, m.status])).toEqual([
      ['confirmation', 'sent'],
      ['cancellation', 'sent'],
    ]);
    expect((await outbox(p2.id)).map((m) => [m.kind, m.status])).toEqual([
      ['confirmation', 'sent'],
      ['moved', 'sent'],
    ]);
    expect(sent().at(-1)!.text).toContain(`Жазылуу которулду: 25.11 ${moved.appointment.time}`);
  });

  it('nothing goes at night: a booking at 22:00 is confirmed at 09:00 the next morning (PolicyProfile.messages.quietHours)', async () => {
    now = MONDAY_9AM + 13 * HOUR; // 22:00 Bishkek
    try {
      const p = patient();
      await (await registrar())('appointments.book', { patientId: p.id, slotId: time(WEDNESDAY).id, channel: 'phone' });
      await syncDesk();
      const before = sent().length;
      await sender.tick();
      expect(sent()).toHaveLength(before);
      const [held] = await rowsOf<{ status: string; not_before: string }>(clinic.database.db, sql`SELECT status, not_before FROM patient_messages WHERE patient_id = ${p.id}`);
      expect({ status: held!.status, notBefore: Number(held!.not_before) }).toEqual({ status: 'pending', notBefore: MONDAY_9AM + 24 * HOUR });
      now = MONDAY_9AM + 24 * HOUR + 60_000; // Tuesday 09:01
      await sender.tick();
      // The day before the visit, too: the reminder is not sent on top of the confirmation that just went.
      expect((await outbox(p.id)).map((m) => [m.kind, m.status, m.error])).toEqual([
        ['confirmation', 'sent', null],
        ['reminder', 'skipped', 'recently_told'],
      ]);
    } finally {
      now = MONDAY_9AM;
    }
  });

  it('a doctor’s sick leave tells each booked patient the visit will not happen, with the registry’s phone (R8, P15: 004 L277–283)', async () => {
    const p = patient();
    const slot = time(WEDNESDAY, 20);
    await (await registrar())('appointments.book', { patientId: p.id, slotId: slot.id });
    await syncDesk();
    const head = await signedIn(desk.desk, 'head');
    await head.call('schedule.enterAbsence', { doctorId: slot.doctorId, kind: 'sick', fromDate: WEDNESDAY, toDate: WEDNESDAY, hours: null, note: '' });
    await syncDesk();
    await sender.tick();
    expect((await outbox(p.id)).map((m) => [m.kind, m.status])).toEqual([
      ['confirmation', 'skipped'],
      ['change', 'sent'],
    ]);
    const phone = (db().prepare('SELECT phone FROM organizations WHERE id = ?').get(ORG) as { phone: string }).phone;
    expect(sent().at(-1)!.text).toContain('кабыл алуу болбойт');
    expect(sent().at(-1)!.text).toContain(phone);
  });

  it('reminds the day before, once, in the language the patient chose; not a booking made the day before', async () => {
    const [early, late] = [patient(), patient()];
    await (await registrar())('appointments.book', { patientId: early.id, slotId: time(WEDNESDAY, 30).id });
    await syncDesk();
    await clinic.database.db.execute(sql`INSERT INTO patient_prefs (org_id, patient_id, lang, updated_at) VALUES (${ORG}, ${early.id}, 'ru', ${now})`);
    now = MONDAY_9AM + 25 * HOUR; // Tuesday 10:00
    try {
      await (await registrar())('appointments.book', { patientId: late.id, slotId: time(WEDNESDAY, 31).id });
      await syncDesk();
      const swept = new MessageSender(clinic.database.db, new DirectoryCache(), { sms: fileTransport(file), email: null }, () => now, silentLogger);
      await swept.tick();
      await swept.tick();
      expect((await outbox(early.id)).map((m) => [m.kind, m.status])).toEqual([
        ['confirmation', 'skipped'],
        ['reminder', 'sent'],
      ]);
      expect(sent().filter((m) => m.text.startsWith('Напоминаем: завтра 25.11'))).toHaveLength(1);
      expect((await outbox(late.id)).map((m) => [m.kind, m.status, m.error])).toEqual([
        ['confirmation', 'skipped', 'booked_at_window'],
        ['reminder', 'skipped', 'booked_recently'],
      ]);
    } finally {
      now = MONDAY_9AM;
    }
  });
});
