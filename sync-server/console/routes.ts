import bwipjs from 'bwip-js/node';
import { isPc } from '../auth/server-devices.js';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Context, Env, Hono } from 'hono';
import { html } from 'hono/html';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { enrollmentQr } from '../../src-shared/sync/enrollment-code.js';
import { createEnrollmentCode } from '../auth/enrollment.js';
import { listDevices, revokeDevice } from '../auth/devices.js';
import type { ServerDb } from '../db/connect.js';
import { devices, organizations, orgRows, regions } from '../db/schema.js';
import type { Logger } from '../log.js';
import { incomingReleases, listReleases } from '../updates/releases.js';
import { SignInThrottle } from '../../src-shared/node/throttle.js';
import { type Installer, installerFor, seesRegion, signIn, signOut } from './installers.js';
import { changeState, changeWindow, publishIncoming, rolloutLog } from './rollout-actions.js';
import { codePage, incomingList, page, regionList, regionPage, signInForm } from './views.js';
import { addressOf, originOf, sameOrigin } from '../http/request-origin.js';

const COOKIE = 'kezek_console';

const CODE_HOURS = 72;

/**
 * The IT installers' console (issue 12), served by the sync server: regions → clinics → PCs with what
 * each desk last reported, enrollment codes with their QR, revoking a PC, and each region's rollout
 * board with its controls (a window, pause, resume, rollback) and audit list. An installer sees and changes only the regions of their account. Forms post to the same
 * origin only (the cookie is SameSite=Strict, and a post from another origin is refused).
 */
export function mountConsole<E extends Env>(app: Hono<E>, deps: { db: ServerDb; clock: () => number; log: Logger; releasesDir: string | null; publicUrl?: string }): void {
  const { db, clock, log } = deps;
  const who = (c: Context) => installerFor(db, getCookie(c, COOKIE), clock());
  const throttle = new SignInThrottle();
  const forbidden = (c: Context) => c.html(page('Нет доступа', null, signInForm('Войдите снова')), 403);

  /** The regions list, and the builds waiting to be published; with a refused form's message. */
  const home = async (c: Context, error: string | null = null) => {
    const me = await who(c);
    if (!me) return c.html(page('Вход', null, signInForm(null)));
    const all = await db.select().from(regions).orderBy(asc(regions.name));
    const orgs = await db.select({ id: organizations.id, regionId: organizations.regionId }).from(organizations);
    const pcs = await db.select({ orgId: devices.orgId }).from(devices).where(isPc);
    const rows = all
      .filter((r) => seesRegion(me, r.id))
      .map((r) => {
        const ids = new Set(orgs.filter((o) => o.regionId === r.id).map((o) => o.id));
        return { id: r.id, name: r.name, clinics: ids.size, pcs: pcs.filter((p) => ids.has(p.orgId)).length };
      });
    const incoming = deps.releasesDir ? await incomingReleases(db, deps.releasesDir) : [];
    return c.html(page('Регионы', me.username, html`${regionList(rows)}${incomingList(incoming, error)}`), error ? 422 : 200);
  };
  app.get('/console', async (c) => home(c));

  // A build copied to the server's incoming folder, published from the console (no PC sees it until a window opens).
  app.post('/console/releases/publish', async (c) => {
    const me = await who(c);
    if (!me || !sameOrigin(c) || !deps.releasesDir) return forbidden(c);
    const f = await c.req.parseBody();
    const form = { folder: String(f.folder ?? '').slice(0, 200), platform: String(f.platform ?? '').slice(0, 10) };
    const error = await publishIncoming(db, me, deps.releasesDir, form, clock());
    if (error) return home(c, error);
    log('info', 'release published in the console', { installer: me.username, folder: form.folder });
    return c.redirect('/console', 303);
  });

  app.post('/console/sign-in', async (c) => {
    if (!sameOrigin(c)) return forbidden(c);
    const form = await c.req.parseBody();
    const username = String(form.username ?? '').slice(0, 100);
    const r = await signIn(db, throttle, { username, password: String(form.password ?? ''), address: addressOf(c) }, clock());
    if ('refused' in r) {
      log('warn', 'console sign-in refused', { username: username.slice(0, 40), why: r.refused });
      if (r.refused === 'too_many_attempts') return c.html(page('Вход', null, signInForm(`Слишком много неудачных попыток. Попробуйте через ${r.seconds} с.`)), 429);
      return c.html(page('Вход', null, signInForm('Неверное имя или пароль')), 401);
    }
    setCookie(c, COOKIE, r.token, { httpOnly: true, sameSite: 'Strict', path: '/console', secure: originOf(c).protocol === 'https:' });
    return c.redirect('/console', 303);
  });

  app.post('/console/sign-out', async (c) => {
    const token = getCookie(c, COOKIE);
    if (token) await signOut(db, token);
    deleteCookie(c, COOKIE, { path: '/console' });
    return c.redirect('/console', 303);
  });

  const regionOf = async (me: Installer, regionId: string) => {
    const [r] = await db.select().from(regions).where(eq(regions.id, regionId));
    return r && seesRegion(me, r.id) ? r : null;
  };

  /** A region's page: its rollout board and audit list, its clinics and PCs; with a refused form's message on top. */
  const regionView = async (c: Context, me: Installer, regionId: string, error: string | null = null) => {
    const region = await regionOf(me, regionId);
    if (!region) return c.html(page('Нет доступа', me.username, signInForm('Этот регион не ваш')), 404);
    const orgs = await db
      .select({ id: organizations.id, name: organizations.name, rolloutOrder: organizations.rolloutOrder })
      .from(organizations)
      .where(eq(organizations.regionId, region.id))
      .orderBy(asc(organizations.id));
    const clinics = await Promise.all(orgs.map(async (o) => ({ ...o, devices: await listDevices(db, o.id), doctors: await doctorsOf(o.id) })));
    return c.html(page(region.name, me.username, regionPage(region, clinics, await listReleases(db), await rolloutLog(db, [region.id]), clock(), error)), error ? 422 : 200);
  };

  app.get('/console/regions/:id', async (c) => {
    const me = await who(c);
    if (!me) return c.redirect('/console', 303);
    return regionView(c, me, c.req.param('id'));
  });

  // Rollout from the console (issue 24 finding 5): a window, pause, resume, rollback — in the installer's regions.
  app.post('/console/rollout/window', async (c) => {
    const me = await who(c);
    if (!me || !sameOrigin(c)) return forbidden(c);
    const f = await c.req.parseBody();
    const field = (k: string) => String(f[k] ?? '').slice(0, 40);
    const form = {
      platform: field('platform'),
      version: field('version'),
      regionId: field('regionId'),
      opensOn: field('opensOn'),
      closesOn: field('closesOn'),
      clinicsPerDay: field('clinicsPerDay'),
      sharePercent: field('sharePercent'),
    };
    const error = await changeWindow(db, me, form, clock());
    if (error) return regionView(c, me, form.regionId, error);
    log('info', 'rollout window set in the console', { installer: me.username, version: form.version, regionId: form.regionId });
    return c.redirect(`/console/regions/${form.regionId}`, 303);
  });

  app.post('/console/rollout/state', async (c) => {
    const me = await who(c);
    if (!me || !sameOrigin(c)) return forbidden(c);
    const f = await c.req.parseBody();
    const field = (k: string) => String(f[k] ?? '').slice(0, 40);
    const form = { platform: field('platform'), version: field('version'), regionId: field('regionId'), action: field('action') };
    const error = await changeState(db, me, form, clock());
    if (error) return regionView(c, me, form.regionId, error);
    log('info', `rollout ${form.action} in the console`, { installer: me.username, version: form.version, regionId: form.regionId });
    return c.redirect(`/console/regions/${form.regionId}`, 303);
  });

  /** The organization, if it is in one of this installer's regions. */
  const clinicOf = async (me: Installer, orgId: string) => {
    const [o] = await db.select({ id: organizations.id, name: organizations.name, regionId: organizations.regionId }).from(organizations).where(eq(organizations.id, orgId));
    return o && seesRegion(me, o.regionId) ? o : null;
  };

  /** The organization's working doctors, by name (their cabinet PCs enroll with a code bound to them). */
  const doctorsOf = async (orgId: string) =>
    (
      await db
        .select({ row: orgRows.row })
        .from(orgRows)
        .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, 'doctor')))
    )
      .map((r) => r.row as { id: string; fullName: string; active: boolean })
      .filter((d) => d.active)
      .sort((a, b) => a.fullName.localeCompare(b.fullName, 'ru'))
      .map(({ id, fullName }) => ({ id, fullName }));

  app.post('/console/codes', async (c) => {
    const me = await who(c);
    if (!me || !sameOrigin(c)) return forbidden(c);
    const form = await c.req.parseBody();
    const clinic = await clinicOf(me, String(form.orgId ?? ''));
    if (!clinic) return forbidden(c);
    // A doctor's cabinet PC: the code binds it to that doctor (it leases the doctor's repeat-visit times).
    // Or the hall's kiosk (issue 21): it leases its part of the internet share and signs as itself.
    const kiosk = String(form.cabinet ?? '') === 'kiosk';
    const cabinet = String(form.cabinet ?? '') && !kiosk ? ((await doctorsOf(clinic.id)).find((d) => d.id === String(form.cabinet)) ?? null) : null;
    if (String(form.cabinet ?? '') && !kiosk && !cabinet) return forbidden(c);
    const code = await createEnrollmentCode(db, clinic.id, clock(), CODE_HOURS, cabinet ? { kind: 'cabinet', doctorId: cabinet.id } : kiosk ? { kind: 'kiosk' } : { kind: 'desk' });
    const serverUrl = deps.publicUrl ?? originOf(c).origin;
    log('info', 'enrollment code made in the console', { installer: me.username, orgId: clinic.id });
    const qr = bwipjs.toSVG({ bcid: 'qrcode', text: enrollmentQr(serverUrl, code), scale: 3 });
    return c.html(page('Код подключения', me.username, codePage(clinic, code, serverUrl, qr, CODE_HOURS, cabinet?.fullName ?? null, kiosk)));
  });

  app.post('/console/devices/:id/revoke', async (c) => {
    const me = await who(c);
    if (!me || !sameOrigin(c)) return forbidden(c);
    const [d] = await db
      .select({ orgId: devices.orgId })
      .from(devices)
      .where(inArray(devices.id, [c.req.param('id')]));
    const clinic = d ? await clinicOf(me, d.orgId) : null;
    if (!clinic) return forbidden(c);
    await revokeDevice(db, c.req.param('id'), clock());
    log('info', 'device revoked in the console', { installer: me.username, deviceId: c.req.param('id') });
    return c.redirect(`/console/regions/${clinic.regionId}`, 303);
  });
}
