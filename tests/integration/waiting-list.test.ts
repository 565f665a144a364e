import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { ClinicServer, ORG, signedIn, type EnrolledDesk } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { get, post } from '../support/patient-page.js';
import { appointments, orgRows, slotLeases } from '../../sync-server/db/schema.js';
import type { WaitingEntry } from '../../src-shared/domain/waiting-entry.js';

/**
 * The waiting list (issue 21 part 3) between a real sync server and two enrolled desks: a time freed by a
 * cancellation goes to the first patient waiting for it, held for them; the acceptance books it on the server; a desk
 * that was offline and booked the same time meanwhile loses it visibly — never a double booking; a declined or
 * expired offer goes to the next.
 */
let clock = MONDAY_9AM;
const clinic = new ClinicServer(() => clock);
let a: EnrolledDesk;
let b: EnrolledDesk;
const WEDNESDAY = '2026-11-25';
let doctorId = '';
const patients: string[] = [];

const serverEntry = async (id: string): Promise<WaitingEntry> => {
  const [r] = await clinic.database.db
    .select({ row: orgRows.row })
    .from(orgRows)
    .where(and(eq(orgRows.orgId, ORG), eq(orgRows.entity, 'waiting_entry'), eq(orgRows.id, id)));
  return r!.row as WaitingEntry;
};
/** Wait for a condition the server reaches by itself (its waiting-list pass runs after the request that caused it). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}
/** The clock moved by hours: the registrars sign in again (a session does not outlive a shift). */
async function at(instant: number): Promise<void> {
  clock = instant;
  a = { ...a, ...(await signedIn(a.desk)) };
  b = { ...b, ...(await signedIn(b.desk)) };
}
const sync = async (...ds: EnrolledDesk[]) => {
  for (const d of ds) await d.desk.sync!.syncOnce();
};
const confirmedOn = async (slotId: string) =>
  clinic.database.db
    .select({ id: appointments.id, patientId: appointments.patientId })
    .from(appointments)
    .where(and(eq(appointments.orgId, ORG), eq(appointments.slotId, slotId), eq(appointments.syncState, 'confirmed'), inArray(appointments.status, ['booked', 'arrived', 'fulfilled'])));

beforeAll(async () => {
  await clinic.start();
  a = await clinic.enrolledDesk('Регистратура 1');
  b = await clinic.enrolledDesk('Регистратура 2');
  await sync(a, b, a, b);
  const s = a.desk.env.db.sqlite;
  doctorId = (s.prepare("SELECT id FROM doctors WHERE specialty_id = 'family' AND active = 1 ORDER BY id LIMIT 1").get() as { id: string }).id;
  patients.push(...(s.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 60 OFFSET 200').all(ORG) as { id: string }[]).map((p) => p.id));
  // Tuesday's times of the doctor the registry may book, all taken: each desk books those it may (its own leased ones, the common pool).
  let next = 10;
  for (const d of [a, b, a]) {
    await sync(d);
    for (const slot of await d.call('slots.day', { doctorId, date: WEDNESDAY })) {
      if (slot.state !== 'free' || slot.lease === 'other') continue;
      await d.call('appointments.book', { patientId: patients[next++]!, slotId: slot.slotId });
    }
    await sync(d);
  }
  await sync(a, b);
}, 180_000);

afterAll(async () => {
  await a.desk.close();
  await b.desk.close();
  await clinic.stop();
});

describe('the waiting list (issue 21 part 3)', () => {
  let first = '';
  let second = '';
  let freed = '';

  it('takes a patient for whom no time is free, with a wish, in the order asked; refuses a second entry and a wish in the past', async () => {
    expect((await a.call('slots.day', { doctorId, date: WEDNESDAY })).filter((x) => x.state === 'free' && x.lease !== 'other')).toEqual([]);
    const p = await a.call('waiting.add', { patientId: patients[0]!, specialtyId: 'family', doctorId, fromDate: WEDNESDAY, toDate: WEDNESDAY, part: 'any', channel: 'phone' });
    expect(p).toMatchObject({ status: 'waiting', pending: true, offer: null });
    first = p.id;
    clock += 60_000;
    second = (await b.call('waiting.add', { patientId: patients[1]!, specialtyId: 'family', doctorId, fromDate: WEDNESDAY, toDate: WEDNESDAY, part: 'any', channel: 'registry' })).id;
    await expect(
      a.call('waiting.add', { patientId: patients[0]!, specialtyId: 'family', doctorId: null, fromDate: WEDNESDAY, toDate: WEDNESDAY, part: 'morning', channel: 'registry' }),
    ).rejects.toThrow('already_waiting');
    await expect(a.call('waiting.add', { patientId: patients[2]!, specialtyId: 'family', doctorId, fromDate: '2026-11-20', toDate: WEDNESDAY, part: 'any', channel: 'registry' })).rejects.toThrow(
      'wish_dates',
    );
    await sync(a, b, a);
    expect(await serverEntry(first)).toMatchObject({ status: 'waiting', channel: 'phone' });
    expect((await a.call('waiting.list', { all: false })).map((e) => e.id)).toEqual([first, second]);
    // R15: each request that ended on the list is a row of the register, on every desk, by the registrar who took it.
    for (const d of [a, b]) {
      const rows = d.desk.env.db.sqlite.prepare("SELECT patient_id AS p, channel, user_id AS u FROM register_entries WHERE result = 'waiting_list' ORDER BY at, id").all() as Array<{
        p: string;
        channel: string;
        u: string;
      }>;
      expect(rows.map((r) => [r.p, r.channel])).toEqual([
        [patients[0], 'phone'],
        [patients[1], 'registry'],
      ]);
      expect(rows.every((r) => r.u.length > 0 && r.u !== 'unknown')).toBe(true);
    }
  });

  it('a time cancelled at night is offered in the morning to the first in line, held for them; a desk offline that booked it meanwhile loses it visibly', async () => {
    // A booking of the common pool (no desk's lease), cancelled at 21:30: nobody is told at night, so no offer yet;
    // the time is kept for the waiting list — no desk's renewal takes it.
    const s = a.desk.env.db.sqlite;
    const pool = s
      .prepare(
        `SELECT a.id, a.slot_id AS slotId FROM appointments a WHERE a.doctor_id = ? AND a.date = ? AND a.status = 'booked' AND a.mode = 'online'
          AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.slot_id = a.slot_id) ORDER BY a.start_utc DESC LIMIT 1`,
      )
      .get(doctorId, WEDNESDAY) as { id: string; slotId: string };
    freed = pool.slotId;
    await at(Date.parse('2026-11-23T15:30:00Z')); // 21:30 in Bishkek
    await a.call('appointments.cancel', { appointmentId: pool.id, channel: 'phone' });
    await sync(a);
    await clinic.waiting.sweep();
    expect(await serverEntry(first)).toMatchObject({ status: 'waiting', offer: null });
    await sync(b);
    expect((await b.call('slots.day', { doctorId, date: WEDNESDAY })).find((x) => x.slotId === freed)).toMatchObject({ state: 'free', lease: null });

    // Tuesday 07:00 the link is down; desk B books the time it saw free, for a walk-in — tentatively.
    await clinic.down();
    await at(Date.parse('2026-11-24T01:00:00Z'));
    await sync(b);
    const walkIn = await b.call('appointments.book', { patientId: patients[3]!, slotId: freed });
    expect(walkIn.appointment.mode).toBe('tentative');

    // 09:00 the server is back: the morning's pass offers the time to the first in line — by phone (no SMS gateway here).
    await clinic.up();
    await at(Date.parse('2026-11-24T03:00:00Z'));
    await clinic.waiting.sweep();
    const offered = await serverEntry(first);
    expect(offered).toMatchObject({ status: 'offered', offer: { slotId: freed, via: 'call', offeredAt: clock } });
    expect(offered.offer!.expiresAt).toBe(clock + 120 * 60_000);
    expect(await serverEntry(second)).toMatchObject({ status: 'waiting' });
    const [lease] = await clinic.database.db.select().from(slotLeases).where(eq(slotLeases.slotId, freed));
    expect(lease!.deviceId).toBe(`waiting-${ORG}`);

    // Desk A sees the offer on its list and on its call list; the time is not bookable there.
    await sync(a);
    const row = (await a.call('waiting.list', { all: false })).find((e) => e.id === first)!;
    expect(row.offer).toMatchObject({ slotId: freed, via: 'call' });
    expect((await a.call('tasks.list', { status: 'open' })).filter((t) => t.kind === 'waiting_offer').map((t) => t.patientId)).toEqual([patients[0]]);
    expect((await a.call('slots.day', { doctorId, date: WEDNESDAY })).find((x) => x.slotId === freed)!.lease).toBe('other');
    await expect(a.call('appointments.book', { patientId: patients[4]!, slotId: freed })).rejects.toThrow('slot_reserved');

    // The patient says yes on the phone: the server books it for them, numbered by the waiting list, signed by the registrar.
    const answered = await a.call('waiting.answer', { id: first, slotId: freed, answer: 'accept' });
    expect(answered.answered).toBe('accept');
    await sync(a, a);
    expect(await serverEntry(first)).toMatchObject({ status: 'booked', appointmentId: `wl-${first}` });
    const booked = s
      .prepare('SELECT patient_id AS p, status, sync_state AS st, channel, ticket_code AS code FROM appointments WHERE slot_id = ? AND status = ? AND sync_state = ?')
      .get(freed, 'booked', 'confirmed') as {
      p: string;
      code: string;
    };
    expect(booked).toMatchObject({ p: patients[0], channel: 'phone' });
    expect(booked.code).toMatch(/^[A-Z0-9]{3}\d{6}$/);
    expect(s.prepare('SELECT result, user_id AS u FROM register_entries WHERE appointment_id = ?').get(`wl-${first}`)).toEqual({ result: 'booked', u: expect.stringMatching(/./) });
    expect((await a.call('tasks.list', { status: 'open' })).filter((t) => t.kind === 'waiting_offer')).toEqual([]);

    // Desk B's walk-in comes up: the time is taken — a call task, the booking marked lost; one booking holds the time.
    await sync(b, b);
    expect(b.desk.env.db.sqlite.prepare('SELECT sync_state AS st FROM appointments WHERE id = ?').get(walkIn.appointment.id)).toEqual({ st: 'conflict' });
    expect((await confirmedOn(freed)).map((x) => x.patientId)).toEqual([patients[0]]);
  });

  it('declined, the time goes to the next at once and never back to who declined; an offer nobody answers ends with its hold', async () => {
    const s = a.desk.env.db.sqlite;
    const pool = s
      .prepare(
        `SELECT a.id, a.slot_id AS slotId FROM appointments a WHERE a.doctor_id = ? AND a.date = ? AND a.status = 'booked' AND a.sync_state = 'confirmed' AND a.slot_id != ?
          AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.slot_id = a.slot_id) ORDER BY a.start_utc DESC LIMIT 1`,
      )
      .get(doctorId, WEDNESDAY, freed) as { id: string; slotId: string };
    const third = (await a.call('waiting.add', { patientId: patients[5]!, specialtyId: 'family', doctorId, fromDate: WEDNESDAY, toDate: WEDNESDAY, part: 'any', channel: 'registry' })).id;
    await sync(a);
    await a.call('appointments.cancel', { appointmentId: pool.id, channel: 'phone' });
    await sync(a);
    const toSecond = await until(
      () => serverEntry(second),
      (e) => e.status === 'offered',
    );
    expect(toSecond.offer!.slotId).toBe(pool.slotId);
    await sync(b);
    await b.call('waiting.answer', { id: second, slotId: pool.slotId, answer: 'decline' });
    await sync(b);
    expect(await serverEntry(second)).toMatchObject({ status: 'waiting', passed: [pool.slotId], history: [{ outcome: 'declined' }] });
    const toThird = await until(
      () => serverEntry(third),
      (e) => e.status === 'offered',
    );
    expect(toThird.offer!.slotId).toBe(pool.slotId);
    // Two hours on, nobody answered: the hold ends; nobody else waits for it, so the time is free for anyone.
    await at(clock + 121 * 60_000);
    await clinic.waiting.sweep();
    expect(await serverEntry(third)).toMatchObject({ status: 'waiting', offer: null, history: [{ outcome: 'expired' }] });
    expect(await serverEntry(second)).toMatchObject({ status: 'waiting', offer: null });
    expect(await clinic.database.db.select().from(slotLeases).where(eq(slotLeases.slotId, pool.slotId))).toEqual([]);
    // An answer after the hold is refused, and changes nothing.
    await sync(a);
    await expect(a.call('waiting.answer', { id: third, slotId: pool.slotId, answer: 'accept' })).rejects.toThrow('offer_gone');
  });

  it("the head's report counts who got a time from the list, and how fast", async () => {
    const head = await signedIn(a.desk, 'head');
    const r = await head.call('reports.get', { from: '2026-11-23', to: WEDNESDAY });
    // Three put on the list; the first got a time 24 hours after (Monday 09:00 → Tuesday 09:00); two still wait.
    expect(r.waiting).toEqual([{ specialtyId: 'family', added: 3, booked: 1, medianHours: 24, closed: 0, open: 2 }]);
  });

  it('a new weekly schedule that adds times offers the first of them to the first in line at once', async () => {
    const head = await signedIn(a.desk, 'head');
    const current = JSON.parse((a.desk.env.db.sqlite.prepare('SELECT week_json AS w FROM schedule_templates WHERE doctor_id = ? AND valid_to IS NULL').get(doctorId) as { w: string }).w) as Record<
      string,
      Array<{ from: string; to: string; channel: string }>
    >;
    const last = current['3']!.at(-1)!.to;
    expect(last).toBe('16:00');
    // From Wednesday the doctor also sees patients 16:00–16:40: every earlier time (and its booking) stays as it was.
    const week = { ...current, 3: [...current['3']!, { from: '16:00', to: '16:40', channel: 'registry' }] };
    const saved = await head.call('schedule.saveTemplate', { doctorId, validFrom: WEDNESDAY, validTo: null, slotMinutes: 20, week: week as never });
    expect(saved).toMatchObject({ calls: 0, verdict: 'confirmed' });
    const offered = await until(
      () => serverEntry(second),
      (e) => e.status === 'offered',
    );
    expect(offered.offer).toMatchObject({ date: WEDNESDAY, time: '16:00' });
  });

  it("from the patient's own page (P1): the patient joins the list for the family doctor, is offered the doctor's first free internet time at once, and books it there", async () => {
    const p = clinic.source.desk.env.db.sqlite
      .prepare('SELECT id, national_id AS pin, phone FROM patients WHERE attached_org_id = ? AND attached_doctor_id = ? AND length(phone) > 5 AND priority = 0 ORDER BY id LIMIT 1 OFFSET 3')
      .get(ORG, doctorId) as { id: string; pin: string; phone: string };
    const signIn = await post(clinic.url, '/sign-in', { pin: p.pin, phone: p.phone });
    expect(signIn.status).toBe(303);
    const joined = await post(clinic.url, '/waiting', { specialty: 'family', doctor: doctorId }, signIn.cookie);
    expect(joined.text).toMatch(/Вы в листе ожидания до/);
    const [entry] = await clinic.database.db
      .select({ id: orgRows.id })
      .from(orgRows)
      .where(and(eq(orgRows.orgId, ORG), eq(orgRows.entity, 'waiting_entry'), sql`${orgRows.row}->>'patientId' = ${p.id}`));
    const offered = await until(
      () => serverEntry(entry!.id),
      (e) => e.status === 'offered',
    );
    expect(offered).toMatchObject({ channel: 'internet', doctorId });
    // The page shows the time held and its answer; a second join for the same specialty is not offered.
    const home = await get(clinic.url, '/home', signIn.cookie);
    expect(home.text).toMatch(/вам предложено время/);
    expect(home.text).not.toMatch(/data-testid="wait-join"/);
    const booked = await post(clinic.url, '/waiting/answer', { entry: entry!.id, slot: offered.offer!.slotId, answer: 'accept' }, signIn.cookie);
    expect(booked.text).toMatch(/Вы записаны на предложенное время/);
    expect(await serverEntry(entry!.id)).toMatchObject({ status: 'booked' });
    expect((await confirmedOn(offered.offer!.slotId)).map((x) => x.patientId)).toEqual([p.id]);
    // Someone else's entry id is not theirs to answer.
    expect((await post(clinic.url, '/waiting/answer', { entry: first, slot: freed, answer: 'decline' }, signIn.cookie)).location).toBe('/p/home');
  });
});
