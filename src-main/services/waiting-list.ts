import type { WaitingEntry, WaitingWish } from '../../src-shared/domain/waiting-entry.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { WaitingView } from '../../src-shared/rpc/views.js';
import { allowedChannels } from '../../src-shared/rules/channels.js';
import { canRemove, decideAnswer, decideWish } from '../../src-shared/rules/waiting-list.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { journal, newId } from './journal.js';
import { appendRegister } from './register.js';

/**
 * The waiting list at the desk (issue 21). The server makes the offers (sync-server/waiting/); the desk shows the
 * list as last pulled, takes patients onto it and their answers, each as an op the server decides — predicting its
 * answer with the same rules (src-shared/rules/waiting-list.ts).
 */

/** The desk's own note on an entry: the answer it took, until the server's entry replaces it. */
type Stored = WaitingEntry & { answered?: 'accept' | 'decline' };

/** Store an entry (the server's, as pulled, or this desk's own). */
export function putWaitingEntry(db: Db, e: Stored): void {
  stmt(
    db.sqlite,
    `INSERT INTO waiting_entries (id, patient_id, specialty_id, status, created_at, row_json) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET status = excluded.status, row_json = excluded.row_json`,
  ).run(e.id, e.patientId, e.specialtyId, e.status, e.createdAt, JSON.stringify(e));
}

const load = (env: Env, id: string): Stored => {
  const r = stmt(env.db.sqlite, 'SELECT row_json AS j FROM waiting_entries WHERE id = ?').get(id) as { j: string } | undefined;
  if (!r) throw new AppError('not_found');
  return JSON.parse(r.j) as Stored;
};

/** The server's clock as this desk estimates it: an offer's hold is the server's. */
const serverNow = (env: Env): number => env.clock() + Number((stmt(env.db.sqlite, "SELECT value FROM meta WHERE key = 'server_offset_ms'").get() as { value: string } | undefined)?.value ?? 0);

/** Put a patient on the list with their wish, checked as the server will check it. */
export function addToWaitingList(env: Env, actor: Actor, wish: WaitingWish): WaitingView {
  if (!allowedChannels(env.device.kind, actor.role).includes(wish.channel)) throw new AppError('channel_not_allowed');
  const { today, horizonEnd } = clinicToday(env);
  const doctor = wish.doctorId === null ? null : env.directory.doctor(wish.doctorId);
  const d = decideWish(wish, {
    today,
    horizonEnd,
    patientKnown: stmt(env.db.sqlite, 'SELECT 1 FROM patients WHERE id = ?').get(wish.patientId) !== undefined,
    specialtyKnown: env.directory.offeredSpecialtyIds().has(wish.specialtyId),
    doctorSpecialtyId: doctor === null ? null : doctor?.active ? doctor.specialtyId : undefined,
    alreadyWaiting:
      stmt(env.db.sqlite, "SELECT 1 FROM waiting_entries WHERE patient_id = ? AND specialty_id = ? AND status IN ('waiting', 'offered')").get(wish.patientId, wish.specialtyId) !== undefined,
  });
  if (!d.ok) throw new AppError(d.code);
  const e: WaitingEntry = {
    ...wish,
    id: newId(),
    status: 'waiting',
    createdAt: env.clock(),
    createdBy: actor.userId,
    deviceId: env.device.id,
    offer: null,
    passed: [],
    history: [],
    appointmentId: null,
    closedAt: null,
  };
  env.db.sqlite.transaction(() => {
    putWaitingEntry(env.db, e);
    // R15: a request that ended on the waiting list is a row of the register of requests, like any other.
    const patient = stmt(env.db.sqlite, 'SELECT full_name AS name FROM patients WHERE id = ?').get(wish.patientId) as { name: string };
    const register = appendRegister(env, actor, {
      patientId: wish.patientId,
      applicant: patient.name,
      specialtyId: wish.specialtyId,
      doctorId: wish.doctorId,
      channel: wish.channel,
      result: 'waiting_list',
      reason: null,
      rule: null,
      appointmentId: null,
      appointedAt: null,
    });
    journal(env, actor, { name: 'waiting.add', args: { ...wish, id: e.id, userId: actor.userId, register } }, { entity: 'waiting_entry', entityId: e.id, detail: wish.specialtyId });
  })();
  return listWaiting(env, { id: e.id })[0]!;
}

/** Off the list: the patient no longer needs a time. */
export function removeFromWaitingList(env: Env, actor: Actor, id: string): WaitingView {
  env.db.sqlite.transaction(() => {
    const e = load(env, id);
    if (!canRemove(e.status)) throw new AppError('bad_status', { status: e.status });
    putWaitingEntry(env.db, { ...e, status: 'removed', offer: null, closedAt: env.clock() });
    journal(env, actor, { name: 'waiting.remove', args: { id } }, { entity: 'waiting_entry', entityId: id, detail: 'removed' });
  })();
  return listWaiting(env, { id })[0]!;
}

/**
 * The patient's answer to the offer. Declined: the desk shows the entry waiting again at once. Accepted: the entry
 * says so until the server's booking arrives (the server books it; its ticket is then printed from the list).
 */
export function answerWaitingOffer(env: Env, actor: Actor, id: string, slotId: string, answer: 'accept' | 'decline'): WaitingView {
  env.db.sqlite.transaction(() => {
    const e = load(env, id);
    const d = e.answered ? ({ ok: false, code: 'offer_gone' } as const) : decideAnswer(e, slotId, serverNow(env));
    if (!d.ok) throw new AppError(d.code);
    putWaitingEntry(env.db, answer === 'decline' ? { ...e, status: 'waiting', offer: null, passed: [...e.passed, slotId] } : { ...e, answered: 'accept' });
    journal(env, actor, { name: 'waiting.answer', args: { id, slotId, answer } }, { entity: 'waiting_entry', entityId: id, detail: answer });
  })();
  return listWaiting(env, { id })[0]!;
}

/** The booking an entry got, as this desk holds it. */
function bookingOf(env: Env, appointmentId: string | null): WaitingView['booking'] {
  if (!appointmentId) return null;
  const a = stmt(env.db.sqlite, 'SELECT date, time, doctor_id AS doctorId, ticket_code AS ticketCode FROM appointments WHERE id = ?').get(appointmentId) as
    | { date: string; time: string; doctorId: string; ticketCode: string }
    | undefined;
  return a ? { date: a.date, time: a.time, doctorName: env.directory.doctor(a.doctorId)?.fullName ?? '', ticketCode: a.ticketCode } : null;
}

/** The list: live entries in the order they are offered times, or (all) every entry of the last 60 days too. */
export function listWaiting(env: Env, f: { id?: string; all?: boolean }): WaitingView[] {
  const since = env.clock() - 60 * 86_400_000;
  const rows = stmt(
    env.db.sqlite,
    `SELECT w.row_json AS j, p.full_name AS name, p.phone, EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = w.id AND o.status = 'pending') AS pending
      FROM waiting_entries w JOIN patients p ON p.id = w.patient_id
      WHERE (@id IS NOT NULL AND w.id = @id) OR (@id IS NULL AND (w.status IN ('waiting', 'offered') OR (@all = 1 AND w.created_at >= @since)))
      ORDER BY w.status IN ('waiting', 'offered') DESC, w.created_at, w.id`,
  ).all({ id: f.id ?? null, all: f.all ? 1 : 0, since }) as Array<{ j: string; name: string; phone: string; pending: number }>;
  return rows.map((r) => {
    const e = JSON.parse(r.j) as Stored;
    const offerDoctor = e.offer ? env.directory.doctor(e.offer.doctorId) : undefined;
    return {
      id: e.id,
      patientId: e.patientId,
      specialtyId: e.specialtyId,
      doctorId: e.doctorId,
      fromDate: e.fromDate,
      toDate: e.toDate,
      part: e.part,
      channel: e.channel,
      status: e.status,
      createdAt: e.createdAt,
      appointmentId: e.appointmentId,
      patientName: r.name,
      phone: r.phone,
      doctorName: e.doctorId ? (env.directory.doctor(e.doctorId)?.fullName ?? '') : null,
      offer: e.offer ? { ...e.offer, doctorName: offerDoctor?.fullName ?? '', cabinet: offerDoctor?.cabinet.number ?? '' } : null,
      answered: e.answered ?? null,
      pending: r.pending === 1,
      offers: e.history.length + (e.offer ? 1 : 0),
      booking: bookingOf(env, e.appointmentId),
    };
  });
}
