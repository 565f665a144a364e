import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDirectory, parseDirectoryFile } from '../../sync-server/directory/import.js';
import { ClinicServer, ORG } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { Backends, startServer } from '../support/server.js';
import { ruClinicFile } from '../support/ru-clinic.js';

/** Issue 20, the patient's page: one answer for strangers, limits on guessing, no outside resources, the profile's rules. */
let now = MONDAY_9AM;
const clinic = new ClinicServer(() => now);
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

/** A browser's form post to the page (same origin), following nothing; the cookie jar is the caller's. */
async function post(base: string, path: string, form: Record<string, string>, cookie = '') {
  const res = await fetch(`${base}/p${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location'), cookie: res.headers.get('set-cookie')?.split(';')[0] ?? cookie, headers: res.headers };
}
const get = async (base: string, path: string, cookie: string) => {
  const res = await fetch(`${base}/p${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
};
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
});

describe('the patient page, RU: policy and birth date (P5); the first visit through the registry (P4)', () => {
  const backends = new Backends();
  let url = '';
  let close = async () => undefined as void;
  beforeAll(async () => {
    const database = await backends.database('pglite');
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
});
