import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../sync-server/messages/outbox.js';
import { importDirectory, parseDirectoryFile } from '../../sync-server/directory/import.js';
import { ClinicServer, ORG, signedIn } from '../support/clinic-server.js';
import { appointmentRow } from '../../sync-server/sync/booking-mutators.js';
import { MONDAY_9AM } from '../support/desk.js';
import { get, post } from '../support/patient-page.js';
import { Backends, startServer } from '../support/server.js';
import { ruClinicFile } from '../support/ru-clinic.js';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageSender } from '../../sync-server/messages/sender.js';
import { fileTransport } from '../../sync-server/messages/transports/file.js';
import { DirectoryCache } from '../../sync-server/rules/directory-cache.js';
import { silentLogger } from '../../sync-server/log.js';
import { iinOf, KZ_PATIENT, kzClinicFile } from '../support/kz-clinic.js';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { emailTransport } from '../../sync-server/messages/transports/email.js';

/** Issue 20, the patient's page: one answer for strangers, limits on guessing, no outside resources, the profile's rules. */
let now = MONDAY_9AM;
const clinic = new ClinicServer(() => now);
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

const kgPatient = (offset: number) =>
  clinic.source.desk.env.db.sqlite
    .prepare(
      `SELECT national_id AS pin, phone FROM patients p WHERE attached_org_id = ? AND attached_doctor_id IS NOT NULL AND length(phone) > 5 AND priority = 0
        ORDER BY id LIMIT 1 OFFSET ?`,
    )
    .get(ORG, offset) as { pin: string; phone: string };

describe('the patient page (issue 20), KG: PIN and phone (P2)', () => {
  it('says the same to an unknown PIN and to a wrong phone, and slows down guessing per identity and per address', async () => {
    const p = kgPatient(5);
    const unknown = await post(clinic.url, '/sign-in', { pin: '21111199911111', phone: p.phone });
    const wrongPhone = await post(clinic.url, '/sign-in', { pin: p.pin, phone: '+996 700 000 000' });
    const said = (html: string) => /role="alert">([^<]*)</.exec(html)?.[1];
    expect(said(unknown.text)).toBe(said(wrongPhone.text));
    expect(said(unknown.text)).toMatch(/Не нашли пациента/);
    expect(unknown.status).toBe(wrongPhone.status);
    // Strict: no script, nothing from elsewhere, never framed.
    expect(unknown.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(unknown.text).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
    // Five tries a minute for one PIN; the sixth waits (and so does the right phone, within that minute).
    const victim = kgPatient(6);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await post(clinic.url, '/sign-in', { pin: victim.pin, phone: `+996 700 00${i} 000` })).status);
    const sixth = await post(clinic.url, '/sign-in', { pin: victim.pin, phone: victim.phone });
    expect([...codes, sixth.status]).toEqual([200, 200, 200, 200, 200, 429]);
    expect(sixth.text).toMatch(/Слишком много попыток/);
    // A post from another site is refused before anything is looked at.
    const foreign = await fetch(`${clinic.url}/p/sign-in`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'pin=1&phone=2' });
    expect(foreign.status).toBe(403);
  });

  it('books the family doctor’s time through a hold, lists it, and refuses a cancel inside 45 minutes with the registry’s phone (R9, P3)', async () => {
    now = Date.parse('2026-11-23T02:10:00Z'); // 08:10 in Bishkek: another minute for the limits, before the internet share opens at 10:00
    const p = kgPatient(8);
    const signIn = await post(clinic.url, '/sign-in', { pin: p.pin, phone: p.phone });
    expect(signIn).toMatchObject({ status: 303, location: '/p/home' });
    const cookie = signIn.cookie;
    const home = await get(clinic.url, '/home', cookie);
    expect(home.text).toMatch(/Прикреплён\(а\): ОЦСМ Ленинского района/);
    const doctor = /href="(\/p\/doctor\/[^"]+)"/.exec(home.text)![1]!;
    const days = await get(clinic.url, doctor.replace('/p', ''), cookie);
    const today = /href="(\/p\/day\/[^"]+\/2026-11-23)"/.exec(days.text)![1]!;
    const times = await get(clinic.url, today.replace('/p', ''), cookie);
    const slot = /name="slot" value="([^"]+)"/.exec(times.text)![1]!;
    const held = await post(clinic.url, '/hold', { slot }, cookie);
    const hold = /name="hold" value="([^"]+)"/.exec(held.text)![1]!;
    const booked = await post(clinic.url, '/book', { hold }, cookie);
    expect(booked.location).toMatch(/^\/p\/ticket\//);
    const ticket = await get(clinic.url, booked.location!.replace('/p', ''), cookie);
    expect(ticket.text).toMatch(/<svg/);
    const id = booked.location!.split('/').pop()!;
    // 30 minutes before the 10:00 visit: refused, and the page says whom to call.
    expect(times.text).toMatch(/>10:00</);
    now = Date.parse('2026-11-23T03:30:00Z');
    // (A session lasts half an hour: signed in again.)
    expect(await get(clinic.url, '/home', cookie)).toMatchObject({ status: 303 });
    const again = (await post(clinic.url, '/sign-in', { pin: p.pin, phone: p.phone })).cookie;
    const late = await post(clinic.url, `/cancel/${id}`, {}, again);
    expect(late.status).toBe(422);
    expect(late.text).toMatch(/отменить можно не позднее чем за 45 мин/);
    expect(late.text).toMatch(/Телефон регистратуры: \+996 312 54 12 27/);
    now = Date.parse('2026-11-23T02:20:00Z');
    const ok = await post(clinic.url, `/cancel/${id}`, {}, again);
    expect(ok.text).toMatch(/Запись отменена/);
  });
  it('a patient who missed three visits in a row (R10, 004 §3.4.1) is refused on the page with the reason and the registry’s phone, and booked at the desk', async () => {
    now = Date.parse('2026-11-23T02:20:00Z');
    const desk = await clinic.enrolledDesk('Регистратура R10');
    await desk.desk.sync!.syncOnce();
    const blocked = desk.desk.env.db.sqlite
      .prepare(
        `SELECT id, national_id AS pin, phone, attached_doctor_id AS doctorId FROM patients p WHERE attached_org_id = ? AND attached_doctor_id IS NOT NULL AND length(phone) > 5 AND priority = 0
          ORDER BY id LIMIT 1 OFFSET 40`,
      )
      .get(ORG) as { id: string; pin: string; phone: string; doctorId: string };
    for (let k = 1; k <= 3; k++) {
      const at = now - k * 3 * 86_400_000;
      const date = new Date(at).toISOString().slice(0, 10);
      const a = { id: `r10-${k}`, orgId: ORG, patientId: blocked.id, slotId: `${blocked.doctorId}@${date}T08:00`, doctorId: blocked.doctorId, specialtyId: 'family', date, time: '08:00' };
      const row = { ...a, startUtc: at, status: 'noshow', channel: 'registry', referralId: null, replacesId: null, ticketCode: `R10X0000${k}`, queueNumber: 1, liveQueue: false };
      const full = { ...row, createdAt: at, createdBy: 'x', deviceId: 'x', visitReason: 'illness' };
      await clinic.database.db.execute(
        sql`SELECT kezek_put_appointment(${ORG}, ${a.id}, ${a.patientId}, ${a.slotId}, 'noshow', 'confirmed', ${appointmentRow(full as never, 'confirmed', undefined)}::jsonb, ${at})`,
      );
    }
    const cookie = (await post(clinic.url, '/sign-in', { pin: blocked.pin, phone: blocked.phone })).cookie;
    const days = await get(clinic.url, `/doctor/${encodeURIComponent(blocked.doctorId)}`, cookie);
    const day = /href="\/p(\/day\/[^"]+)"/.exec(days.text)![1]!;
    const slot = /name="slot" value="([^"]+)"/.exec((await get(clinic.url, day, cookie)).text)![1]!;
    const held = await post(clinic.url, '/hold', { slot }, cookie);
    const hold = /name="hold" value="([^"]+)"/.exec(held.text)?.[1];
    const refusal = hold ? await post(clinic.url, '/book', { hold }, cookie) : held;
    expect(refusal.status).toBe(422);
    expect(refusal.text).toMatch(/заблокирована за неявки/);
    expect(refusal.text).toMatch(/Телефон регистратуры: \+996 312 54 12 27/);
    // At the window the registrar books them (R10 closes the electronic channels only).
    await desk.desk.sync!.syncOnce();
    const registry = desk.desk.env.db.sqlite
      .prepare("SELECT id FROM slots WHERE doctor_id = ? AND channel = 'registry' AND appointment_id IS NULL AND blocked = 0 AND start_utc > ? ORDER BY start_utc LIMIT 1")
      .get(blocked.doctorId, now) as { id: string };
    const registrar = await signedIn(desk.desk);
    expect((await registrar.call('appointments.book', { patientId: blocked.id, slotId: registry.id })).appointment.status).toBe('booked');
  });
});

describe('the patient page, RU: policy and birth date (P5); the first visit through the registry (P4)', () => {
  const backends = new Backends();
  let url = '';
  let close = async (): Promise<void> => undefined;
  let database: Awaited<ReturnType<Backends['database']>>;
  beforeAll(async () => {
    database = await backends.database('pglite');
    const file = ruClinicFile();
    await importDirectory(database.db, parseDirectoryFile(file), now);
    const server = await startServer(database, { clock: () => now });
    url = server.url;
    close = async () => {
      await server.close();
      await database.close();
    };
  });
  afterAll(() => close());

  it('asks for the policy and the birth date; a patient who has not been to the clinic yet is sent to the registry first', async () => {
    const form = await get(url, '', '');
    expect(form.text).toMatch(/Номер полиса ОМС/);
    expect(form.text).not.toMatch(/name="phone"/);
    const wrong = await post(url, '/sign-in', { policy: '5000000000000001', birthDate: '1980-05-05' });
    expect(wrong.text).toMatch(/Не нашли пациента/);
    const ok = await post(url, '/sign-in', { policy: '5000 0000 0000 0001', birthDate: '1980-05-04' });
    expect(ok.location).toBe('/p/home');
    const home = await get(url, '/home', ok.cookie);
    expect(home.text).toMatch(/Первый приём — через регистратуру/);
    expect(home.text).not.toMatch(/href="\/p\/specialty\//);
  });

  it('calls the family doctor home (R24: 001 L146): a bad phone is named and changes nothing; the call reaches the desks with its row of the register', async () => {
    const ok = await post(url, '/sign-in', { policy: '5000 0000 0000 0001', birthDate: '1980-05-04' });
    expect((await get(url, '/home', ok.cookie)).text).toMatch(/href="\/p\/home-visit"/);
    const form = await get(url, '/home-visit', ok.cookie);
    const today = /name="date" value="([\d-]+)"/.exec(form.text)![1]!;
    const visits = () =>
      rowsOf<{ row: { doctorId: string; channel?: string; reason: string; callbackPhone: string; status: string } }>(
        database.db,
        sql`SELECT row FROM change_log WHERE entity = 'home_visit' ORDER BY seq`,
      );
    const bad = await post(url, '/home-visit', { date: today, address: 'Химки, ул. Ленина, 5', reason: 'Температура 39', callbackPhone: 'позвоните' }, ok.cookie);
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/Укажите телефон для связи/);
    expect(await visits()).toHaveLength(0);
    const taken = await post(url, '/home-visit', { date: today, address: 'Химки, ул. Ленина, 5', reason: 'Температура 39', callbackPhone: '+7 916 123-45-67' }, ok.cookie);
    expect(taken.text).toMatch(/Вызов принят: врач .+ придёт/);
    const [visit] = await visits();
    expect(visit!.row).toMatchObject({ reason: 'Температура 39', callbackPhone: '+7 916 123-45-67', status: 'open' });
    const [entry] = await rowsOf<{ row: { channel: string; result: string } }>(database.db, sql`SELECT row FROM change_log WHERE entity = 'register_entry' ORDER BY seq DESC LIMIT 1`);
    expect(entry!.row).toMatchObject({ channel: 'internet', result: 'home_visit' });
  });
});

/** The text of a plain mail as nodemailer writes it (one part, quoted-printable or base64). */
function mailText(raw: string): string {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  if (/Content-Transfer-Encoding: base64/i.test(head!)) return Buffer.from(body, 'base64').toString('utf8');
  const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

describe('the patient page, KZ: IIN and a one-time SMS code (P8: 002 L11, L37–53; 003 L80–115)', () => {
  const backends = new Backends();
  const sms = join(mkdtempSync(join(tmpdir(), 'kezek-kz-sms-')), 'sms.ndjson');
  let url = '';
  let sender: MessageSender;
  let close = async (): Promise<void> => undefined;
  // The clinic's mail server: smtp-server (nodemailer's own) on 127.0.0.1, keeping what it is given.
  const mails: Array<{ to: string; raw: string }> = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (d: Buffer) => {
        raw += d.toString();
      });
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
        done();
      });
    },
  });
  beforeAll(async () => {
    now = Date.parse('2026-11-23T02:20:00Z'); // Monday 07:20 in Almaty, before the family doctor's first time
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const database = await backends.database('pglite');
    await importDirectory(database.db, parseDirectoryFile(kzClinicFile()), now);
    const email = emailTransport({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: 'Поликлиника <clinic@example.kz>' });
    sender = new MessageSender(database.db, new DirectoryCache(), { sms: fileTransport(sms), email }, () => now, silentLogger);
    const server = await startServer(database, { clock: () => now, messages: { sms: true, email: true, kick: () => void sender.tick() } });
    url = server.url;
    close = async () => {
      await server.close();
      await sender.stop();
      await database.close();
      await new Promise<void>((r) => smtp.close(() => r()));
    };
  });
  afterAll(() => close());
  const codes = () => (existsSync(sms) ? readFileSync(sms, 'utf8').trim().split('\n') : []).map((l) => JSON.parse(l) as { to: string; text: string });

  it('sends the code to the registered phone, answers a stranger’s IIN the same way, and signs in once with the right code', async () => {
    const form = await get(url, '', '');
    expect(form.text).toMatch(/name="iin"/);
    expect(form.text).not.toMatch(/name="phone"/);
    // A stranger's IIN: the same page, and no SMS goes anywhere.
    const stranger = await post(url, '/sign-in', { iin: iinOf('0500') });
    expect(stranger.status).toBe(200);
    const asked = await post(url, '/sign-in', { iin: KZ_PATIENT.iin });
    expect(asked.text.replace(/kezek_code=[^;"]+/g, '')).toBe(stranger.text.replace(/kezek_code=[^;"]+/g, ''));
    await sender.tick();
    expect(codes()).toHaveLength(1);
    expect(codes()[0]!.to).toBe('+77011234567');
    const code = /(\d{6})/.exec(codes()[0]!.text)![1]!;
    // A stranger's code cookie opens nothing, whatever is typed.
    expect((await post(url, '/sign-in/code', { code }, stranger.cookie)).text).toMatch(/Код неверный или устарел/);
    // A wrong code spends a try; the right one signs in, once.
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await post(url, '/sign-in/code', { code: wrong }, asked.cookie)).text).toMatch(/Код неверный/);
    const ok = await post(url, '/sign-in/code', { code }, asked.cookie);
    expect(ok.location).toBe('/p/home');
    expect((await get(url, '/home', ok.cookie)).text).toMatch(/Ахметов Ерлан/);
    expect((await post(url, '/sign-in/code', { code }, asked.cookie)).text).toMatch(/Код неверный/);
  });

  it('three wrong codes end the code; a second code within a minute is refused (the page cannot flood a phone)', async () => {
    now += 2 * 60_000;
    const asked = await post(url, '/sign-in', { iin: KZ_PATIENT.iin });
    expect((await post(url, '/sign-in', { iin: KZ_PATIENT.iin })).status).toBe(429);
    await sender.tick();
    const code = /(\d{6})/.exec(codes().at(-1)!.text)![1]!;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 3; i++) await post(url, '/sign-in/code', { code: wrong }, asked.cookie);
    expect((await post(url, '/sign-in/code', { code }, asked.cookie)).location).toBeNull();
  });

  it('a patient who gives an e-mail gets the booking’s confirmation there, in the page’s language, instead of an SMS; a bad address changes nothing', async () => {
    now += 2 * 60_000;
    const asked = await post(url, '/sign-in?lang=kk', { iin: KZ_PATIENT.iin });
    await sender.tick();
    const code = /(\d{6})/.exec(codes().at(-1)!.text)![1]!;
    const session = await post(url, '/sign-in/code', { code }, asked.cookie);
    const home = await get(url, '/home', session.cookie);
    expect(home.text).toMatch(/\+770•••••567/); // where SMS go, masked as on the desk's card
    expect(home.text).not.toMatch(/home-visit/); // KZ: home visits are called in by phone (profile patientPage.homeVisit)
    const bad = await post(url, '/contact', { email: 'ahmetov@' }, session.cookie);
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/Пошта мекенжайы қате/);
    // An address given and taken away again: messages go by SMS again.
    await post(url, '/contact', { email: 'old@example.kz' }, session.cookie);
    expect((await post(url, '/contact', { email: '' }, session.cookie)).text).toMatch(/қайтадан SMS/);
    const saved = await post(url, '/contact', { email: 'ahmetov@example.kz' }, session.cookie);
    expect(saved.text).toMatch(/ahmetov@example\.kz/);
    // Book the first free time through the page: the confirmation goes by e-mail, in Kazakh, and no SMS.
    const sentBefore = codes().length;
    const day = /href="(\/p\/day\/[^"]+)"/.exec((await get(url, '/specialty/family', session.cookie)).text)![1]!;
    const slot = /name="slot" value="([^"]+)"/.exec((await get(url, day.slice(2), session.cookie)).text)![1]!;
    const held = await post(url, '/hold', { slot }, session.cookie);
    const hold = /name="hold" value="([^"]+)"/.exec(held.text)![1]!;
    expect((await post(url, '/book', { hold }, session.cookie)).location).toMatch(/^\/p\/ticket\//);
    now = Math.max(now, Date.parse('2026-11-23T04:30:00Z')); // 09:30 in Almaty: past the night's quiet hours
    await sender.tick();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe('ahmetov@example.kz');
    expect(mails[0]!.raw).toMatch(/Subject: =\?UTF-8\?/); // the clinic's name, encoded
    expect(mailText(mails[0]!.raw)).toMatch(/^Сіз жазылдыңыз: .* отбасылық дәрігер/); // in Kazakh, as the page was
    expect(codes()).toHaveLength(sentBefore);
  });
});
