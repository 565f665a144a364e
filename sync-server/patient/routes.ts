import bwipjs from 'bwip-js/node';
import { and, eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Lang } from '../../src-shared/domain/enums.js';
import { localName, translate } from '../../src-shared/i18n/index.js';
import type { Patient } from '../../src-shared/domain/patient.js';
import { getProfile } from '../../src-shared/policy/profiles.js';
import { ticketCodeFromScan } from '../../src-shared/print/ticket-layout.js';
import { localParts } from '../../src-shared/time/dates.js';
import { type ApiClient, overLimit } from '../api/clients.js';
import { fhirSlotId, refusalText, slotIdFromFhir } from '../api/fhir.js';
import { findSlots } from '../api/free-times.js';
import { bookSlot, cancelBooking, holdSlot, type KnownPatient, orgsById, patientAppointments, type Refusal } from '../api/scheduling.js';
import type { Database } from '../db/connect.js';
import { organizations, orgRows, patientPrefs } from '../db/schema.js';
import { checkCode, issueCode } from './codes.js';
import { e164, masked } from '../messages/recipients.js';
import { addressOf, originOf, sameOrigin } from '../http/request-origin.js';
import type { Logger } from '../log.js';
import type { DirectoryCache, RulesDirectory } from '../rules/directory-cache.js';
import { OrgQueue } from '../sync/org-queue.js';
import { endSession, identificationOf, identify, sessionOf, startSession } from './identify.js';
import { waitingRoutes, entriesOf } from './waiting.js';
import { requestRoutes, type Who } from './requests.js';
import { codePage, confirmPage, daysPage, dmy, type HomeView, homePage, STYLE, signInPage, ticketPage, timesPage } from './views.js';

const COOKIE = 'kezek_patient';
/** The pending sign-in code's id (KZ): which code the typed one is checked against. */
const CODE_COOKIE = 'kezek_code';
const LANG_COOKIE = 'kezek_lang';

/** The page books as one client of the booking API, through the internet channel (R7's share only), in every clinic. */
const PAGE: ApiClient = { id: 'patient-page', name: 'Страница пациента', channel: 'internet', regions: ['*'], organizations: [], perMinute: 0 };

/** Strict: nothing from anywhere else, no script at all, forms only to this server, never framed. */
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Sign-in attempts a minute per address and per identity; page views a minute per address. */
const SIGN_INS_PER_ADDRESS = 20;
const SIGN_INS_PER_ID = 5;
const VIEWS_PER_ADDRESS = 300;

const signInForm = z.object({
  pin: z.string().trim().max(20).optional(),
  phone: z.string().trim().max(30).optional(),
  policy: z.string().trim().max(20).optional(),
  iin: z.string().trim().max(20).optional(),
  birthDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

/** The message outbox as the page uses it: whether SMS can go at all, and a nudge to send a sign-in code now. */
export interface PageMessages {
  sms: boolean;
  /** An SMTP server is configured: the page offers e-mail instead of SMS. */
  email: boolean;
  kick(): void;
}

/**
 * The patient's own page (issue 20), served by the sync server at /p for regions without a national portal: sign in as
 * the profile says (P2: PIN and phone; P5: policy and birth date), see the attachment, the free times the profile lets
 * a patient book online, book one (held while confirming), get the ticket with its barcode, see and cancel bookings, call the doctor home, say where messages go.
 * It books through the booking API's own decisions (api/scheduling.ts) — the same rules and path as desks' ops.
 */
export function patientPage(deps: {
  database: Database;
  directories: DirectoryCache;
  clock: () => number;
  log: Logger;
  writers?: OrgQueue;
  messages?: PageMessages;
  /** The waiting list's pass for an organization (a patient joined it, or answered an offer). */
  poke?: (orgId: string) => void;
}): Hono {
  const { database, directories, clock, log } = deps;
  const sms = deps.messages?.sms ?? false;
  const email = deps.messages?.email ?? false;
  const writers = deps.writers ?? new OrgQueue();
  const db = database.db;
  const app = new Hono();

  const langOf = (c: Context): Lang => {
    const asked = c.req.query('lang');
    if (asked === 'ru' || asked === 'ky' || asked === 'kk') {
      setCookie(c, LANG_COOKIE, asked, { path: '/p', sameSite: 'Strict', maxAge: 365 * 86_400 });
      return asked;
    }
    const kept = getCookie(c, LANG_COOKIE);
    if (kept === 'ru' || kept === 'ky' || kept === 'kk') return kept;
    const header = c.req.header('accept-language') ?? '';
    return header.startsWith('ky') ? 'ky' : header.startsWith('kk') ? 'kk' : 'ru';
  };
  const t = (lang: Lang, key: string, params: Record<string, string | number> = {}) => translate(lang, key, params);

  app.use('*', async (c, next) => {
    c.header('content-security-policy', CSP);
    c.header('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer the browser sends Origin: null on the page's own form posts.
    c.header('referrer-policy', 'same-origin');
    c.header('cache-control', 'no-store');
    const wait = await overLimit(db, `page:${addressOf(c)}`, VIEWS_PER_ADDRESS, clock());
    if (wait > 0) return c.text(t('ru', 'apiErrors.too_many_requests'), 429, { 'retry-after': String(Math.ceil(wait / 1000)) });
    if (c.req.method === 'POST' && !sameOrigin(c)) return c.text('forbidden', 403);
    await next();
  });
  app.get('/style.css', (c) => c.body(STYLE, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' }));

  /** The page's country: the profile of the clinics this server holds (one country per region's server). */
  const profileHere = async () => {
    const [o] = await db.select({ profileId: organizations.profileId }).from(organizations).limit(1);
    return getProfile(o?.profileId ?? 'KG');
  };
  const allOrgs = async () => (await db.select({ id: organizations.id }).from(organizations)).map((o) => o.id);

  app.get('/', async (c) => c.html(signInPage(langOf(c), identificationOf(await profileHere(), sms), null)));

  /** Signed in: the session cookie, and the page's language kept as the language of the patient's messages. */
  const signIn = async (c: Context, p: { orgId: string; patientId: string }, lang: Lang, now: number) => {
    setCookie(c, COOKIE, await startSession(db, p, now), { path: '/p', httpOnly: true, sameSite: 'Strict', secure: originOf(c).protocol === 'https:', maxAge: 30 * 60 });
    await db
      .insert(patientPrefs)
      .values({ orgId: p.orgId, patientId: p.patientId, lang, updatedAt: now })
      .onConflictDoUpdate({ target: [patientPrefs.orgId, patientPrefs.patientId], set: { lang, updatedAt: now } });
    return c.redirect('/p/home', 303);
  };

  app.post('/sign-in', async (c) => {
    const lang = langOf(c);
    const kind = identificationOf(await profileHere(), sms);
    const form = signInForm.safeParse(await c.req.parseBody());
    const who = form.success ? (kind === 'pin_phone' ? form.data.pin : kind === 'iin_sms' ? form.data.iin : form.data.policy)?.replace(/\D/g, '') : undefined;
    const now = clock();
    const wait = Math.max(await overLimit(db, `sign-in:${addressOf(c)}`, SIGN_INS_PER_ADDRESS, now), who ? await overLimit(db, `sign-in-id:${who}`, SIGN_INS_PER_ID, now) : 0);
    if (wait > 0) return c.html(signInPage(lang, kind, t(lang, 'patientPage.tooMany', { seconds: Math.ceil(wait / 1000) })), 429);
    if (kind === 'iin_sms') {
      if (!form.success || !who) return c.html(signInPage(lang, kind, t(lang, 'patientPage.notFound')), 200);
      // At most one code a minute to one IIN: the page cannot be made to flood a patient's phone.
      const again = await overLimit(db, `code-id:${who}`, 1, now);
      if (again > 0) return c.html(codePage(lang, t(lang, 'patientPage.tooMany', { seconds: Math.ceil(again / 1000) })), 429);
      const p = await identify(db, await allOrgs(), { kind, iin: who });
      setCookie(c, CODE_COOKIE, await issueCode(db, p, lang, now), { path: '/p', httpOnly: true, sameSite: 'Strict', secure: originOf(c).protocol === 'https:', maxAge: 5 * 60 });
      if (p) deps.messages?.kick();
      // The same page whether or not the IIN is registered.
      return c.html(codePage(lang, null), 200);
    }
    const p =
      form.success && kind === 'pin_phone' && form.data.pin && form.data.phone
        ? await identify(db, await allOrgs(), { kind, pin: form.data.pin, phone: form.data.phone })
        : form.success && kind === 'policy_birth_date' && form.data.policy && form.data.birthDate
          ? await identify(db, await allOrgs(), { kind, policy: form.data.policy, birthDate: form.data.birthDate })
          : null;
    // One answer whether the ID is unknown or the phone (birth date) does not match: nothing tells who is registered.
    if (!p) return c.html(signInPage(lang, kind, t(lang, 'patientPage.notFound')), 200);
    return signIn(c, { orgId: p.orgId, patientId: p.patient.id }, lang, now);
  });

  app.post('/sign-in/code', async (c) => {
    const lang = langOf(c);
    const now = clock();
    const wait = await overLimit(db, `sign-in:${addressOf(c)}`, SIGN_INS_PER_ADDRESS, now);
    if (wait > 0) return c.html(codePage(lang, t(lang, 'patientPage.tooMany', { seconds: Math.ceil(wait / 1000) })), 429);
    const typed = String((await c.req.parseBody()).code ?? '').replace(/\D/g, '');
    const p = await checkCode(db, getCookie(c, CODE_COOKIE), typed, now);
    if (!p) return c.html(codePage(lang, t(lang, 'patientPage.codeWrong')), 200);
    deleteCookie(c, CODE_COOKIE, { path: '/p' });
    return signIn(c, p, lang, now);
  });

  app.post('/sign-out', async (c) => {
    await endSession(db, getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, { path: '/p' });
    return c.redirect('/p', 303);
  });

  /** The signed-in patient with their clinic's directory, or a redirect to sign in. */
  const patientOf = async (c: Context): Promise<Who | null> => {
    const s = await sessionOf(db, getCookie(c, COOKIE), clock());
    if (!s) return null;
    const [row] = await db
      .select({ row: orgRows.row })
      .from(orgRows)
      .where(and(eq(orgRows.orgId, s.orgId), eq(orgRows.entity, 'patient'), eq(orgRows.id, s.patientId)));
    const dir = row ? await directories.get(db, s.orgId) : null;
    return row && dir ? { p: { orgId: s.orgId, patient: row.row as Patient }, dir, lang: langOf(c) } : null;
  };
  const signedIn = (handler: (c: Context, who: Who) => Promise<Response>) => async (c: Context) => {
    const who = await patientOf(c);
    return who ? handler(c, who) : c.redirect('/p', 303);
  };

  const spec = (dir: RulesDirectory, id: string, lang: Lang) => {
    const s = dir.specialties.get(id);
    return s ? localName(s.name, lang) : id;
  };
  const when = (dir: RulesDirectory, ms: number) => {
    const l = localParts(ms, dir.timezone);
    return `${dmy(l.date)} ${l.time}`;
  };
  /** The patient's own bookings, and whether the profile lets them book online yet (RU: after a first visit at the registry, P4). */
  const bookings = (who: { p: KnownPatient }) => patientAppointments(db, who.p.orgId, who.p.patient.id);
  /** The doctors a patient may book online here: KG the family doctor only (P1); elsewhere every active doctor. */
  const bookableDoctors = (dir: RulesDirectory, p: Patient) => {
    const active = [...dir.doctors.values()].filter((d) => d.active);
    return dir.profile.patientPage.book === 'family_doctor' ? active.filter((d) => d.id === p.attachment?.doctorId) : active;
  };

  const home = async (c: Context, who: Who, notice: string | null, error: string | null, status: 200 | 422 = 200) => {
    const { p, dir, lang } = who;
    const [org] = await orgsById(db, [p.orgId]);
    const mine = await bookings(who);
    const now = clock();
    const visited = mine.some((b) => b.appointment.status === 'fulfilled' || b.appointment.status === 'arrived');
    const mayBook = !(dir.profile.patientPage.firstVisitAtRegistry && !visited);
    const doctors = mayBook ? bookableDoctors(dir, p.patient) : [];
    const entries: HomeView['entries'] = [];
    if (dir.profile.patientPage.book === 'family_doctor') {
      for (const d of doctors) {
        const free = (await findSlots(db, dir, PAGE, { doctorId: d.id, patientId: p.patient.id, count: 1000 }, now)).length;
        entries.push({ label: `${spec(dir, d.specialtyId, lang)} — ${d.fullName}`, href: `/p/doctor/${encodeURIComponent(d.id)}`, free, wait: { specialty: d.specialtyId, doctor: d.id } });
      }
    } else {
      for (const sid of [...new Set(doctors.map((d) => d.specialtyId))]) {
        const free = (await findSlots(db, dir, PAGE, { specialtyId: sid, patientId: p.patient.id, count: 1000 }, now)).length;
        entries.push({ label: spec(dir, sid, lang), href: `/p/specialty/${encodeURIComponent(sid)}`, free, wait: { specialty: sid, doctor: '' } });
      }
    }
    const notes = [...(dir.profile.patientPage.book === 'family_doctor' ? [t(lang, 'patientPage.narrowViaRegistry')] : []), ...(mayBook ? [] : [t(lang, 'patientPage.firstVisit')])];
    const department = p.patient.attachment ? (await directoryRow(p.orgId, 'department', p.patient.attachment.departmentId))?.name : null;
    return c.html(
      homePage(lang, {
        name: p.patient.fullName,
        attached: p.patient.attachment?.orgId === p.orgId,
        org: { name: org?.name ?? '', address: org?.address ?? '', phone: org?.phone ?? '' },
        department: department ?? null,
        familyDoctor: p.patient.attachment?.doctorId ? (dir.doctors.get(p.patient.attachment.doctorId)?.fullName ?? null) : null,
        entries,
        notes,
        bookings: await Promise.all(
          mine
            .filter((b) => b.appointment.status === 'booked' && b.appointment.startUtc > now)
            .map(async (b) => ({
              id: b.appointment.id,
              when: when(dir, b.appointment.startUtc),
              doctor: dir.doctors.get(b.appointment.doctorId)?.fullName ?? '',
              specialty: spec(dir, b.appointment.specialtyId, lang),
              cabinet: await cabinetText(p.orgId, dir.doctors.get(b.appointment.doctorId)?.cabinetId, lang),
              status: t(lang, `status.${b.appointment.status}`),
              cancellable: true,
            })),
        ),
        contact: sms || email ? await contactOf(p, dir) : null,
        waiting: (await entriesOf({ db }, who)).map((e) => ({
          id: e.id,
          specialty: e.specialtyId,
          label: `${spec(dir, e.specialtyId, lang)}${e.doctorId ? ` — ${dir.doctors.get(e.doctorId)?.fullName ?? ''}` : ''}`,
          offer: e.offer
            ? { slot: e.offer.slotId, when: when(dir, e.offer.startUtc), doctor: dir.doctors.get(e.offer.doctorId)?.fullName ?? '', until: localParts(e.offer.expiresAt, dir.timezone).time }
            : null,
        })),
        homeVisit: dir.profile.patientPage.homeVisit && p.patient.attachment?.orgId === p.orgId,
        notice,
        error,
      }),
      status,
    );
  };
  /** Where the patient's messages go (masked, as on the desk's card), and the e-mail they gave, if any. */
  const contactOf = async (p: KnownPatient, dir: RulesDirectory) => {
    const phone = sms ? e164(p.patient.phone, dir.profile.country) : null;
    const [prefs] = await db
      .select({ email: patientPrefs.email })
      .from(patientPrefs)
      .where(and(eq(patientPrefs.orgId, p.orgId), eq(patientPrefs.patientId, p.patient.id)));
    return { phone: phone ? masked(phone) : null, email: email ? (prefs?.email ?? null) : null, emailForm: email };
  };
  const directoryRow = async (orgId: string, entity: string, id: string) => {
    const [r] = await db
      .select({ row: orgRows.row })
      .from(orgRows)
      .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, entity), eq(orgRows.id, id)));
    return r?.row as { name: string; number?: string; floor?: number } | undefined;
  };

  app.get(
    '/home',
    signedIn((c, who) => home(c, who, null, null)),
  );

  /** The days of one doctor (P1: the family doctor), each with its free count, over the horizon (R1). */
  app.get(
    '/doctor/:doctorId',
    signedIn(async (c, who) => {
      const d = bookableDoctors(who.dir, who.p.patient).find((x) => x.id === (c.req.param('doctorId') ?? ''));
      if (!d) return c.redirect('/p/home', 303);
      const slots = await findSlots(db, who.dir, PAGE, { doctorId: d.id, patientId: who.p.patient.id, count: 1000 }, clock());
      const byDay = new Map<string, number>();
      for (const s of slots) byDay.set(s.date, (byDay.get(s.date) ?? 0) + 1);
      const days = [...byDay].map(([date, free]) => ({ label: dmy(date), href: `/p/day/${encodeURIComponent(d.id)}/${date}`, free }));
      return c.html(daysPage(who.lang, `${spec(who.dir, d.specialtyId, who.lang)} — ${d.fullName}`, days));
    }),
  );

  /** A specialty (P5): each doctor's days with free counts — the doctor × day grid as one list per doctor. */
  app.get(
    '/specialty/:specialtyId',
    signedIn(async (c, who) => {
      const sid = c.req.param('specialtyId') ?? '';
      const slots = await findSlots(db, who.dir, PAGE, { specialtyId: sid, patientId: who.p.patient.id, count: 5000 }, clock());
      const byDoctorDay = new Map<string, number>();
      for (const s of slots) byDoctorDay.set(`${s.doctorId}|${s.date}`, (byDoctorDay.get(`${s.doctorId}|${s.date}`) ?? 0) + 1);
      const days = [...byDoctorDay].map(([k, free]) => {
        const [doctorId, date] = k.split('|') as [string, string];
        return { label: `${dmy(date)} — ${who.dir.doctors.get(doctorId)?.fullName ?? ''}`, href: `/p/day/${encodeURIComponent(doctorId)}/${date}`, free };
      });
      return c.html(daysPage(who.lang, spec(who.dir, sid, who.lang), days));
    }),
  );

  app.get(
    '/day/:doctorId/:date',
    signedIn(async (c, who) => {
      const d = bookableDoctors(who.dir, who.p.patient).find((x) => x.id === (c.req.param('doctorId') ?? ''));
      const date = c.req.param('date') ?? '';
      if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return c.redirect('/p/home', 303);
      const slots = await findSlots(db, who.dir, PAGE, { doctorId: d.id, from: date, to: date, patientId: who.p.patient.id, count: 200 }, clock());
      const back = who.dir.profile.patientPage.book === 'family_doctor' ? `/p/doctor/${encodeURIComponent(d.id)}` : `/p/specialty/${encodeURIComponent(d.specialtyId)}`;
      return c.html(
        timesPage(
          who.lang,
          `${d.fullName}, ${dmy(date)}`,
          back,
          slots.map((s) => ({ fhirSlot: fhirSlotId(who.dir.orgId, s.id), time: s.time })),
        ),
      );
    }),
  );

  /** A refusal, said on the home page with the registry's phone to call (the API's wording: fhir.ts). */
  const refused = async (c: Context, who: Who, r: Refusal) => {
    const [org] = await orgsById(db, [who.p.orgId]);
    const said = `${refusalText(r.refused, who.lang, r.params ?? {})}. ${translate(who.lang, 'patientPage.registryPhone')}: ${org?.phone ?? ''}`;
    return home(c, who, null, said, 422);
  };

  app.post(
    '/hold',
    signedIn(async (c, who) => {
      const body = await c.req.parseBody();
      const slot = slotIdFromFhir(String(body.slot ?? ''));
      if (!slot || slot.orgId !== who.p.orgId) return c.redirect('/p/home', 303);
      const r = await holdSlot(db, directories, PAGE, slot.slotId, who.p, clock());
      if ('refused' in r) return refused(c, who, r);
      const d = who.dir.doctors.get(r.slot.doctorId);
      return c.html(
        confirmPage(who.lang, {
          holdId: r.id,
          heldUntil: localParts(r.expiresAt, who.dir.timezone).time,
          doctor: d?.fullName ?? '',
          specialty: spec(who.dir, r.slot.specialtyId, who.lang),
          when: when(who.dir, r.slot.startUtc),
          cabinet: await cabinetText(who.p.orgId, d?.cabinetId, who.lang),
        }),
      );
    }),
  );

  const cabinetText = async (orgId: string, cabinetId: string | undefined, lang: Lang) => {
    const cab = cabinetId ? await directoryRow(orgId, 'cabinet', cabinetId) : undefined;
    return cab ? `${cab.number}, ${cab.floor} ${translate(lang, 'patientPage.floor')}` : '';
  };

  app.post(
    '/book',
    signedIn(async (c, who) => {
      const body = await c.req.parseBody();
      const r = await bookSlot(db, directories, PAGE, { holdId: String(body.hold ?? '') }, who.p, clock(), (org, task) => writers.run(org, task));
      if ('refused' in r) return refused(c, who, r);
      log('info', 'booked on the patient page', { orgId: who.p.orgId, appointmentId: r.appointment.id });
      return c.redirect(`/p/ticket/${r.appointment.id}`, 303);
    }),
  );

  app.get(
    '/ticket/:id',
    signedIn(async (c, who) => {
      const mine = (await bookings(who)).find((b) => b.appointment.id === (c.req.param('id') ?? ''));
      if (!mine || !ticketCodeFromScan(mine.appointment.ticketCode)) return c.redirect('/p/home', 303);
      const a = mine.appointment;
      const [org] = await orgsById(db, [who.p.orgId]);
      const d = who.dir.doctors.get(a.doctorId);
      const barcode = await bwipjs.toSVG({ bcid: 'code128', text: a.ticketCode, height: 14, includetext: false });
      return c.html(
        ticketPage(who.lang, {
          org: org?.name ?? '',
          address: org?.address ?? '',
          doctor: d?.fullName ?? '',
          specialty: spec(who.dir, a.specialtyId, who.lang),
          cabinet: await cabinetText(who.p.orgId, d?.cabinetId, who.lang),
          when: when(who.dir, a.startUtc),
          queue: a.queueNumber,
          code: a.ticketCode,
          barcode,
          status: translate(who.lang, `status.${a.status}`),
        }),
      );
    }),
  );

  app.post(
    '/cancel/:id',
    signedIn(async (c, who) => {
      const r = await writers.run(who.p.orgId, () => cancelBooking(db, directories, PAGE, c.req.param('id') ?? '', who.p, null, clock()));
      if ('refused' in r) return refused(c, who, r);
      return home(c, who, translate(who.lang, 'patientPage.cancelled'), null);
    }),
  );

  const kit = { db, directories, clock, log, writers, client: PAGE, email, signedIn, home, refused };
  requestRoutes(app, kit);
  waitingRoutes(app, { ...kit, poke: deps.poke ?? (() => undefined) });

  app.notFound((c) => c.redirect('/p', 303));
  return app;
}
