import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDesk, type Desk } from '../../src-main/desk.js';
import type { Input, Method, Output } from '../../src-shared/rpc/contract.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { ClinicServer, ORG, type EnrolledDesk } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { createHttpApp, listen, LOOPBACK_HOSTS } from '../../src-main/rpc/http.js';

/**
 * The hall's kiosk (issue 21 part 1): enrolled as a PC of its own kind, it leases its part of the internet share,
 * identifies a patient by PIN or ticket, books and checks in with the sync server down, signed as the kiosk; the
 * server takes its ops as the kiosk channel when the link returns.
 */
const clinic = new ClinicServer();
let registry: EnrolledDesk;
let kiosk: Desk;
let k: <M extends Method>(m: M, i: Input<M>) => Promise<Output<M>>;
let kioskError: (m: Method, i: unknown) => Promise<string>;

beforeAll(async () => {
  await clinic.start();
  registry = await clinic.enrolledDesk('Регистратура');
  const code = await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM, 72, { kind: 'kiosk' });
  kiosk = await openDesk({ dataDir: clinic.newDir(), clock: clinic.now, autoSync: false, enroll: { serverUrl: clinic.url, code, deviceName: 'Инфомат', password: 'kiosk-pass' } });
  const start = await kiosk.router.call('kiosk.start', { lang: 'ru' }, { address: '127.0.0.1' });
  if (!start.ok) throw new Error(`kiosk.start: ${start.error.code}`);
  const token = (start.data as { token: string }).token;
  k = async (m, i) => {
    const r = await kiosk.router.call(m, i, { token });
    if (!r.ok) throw new Error(`${m}: ${r.error.code}`);
    return r.data as never;
  };
  kioskError = async (m, i) => {
    const r = await kiosk.router.call(m, i, { token });
    return r.ok ? 'ok' : r.error.code;
  };
  await kiosk.sync!.syncOnce();
  await kiosk.sync!.syncOnce();
}, 120_000);

afterAll(async () => {
  await kiosk.close();
  await registry.desk.close();
  await clinic.stop();
});

describe('the kiosk (issue 21 part 1)', () => {
  it('opens its own screen only on its own PC, and nothing a registrar does', async () => {
    expect((await kiosk.router.call('kiosk.start', {}, { address: '192.168.1.20' })).ok).toBe(false);
    expect((await registry.desk.router.call('kiosk.start', {}, { address: '127.0.0.1' })).ok).toBe(false);
    expect(await kioskError('patients.find', { query: 'Асанов' })).toBe('forbidden');
    expect(await kioskError('appointments.day', {})).toBe('forbidden');
  });

  it('holds its part of the internet share (P6, R7) and no registry time', () => {
    const s = kiosk.env.db.sqlite;
    const mine = s
      .prepare('SELECT s.channel, count(*) AS n FROM leases l JOIN slots s ON s.id = l.slot_id WHERE l.device_id = (SELECT value FROM meta WHERE key = ?) GROUP BY s.channel')
      .all('server_device_id');
    expect(mine).toEqual([{ channel: 'internet', n: expect.any(Number) }]);
    const internet = (
      s.prepare("SELECT count(*) AS n FROM slots WHERE channel = 'internet' AND start_utc > ? AND date IN (SELECT DISTINCT s.date FROM leases l JOIN slots s ON s.id = l.slot_id)").get(MONDAY_9AM) as {
        n: number;
      }
    ).n;
    const held = (mine[0] as { n: number }).n;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(Math.ceil(internet * 0.5));
  });

  it('with the server down: identifies by PIN and by ticket, books a guaranteed time signed as the kiosk, checks in; the server takes both as the kiosk channel', async () => {
    const s = registry.desk.env.db.sqlite;
    const [p1, p2] = s.prepare('SELECT id, national_id AS pin FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 2 OFFSET 90').all(ORG) as { id: string; pin: string }[];
    // p2 was booked for today at the registry, before the outage.
    const slot = s
      .prepare("SELECT id FROM slots WHERE date = '2026-11-23' AND start_utc > ? AND channel = 'registry' AND specialty_id = 'family' AND appointment_id IS NULL ORDER BY start_utc LIMIT 1")
      .get(MONDAY_9AM + 3_600_000) as { id: string };
    const todays = await registry.call('appointments.book', { patientId: p2!.id, slotId: slot.id });
    await registry.desk.sync!.syncOnce();
    await kiosk.sync!.syncOnce();
    await clinic.down();
    await kiosk.sync!.syncOnce(); // its sync loop finds the server gone

    const who = await k('kiosk.identify', { code: p1!.pin });
    expect(who).toMatchObject({ patientId: p1!.id, attached: true, blockedUntil: null });
    expect(who.name).toMatch(/^\S+ (\S\. ?)+$/);
    expect(await kioskError('kiosk.identify', { code: '00000000000000' })).toBe('kiosk_unknown');
    const specialties = await k('kiosk.specialties', { patientId: p1!.id });
    const family = specialties.find((x) => x.specialtyId === 'family')!;
    expect(family.free).toBeGreaterThan(0);
    const times = await k('kiosk.times', { patientId: p1!.id, specialtyId: 'family' });
    expect(times.length).toBeGreaterThan(0);
    expect(times.map((t) => `${t.date} ${t.time}`)).toEqual([...times.map((t) => `${t.date} ${t.time}`)].sort());
    // Offline it offers only its own leased times: whatever the patient picks is certain.
    const leased = new Set(
      (kiosk.env.db.sqlite.prepare("SELECT slot_id AS id FROM leases WHERE device_id = (SELECT value FROM meta WHERE key = 'server_device_id')").all() as { id: string }[]).map((r) => r.id),
    );
    expect(times.every((t) => leased.has(t.slotId))).toBe(true);
    const booked = await k('kiosk.book', { patientId: p1!.id, slotId: times[0]!.slotId });
    expect(booked.printed).toBe(false); // no printer set up on this kiosk
    const row = kiosk.env.db.sqlite.prepare('SELECT channel, mode, created_by AS by FROM appointments WHERE id = ?').get(booked.ticket.appointmentId);
    expect(row).toEqual({ channel: 'kiosk', mode: 'guaranteed', by: 'user-kiosk' });

    // p2 scans their ticket: today's booking, checked in.
    const byTicket = await k('kiosk.identify', { code: todays.ticket.code });
    expect(byTicket.patientId).toBe(p2!.id);
    const booking = byTicket.bookings.find((b) => b.appointmentId === todays.appointment.id)!;
    expect(booking.canCheckIn).toBe(true);
    // Not someone else's.
    expect(await kioskError('kiosk.checkIn', { patientId: p1!.id, appointmentId: booking.appointmentId })).toBe('not_found');
    expect(await k('kiosk.checkIn', { patientId: p2!.id, appointmentId: booking.appointmentId })).toMatchObject({ liveQueue: false, queueNumber: todays.appointment.queueNumber });

    await clinic.up();
    await kiosk.sync!.syncOnce();
    await kiosk.sync!.syncOnce();
    const results = kiosk.env.db.sqlite.prepare("SELECT name, status FROM outbox WHERE name IN ('appointments.book', 'appointments.checkIn') ORDER BY seq").all();
    expect(results).toEqual([
      { name: 'appointments.book', status: 'applied' },
      { name: 'appointments.checkIn', status: 'applied' },
    ]);
    await registry.desk.sync!.syncOnce();
    expect(s.prepare('SELECT channel, status, sync_state AS st FROM appointments WHERE id = ?').get(booked.ticket.appointmentId)).toEqual({ channel: 'kiosk', status: 'booked', st: 'confirmed' });
    expect(s.prepare('SELECT status FROM appointments WHERE id = ?').get(todays.appointment.id)).toEqual({ status: 'arrived' });
  });

  it('R10 (004 §3.4.1): a patient blocked for no-shows is refused at the kiosk, and the registry still books them', async () => {
    const s = kiosk.env.db.sqlite;
    const p = s.prepare('SELECT id, national_id AS pin FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 1 OFFSET 120').get(ORG) as { id: string; pin: string };
    // Three missed visits in a row within a month, as the server holds them too.
    for (const db of [s, registry.desk.env.db.sqlite]) {
      for (const [i, day] of ['2026-11-16', '2026-11-18', '2026-11-20'].entries()) {
        db.prepare(
          `INSERT INTO appointments (id, org_id, patient_id, slot_id, doctor_id, specialty_id, date, time, start_utc, status, channel, ticket_code, queue_number, live_queue, created_at, updated_at, created_by, device_id, sync_state, mode, visit_reason)
           SELECT 'missed-${i}', ?, ?, doctor_id || '@${day}T08:00', doctor_id, specialty_id, '${day}', '08:00', ?, 'noshow', 'registry', 'MISS${i}', 1, 0, ?, ?, 'u', 'd', 'confirmed', 'online', 'illness' FROM slots LIMIT 1`,
        ).run(ORG, p.id, Date.parse(`${day}T02:00:00Z`), MONDAY_9AM, MONDAY_9AM);
      }
    }
    const who = await k('kiosk.identify', { code: p.pin });
    expect(who.blockedUntil).not.toBeNull();
    const times = await k('kiosk.times', { patientId: p.id, specialtyId: 'family' }).catch(() => []);
    const slotId = times[0]?.slotId ?? (s.prepare("SELECT id FROM slots WHERE channel = 'internet' AND start_utc > ? AND appointment_id IS NULL LIMIT 1").get(MONDAY_9AM) as { id: string }).id;
    expect(await kioskError('kiosk.book', { patientId: p.id, slotId })).toBe('noshow_blocked');
    const free = registry.desk.env.db.sqlite
      .prepare("SELECT id FROM slots WHERE channel = 'registry' AND start_utc > ? AND appointment_id IS NULL AND specialty_id = 'family' LIMIT 1")
      .get(MONDAY_9AM) as { id: string };
    expect((await registry.call('appointments.book', { patientId: p.id, slotId: free.id })).appointment.channel).toBe('registry');
  });

  it('"call the registrar" (003 L118): the task is on the registry desk’s call list at once over the LAN with the server down, and once only after it returns; someone goes over and closes it', async () => {
    const hall = await listen(
      createHttpApp(registry.desk.router, null, LOOPBACK_HOSTS, () => registry.desk.hallHttp),
      0,
    );
    try {
      kiosk.env.db.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('hall_url', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(hall.url);
      await registry.desk.sync!.syncOnce(); // the kiosk's key, as the server published it
      await clinic.down();
      const p = registry.desk.env.db.sqlite.prepare('SELECT id, national_id AS pin FROM patients WHERE attached_org_id = ? ORDER BY id LIMIT 1 OFFSET 140').get(ORG) as { id: string; pin: string };
      await k('kiosk.identify', { code: p.pin });
      expect(await k('kiosk.help', { patientId: p.id })).toEqual({ sent: true });
      const open = (await registry.call('tasks.list', { status: 'open' })).filter((t) => t.kind === 'kiosk_help');
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ patientId: p.id, reason: 'kiosk_help' });
      await clinic.up();
      await kiosk.sync!.syncOnce();
      await kiosk.sync!.syncOnce();
      await registry.desk.sync!.syncOnce();
      expect((await registry.call('tasks.list', { status: 'open' })).filter((t) => t.kind === 'kiosk_help')).toHaveLength(1);
      await registry.call('tasks.resolve', { taskId: open[0]!.id, outcome: 'reached' });
      await registry.desk.sync!.syncOnce();
      expect((await registry.call('tasks.list', { status: 'open' })).filter((t) => t.kind === 'kiosk_help')).toHaveLength(0);
      expect(registry.desk.env.db.sqlite.prepare("SELECT status FROM outbox WHERE name = 'tasks.resolve' ORDER BY seq DESC LIMIT 1").get()).toEqual({ status: 'applied' });
    } finally {
      await hall.close();
    }
  });

  it('no time free for the patient (issue 21): the kiosk puts them on the waiting list, signed as the kiosk, through its own channel — once', async () => {
    const p = registry.desk.env.db.sqlite.prepare('SELECT id, national_id AS pin FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 1 OFFSET 150').get(ORG) as {
      id: string;
      pin: string;
    };
    await k('kiosk.identify', { code: p.pin });
    const { until } = await k('kiosk.wait', { patientId: p.id, specialtyId: 'family' });
    expect(until).toBe(kiosk.env.db.sqlite.prepare("SELECT json_extract(row_json, '$.toDate') AS d FROM waiting_entries WHERE patient_id = ?").pluck().get(p.id));
    expect(await kioskError('kiosk.wait', { patientId: p.id, specialtyId: 'family' })).toBe('already_waiting');
    await kiosk.sync!.syncOnce();
    await registry.desk.sync!.syncOnce();
    const entry = (await registry.call('waiting.list', { all: false })).find((e) => e.patientId === p.id)!;
    expect(entry).toMatchObject({ channel: 'kiosk', doctorId: null, part: 'any', pending: false });
    expect(kiosk.env.db.sqlite.prepare("SELECT status FROM outbox WHERE name = 'waiting.add'").get()).toEqual({ status: 'applied' });
  });
});
