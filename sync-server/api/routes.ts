import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { nationalIdKind } from '../../src-shared/domain/enums.js';
import { localParts } from '../../src-shared/time/dates.js';
import type { Database } from '../db/connect.js';
import { apiIdempotency } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { DirectoryCache, RulesDirectory } from '../rules/directory-cache.js';
import { doctorDaySlots, horizonOf } from '../rules/judge.js';
import { type ApiClient, clientForKey, overClientLimit, reachableOrgs } from './clients.js';
import { Lane } from './lane.js';
import { OrgQueue } from '../sync/org-queue.js';
import {
  appointmentResource,
  capabilityStatement,
  type FhirLang,
  healthcareServiceResource,
  locationResource,
  operationOutcome,
  organizationResource,
  practitionerResource,
  practitionerRoleResource,
  proposedAppointment,
  SYSTEM,
  scheduleResource,
  searchBundle,
  slotIdFromFhir,
  slotResource,
  unscoped,
} from './fhir.js';
import { findSlots, slotFeed } from './free-times.js';
import { bookSlot, cancelBooking, findPatient, holdSlot, type KnownPatient, orgsById, patientAppointments, type Refusal } from './scheduling.js';

type Env = { Variables: { client: ApiClient; orgs: string[]; lang: FhirLang } };

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_COUNT = 100;
/** How long a key's client is taken from memory before the database is asked again. */
const KEY_TTL_MS = 2000;
/** How many $find searches one server process runs at once (KEZEK_API_SEARCHES, 16). */
const SEARCHES_AT_ONCE = Math.max(1, Number(process.env.KEZEK_API_SEARCHES ?? 16));

/** The first language the caller accepts that the API speaks (ru when none). */
function langOf(header: string | undefined): FhirLang {
  for (const part of (header ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'ru' || tag === 'ky' || tag === 'kk' || tag === 'en') return tag;
  }
  return 'ru';
}

/** A patient named by identifier: `urn:kezek:national-id:KG_PIN|21203199012345`. */
function parseIdentifier(system: string | undefined, value: string | undefined): { kind: string; nationalId: string } | null {
  if (!system?.startsWith(SYSTEM.nationalId) || !value) return null;
  const kind = nationalIdKind.safeParse(system.slice(SYSTEM.nationalId.length));
  const v = value.trim();
  return kind.success && /^[0-9A-Za-z-]{4,32}$/.test(v) ? { kind: kind.data, nationalId: v } : null;
}

const identifier = z.object({ system: z.string().max(200), value: z.string().max(64) });
const reference = z.object({ reference: z.string().max(200) });
const parameter = z.object({
  name: z.string().max(60),
  valueIdentifier: identifier.optional(),
  valueReference: reference.optional(),
  valueString: z.string().max(200).optional(),
  valueCode: z.string().max(64).optional(),
  valueDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  valueInteger: z.number().int().optional(),
  valueCoding: z.object({ system: z.string().max(200).optional(), code: z.string().max(64) }).optional(),
  resource: z
    .object({ resourceType: z.literal('Appointment'), id: z.string().max(64).optional(), slot: z.array(reference).max(1).optional() })
    .passthrough()
    .optional(),
});
const parameters = z.object({ resourceType: z.literal('Parameters'), parameter: z.array(parameter).max(20).default([]) });
type Params = z.infer<typeof parameters>['parameter'];
const param = (ps: Params, name: string) => ps.find((p) => p.name === name);

/**
 * The booking API (issue 20): FHIR R4 Scheduling for other systems — a national portal, a call centre, a kiosk.
 * Every request names its client by key; a client reaches only its regions' or organizations' clinics, is rate
 * limited per minute (counted in the database, so any server process answers), and books through its one channel.
 */
export function fhirApi(deps: { database: Database; directories: DirectoryCache; clock: () => number; log: Logger; writers?: OrgQueue }): Hono<Env> {
  const { database, directories, clock, log } = deps;
  // A clinic's writers (its desks' pushes, these bookings and cancels) wait for the organization's lock here, in memory,
  // one at a time — not on pooled connections, which the rush's finds and holds need (sync/org-queue.ts).
  const writers = deps.writers ?? new OrgQueue();
  const db = database.db;
  const app = new Hono<Env>();
  const fhir = (c: Context<Env>, body: object, status: 200 | 201 | 400 | 401 | 403 | 404 | 409 | 412 | 422 | 429 = 200, headers: Record<string, string> = {}) =>
    c.body(JSON.stringify(body), status, { 'content-type': FHIR_JSON, ...headers });
  const outcome = (c: Context<Env>, status: 400 | 401 | 403 | 404 | 409 | 412 | 422 | 429, code: string, opts: Parameters<typeof operationOutcome>[2] = {}, headers: Record<string, string> = {}) =>
    fhir(
      c,
      operationOutcome(code, c.get('lang') ?? 'ru', {
        issueCode:
          status === 422
            ? 'business-rule'
            : status === 404
              ? 'not-found'
              : status === 429
                ? 'throttled'
                : status === 401 || status === 403
                  ? 'security'
                  : status === 412 || status === 409
                    ? 'conflict'
                    : 'invalid',
        ...opts,
      }),
      status,
      headers,
    );

  app.use('*', async (c, next) => {
    c.set('lang', langOf(c.req.header('accept-language')));
    await next();
  });
  app.get('/metadata', (c) => fhir(c, capabilityStatement(new URL('/fhir/R4', c.req.url).toString(), clock())));

  // A key's client and the clinics it reaches, as the database said at most KEY_TTL_MS ago: a rush's every request
  // asked twice before. So a disabled key stops working within that time; the rate limit is counted every request.
  const keys = new Map<string, { at: number; client: ApiClient | null; orgs: string[] }>();
  const knownKey = async (key: string) => {
    const hit = keys.get(key);
    if (hit && performance.now() - hit.at < KEY_TTL_MS) return hit;
    const client = key.startsWith('kz_') ? await clientForKey(db, key) : null;
    const entry = { at: performance.now(), client, orgs: client ? await reachableOrgs(db, client) : [] };
    if (keys.size > 10_000) keys.clear(); // strangers' made-up keys must not grow it without end
    keys.set(key, entry);
    return entry;
  };
  app.use('*', async (c, next) => {
    const key = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
    const { client, orgs } = key.startsWith('kz_') ? await knownKey(key) : { client: null, orgs: [] };
    if (!client) return outcome(c, 401, 'unauthenticated', {}, { 'www-authenticate': 'Bearer' });
    const wait = overClientLimit(db, `api:${client.id}`, client.perMinute, clock());
    if (wait > 0) return outcome(c, 429, 'too_many_requests', {}, { 'retry-after': String(Math.ceil(wait / 1000)) });
    c.set('client', client);
    c.set('orgs', orgs);
    await next();
  });

  const dirOf = async (c: Context<Env>, orgId: string): Promise<RulesDirectory | null> => (c.get('orgs').includes(orgId) ? directories.recent(db, orgId) : null);
  const orgParam = (v: string | undefined) => v?.replace(/^Organization\//, '');
  const doctorsOf = (dir: RulesDirectory) => [...dir.doctors.values()].filter((d) => d.active);
  const lang = (c: Context<Env>) => (c.get('lang') === 'en' ? 'ru' : c.get('lang')) as 'ru' | 'ky' | 'kk';
  const self = (c: Context<Env>) => c.req.url;

  // --- the directory, read-only ---
  app.get('/Organization', async (c) => fhir(c, searchBundle((await orgsById(db, c.get('orgs'))).map(organizationResource), self(c))));
  app.get('/Organization/:id', async (c) => {
    const [o] = c.get('orgs').includes(c.req.param('id')) ? await orgsById(db, [c.req.param('id')]) : [];
    return o ? fhir(c, organizationResource(o)) : outcome(c, 404, 'not_found');
  });
  const perOrg = (make: (dir: RulesDirectory, c: Context<Env>) => object[]) => async (c: Context<Env>) => {
    const asked = orgParam(c.req.query('organization'));
    const ids = asked ? [asked] : c.get('orgs');
    const out: object[] = [];
    for (const id of ids) {
      const dir = await dirOf(c, id);
      if (dir) out.push(...make(dir, c));
    }
    return fhir(c, searchBundle(out, self(c)));
  };
  app.get(
    '/Practitioner',
    perOrg((dir) => doctorsOf(dir).map(practitionerResource)),
  );
  app.get(
    '/PractitionerRole',
    perOrg((dir, c) => doctorsOf(dir).map((d) => practitionerRoleResource(d, specialtyOf(dir, d.specialtyId), lang(c)))),
  );
  app.get(
    '/HealthcareService',
    perOrg((dir, c) => [...new Set(doctorsOf(dir).map((d) => d.specialtyId))].flatMap((id) => (specialtyOf(dir, id) ? [healthcareServiceResource(dir.orgId, specialtyOf(dir, id)!, lang(c))] : []))),
  );
  const horizon = (dir: RulesDirectory) => {
    const today = localParts(clock(), dir.timezone).date;
    return { start: today, end: horizonOf(dir, today) };
  };
  app.get('/Schedule', async (c) => {
    const actor = c.req.query('actor')?.replace(/^Practitioner\//, '');
    const one = actor ? unscoped(actor) : null;
    if (actor && !one) return fhir(c, searchBundle([], self(c)));
    const asked = orgParam(c.req.query('organization'));
    const ids = one ? [one.orgId] : asked ? [asked] : c.get('orgs');
    const out: object[] = [];
    for (const id of ids) {
      const dir = await dirOf(c, id);
      if (dir) for (const d of doctorsOf(dir)) if (!one || d.id === one.id) out.push(scheduleResource(d, specialtyOf(dir, d.specialtyId), lang(c), horizon(dir)));
    }
    return fhir(c, searchBundle(out, self(c)));
  });
  for (const [type, make] of [
    ['Practitioner', (dir: RulesDirectory, id: string) => dir.doctors.get(id) && practitionerResource(dir.doctors.get(id)!)],
    [
      'Schedule',
      (dir: RulesDirectory, id: string, c: Context<Env>) => dir.doctors.get(id) && scheduleResource(dir.doctors.get(id)!, specialtyOf(dir, dir.doctors.get(id)!.specialtyId), lang(c), horizon(dir)),
    ],
  ] as const)
    app.get(`/${type}/:id`, async (c) => {
      const s = unscoped(c.req.param('id'));
      const dir = s ? await dirOf(c, s.orgId) : null;
      const r = dir && s ? make(dir, s.id, c) : undefined;
      return r ? fhir(c, r) : outcome(c, 404, 'not_found');
    });

  app.get('/Location', async (c) => fhir(c, searchBundle((await orgsById(db, c.get('orgs'))).map(locationResource), self(c))));
  app.get('/Location/:id', async (c) => {
    const [o] = c.get('orgs').includes(c.req.param('id')) ? await orgsById(db, [c.req.param('id')]) : [];
    return o ? fhir(c, locationResource(o)) : outcome(c, 404, 'not_found');
  });

  // --- SMART Scheduling Links: the manifest, and the files it names, each with an ETag ---
  const base = (c: Context<Env>) => new URL('/fhir/R4', c.req.url).toString();
  app.get('/$bulk-publish', async (c) => {
    const b = base(c);
    const output = [
      { type: 'Location', url: `${b}/$bulk-publish/locations.ndjson` },
      { type: 'Schedule', url: `${b}/$bulk-publish/schedules.ndjson` },
      ...c.get('orgs').map((id) => ({ type: 'Slot', url: `${b}/$bulk-publish/slots/${encodeURIComponent(id)}.ndjson`, extension: { organization: [id] } })),
    ];
    return c.json({ transactionTime: new Date(clock()).toISOString(), request: `${b}/$bulk-publish`, output, error: [] }, 200, { 'cache-control': 'no-cache' });
  });
  /** An NDJSON file, answered 304 when the caller already has this content (If-None-Match): aggregators poll often. */
  const ndjson = (c: Context<Env>, lines: readonly object[]) => {
    const body = lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : '');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const headers = { etag, 'cache-control': 'no-cache' };
    if ((c.req.header('if-none-match') ?? '').split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return c.body(null, 304, headers);
    return c.body(body, 200, { ...headers, 'content-type': 'application/fhir+ndjson' });
  };
  app.get('/$bulk-publish/locations.ndjson', async (c) => ndjson(c, (await orgsById(db, c.get('orgs'))).map(locationResource)));
  app.get('/$bulk-publish/schedules.ndjson', async (c) => {
    const out: object[] = [];
    for (const id of c.get('orgs')) {
      const dir = await dirOf(c, id);
      if (dir) for (const d of doctorsOf(dir)) out.push(scheduleResource(d, specialtyOf(dir, d.specialtyId), lang(c), horizon(dir)));
    }
    return ndjson(c, out);
  });
  app.get('/$bulk-publish/slots/:file', async (c) => {
    const dir = await dirOf(c, decodeURIComponent(c.req.param('file').replace(/\.ndjson$/, '')));
    if (!dir) return outcome(c, 404, 'not_found');
    const page = new URL('/p', c.req.url).toString();
    const feed = await slotFeed(db, dir, c.get('client'), clock());
    return ndjson(
      c,
      feed.map(({ slot, busy }) => slotResource(dir.orgId, slot, specialtyOf(dir, slot.specialtyId), lang(c), busy ? 'busy' : 'free', page)),
    );
  });

  // --- free times ---
  app.get('/Slot', async (c) => {
    const sched = unscoped(c.req.query('schedule')?.replace(/^Schedule\//, '') ?? '');
    if (!sched) return outcome(c, 400, 'bad_request');
    const dir = await dirOf(c, sched.orgId);
    if (!dir) return fhir(c, searchBundle([], self(c)));
    const starts = c.req.queries('start') ?? [];
    const from = starts.find((s) => s.startsWith('ge'))?.slice(2, 12);
    const to = starts.find((s) => s.startsWith('lt'))?.slice(2, 12);
    const count = Math.min(MAX_COUNT, Number(c.req.query('_count') ?? 50) || 50);
    const slots = await findSlots(db, dir, c.get('client'), { doctorId: sched.id, from, to: to ? prevDay(to) : undefined, count }, clock());
    return fhir(
      c,
      searchBundle(
        slots.map((s) => slotResource(dir.orgId, s, specialtyOf(dir, s.specialtyId), lang(c))),
        self(c),
      ),
    );
  });

  /**
   * A patient's record as the database had it at most KEY_TTL_MS ago: the rush's $find, $hold and $book of one patient
   * read it once, not three times. What can change in that moment and matters is read fresh where it is decided — R10's
   * and R11's history with every judgement, the time and the hold under the lock.
   */
  const patients = new Map<string, { at: number; p: KnownPatient | null }>();
  /** The patient the request names, in an organization this client reaches; the same answer for "unknown" however it is unknown. */
  const patientOf = async (c: Context<Env>, id: { system?: string; value?: string } | undefined): Promise<(KnownPatient & { kind: string; nationalId: string }) | null> => {
    const named = parseIdentifier(id?.system, id?.value);
    if (!named) return null;
    const key = `${c.get('orgs').join(',')}|${named.kind}|${named.nationalId}`;
    const hit = patients.get(key);
    const p = hit && performance.now() - hit.at < KEY_TTL_MS ? hit.p : await findPatient(db, c.get('orgs'), named.kind, named.nationalId);
    if (hit?.p !== p) {
      if (patients.size > 10_000) patients.clear();
      patients.set(key, { at: performance.now(), p });
    }
    return p ? { ...p, ...named } : null;
  };
  const body = async (c: Context<Env>) => parameters.safeParse(await c.req.json().catch(() => null));
  // Searches take turns, SEARCHES_AT_ONCE at a time: holds and bookings never wait behind a crowd of them (lane.ts).
  const searching = new Lane(SEARCHES_AT_ONCE);
  const refused = async (c: Context<Env>, dir: RulesDirectory, r: Refusal, p: KnownPatient, specialtyId?: string) => {
    const status = r.refused === 'unknown_slot' || r.refused === 'unknown_appointment' ? 404 : r.refused === 'stale' ? 412 : r.refused === 'not_yours' ? 409 : 422;
    // A refused booking comes with what the patient could take instead: that specialty's next free times.
    const alternatives =
      status === 422 && specialtyId ? { orgId: dir.orgId, slots: await findSlots(db, dir, c.get('client'), { specialtyId, patientId: p.patient.id, count: 3 }, clock()) } : undefined;
    return outcome(c, status, r.refused, { params: r.params ?? {}, ...(alternatives ? { alternatives } : {}) });
  };

  app.post('/Appointment/$find', (c) => searching.run(() => find(c)));
  const find = async (c: Context<Env>) => {
    const b = await body(c);
    if (!b.success) return outcome(c, 400, 'bad_request');
    const ps = b.data.parameter;
    const p = await patientOf(c, param(ps, 'patient')?.valueIdentifier);
    if (param(ps, 'patient') && !p) return outcome(c, 404, 'unknown_patient');
    const practitioner = unscoped(param(ps, 'practitioner')?.valueReference?.reference?.replace(/^Practitioner\//, '') ?? '');
    const orgId = orgParam(param(ps, 'organization')?.valueReference?.reference ?? param(ps, 'organization')?.valueString) ?? practitioner?.orgId ?? p?.orgId;
    const dir = orgId ? await dirOf(c, orgId) : null;
    if (!dir) return outcome(c, orgId ? 403 : 400, orgId ? 'forbidden' : 'bad_request');
    const specialty = param(ps, 'specialty');
    const slots = await findSlots(
      db,
      dir,
      c.get('client'),
      {
        specialtyId: specialty?.valueCoding?.code ?? specialty?.valueCode ?? specialty?.valueString,
        doctorId: practitioner?.id,
        from: param(ps, 'start')?.valueDate,
        to: param(ps, 'end')?.valueDate,
        patientId: p?.patient.id ?? null,
        count: Math.min(MAX_COUNT, param(ps, '_count')?.valueInteger ?? 20),
        spread: true,
      },
      clock(),
    );
    return fhir(
      c,
      searchBundle(
        slots.map((s) => proposedAppointment(dir.orgId, s, dir.doctors.get(s.doctorId), specialtyOf(dir, s.specialtyId), lang(c))),
        self(c),
      ),
    );
  };

  /** The slot a $hold or $book names: `slot` as a reference, or the Appointment resource's first slot. */
  const slotParam = (ps: Params) => slotIdFromFhir((param(ps, 'slot')?.valueReference?.reference ?? param(ps, 'appointment')?.resource?.slot?.[0]?.reference ?? '').replace(/^Slot\//, ''));

  app.post('/Appointment/$hold', async (c) => {
    const b = await body(c);
    if (!b.success) return outcome(c, 400, 'bad_request');
    const ps = b.data.parameter;
    const p = await patientOf(c, param(ps, 'patient')?.valueIdentifier);
    if (!p) return outcome(c, 404, 'unknown_patient');
    const slot = slotParam(ps);
    const dir = slot && slot.orgId === p.orgId ? await dirOf(c, p.orgId) : null;
    if (!slot || !dir) return outcome(c, 404, 'unknown_slot');
    const r = await holdSlot(db, directories, c.get('client'), slot.slotId, p, clock());
    if ('refused' in r) return refused(c, dir, r, p, dir.doctors.get(slot.slotId.split('@')[0]!)?.specialtyId);
    return fhir(c, proposedAppointment(dir.orgId, r.slot, dir.doctors.get(r.slot.doctorId), specialtyOf(dir, r.slot.specialtyId), lang(c), { id: r.id, expiresAt: r.expiresAt, patient: p }), 201);
  });

  app.post('/Appointment/$book', async (c) => {
    const client = c.get('client');
    // The same request again (a lost answer, a double click) gets the same answer: never a second booking.
    const idem = c.req.header('idempotency-key')?.slice(0, 100);
    if (idem) {
      const [done] = await db.select().from(apiIdempotency).where(sqlAnd(client.id, idem));
      if (done) return fhir(c, done.body as object, done.status as 201);
    }
    const b = await body(c);
    if (!b.success) return outcome(c, 400, 'bad_request');
    const ps = b.data.parameter;
    const p = await patientOf(c, param(ps, 'patient')?.valueIdentifier);
    if (!p) return outcome(c, 404, 'unknown_patient');
    const dir = await dirOf(c, p.orgId);
    if (!dir) return outcome(c, 403, 'forbidden');
    const appointment = param(ps, 'appointment')?.resource;
    const slot = slotParam(ps);
    // An Appointment with an id is a hold ($hold's answer, sent back); otherwise the time is named by its slot.
    const holdId = appointment?.id;
    if (!holdId && (!slot || slot.orgId !== p.orgId)) return outcome(c, 404, 'unknown_slot');
    const r = await bookSlot(db, directories, client, { holdId, slotId: slot?.slotId }, p, clock(), (org, task) => writers.run(org, task));
    const res =
      'refused' in r ? null : appointmentResource(r.appointment, r.seq, endOf(dir, r.appointment), dir.doctors.get(r.appointment.doctorId), specialtyOf(dir, r.appointment.specialtyId), lang(c), p);
    if (!res) return refused(c, dir, r as Refusal, p, slot ? dir.doctors.get(slot.slotId.split('@')[0]!)?.specialtyId : undefined);
    if (idem) await db.insert(apiIdempotency).values({ clientId: client.id, key: idem, status: 201, body: res, createdAt: clock() }).onConflictDoNothing();
    log('info', 'booked through the API', { client: client.name, orgId: p.orgId, appointmentId: res.id });
    return fhir(c, res, 201, { etag: `W/"${res.meta.versionId}"`, location: `/fhir/R4/Appointment/${res.id}` });
  });

  // --- the patient's own bookings ---
  app.get('/Appointment', async (c) => {
    const [system, value] = (c.req.query('patient:identifier') ?? c.req.query('patient.identifier') ?? '').split('|');
    const p = await patientOf(c, { system, value });
    if (!p) return fhir(c, searchBundle([], self(c)));
    const dir = (await dirOf(c, p.orgId))!;
    const mine = await patientAppointments(db, p.orgId, p.patient.id);
    return fhir(
      c,
      searchBundle(
        mine.map((x) => appointmentResource(x.appointment, x.seq, endOf(dir, x.appointment), dir.doctors.get(x.appointment.doctorId), specialtyOf(dir, x.appointment.specialtyId), lang(c), p)),
        self(c),
      ),
    );
  });

  app.post('/Appointment/:id/$cancel', async (c) => {
    const b = await body(c);
    if (!b.success) return outcome(c, 400, 'bad_request');
    const p = await patientOf(c, param(b.data.parameter, 'patient')?.valueIdentifier);
    if (!p) return outcome(c, 404, 'unknown_appointment');
    const dir = (await dirOf(c, p.orgId))!;
    const match = /^W\/"(\d+)"$/.exec(c.req.header('if-match') ?? '');
    const r = await writers.run(p.orgId, () => cancelBooking(db, directories, c.get('client'), c.req.param('id'), p, match ? Number(match[1]) : null, clock()));
    if ('refused' in r) return refused(c, dir, r, p);
    const res = appointmentResource(r.appointment, r.seq, endOf(dir, r.appointment), dir.doctors.get(r.appointment.doctorId), specialtyOf(dir, r.appointment.specialtyId), lang(c), p);
    return fhir(c, res, 200, { etag: `W/"${res.meta.versionId}"` });
  });

  app.notFound((c) => outcome(c, 404, 'not_found'));
  return app;
}

const specialtyOf = (dir: RulesDirectory, id: string) => dir.specialties.get(id);
/** A booking's end: its slot's as the schedule has it (a time the schedule no longer has: 20 minutes, the usual length). */
const endOf = (dir: RulesDirectory, a: { slotId: string; startUtc: number; doctorId: string; date: string }): number =>
  doctorDaySlots(dir, a.doctorId, a.date).get(a.slotId)?.endUtc ?? a.startUtc + 20 * 60_000;
const prevDay = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const sqlAnd = (clientId: string, key: string) => and(eq(apiIdempotency.clientId, clientId), eq(apiIdempotency.key, key));
