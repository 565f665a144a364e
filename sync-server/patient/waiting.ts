import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { WaitingEntry } from '../../src-shared/domain/waiting-entry.js';
import { translate } from '../../src-shared/i18n/index.js';
import { localParts } from '../../src-shared/time/dates.js';
import { inOrg } from '../api/scheduling.js';
import { horizonOf } from '../rules/judge.js';
import { addToList, answerOffer } from '../waiting/entries.js';
import { waitingContext } from '../waiting/offers.js';
import type { RequestKit, Who } from './requests.js';

const joinForm = z.object({ specialty: z.string().min(1).max(80), doctor: z.string().max(80).default('') });
const answerForm = z.object({ entry: z.string().min(1).max(80), slot: z.string().min(1).max(80), answer: z.enum(['accept', 'decline']) });

const sqlEntries = (orgId: string, patientId: string) =>
  sql`SELECT row FROM org_rows WHERE org_id = ${orgId} AND entity = 'waiting_entry' AND row->>'patientId' = ${patientId}
    AND row->>'status' IN ('waiting', 'offered') ORDER BY (row->>'createdAt')::bigint`;

/** The patient's own live entries of the waiting list, oldest first. */
export async function entriesOf(k: Pick<RequestKit, 'db'>, who: Who): Promise<WaitingEntry[]> {
  const r = (await k.db.execute(sqlEntries(who.p.orgId, who.p.patient.id))) as unknown as { rows: Array<{ row: WaitingEntry }> };
  return r.rows.map((x) => x.row);
}

/**
 * The waiting list from the patient's own page (issue 21): a patient who finds no free time joins it (any doctor of
 * the specialty, or their family doctor where the profile books only that one, up to the horizon), and answers the
 * offer the SMS told them of — decided by the desks' own ops on the server, as the patient page's client.
 */
export function waitingRoutes(app: Hono, k: RequestKit & { poke(orgId: string): void }): void {
  const { signedIn, home, clock, writers, directories, db, client } = k;
  const run = (who: Who, op: typeof addToList, args: unknown) =>
    writers.run(who.p.orgId, () => inOrg(db, directories, who.p.orgId, (tx, dir) => op(waitingContext(tx, dir, clock(), client.channel, `api:${client.id}`), args)));

  app.post(
    '/waiting',
    signedIn(async (c, who) => {
      const f = joinForm.safeParse(await c.req.parseBody());
      if (!f.success) return c.redirect('/p/home', 303);
      const today = localParts(clock(), who.dir.timezone).date;
      const wish = {
        id: randomUUID(),
        patientId: who.p.patient.id,
        specialtyId: f.data.specialty,
        doctorId: f.data.doctor || null,
        fromDate: today,
        toDate: horizonOf(who.dir, today),
        part: 'any',
        channel: client.channel,
        // R15: the request's row of the register (the server names who, where and when).
        register: {
          id: randomUUID(),
          at: 0,
          patientId: who.p.patient.id,
          applicant: who.p.patient.fullName,
          specialtyId: f.data.specialty,
          doctorId: f.data.doctor || null,
          channel: client.channel,
          result: 'waiting_list',
          reason: null,
          rule: null,
          appointmentId: null,
          appointedAt: null,
          userId: `api:${client.id}`,
          deviceId: 'page',
        },
      };
      const r = await run(who, addToList, wish);
      if (r.status !== 'applied') return home(c, who, null, translate(who.lang, `errors.${r.detail}`), 422);
      k.poke(who.p.orgId);
      return home(c, who, translate(who.lang, 'patientPage.waitJoined', { date: wish.toDate.split('-').reverse().join('.') }), null);
    }),
  );

  app.post(
    '/waiting/answer',
    signedIn(async (c, who) => {
      const f = answerForm.safeParse(await c.req.parseBody());
      if (!f.success) return c.redirect('/p/home', 303);
      // Only the patient's own entry: another's id is as good as none.
      if (!(await entriesOf(k, who)).some((e) => e.id === f.data.entry)) return c.redirect('/p/home', 303);
      const r = await run(who, answerOffer, { id: f.data.entry, slotId: f.data.slot, answer: f.data.answer });
      if (r.status !== 'applied') return home(c, who, null, translate(who.lang, `errors.${r.detail}`), 422);
      k.poke(who.p.orgId);
      return home(c, who, translate(who.lang, f.data.answer === 'accept' ? 'patientPage.waitBooked' : 'patientPage.waitDeclined'), null);
    }),
  );
}
