import { sql } from 'drizzle-orm';
import type { WaitingEntry } from '../../src-shared/domain/waiting-entry.js';
import { allowedChannels } from '../../src-shared/rules/channels.js';
import { canRemove, decideAnswer, decideWish } from '../../src-shared/rules/waiting-list.js';
import { opArgs } from '../../src-shared/sync/protocol.js';
import { localParts } from '../../src-shared/time/dates.js';
import { nextServerTicket } from '../auth/server-devices.js';
import { horizonOf, loadElectronicFacts, loadPatients, slotOf } from '../rules/judge.js';
import { registerRow } from '../api/scheduling.js';
import { confirm, judgeNew, type Outcome } from '../sync/booking-mutators.js';
import { logChange, type OpContext } from '../sync/context.js';
import { orgRows } from '../db/schema.js';
import { endOffer, loadEntry, offeredBooking, putEntry, waitingDevice, waitingDeviceId } from './offers.js';

/**
 * The waiting list's ops (issue 21), decided by the server on what it holds. An entry joins the list in the order the
 * patient asked; the patient's answer to an offer is taken while the server still holds that offer for them — an
 * acceptance books the time through the desks' own path (judgeNew, the rules, the one-booking-per-slot index).
 */

/** A patient put on the list with a wish, checked by the shared rule; the same id twice is one entry. */
export async function addToList(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['waiting.add'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { id, userId: _named, register, ...wish } = parsed.data;
  if (await loadEntry(ctx.tx, ctx.orgId, id)) return { status: 'applied', detail: 'already_known' };
  // The channel is the one the signer may book through on this PC (a kiosk's is the kiosk's; the patient page's the
  // internet), never the op's say.
  if (!(ctx.device.channels ?? allowedChannels(ctx.device.kind, ctx.by.role)).includes(wish.channel)) return { status: 'rejected', detail: 'channel_not_allowed' };
  const today = localParts(ctx.at, ctx.dir.timezone).date;
  const twice = (await ctx.tx.execute(sql`
    SELECT 1 FROM org_rows WHERE org_id = ${ctx.orgId} AND entity = 'waiting_entry' AND row->>'patientId' = ${wish.patientId}
      AND row->>'specialtyId' = ${wish.specialtyId} AND row->>'status' IN ('waiting', 'offered') LIMIT 1`)) as unknown as { rows: unknown[] };
  const d = decideWish(wish, {
    today,
    horizonEnd: horizonOf(ctx.dir, today),
    patientKnown: (await loadPatients(ctx.tx, ctx.orgId, [wish.patientId])).has(wish.patientId),
    specialtyKnown: ctx.dir.specialtyKinds.has(wish.specialtyId),
    doctorSpecialtyId: wish.doctorId === null ? null : ctx.dir.doctors.get(wish.doctorId)?.active ? ctx.dir.doctors.get(wish.doctorId)!.specialtyId : undefined,
    alreadyWaiting: twice.rows.length > 0,
  });
  if (!d.ok) return { status: 'rejected', detail: d.code };
  const e: WaitingEntry = {
    ...wish,
    id,
    status: 'waiting',
    createdAt: ctx.at,
    createdBy: ctx.by.userId,
    deviceId: ctx.deviceId,
    offer: null,
    passed: [],
    history: [],
    appointmentId: null,
    closedAt: null,
  };
  await putEntry(ctx, e, true);
  // R15: its row of the register of requests, for every desk — named by the person the op is proven to come from.
  if (register) {
    const entry = { ...register, userId: ctx.by.userId, result: 'waiting_list', at: ctx.now, deviceId: ctx.deviceId };
    await ctx.tx.insert(orgRows).values({ orgId: ctx.orgId, entity: 'register_entry', id: entry.id, row: entry }).onConflictDoNothing();
    await logChange(ctx, 'register_entry', entry.id, 'put', entry);
  }
  return { status: 'applied', detail: 'waiting' };
}

/** An entry as the server holds it goes to every desk again: the desk that changed it locally comes back to it. */
const republish = (ctx: OpContext, e: WaitingEntry) => putEntry(ctx, e);

/** Off the list: a live offer's time goes back (and on to the next). */
export async function removeFromList(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['waiting.remove'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const e = await loadEntry(ctx.tx, ctx.orgId, parsed.data.id);
  if (!e) return { status: 'rejected', detail: 'unknown_entry' };
  if (!canRemove(e.status)) {
    await republish(ctx, e);
    return { status: 'rejected', detail: `bad_status:${e.status}` };
  }
  await endOffer(ctx, e);
  const history = e.offer ? [...e.history, { slotId: e.offer.slotId, offeredAt: e.offer.offeredAt, outcome: 'withdrawn' as const, at: ctx.now }] : e.history;
  await putEntry(ctx, { ...e, status: 'removed', offer: null, history, closedAt: ctx.now });
  return { status: 'applied', detail: 'removed' };
}

/**
 * The patient's answer, taken at a desk (by phone, at the window). It stands if the server still holds that offer for
 * the entry and the desk took it before the hold ended (an answer taken offline arrives late, judged at its time).
 * Accepted: booked by the waiting device on its own lease, numbered by it, channel of the entry, made by the person who
 * took the answer. Declined: the time goes to the next at once, and is never offered to this patient again.
 */
export async function answerOffer(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['waiting.answer'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { id, slotId, answer } = parsed.data;
  const e = await loadEntry(ctx.tx, ctx.orgId, id);
  if (!e) return { status: 'rejected', detail: 'unknown_entry' };
  // The same acceptance twice (two desks took the same call, or a repeat): one booking.
  if (e.status === 'booked' && answer === 'accept' && e.history.at(-1)?.slotId === slotId) return { status: 'applied', detail: 'already_booked' };
  const d = decideAnswer(e, slotId, ctx.at);
  if (!d.ok) {
    await republish(ctx, e);
    return { status: 'rejected', detail: d.code };
  }
  const offer = e.offer!;
  if (answer === 'decline') {
    await endOffer(ctx, e);
    await putEntry(ctx, { ...e, status: 'waiting', offer: null, passed: [...e.passed, slotId], history: [...e.history, { slotId, offeredAt: offer.offeredAt, outcome: 'declined', at: ctx.now }] });
    return { status: 'applied', detail: 'declined' };
  }
  const slot = slotOf(ctx.dir, slotId);
  const wctx: OpContext = { ...ctx, deviceId: waitingDeviceId(ctx.orgId), device: waitingDevice(ctx.orgId, e.channel) };
  const refused = async (why: string): Promise<Outcome> => {
    // The time can no longer be given (the schedule changed, a rule now says no): it goes, the patient waits on.
    await endOffer(ctx, e);
    await putEntry(ctx, { ...e, status: 'waiting', offer: null, passed: [...e.passed, slotId], history: [...e.history, { slotId, offeredAt: offer.offeredAt, outcome: 'withdrawn', at: ctx.now }] });
    return { status: 'rejected', detail: why };
  };
  if (!slot || slot.blocked) return refused('unknown_slot');
  const a = await offeredBooking(ctx.tx, ctx.dir, e, slot, ctx.by.userId, ctx.now, await nextServerTicket(ctx.tx, 'waiting', ctx.orgId));
  const electronic = e.channel === 'kiosk' || e.channel === 'internet' ? await loadElectronicFacts(ctx.tx, ctx.orgId, e.patientId, slot.specialtyId, slot.date) : undefined;
  const v = await judgeNew(wctx, { appointment: a, preventive: false }, electronic);
  if (v.known) return { status: 'applied', detail: 'already_booked' };
  if (v.lost !== null) return refused(v.lost);
  const [patient] = await loadPatients(ctx.tx, ctx.orgId, [e.patientId]).then((m) => [...m.values()]);
  // R15: the request's row of the register, by the person who took the answer, at their desk.
  const register = { ...registerRow(a, patient!, ctx.now), deviceId: ctx.deviceId };
  await endOffer(ctx, e);
  await confirm(wctx, { appointment: a, preventive: false, register }, v.spendsReferral);
  await putEntry(ctx, {
    ...e,
    status: 'booked',
    offer: null,
    appointmentId: a.id,
    closedAt: ctx.now,
    history: [...e.history, { slotId, offeredAt: offer.offeredAt, outcome: 'accepted', at: ctx.now }],
  });
  return { status: 'applied', detail: 'booked' };
}
