import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, listen, type RunningServer } from '../../src-main/rpc/http.js';
import { TestDesk } from '../support/desk.js';

let t: TestDesk;
let server: RunningServer;
let token = '';

/** Real HTTP on 127.0.0.1, as the browser-mode UI uses it. */
async function post(method: string, body: unknown, opts: { token?: string | null; lang?: string; raw?: string } = {}) {
  const res = await fetch(`${server.url}/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.lang ? { 'x-kezek-lang': opts.lang } : {}), ...(opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? token}` }) },
    body: opts.raw ?? JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { data?: any; error?: { code: string; message: string; issues?: string[] } } };
}

beforeAll(async () => {
  t = await TestDesk.start();
  server = await listen(createHttpApp(t.desk.router, null), 0);
  token = (await post('auth.signIn', { username: 'registrar', password: 'kezek' }, { token: null })).json.data.token;
});
afterAll(async () => {
  await server.close();
  await t.close();
});

describe('HTTP RPC transport: bad input gets a 4xx with a code and a translated message, and changes nothing', () => {
  it('rejects a body that is not JSON', async () => {
    const before = t.snapshot();
    const r = await post('appointments.book', null, { raw: '{"patientId": ' });
    expect(r).toMatchObject({ status: 400, json: { error: { code: 'bad_input', message: 'Неверные данные запроса' } } });
    expect(t.snapshot()).toEqual(before);
  });
  it('rejects input that does not match the contract, naming the field', async () => {
    const before = t.snapshot();
    const r = await post('appointments.book', { patientId: 42, slotId: '' });
    expect(r.status).toBe(400);
    expect(r.json.error!.issues!.join(' ')).toMatch(/patientId/);
    expect(t.snapshot()).toEqual(before);
  });
  it('rejects an oversized body', async () => {
    const r = await post('patients.find', { query: 'x'.repeat(100_000) });
    expect(r.status).toBe(413);
  });
  it('answers an unknown method, including prototype names, with 404', async () => {
    expect((await post('constructor', {})).status).toBe(404);
    expect((await post('__proto__', {})).json.error!.code).toBe('unknown_method');
  });
  it('needs a session: no token → 401; a wrong password → 401 bad_credentials', async () => {
    expect((await post('patients.find', { query: 'Асанов' }, { token: null })).status).toBe(401);
    expect((await post('patients.find', { query: 'Асанов' }, { token: 'forged' })).json.error!.code).toBe('unauthenticated');
    const bad = await post('auth.signIn', { username: 'registrar', password: 'wrong' }, { token: null });
    expect(bad).toMatchObject({ status: 401, json: { error: { code: 'bad_credentials' } } });
  });
  it('checks the role on every method: a doctor cannot read the register of requests', async () => {
    const doc = (await post('auth.signIn', { username: 'doctor', password: 'kezek' }, { token: null })).json.data.token;
    expect((await post('register.list', {}, { token: doc })).status).toBe(403);
    expect((await post('appointments.day', {}, { token: doc })).status).toBe(200);
  });
  it('translates errors into Kyrgyz when asked', async () => {
    const r = await post('patients.find', { query: '123' }, { lang: 'ky' });
    expect(r).toMatchObject({ status: 400, json: { error: { code: 'id_length', message: 'Идентификатордун форматы туура эмес: 3 сан киргизилди, 14 сан керек (телефон — 9дан 12ге чейин)' } } });
  });
  it('and into Kazakh (issue 10)', async () => {
    const r = await post('patients.find', { query: '23104199012345' }, { lang: 'kk' });
    expect(r).toMatchObject({ status: 400, json: { error: { code: 'id_date', message: 'Сәйкестендіргіштегі туған күн қате' } } });
  });
  it('a malformed PIN is an error, not "not found"', async () => {
    expect((await post('patients.find', { query: '23104199012345' })).json.error!.code).toBe('id_date');
  });
  it('an unknown patient or slot is 404 and writes nothing', async () => {
    const before = t.snapshot();
    const r = await post('appointments.book', { patientId: 'pat-nope', slotId: 'doc-001@2026-11-24T08:00' });
    expect(r).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
    expect(t.snapshot()).toEqual(before);
  });
  it('signed out, the token no longer works', async () => {
    const tmp = (await post('auth.signIn', { username: 'head', password: 'kezek' }, { token: null })).json.data.token;
    expect((await post('auth.signOut', {}, { token: tmp })).status).toBe(200);
    expect((await post('auth.me', {}, { token: tmp })).status).toBe(401);
  });
});

describe('patient lookup', () => {
  const db = () => t.desk.env.db.sqlite;
  it("finds by PIN exactly, by surname prefix (case and ё-insensitive) and by the phone's last digits", async () => {
    const p = db().prepare('SELECT id, national_id AS pin, full_name AS name, phone FROM patients ORDER BY id LIMIT 1 OFFSET 17').get() as { id: string; pin: string; name: string; phone: string };
    expect((await post('patients.find', { query: p.pin })).json.data.items.map((x: { id: string }) => x.id)).toEqual([p.id]);
    const surname = p.name.split(' ')[0]!;
    const byName = (await post('patients.find', { query: surname.toUpperCase().slice(0, 5) })).json.data.items as Array<{ id: string; fullName: string }>;
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((x) => x.fullName.toLowerCase().replace(/ё/g, 'е').startsWith(surname.toLowerCase().replace(/ё/g, 'е').slice(0, 5)))).toBe(true);
    const digits = p.phone.replace(/\D/g, '');
    const byPhone = (await post('patients.find', { query: `0${digits.slice(-9)}` })).json.data.items as Array<{ id: string }>;
    expect(byPhone.map((x) => x.id)).toContain(p.id);
  });
  it('a PIN with a digit missing or doubled (13 or 15 digits) says the ID format is wrong — never a phone search (issue 10)', async () => {
    const pin = (db().prepare('SELECT national_id AS pin FROM patients LIMIT 1').get() as { pin: string }).pin;
    for (const typed of [pin.slice(0, 13), `${pin}7`]) {
      const r = await post('patients.find', { query: typed });
      expect(r).toMatchObject({ status: 400, json: { error: { code: 'id_length', message: expect.stringContaining(`введено цифр — ${typed.length}, нужно 14`) } } });
    }
  });
  it('finds Kyrgyz names typed on a Russian layout (Ң/Н, Ө/О, Ү/У), with Latin look-alike letters or stray zero-width characters (issue 10)', async () => {
    const ids = (q: string) => post('patients.find', { query: q }).then((r) => (r.json.data.items as Array<{ id: string }>).map((x) => x.id));
    const p = db().prepare("SELECT id, full_name AS name FROM patients WHERE full_name LIKE 'Өмүрбеков%' OR full_name LIKE 'Түлөбердиев%' LIMIT 1").get() as { id: string; name: string };
    const surname = p.name.split(' ')[0]!;
    const russianLayout = surname.replace(/Ө/g, 'О').replace(/ө/g, 'о').replace(/Ү/g, 'У').replace(/ү/g, 'у').replace(/ң/g, 'н');
    expect(russianLayout).not.toBe(surname);
    const exact = await ids(surname);
    expect(exact).toContain(p.id);
    expect(await ids(russianLayout)).toEqual(exact);
    // Latin "o" and "e" from the other layout, a zero-width space pasted from a document.
    expect(await ids(russianLayout.replace(/о/g, 'o').replace(/е/g, 'e'))).toEqual(exact);
    expect(await ids(`\u200b${surname.slice(0, 3)}\u200d${surname.slice(3)}`)).toEqual(exact);
  });
  it('more than 20 matches: the count, and the next page on request — no match is out of reach (issue 10)', async () => {
    const two = db().prepare('SELECT substr(name_key, 1, 2) AS k, count(*) AS n FROM patients GROUP BY k HAVING n > 25 ORDER BY n DESC LIMIT 1').get() as { k: string; n: number };
    const p1 = (await post('patients.find', { query: two.k })).json.data;
    expect(p1).toMatchObject({ total: two.n, offset: 0 });
    expect(p1.items).toHaveLength(20);
    const p2 = (await post('patients.find', { query: two.k, offset: 20 })).json.data;
    expect(p2.items).toHaveLength(Math.min(20, two.n - 20));
    const seen = new Set([...p1.items, ...p2.items].map((x: { id: string }) => x.id));
    expect(seen.size).toBe(p1.items.length + p2.items.length);
  });
  it('the card says whether the patient is attached, with department and family doctor (R2, R16)', async () => {
    const p = db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' LIMIT 1").get() as { id: string };
    const card = (await post('patients.get', { patientId: p.id })).json.data;
    expect(card).toMatchObject({ attached: true, departmentName: expect.stringMatching(/^ГСВ №\d+$/), familyDoctorName: expect.any(String) });
  });
});

describe("R3 manual refusal with a reason from the profile's closed list (000 §1)", () => {
  it('records a listed reason and rejects one that is not listed', async () => {
    const p = t.desk.env.db.sqlite.prepare('SELECT id FROM patients LIMIT 1').get() as { id: string };
    const ok = await post('register.refuse', { patientId: p.id, specialtyId: 'cardiology', reason: 'intoxication' });
    expect(ok).toMatchObject({ status: 200, json: { data: { result: 'refused', reason: 'intoxication', patientId: p.id } } });
    const before = t.snapshot();
    const bad = await post('register.refuse', { patientId: p.id, specialtyId: null, reason: 'bad_mood' });
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'unknown_reason' } } });
    expect(t.snapshot()).toEqual(before);
  });
});
