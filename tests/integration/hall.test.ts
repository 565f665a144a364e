import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDesk, type Desk } from '../../src-main/desk.js';
import { createHttpApp, listen, LOOPBACK_HOSTS, type RunningServer } from '../../src-main/rpc/http.js';
import { Voice } from '../../src-main/hall/voice.js';
import { callPhrase, type HallRequest, type HallState } from '../../src-shared/hall/calls.js';
import { signHallRequest } from '../../src-shared/node/op-keys.js';
import type { Input, Method, Output } from '../../src-shared/rpc/contract.js';
import type { AppointmentView } from '../../src-shared/rpc/views.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { listDevices, revokeDevice } from '../../sync-server/auth/devices.js';
import { ClinicServer, ORG, actorAt, type EnrolledDesk } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';

/**
 * The hall's queue screen (issue 21 part 2): the registry's desk runs it; a doctor's cabinet PC calls over the LAN with
 * the internet down; the registry's desk checks who asked with the key the server published; the voice is made here.
 */
const clinic = new ClinicServer();
let registry: EnrolledDesk;
let hallServer: RunningServer;
let cabinet: Desk;
let cabinetDir: string;
let doctorId: string;
let doctorCall: <M extends Method>(m: M, i: Input<M>) => Promise<Output<M>>;
const voice = new Voice();

const serve = async (desk: Desk, port = 0) =>
  listen(
    createHttpApp(desk.router, null, LOOPBACK_HOSTS, () => desk.hallHttp),
    port,
  );
const state = async (query = ''): Promise<HallState> => (await fetch(`${hallServer.url}/hall/state${query}`)).json() as Promise<HallState>;
const post = (body: unknown) => fetch(`${hallServer.url}/hall/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Read one Server-Sent Events stream until `until` holds of a state it sent. */
async function sseUntil(url: string, until: (s: HallState) => boolean): Promise<HallState> {
  const res = await fetch(url);
  const reader = res.body!.getReader();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      text += new TextDecoder().decode(value);
      for (let i = text.indexOf('\n\n'); i >= 0; i = text.indexOf('\n\n')) {
        const event = text.slice(0, i);
        text = text.slice(i + 2);
        const data = event.split('\n').find((l) => l.startsWith('data: '));
        if (data) {
          const s = JSON.parse(data.slice(6)) as HallState;
          if (until(s)) return s;
        }
      }
    }
  } finally {
    await reader.cancel();
  }
}

/** WAV (RIFF, 16-bit PCM): its length in seconds. */
function wavSeconds(wav: Buffer): number {
  expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(wav.subarray(8, 12).toString('latin1')).toBe('WAVE');
  const rate = wav.readUInt32LE(24);
  const bytesPerSecond = wav.readUInt32LE(28);
  expect(rate).toBeGreaterThan(8000);
  const dataAt = wav.indexOf('data', 12, 'latin1');
  return wav.readUInt32LE(dataAt + 4) / bytesPerSecond;
}

beforeAll(async () => {
  await clinic.start();
  registry = await clinic.enrolledDesk('Регистратура');
  hallServer = await serve(registry.desk);
  const s = registry.desk.env.db.sqlite;
  ({ d: doctorId } = s
    .prepare(
      `SELECT doctor_id AS d FROM slots WHERE date = '2026-11-23' AND start_utc > ${MONDAY_9AM} AND channel = 'registry' AND appointment_id IS NULL GROUP BY doctor_id ORDER BY count(*) DESC, doctor_id LIMIT 1`,
    )
    .get() as { d: string });
  const code = await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM, 72, { kind: 'cabinet', doctorId });
  cabinetDir = clinic.newDir();
  cabinet = await openDesk({ dataDir: cabinetDir, clock: clinic.now, autoSync: false, hallUrl: hallServer.url, enroll: { serverUrl: clinic.url, code, deviceName: 'Кабинет', password: 'cab-pass' } });
  const signIn = await cabinet.router.call('auth.signIn', { username: 'doctor', password: 'cab-pass' }, {});
  if (!signIn.ok) throw new Error('no doctor account on the cabinet PC');
  const token = (signIn.data as { token: string }).token;
  doctorCall = async (m, i) => {
    const r = await cabinet.router.call(m, i, { token });
    if (!r.ok) throw new Error(`${m}: ${r.error.code} ${r.error.message}`);
    return r.data as never;
  };
  // The registry's desk learns the cabinet PC's key from the server.
  await registry.desk.sync!.syncOnce();
  expect(registry.desk.env.db.sqlite.prepare('SELECT count(*) AS n FROM signers').get()).toEqual({ n: 1 });
}, 120_000);

afterAll(async () => {
  voice.close();
  await cabinet.close();
  await hallServer.close();
  await registry.desk.close();
  await clinic.stop();
});

describe('the hall’s queue screen (issue 21 part 2)', () => {
  it('a cabinet PC calls the next checked-in patient over the LAN with the internet down; the screen shows it at once and says it in Kyrgyz and Russian', async () => {
    const s = registry.desk.env.db.sqlite;
    const slots = s
      .prepare("SELECT id FROM slots WHERE date = '2026-11-23' AND start_utc > ? AND doctor_id = ? AND channel = 'registry' AND appointment_id IS NULL ORDER BY start_utc LIMIT 3")
      .all(MONDAY_9AM, doctorId) as { id: string }[];
    const patients = s.prepare('SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 ORDER BY id LIMIT 3 OFFSET 70').all(ORG) as { id: string }[];
    const booked: AppointmentView[] = [];
    for (const [i, slot] of slots.entries()) booked.push((await registry.call('appointments.book', { patientId: patients[i]!.id, slotId: slot.id })).appointment);
    await registry.desk.sync!.syncOnce();
    await cabinet.sync!.syncOnce();
    await clinic.down(); // the internet is gone; the LAN is not
    // The second and the first came (in that order), checked in at the registry; the third not yet. The cabinet PC
    // cannot know: its `next` is the registry desk's choice.
    await registry.call('appointments.checkIn', { appointmentId: booked[1]!.id });
    await registry.call('appointments.checkIn', { appointmentId: booked[0]!.id });
    expect((await state()).waiting.flatMap((w) => w.queueNumbers)).toEqual(expect.arrayContaining([booked[0]!.queueNumber, booked[1]!.queueNumber]));
    const watching = sseUntil(`${hallServer.url}/hall/events`, (st) => st.calls.length > 0);
    const first = await doctorCall('hall.ask', { action: 'next' });
    // The one whose time comes first, not the one who checked in first.
    expect(first.call).toMatchObject({ appointmentId: booked[0]!.id, queueNumber: booked[0]!.queueNumber, kind: 'call' });
    const seen = await watching;
    expect(seen.calls[0]).toMatchObject({ id: first.call!.id, queueNumber: booked[0]!.queueNumber, cabinet: booked[0]!.cabinet });
    expect(JSON.stringify(seen)).not.toContain(booked[0]!.patientName);
    // The cabinet PC's own list shows who it called.
    const mine = await doctorCall('appointments.day', { doctorId });
    expect(mine.find((a) => a.id === booked[0]!.id)?.calledAt).toBe(first.call!.at);

    for (const lang of ['ky', 'ru'] as const) {
      const res = await fetch(`${hallServer.url}/hall/voice/${first.call!.id}/${lang}.wav`);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      const wav = Buffer.from(await res.arrayBuffer());
      expect(wavSeconds(wav)).toBeGreaterThan(1.5);
      expect(wavSeconds(wav)).toBeLessThan(8);
      // The language: espeak-ng's own voice of it reading that language's words for this number and cabinet.
      expect(wav.equals(await voice.speak(lang, callPhrase(lang, booked[0]!.queueNumber, booked[0]!.cabinet)))).toBe(true);
    }
    expect(callPhrase('ky', 12, '105')).toBe('12-кезек, 105-кабинетке кириңиз.');

    // Next: the other one; then nobody.
    expect((await doctorCall('hall.ask', { action: 'next' })).call?.appointmentId).toBe(booked[1]!.id);
    expect((await doctorCall('hall.ask', { action: 'next' })).call).toBeNull();
    // Again, and "did not come": off the screen.
    expect((await doctorCall('hall.ask', { action: 'recall', appointmentId: booked[0]!.id })).call?.kind).toBe('recall');
    await doctorCall('hall.ask', { action: 'dismiss', appointmentId: booked[1]!.id });
    expect((await state()).calls.map((c) => c.appointmentId)).toEqual([booked[0]!.id]);
    await clinic.up();
  });

  it('checks who asked: a request signed by someone else, for another doctor, from another clinic or far from its clock is refused; the same request twice makes one call', async () => {
    const actor = await actorAt(cabinet, 'doctor', 'cab-pass');
    const base: HallRequest = {
      id: 'req-1',
      orgId: ORG,
      deviceId: cabinet.env.device.id,
      action: 'next',
      doctorId,
      appointmentId: null,
      queueNumber: null,
      cabinet: null,
      liveQueue: false,
      at: MONDAY_9AM,
      userId: actor.userId,
    };
    const signed = (r: HallRequest) => ({ request: r, signature: signHallRequest(actor.key, r) });
    const refusal = async (body: unknown) => {
      const res = await post(body);
      return { status: res.status, body: (await res.json()) as { error?: { code: string; params?: { reason?: string } } } };
    };
    // Changed after signing.
    expect(await refusal({ ...signed(base), request: { ...base, doctorId: 'doc-other' } })).toMatchObject({ status: 403, body: { error: { code: 'hall_refused', params: { reason: 'signature' } } } });
    // Claiming another PC's account.
    expect(await refusal(signed({ ...base, deviceId: registry.desk.env.device.id }))).toMatchObject({ body: { error: { params: { reason: 'signature' } } } });
    const { d: other } = registry.desk.env.db.sqlite.prepare('SELECT id AS d FROM doctors WHERE id <> ? LIMIT 1').get(doctorId) as { d: string };
    expect(await refusal(signed({ ...base, doctorId: other }))).toMatchObject({ body: { error: { params: { reason: 'not_allowed' } } } });
    expect(await refusal(signed({ ...base, orgId: 'org-elsewhere' }))).toMatchObject({ body: { error: { params: { reason: 'organization' } } } });
    expect(await refusal(signed({ ...base, at: MONDAY_9AM - 3_600_000 }))).toMatchObject({ body: { error: { params: { reason: 'clock' } } } });
    expect((await post({ request: base })).status).toBe(400);
    // Asked twice (the answer was lost): one call.
    const booking = (await doctorCall('appointments.day', { doctorId }))[0]!;
    const again = { ...base, id: 'req-2', action: 'call' as const, appointmentId: booking.id, queueNumber: booking.queueNumber, cabinet: booking.cabinet };
    const one = (await (await post(signed(again))).json()) as { call: { id: string } };
    const two = (await (await post(signed(again))).json()) as { call: { id: string } };
    expect(two.call.id).toBe(one.call.id);
    expect(registry.desk.env.db.sqlite.prepare("SELECT count(*) AS n FROM hall_calls WHERE request_id = 'req-2'").get()).toEqual({ n: 1 });
    // A cabinet PC revoked: its key is taken back with the next sync, its calls refused.
    const cab = (await listDevices(clinic.database.db, ORG)).find((d) => d.name === 'Кабинет')!;
    expect(await revokeDevice(clinic.database.db, cab.id, MONDAY_9AM)).toBe(true);
    await registry.desk.sync!.syncOnce();
    expect(await refusal(signed({ ...base, id: 'req-3' }))).toMatchObject({ body: { error: { params: { reason: 'signature' } } } });
  });

  it('a floor’s screen shows only that floor’s cabinets; a cabinet PC whose hall desk is off is told so, in its language', async () => {
    const call = (await state()).calls[0]!;
    const floor = registry.desk.env.directory.doctor(call.doctorId)!.cabinet.floor;
    expect((await state(`?floor=${floor}`)).calls.map((c) => c.id)).toContain(call.id);
    expect((await state(`?floor=${floor + 1}`)).calls.map((c) => c.id)).not.toContain(call.id);
    expect((await state(`?cabinets=${encodeURIComponent(call.cabinet)}`)).calls.every((c) => c.cabinet === call.cabinet)).toBe(true);

    const meta = cabinet.env.db.sqlite.prepare("SELECT value FROM meta WHERE key = 'hall_url'");
    const url = (meta.get() as { value: string }).value;
    cabinet.env.db.sqlite.prepare("UPDATE meta SET value = 'http://127.0.0.1:9' WHERE key = 'hall_url'").run();
    try {
      const r = await cabinet.router.call('hall.ask', { action: 'next' }, { token: (await cabinet.sessions.signIn('doctor', 'cab-pass', 'ky')).token, lang: 'ky' });
      expect(r).toMatchObject({ ok: false, error: { code: 'hall_unreachable' } });
      expect(!r.ok && r.error.message).toContain('Залдын экраны жооп бербейт');
    } finally {
      cabinet.env.db.sqlite.prepare("UPDATE meta SET value = ? WHERE key = 'hall_url'").run(url);
    }
  });

  it('comes back with the same screen after the registry’s desk restarts', async () => {
    const before = await state();
    expect(before.calls.length).toBeGreaterThan(0);
    // A call of two months ago: dropped at the start.
    registry.desk.env.db.sqlite
      .prepare(
        "INSERT INTO hall_calls (id, request_id, date, appointment_id, doctor_id, queue_number, cabinet, live_queue, kind, at, user_id) VALUES ('old', 'old', '2026-09-21', 'a', 'd', 1, '1', 0, 'call', 0, 'u')",
      )
      .run();
    await hallServer.close();
    await registry.desk.close();
    registry = await clinic.reopen(registry.dir);
    hallServer = await serve(registry.desk);
    const after = await state();
    expect(after.calls).toEqual(before.calls);
    expect(registry.desk.env.db.sqlite.prepare("SELECT count(*) AS n FROM hall_calls WHERE id = 'old'").get()).toEqual({ n: 0 });
  });
});
