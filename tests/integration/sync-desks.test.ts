import { SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDesk } from '../../src-main/desk.js';
import { progressLine } from '../../src-main/sync/progress.js';
import type { Input, Method, Output } from '../../src-shared/rpc/contract.js';
import { listDevices, revokeDevice } from '../../sync-server/auth/devices.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import type { Database } from '../../sync-server/db/connect.js';
import { ClinicServer } from '../support/clinic-server.js';
import { MONDAY_9AM, type TestDesk } from '../support/desk.js';

const clinic = new ClinicServer();
let source: TestDesk;
let database: Database;
const now = clinic.now;
const serverUp = () => clinic.up();
const server = {
  close: () => clinic.down(),
  get url() {
    return clinic.url;
  },
};
const enrolledDesk = (name: string) => clinic.enrolledDesk(name);

beforeAll(async () => {
  await clinic.start();
  ({ source, database } = clinic);
});
afterAll(() => clinic.stop());

describe('two desks, one server, an outage', () => {
  it('both book the same slot offline; after reconnecting one wins, the other is kept as a conflict on the call list with alternatives', async () => {
    const a = await enrolledDesk('Регистратура 1');
    const b = await enrolledDesk('Регистратура 2');
    // Bootstrapped from the server alone: the whole register of attached patients and the doctors.
    expect(a.desk.env.db.sqlite.prepare('SELECT count(*) AS n FROM patients').get()).toEqual({ n: 400 });
    expect(a.desk.env.directory.doctors.size).toBe(source.desk.env.directory.doctors.size);
    expect(statSync(join(a.dir, 'device-token')).mode & 0o777).toBe(0o600);
    // The first download showed its progress against a known total, page by page, ending at 100 %.
    const total = a.progress[0]![1]!;
    expect(total).toBeGreaterThan(400);
    expect(a.progress.every(([, t]) => t === total)).toBe(true);
    expect(a.progress.map(([d]) => d)).toEqual([...a.progress.map(([d]) => d)].sort((x, y) => x - y));
    expect(a.progress.at(-1)![0]).toBe(total);
    expect(progressLine(total / 2, total)).toMatch(/^\[#{15}\.{15}\] {2}50%/);

    // The internet goes down.
    await server.close();
    const slot = a.desk.env.db.sqlite.prepare("SELECT id FROM slots WHERE date = '2026-11-24' AND channel = 'registry' AND appointment_id IS NULL ORDER BY start_utc LIMIT 1").get() as { id: string };
    const patients = a.desk.env.db.sqlite.prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 2").all() as Array<{ id: string }>;
    const onA = await a.call('appointments.book', { patientId: patients[0]!.id, slotId: slot.id });
    const onB = await b.call('appointments.book', { patientId: patients[1]!.id, slotId: slot.id });
    await a.desk.sync!.syncOnce();
    expect(a.desk.sync!.status()).toMatchObject({ online: false, pending: 1, lastError: 'offline' });

    // It comes back; A happens to sync first.
    await serverUp();
    await a.desk.sync!.syncOnce();
    await b.desk.sync!.syncOnce();
    await a.desk.sync!.syncOnce();
    // Every desk of the clinic sees the conflict and its call task, not only the one that lost.
    expect(a.desk.sync!.status()).toMatchObject({ online: true, pending: 0, conflicts: 1, openTasks: 1 });
    expect(b.desk.sync!.status()).toMatchObject({ online: true, pending: 0, conflicts: 1, openTasks: 1 });

    for (const d of [a, b]) {
      const s = d.desk.env.db.sqlite;
      // Both replicas agree: A holds the slot; B's booking is kept, marked conflict.
      expect(s.prepare('SELECT appointment_id AS h FROM slots WHERE id = ?').get(slot.id)).toEqual({ h: onA.appointment.id });
      expect(s.prepare('SELECT sync_state AS st FROM appointments WHERE id = ?').get(onB.appointment.id)).toEqual({ st: 'conflict' });
      expect(s.prepare('SELECT sync_state AS st FROM appointments WHERE id = ?').get(onA.appointment.id)).toEqual({ st: 'confirmed' });
    }
    const [task] = await b.call('tasks.list', {});
    expect(task).toMatchObject({ kind: 'call_patient', patientId: patients[1]!.id, appointment: { id: onB.appointment.id }, phone: expect.any(String) });
    expect(task!.alternatives.length).toBeGreaterThan(0);

    // One click (F5, issue 9 finding 10): the lost booking *moves* to the first alternative, confirmed by the server — never a second booking.
    const re = await b.call('tasks.rebook', { taskId: task!.id, slotId: task!.alternatives[0]!.slotId });
    expect(re.appointment).toMatchObject({ syncState: 'confirmed', replacesId: onB.appointment.id, patientId: patients[1]!.id });
    await b.desk.sync!.syncOnce();
    const bs = b.desk.env.db.sqlite;
    expect(bs.prepare('SELECT sync_state AS st FROM appointments WHERE id = ?').get(re.appointment.id)).toEqual({ st: 'confirmed' });
    expect(bs.prepare('SELECT status FROM appointments WHERE id = ?').get(onB.appointment.id)).toEqual({ status: 'cancelled' });
    expect(bs.prepare("SELECT count(*) AS n FROM appointments WHERE patient_id = ? AND status = 'booked' AND date >= '2026-11-23'").get(patients[1]!.id)).toEqual({ n: 1 });
    expect(b.desk.sync!.status()).toMatchObject({ pending: 0, conflicts: 0, openTasks: 0 });
    expect((await b.call('register.list', {})).filter((r) => r.appointmentId === re.appointment.id).map((r) => r.result)).toEqual(['moved']);
    // The outcome reaches the other desk: its call list no longer shows the task as open.
    await a.desk.sync!.syncOnce();
    expect(await a.call('tasks.list', {})).toEqual([]);
    expect((await a.call('tasks.list', { status: 'all' }))[0]).toMatchObject({ id: task!.id, status: 'rebooked' });
    expect(a.desk.sync!.status()).toMatchObject({ openTasks: 0, conflicts: 0, registerAgeMs: 0 });
    expect(await a.call('appointments.day', { date: onB.appointment.date })).not.toContainEqual(expect.objectContaining({ id: onB.appointment.id }));
    // One register of requests for the organization (R15): each desk lists the other's bookings and refusals too.
    await a.call('register.refuse', { patientId: patients[0]!.id, applicant: 'x', specialtyId: null, reason: a.desk.env.profile.refusalReasons[0]!, channel: 'registry' });
    await a.desk.sync!.syncOnce();
    await b.desk.sync!.syncOnce();
    const onBsRegister = await b.call('register.list', {});
    expect(onBsRegister).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ appointmentId: onA.appointment.id, result: 'booked', applicant: expect.any(String) }),
        expect.objectContaining({ result: 'refused', reason: a.desk.env.profile.refusalReasons[0] }),
      ]),
    );
    const aRows = (await a.call('register.list', {})).map((r) => r.id).sort();
    expect(onBsRegister.map((r) => r.id).sort()).toEqual(aRows);
    await a.desk.close();
    await b.desk.close();
  });

  it('leases (issue 3 item 4): online bookings are confirmed at once; offline, a desk books its own leased slots guaranteed, the pool tentative (marked on the ticket), never another desk’s', async () => {
    // The two desks of the test before are replaced: revoking them gives their leases back at once.
    for (const d of await listDevices(database.db, 'org-bishkek-lenin')) await revokeDevice(database.db, d.id, MONDAY_9AM);
    const a = await enrolledDesk('Регистратура 1');
    const b = await enrolledDesk('Регистратура 2');
    // A alone takes the whole desk share; B waits; A gives back half on its next renewal, B takes it.
    for (const d of [a, b, a, b, a]) {
      d.desk.env.db.sqlite.prepare("DELETE FROM meta WHERE key = 'lease_renewed_at'").run();
      await d.desk.sync!.syncOnce();
    }
    const s = a.desk.env.db.sqlite;
    const me = (s.prepare("SELECT value FROM meta WHERE key = 'server_device_id'").get() as { value: string }).value;
    const doctorId = (
      s.prepare("SELECT doctor_id AS d FROM slots WHERE date = '2026-11-25' AND channel = 'registry' GROUP BY doctor_id ORDER BY count(*) DESC, doctor_id LIMIT 1").get() as { d: string }
    ).d;
    const day = await a.call('slots.day', { doctorId, date: '2026-11-25' });
    const mine = day.filter((x) => x.lease === 'mine' && x.state === 'free');
    const other = day.filter((x) => x.lease === 'other' && x.state === 'free');
    const pool = day.filter((x) => x.lease === null && x.state === 'free' && x.channel === 'registry');
    // The two desks share half of the doctor's registry slots; the rest is the common pool.
    expect(mine.length).toBeGreaterThan(0);
    expect(Math.abs(other.length - mine.length)).toBeLessThanOrEqual(1);
    expect(other.length).toBeGreaterThan(0);
    expect(pool.length).toBeGreaterThanOrEqual(Math.floor(day.filter((x) => x.channel === 'registry').length / 2));
    const held = (s.prepare('SELECT count(*) AS n FROM leases WHERE device_id = ?').get(me) as { n: number }).n;
    expect(held).toBeGreaterThanOrEqual(mine.length);
    const patients = s.prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 5 OFFSET 10").all() as Array<{ id: string }>;

    // Online: straight to the server, confirmed before the ticket prints.
    const online = await a.call('appointments.book', { patientId: patients[0]!.id, slotId: pool[0]!.slotId });
    expect(online.appointment).toMatchObject({ mode: 'online', syncState: 'confirmed' });
    expect(online.ticket.tentative).toBe(false);

    await server.close();
    // The desk still believes it is online: the booking goes to the server, gets no answer and falls back to tentative…
    const fallback = await a.call('appointments.book', { patientId: patients[4]!.id, slotId: pool[3]!.slotId });
    expect(fallback.appointment).toMatchObject({ mode: 'tentative', syncState: 'local' });
    expect(fallback.ticket.tentative).toBe(true);
    // …or, where the clinic allows no tentative bookings, is taken back and refused (the slot is free again).
    const strictProfile = { ...a.desk.env.profile, leases: { ...a.desk.env.profile.leases, offlineOutsideLease: 'refuse' as const } };
    const normal = a.desk.env.profile;
    a.desk.sync!.online = true; // as if the outage began a moment ago
    a.desk.env.profile = strictProfile;
    await expect(a.call('appointments.book', { patientId: patients[3]!.id, slotId: pool[4]!.slotId })).rejects.toThrow('offline_not_leased');
    a.desk.env.profile = normal;
    expect(s.prepare('SELECT appointment_id AS h FROM slots WHERE id = ?').get(pool[4]!.slotId)).toEqual({ h: null });
    await a.desk.sync!.syncOnce();
    const guaranteed = await a.call('appointments.book', { patientId: patients[1]!.id, slotId: mine[0]!.slotId });
    expect(guaranteed.appointment).toMatchObject({ mode: 'guaranteed', syncState: 'local' });
    expect(guaranteed.ticket.tentative).toBe(false);
    const tentative = await a.call('appointments.book', { patientId: patients[2]!.id, slotId: pool[1]!.slotId });
    expect(tentative.appointment).toMatchObject({ mode: 'tentative' });
    expect(tentative.ticket.tentative).toBe(true);
    const refused = await a.desk.router.call(
      'appointments.book',
      { patientId: patients[3]!.id, slotId: other[0]!.slotId },
      { token: ((await a.desk.router.call('auth.signIn', { username: 'registrar', password: 'desk-pass' }, {})) as { data: { token: string } }).data.token },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'slot_reserved' } });
    // Where the clinic allows no tentative bookings, the pool is refused offline.
    const strict = { ...a.desk.env.profile, leases: { ...a.desk.env.profile.leases, offlineOutsideLease: 'refuse' as const } };
    const saved = a.desk.env.profile;
    a.desk.env.profile = strict;
    await expect(a.call('appointments.book', { patientId: patients[3]!.id, slotId: pool[2]!.slotId })).rejects.toThrow('offline_not_leased');
    a.desk.env.profile = saved;

    await serverUp();
    await a.desk.sync!.syncOnce();
    await a.desk.sync!.syncOnce();
    for (const x of [guaranteed, tentative, fallback]) expect(s.prepare('SELECT sync_state AS st FROM appointments WHERE id = ?').get(x.appointment.id)).toEqual({ st: 'confirmed' });
    // Confirmed now: a reprint no longer says tentative.
    expect((await a.call('tickets.get', { appointmentId: tentative.appointment.id })).tentative).toBe(false);
    await a.desk.close();
    await b.desk.close();
  });

  it('pokes (issue 3 item 3): a desk polling only every minute sees another desk’s booking within a second or two, through the server’s event stream', async () => {
    const a = await enrolledDesk('Регистратура 1');
    const b = await enrolledDesk('Регистратура 2');
    await a.desk.sync!.syncOnce();
    b.desk.sync!.start(60_000);
    const s = a.desk.env.db.sqlite;
    const slot = s
      .prepare("SELECT s.id FROM slots s LEFT JOIN leases l ON l.slot_id = s.id WHERE s.date = '2026-11-26' AND s.channel = 'registry' AND s.appointment_id IS NULL AND l.slot_id IS NULL LIMIT 1")
      .get() as { id: string };
    const patient = s.prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 1 OFFSET 30").get() as { id: string };
    // B's first round (right after start) is over before A books, so only a poke can bring the booking quickly.
    await new Promise((r) => setTimeout(r, 1500));
    const booked = await a.call('appointments.book', { patientId: patient.id, slotId: slot.id });
    expect(booked.appointment.syncState).toBe('confirmed');
    const seen = () => b.desk.env.db.sqlite.prepare('SELECT sync_state AS st FROM appointments WHERE id = ?').get(booked.appointment.id) as { st: string } | undefined;
    const t0 = Date.now();
    while (!seen() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(seen()).toEqual({ st: 'confirmed' });
    expect(Date.now() - t0).toBeLessThan(5000);
    await a.desk.close();
    await b.desk.close();
  });

  it('a doctor’s cabinet PC (issue 3 item 4): enrolled for one doctor, it leases that doctor’s repeat-visit times and books a repeat visit offline with a guarantee', async () => {
    const src = source.desk.env.db.sqlite;
    const { d: doctorId } = src.prepare("SELECT doctor_id AS d FROM slots WHERE date = '2026-11-25' AND channel = 'doctor' GROUP BY doctor_id ORDER BY count(*) DESC, doctor_id LIMIT 1").get() as {
      d: string;
    };
    const code = await createEnrollmentCode(database.db, 'org-bishkek-lenin', MONDAY_9AM, 72, { kind: 'cabinet', doctorId });
    const dir = clinic.newDir();
    const desk = await openDesk({ dataDir: dir, clock: now, autoSync: false, enroll: { serverUrl: server.url, code, deviceName: 'Кабинет врача', password: 'cab-pass' } });
    const signIn = await desk.router.call('auth.signIn', { username: 'doctor', password: 'cab-pass' }, {});
    if (!signIn.ok) throw new Error('the cabinet PC has no doctor account');
    const token = (signIn.data as { token: string }).token;
    const call = async <M extends Method>(m: M, i: Input<M>): Promise<Output<M>> => {
      const r = await desk.router.call(m, i, { token });
      if (!r.ok) throw new Error(`${m}: ${r.error.code}`);
      return r.data as never;
    };
    await desk.sync!.syncOnce();
    const day = await call('slots.day', { doctorId, date: '2026-11-25', channel: 'doctor' });
    const repeat = day.filter((x) => x.channel === 'doctor' && x.state === 'free');
    expect(repeat.length).toBeGreaterThan(0);
    // All of the doctor's free repeat-visit times are the cabinet's; none of the registry's.
    expect(repeat.every((x) => x.lease === 'mine')).toBe(true);
    expect(day.filter((x) => x.channel === 'registry').some((x) => x.lease === 'mine')).toBe(false);

    await server.close();
    await desk.sync!.syncOnce();
    const patient = desk.env.db.sqlite.prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 1 OFFSET 40").get() as { id: string };
    const visit = await call('appointments.book', { patientId: patient.id, slotId: repeat[0]!.slotId, channel: 'doctor' });
    expect(visit.appointment).toMatchObject({ mode: 'guaranteed', channel: 'doctor' });
    await serverUp();
    await desk.sync!.syncOnce();
    await desk.sync!.syncOnce();
    expect(desk.env.db.sqlite.prepare('SELECT sync_state AS st FROM appointments WHERE id = ?').get(visit.appointment.id)).toEqual({ st: 'confirmed' });
    await desk.close();
  });

  it('version skew (docs/sync-design.md, Version skew): an op queued before signed ops is refused as unsigned, visibly, and the newer ops carry on (issue 19)', async () => {
    const a = await enrolledDesk('Регистратура 1');
    await a.desk.sync!.syncOnce();
    const s = a.desk.env.db.sqlite;
    const free = s
      .prepare("SELECT s.id FROM slots s LEFT JOIN leases l ON l.slot_id = s.id WHERE s.date = '2026-11-27' AND s.channel = 'registry' AND s.appointment_id IS NULL AND l.slot_id IS NULL LIMIT 2")
      .all() as Array<{ id: string }>;
    const patients = s.prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 2 OFFSET 50").all() as Array<{ id: string }>;
    a.desk.sync!.online = false; // both queued, as during an outage
    const old = await a.call('appointments.book', { patientId: patients[0]!.id, slotId: free[0]!.id });
    s.prepare('UPDATE outbox SET schema_version = 0, user_id = NULL, signature = NULL WHERE seq = (SELECT max(seq) FROM outbox)').run(); // as an app version before signed ops wrote it
    const current = await a.call('appointments.book', { patientId: patients[1]!.id, slotId: free[1]!.id });
    await a.desk.sync!.syncOnce();
    const statuses = s.prepare("SELECT schema_version AS v, status, detail FROM outbox WHERE name = 'appointments.book' ORDER BY seq DESC LIMIT 2").all();
    expect(statuses).toEqual([
      { v: SYNC_SCHEMA_VERSION, status: 'applied', detail: 'confirmed' },
      { v: 0, status: 'rejected', detail: 'unsigned' },
    ]);
    expect(s.prepare('SELECT sync_state AS st FROM appointments WHERE id = ?').get(current.appointment.id)).toEqual({ st: 'confirmed' });
    expect(old.appointment.syncState).toBe('local');
    await a.desk.close();
  });
});
