import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Lang } from '../../src-shared/domain/enums.js';
import { translate } from '../../src-shared/i18n/index.js';
import { addDays, localParts } from '../../src-shared/time/dates.js';
import type { ApiClient } from '../api/clients.js';
import { requestHomeVisit } from '../api/home-visits.js';
import type { KnownPatient, Refusal } from '../api/scheduling.js';
import type { ServerDb } from '../db/connect.js';
import { patientPrefs } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { DirectoryCache, RulesDirectory } from '../rules/directory-cache.js';
import type { OrgQueue } from '../sync/org-queue.js';
import { dmy, homeVisitPage } from './views.js';

/** The signed-in patient, their clinic's directory and the page's language. */
export type Who = { p: KnownPatient; dir: RulesDirectory; lang: Lang };

/** What the page's own routes (routes.ts) lend these: the session check, the home page, how a refusal is said. */
export interface RequestKit {
  db: ServerDb;
  directories: DirectoryCache;
  clock: () => number;
  log: Logger;
  writers: OrgQueue;
  client: ApiClient;
  /** An SMTP server is configured: messages may go by e-mail. */
  email: boolean;
  signedIn: (handler: (c: Context, who: Who) => Promise<Response>) => (c: Context) => Promise<Response>;
  home: (c: Context, who: Who, notice: string | null, error: string | null, status?: 200 | 422) => Promise<Response>;
  refused: (c: Context, who: Who, r: Refusal) => Promise<Response>;
}

/** R24: what the patient says when calling the doctor home. */
const homeVisitForm = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  address: z.string().trim().min(3).max(300),
  reason: z.string().trim().min(2).max(300),
  callbackPhone: z
    .string()
    .trim()
    .regex(/^[+\d][\d\s()-]{5,38}$/),
});
/** An e-mail address as patients type it; empty takes it away (messages go by SMS again). */
const contactForm = z.object({ email: z.union([z.literal(''), z.email().max(254)]) });

/**
 * What a signed-in patient asks of the clinic besides a booking (issue 20): a home visit (R24, where the profile
 * allows) and where messages about their bookings go (e-mail instead of SMS).
 */
export function requestRoutes(app: Hono, k: RequestKit): void {
  const { db, directories, clock, log, writers, signedIn, home, refused } = k;

  /** R24: the form for a home visit today or tomorrow, the address as the clinic has it. */
  const visitDays = (dir: RulesDirectory) => {
    const today = localParts(clock(), dir.timezone).date;
    return [today, addDays(today, 1)].map((d) => ({ value: d, label: dmy(d) }));
  };
  app.get(
    '/home-visit',
    signedIn(async (c, who) => {
      if (!who.dir.profile.patientPage.homeVisit) return c.redirect('/p/home', 303);
      return c.html(homeVisitPage(who.lang, { days: visitDays(who.dir), address: who.p.patient.address, error: null }));
    }),
  );
  app.post(
    '/home-visit',
    signedIn(async (c, who) => {
      if (!who.dir.profile.patientPage.homeVisit) return c.redirect('/p/home', 303);
      const form = homeVisitForm.safeParse(await c.req.parseBody());
      if (!form.success) {
        const field = String(form.error.issues[0]?.path[0] ?? 'reason');
        return c.html(homeVisitPage(who.lang, { days: visitDays(who.dir), address: who.p.patient.address, error: translate(who.lang, `patientPage.homeVisitBad.${field}`) }), 422);
      }
      const r = await writers.run(who.p.orgId, () => requestHomeVisit(db, directories, k.client, who.p, form.data, clock()));
      if ('refused' in r) return refused(c, who, r);
      log('info', 'home visit called in on the patient page', { orgId: who.p.orgId, doctorId: r.doctorId });
      const doctor = who.dir.doctors.get(r.doctorId)?.fullName ?? '';
      return home(c, who, translate(who.lang, 'patientPage.homeVisitTaken', { date: dmy(form.data.date), doctor, phone: form.data.callbackPhone }), null);
    }),
  );

  /** The patient's e-mail for messages about their bookings, instead of SMS; empty goes back to SMS. */
  app.post(
    '/contact',
    signedIn(async (c, who) => {
      if (!k.email) return c.redirect('/p/home', 303);
      const form = contactForm.safeParse(await c.req.parseBody());
      if (!form.success) return home(c, who, null, translate(who.lang, 'patientPage.emailBad'), 422);
      const address = form.data.email === '' ? null : form.data.email;
      const now = clock();
      await db
        .insert(patientPrefs)
        .values({ orgId: who.p.orgId, patientId: who.p.patient.id, lang: who.lang, email: address, updatedAt: now })
        .onConflictDoUpdate({ target: [patientPrefs.orgId, patientPrefs.patientId], set: { email: address, updatedAt: now } });
      return home(c, who, address ? translate(who.lang, 'patientPage.emailSaved', { email: address }) : translate(who.lang, 'patientPage.emailCleared'), null);
    }),
  );
}
