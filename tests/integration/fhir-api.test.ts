import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApiClient } from '../../sync-server/api/clients.js';
import { appointmentRow } from '../../sync-server/sync/booking-mutators.js';
import { ClinicServer, ORG, signedIn, type EnrolledDesk } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { validFhir } from '../support/fhir-validate.js';

/**
 * Issue 20, the booking API: another system (a portal, a kiosk, a call centre) books through FHIR R4 Scheduling
 * on the real sync server, over HTTP, decided by the same rules and the same booking path as desks' ops.
 */
let now = MONDAY_9AM; // Monday 09:00 in Bishkek
const clinic = new ClinicServer(() => now);
let key = '';
let desk: EnrolledDesk;
beforeAll(async () => {
  await clinic.start();
  key = (await addApiClient(clinic.database.db, { name: 'portal', channel: 'internet', regions: ['kg-bishkek'], organizations: [] }, now)).key;
  desk = await clinic.enrolledDesk('Регистратура');
  await desk.desk.sync!.syncOnce();
});
afterAll(() => clinic.stop());

const KG = 'urn:kezek:national-id:KG_PIN';
async function api(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; key?: string } = {}) {
  const res = await fetch(`${clinic.url}/fhir/R4${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: { authorization: `Bearer ${init.key ?? key}`, 'content-type': 'application/fhir+json', ...init.headers },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const json = (await res.json()) as any;
  validFhir(json);
  return { status: res.status, json, headers: res.headers };
}
const params = (...ps: object[]) => ({ resourceType: 'Parameters', parameter: ps });
const patientParam = (pin: string) => ({ name: 'patient', valueIdentifier: { system: KG, value: pin } });
/** Attached patients of the demo clinic with a family doctor and no bookings yet. */
function patients(n: number, offset: number): Array<{ id: string; pin: string; doctorId: string }> {
  return desk.desk.env.db.sqlite
    .prepare(
      `SELECT id, national_id AS pin, attached_doctor_id AS doctorId FROM patients p WHERE attached_org_id = ? AND priority = 0 AND attached_doctor_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id) ORDER BY id LIMIT ? OFFSET ?`,
    )
    .all(ORG, n, offset) as Array<{ id: string; pin: string; doctorId: string }>;
}
const family = (extra: object[] = []) => params({ name: 'specialty', valueCode: 'family' }, { name: 'organization', valueString: ORG }, ...extra);

describe('the booking API (issue 20): FHIR R4 Scheduling on the sync server', () => {
  it('answers only a client with a key, reads the clinic as valid R4 resources, and says what it offers', async () => {
    const meta = await fetch(`${clinic.url}/fhir/R4/metadata`);
    const cap = (await meta.json()) as any;
    validFhir(cap);
    expect(cap.rest[0].resource.find((r: any) => r.type === 'Appointment').operation.map((o: any) => o.name)).toEqual(['find', 'hold', 'book', 'cancel']);
    const anon = await api('/Organization', { key: 'kz_nobody' });
    expect(anon).toMatchObject({ status: 401, json: { resourceType: 'OperationOutcome', issue: [{ code: 'security' }] } });
    const orgs = await api('/Organization');
    expect(orgs.json.entry.map((e: any) => e.resource.id)).toEqual([ORG]);
    for (const type of ['Practitioner', 'PractitionerRole', 'HealthcareService', 'Schedule']) {
      const b = await api(`/${type}?organization=${ORG}`);
      expect(b.status).toBe(200);
      expect(b.json.entry.length).toBeGreaterThan(0);
    }
    const services = await api(`/HealthcareService?organization=${ORG}`, { headers: { 'accept-language': 'kk' } });
    expect(services.json.entry.map((e: any) => e.resource.name)).toContain('Отбасылық дәрігер');
    // Another region's client reaches nothing here.
    const other = (await addApiClient(clinic.database.db, { name: 'elsewhere', channel: 'internet', regions: ['kz-almaty'], organizations: [] }, now)).key;
    expect((await api('/Organization', { key: other })).json.total).toBe(0);
    expect((await api('/Appointment/$find', { key: other, body: family() })).status).toBe(403);
  });

  it('$find offers only the internet share (R7) inside the horizon (R1), never a time a desk holds a lease on', async () => {
    const [p] = patients(1, 0);
    const found = await api('/Appointment/$find', { body: family([patientParam(p!.pin), { name: '_count', valueInteger: 100 }]) });
    expect(found.status).toBe(200);
    const slots = found.json.entry.map((e: any) => e.resource);
    expect(slots.length).toBeGreaterThan(20);
    const leased = new Set((desk.desk.env.db.sqlite.prepare('SELECT slot_id AS id FROM leases').all() as Array<{ id: string }>).map((r) => r.id));
    expect(leased.size).toBeGreaterThan(0);
    for (const a of slots) {
      expect(a.status).toBe('proposed');
      const [, doctor, date, hhmm] = /^[^.]+\.([^.]+)\.(\d{4}-\d{2}-\d{2})\.(\d{4})$/.exec(a.slot[0].reference.replace('Slot/', ''))!;
      const slotId = `${doctor}@${date}T${hhmm!.slice(0, 2)}:${hhmm!.slice(2)}`;
      expect(leased.has(slotId)).toBe(false);
      expect((desk.desk.env.db.sqlite.prepare('SELECT channel FROM slots WHERE id = ?').get(slotId) as { channel: string }).channel).toBe('internet');
    }
  });

  it('$hold keeps a time for one patient; $book books it once — the same request again gives the same booking — and every desk gets it, checks it in by its ticket', async () => {
    const [p, q] = patients(2, 10);
    const [first] = (await api('/Appointment/$find', { body: family([patientParam(p!.pin)]) })).json.entry.map((e: any) => e.resource);
    const hold = await api('/Appointment/$hold', { body: params(patientParam(p!.pin), { name: 'slot', valueReference: first.slot[0] }) });
    expect(hold).toMatchObject({ status: 201, json: { status: 'pending' } });
    // Held for p: another patient cannot take it meanwhile.
    const theirs = await api('/Appointment/$hold', { body: params(patientParam(q!.pin), { name: 'slot', valueReference: first.slot[0] }) });
    expect(theirs.status).toBe(422);
    expect(theirs.json.issue[0]).toMatchObject({ details: { coding: [{ code: 'slot_taken' }] } });
    expect(theirs.json.issue.filter((i: any) => i.code === 'informational').length).toBeGreaterThan(0); // alternatives come with it
    const book = () =>
      api('/Appointment/$book', { body: params(patientParam(p!.pin), { name: 'appointment', resource: { resourceType: 'Appointment', id: hold.json.id } }), headers: { 'idempotency-key': 'k-1' } });
    const booked = await book();
    expect(booked).toMatchObject({ status: 201, json: { resourceType: 'Appointment', status: 'booked' } });
    expect(booked.headers.get('etag')).toBe(`W/"${booked.json.meta.versionId}"`);
    const again = await book();
    expect(again.json.id).toBe(booked.json.id);
    const count = (await clinic.database.db.execute(sql`SELECT count(*)::int AS n FROM appointments WHERE patient_id = ${p!.id}`)) as unknown as { rows: Array<{ n: number }> };
    expect(count.rows[0]!.n).toBe(1);
    // The desk, after a sync, has it — channel internet — and checks the patient in by scanning the ticket (R18).
    await desk.desk.sync!.syncOnce();
    const ticket = booked.json.identifier[0].value as string;
    expect(desk.desk.env.db.sqlite.prepare('SELECT channel, ticket_code AS code, sync_state AS st FROM appointments WHERE id = ?').get(booked.json.id)).toEqual({
      channel: 'internet',
      code: ticket,
      st: 'confirmed',
    });
    const mine = await api(`/Appointment?patient:identifier=${encodeURIComponent(`${KG}|${p!.pin}`)}`);
    expect(mine.json.entry.map((e: any) => e.resource.id)).toEqual([booked.json.id]);
    now = booked.json.start ? Date.parse(booked.json.start) - 5 * 60_000 : now;
    const arrived = await desk.call('appointments.checkInByScan', { scan: ticket });
    expect(arrived).toMatchObject({ id: booked.json.id, status: 'arrived' });
    now = MONDAY_9AM;
  });

  it('refuses by the rules, naming the rule and its seed clause, with alternatives: R11 one electronic booking per specialty a day, R10 after three no-shows', async () => {
    const [p, blocked] = patients(2, 20);
    // The earliest day with internet times, then that day's times (a $find draws its offers from the earliest few).
    const day = (await api('/Appointment/$find', { body: family([patientParam(p!.pin)]) })).json.entry[0].resource.start.slice(0, 10);
    const slots = (await api('/Appointment/$find', { body: family([patientParam(p!.pin), { name: 'start', valueDate: day }, { name: 'end', valueDate: day }]) })).json.entry.map(
      (e: any) => e.resource,
    );
    const byDay = (date: string) => slots.filter((s: any) => s.start.slice(0, 10) === date);
    expect((await api('/Appointment/$book', { body: params(patientParam(p!.pin), { name: 'slot', valueReference: byDay(day)[0].slot[0] }) })).status).toBe(201);
    const second = await api('/Appointment/$book', { body: params(patientParam(p!.pin), { name: 'slot', valueReference: byDay(day)[1].slot[0] }), headers: { 'accept-language': 'en' } });
    expect(second.status).toBe(422);
    expect(second.json.issue[0]).toMatchObject({ code: 'business-rule', details: { coding: [{ system: 'urn:kezek:rule', code: 'electronic_daily_limit' }] } });
    expect(second.json.issue[0].diagnostics).toMatch(/R11/);
    expect(second.json.issue.some((i: any) => i.code === 'informational')).toBe(true);
    // Three no-shows in a row this month, as the server holds them (R10, 004 §3.4.1).
    for (let k = 1; k <= 3; k++) {
      const at = MONDAY_9AM - k * 3 * 86_400_000;
      const a = {
        id: `past-${k}`,
        orgId: ORG,
        patientId: blocked!.id,
        slotId: `${blocked!.doctorId}@past-${k}`,
        doctorId: blocked!.doctorId,
        specialtyId: 'family',
        date: new Date(at).toISOString().slice(0, 10),
        time: '09:00',
        startUtc: at,
        status: 'noshow',
        channel: 'internet',
        referralId: null,
        replacesId: null,
        ticketCode: `PST00000${k}`,
        queueNumber: 1,
        liveQueue: false,
        createdAt: at,
        createdBy: 'x',
        deviceId: 'x',
        visitReason: 'illness',
      } as const;
      await clinic.database.db.execute(
        sql`SELECT kezek_put_appointment(${ORG}, ${a.id}, ${a.patientId}, ${a.slotId}, 'noshow', 'confirmed', ${appointmentRow(a as never, 'confirmed', undefined)}::jsonb, ${at})`,
      );
    }
    const refused = await api('/Appointment/$book', { body: params(patientParam(blocked!.pin), { name: 'slot', valueReference: byDay(day)[2].slot[0] }) });
    expect(refused.status).toBe(422);
    expect(refused.json.issue[0].details.coding[0].code).toBe('noshow_blocked');
    expect(refused.json.issue[0].details.text).toMatch(/заблокирована за неявки/);
    // The desk books them all the same (R10 blocks electronic channels only).
    const registrar = await signedIn(desk.desk);
    await desk.desk.sync!.syncOnce();
    const deskSlot = desk.desk.env.db.sqlite
      .prepare("SELECT id FROM slots WHERE doctor_id = ? AND channel = 'registry' AND appointment_id IS NULL AND date > ? ORDER BY start_utc LIMIT 1")
      .get(blocked!.doctorId, day) as { id: string };
    expect((await registrar.call('appointments.book', { patientId: blocked!.id, slotId: deskSlot.id })).appointment.status).toBe('booked');
  });

  it('a cancellation: only the patient’s own, at the version read (If-Match, 412), and through an electronic channel not within 45 minutes of the visit (R9)', async () => {
    const [p] = patients(1, 30);
    const today = (await api('/Appointment/$find', { body: family([patientParam(p!.pin), { name: 'start', valueDate: '2026-11-23' }, { name: 'end', valueDate: '2026-11-23' }]) })).json.entry.map(
      (e: any) => e.resource,
    );
    expect(today.length).toBeGreaterThan(0);
    const booked = await api('/Appointment/$book', { body: params(patientParam(p!.pin), { name: 'slot', valueReference: today[0].slot[0] }) });
    const cancel = (etag?: string) => api(`/Appointment/${booked.json.id}/$cancel`, { body: params(patientParam(p!.pin)), headers: etag ? { 'if-match': etag } : {} });
    expect((await cancel('W/"1"')).status).toBe(412);
    const [other] = patients(1, 31);
    expect((await api(`/Appointment/${booked.json.id}/$cancel`, { body: params(patientParam(other!.pin)) })).status).toBe(404);
    now = Date.parse(booked.json.start) - 30 * 60_000;
    const late = await cancel();
    expect(late.status).toBe(422);
    expect(late.json.issue[0].details.coding[0].code).toBe('cancel_cutoff');
    now = Date.parse(booked.json.start) - 60 * 60_000;
    const ok = await cancel(booked.headers.get('etag')!);
    expect(ok).toMatchObject({ status: 200, json: { status: 'cancelled' } });
    now = MONDAY_9AM;
  });

  it('$book’s group commit: twelve patients at once — six on one time, six on times of their own — give one booking of the shared time, six of the others, twelve decisions, distinct tickets', async () => {
    const ps = patients(12, 70);
    const offers = (await api('/Appointment/$find', { body: family([patientParam(ps[0]!.pin), { name: '_count', valueInteger: 10 }]) })).json.entry.map((e: any) => e.resource.slot[0]);
    const answers = await Promise.all(ps.map((p, i) => api('/Appointment/$book', { body: params(patientParam(p.pin), { name: 'slot', valueReference: i < 6 ? offers[0] : offers[i - 5] }) })));
    const shared = answers.slice(0, 6);
    expect(shared.filter((a) => a.status === 201)).toHaveLength(1);
    expect(shared.filter((a) => a.status === 422).map((a) => a.json.issue[0].details.coding[0].code)).toEqual(Array(5).fill('slot_taken'));
    expect(answers.slice(6).map((a) => a.status)).toEqual(Array(6).fill(201));
    const tickets = answers.filter((a) => a.status === 201).map((a) => a.json.identifier[0].value);
    expect(new Set(tickets).size).toBe(7);
  });

  it('$find offers, earliest first, times drawn from the earliest 5 × _count free ones — patients looking at once are not all offered the same few', async () => {
    const [p] = patients(1, 90);
    const feed = await fetch(`${clinic.url}/fhir/R4/$bulk-publish/slots/${ORG}.ndjson`, { headers: { authorization: `Bearer ${key}` } });
    const free = (await feed.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; status: string; start: string; serviceType: Array<{ coding: Array<{ code: string }> }> })
      .filter((x) => x.status === 'free' && x.serviceType[0]!.coding[0]!.code === 'family')
      .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
    const earliest = new Set(free.slice(0, 20).map((x) => `Slot/${x.id}`));
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const offers = (await api('/Appointment/$find', { body: family([patientParam(p!.pin), { name: '_count', valueInteger: 4 }]) })).json.entry.map((e: any) => e.resource);
      expect(offers).toHaveLength(4);
      expect(offers.map((o: any) => o.start)).toEqual([...offers.map((o: any) => o.start)].sort());
      for (const o of offers) expect(earliest.has(o.slot[0].reference)).toBe(true);
      for (const o of offers) seen.add(o.slot[0].reference);
    }
    expect(seen.size).toBeGreaterThan(4); // not the same four every time
  });

  it('$bulk-publish (SMART Scheduling Links): Location, Schedule and the internet share’s Slots as valid NDJSON, each file with an ETag — 304 when unchanged, busy once booked', async () => {
    const manifest = await fetch(`${clinic.url}/fhir/R4/$bulk-publish`, { headers: { authorization: `Bearer ${key}` } });
    const m = (await manifest.json()) as { transactionTime: string; output: Array<{ type: string; url: string }>; error: unknown[] };
    expect(m.transactionTime).toBe(new Date(now).toISOString());
    expect(m.output.map((o) => o.type)).toEqual(['Location', 'Schedule', 'Slot']);
    const file = async (url: string, etag?: string) => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${key}`, ...(etag ? { 'if-none-match': etag } : {}) } });
      const text = await res.text();
      const lines = text
        ? text
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as any)
        : [];
      for (const r of lines) validFhir(r);
      return { status: res.status, etag: res.headers.get('etag')!, lines, type: res.headers.get('content-type') };
    };
    const [locations, schedules, slots] = await Promise.all(m.output.map((o) => file(o.url)));
    expect(locations!.lines).toEqual([expect.objectContaining({ resourceType: 'Location', id: ORG, managingOrganization: { reference: `Organization/${ORG}` } })]);
    expect(schedules!.lines.every((s: any) => s.actor.some((a: any) => a.reference === `Location/${ORG}`))).toBe(true);
    expect(slots!.type).toBe('application/fhir+ndjson');
    // Only the internet share (R7): every time in the file is the channel's, and every one books on the patient page.
    expect(slots!.lines.length).toBeGreaterThan(50);
    expect(new Set(slots!.lines.map((s: any) => s.serviceCategory[0].coding[0].code))).toEqual(new Set(['internet']));
    expect(slots!.lines[0].extension[0].valueUrl).toBe(`${clinic.url}/p`);
    // Unchanged: 304 with nothing. A booking makes its time busy and the file new.
    const again = await file(m.output[2]!.url, slots!.etag);
    expect(again).toMatchObject({ status: 304, etag: slots!.etag, lines: [] });
    const free = slots!.lines.find((s: any) => s.status === 'free');
    const [p] = patients(1, 60);
    const booked = await api('/Appointment/$book', { body: params(patientParam(p!.pin), { name: 'slot', valueReference: { reference: `Slot/${free.id}` } }) });
    expect(booked.status).toBe(201);
    const after = await file(m.output[2]!.url, slots!.etag);
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(slots!.etag);
    expect(after.lines.find((s: any) => s.id === free.id).status).toBe('busy');
  });

  it('rate limits a client per minute (429 with Retry-After), counted in the database', async () => {
    const slow = (await addApiClient(clinic.database.db, { name: 'slow', channel: 'internet', regions: [], organizations: [ORG], perMinute: 3 }, now)).key;
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await api('/Organization', { key: slow })).status);
    expect(codes).toEqual([200, 200, 200, 429]);
  });

  it('a client’s count is shared with the other server processes: requests another process counted close the door here too', async () => {
    const { client, key } = await addApiClient(clinic.database.db, { name: 'busy elsewhere', channel: 'internet', regions: [], organizations: [ORG], perMinute: 5 }, now);
    expect((await api('/Organization', { key })).status).toBe(200);
    // This process adds what it counted to the database (its row for the minute) without a write per request.
    const row = async () =>
      ((await clinic.database.db.execute(sql`SELECT count, window_start AS w FROM rate_windows WHERE key = ${`api:${client.id}`}`)) as unknown as { rows: Array<{ count: number; w: string }> })
        .rows[0];
    await expect.poll(async () => (await row())?.count, { timeout: 5_000 }).toBe(1);
    // Another process took the rest of the minute's five.
    await clinic.database.db.execute(sql`UPDATE rate_windows SET count = 5 WHERE key = ${`api:${client.id}`}`);
    await expect.poll(async () => (await api('/Organization', { key })).status, { timeout: 5_000 }).toBe(429);
  });
});
