import { randomUUID } from 'node:crypto';
import { AppError } from '../../src-shared/rpc/errors.js';
import { HALL_REQUEST_SKEW_MS, hallVoices, nextToCall, type HallAnswer, type HallCall, type HallState, type SignedHallHelp, type SignedHallRequest } from '../../src-shared/hall/calls.js';
import { KIOSK_USER_ID } from '../../src-shared/domain/account.js';
import { verifyHallRequest } from '../../src-shared/node/op-keys.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from '../services/clinic-time.js';
import { addDays } from '../../src-shared/time/dates.js';
import type { Env } from '../services/env.js';

/** Why the hall's desk refused a request (translated on the desk that asked: `hallRefusal.*`). */
export type HallRefusal = 'organization' | 'clock' | 'signature' | 'not_allowed' | 'unknown_booking';
const refuse = (reason: HallRefusal) => new AppError('hall_refused', { reason });

type CallRow = Omit<HallCall, 'liveQueue'> & { liveQueue: number };
const CALL_COLUMNS = 'id, appointment_id AS appointmentId, doctor_id AS doctorId, queue_number AS queueNumber, cabinet, live_queue AS liveQueue, kind, at';
const toCall = (r: CallRow): HallCall => ({ ...r, liveQueue: r.liveQueue === 1 });

/** How long the desk keeps its calls (the doctor's list shows "called at" for them). */
const KEEP_DAYS = 31;
/** The latest calls the screen keeps showing. */
const SHOWN_CALLS = 8;

/**
 * The hall's calls on the desk that runs the screen (issue 21 part 2): requests from this desk and, over the LAN,
 * from the cabinet PCs and other desks, each signed by the person who pressed the key and checked here with their
 * key — the LAN is not trusted to say who asked. Calls are rows of this desk's database: a restart of the desk or of
 * the screen's PC comes back to the same screen.
 */
export class Hall {
  private readonly listeners = new Set<(call: HallCall | null) => void>();

  constructor(
    private readonly env: Env,
    /** The call list changed (a kiosk's call for the registrar): the desk's windows reload it. */
    private readonly tasksChanged: () => void = () => undefined,
  ) {}

  /** Calls older than a month are of no screen's use: dropped at the desk's start (about 500 a day otherwise pile up). */
  prune(): void {
    const { today } = clinicToday(this.env);
    stmt(this.env.db.sqlite, 'DELETE FROM hall_calls WHERE date < ?').run(addDays(today, -KEEP_DAYS));
  }

  /** Hear each call as it is made (null: the bookings changed — a check-in, a visit done — so the waiting lists did). */
  subscribe(listener: (call: HallCall | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Bookings changed on this desk: the screens redraw who waits. */
  bookingsChanged(): void {
    for (const l of this.listeners) l(null);
  }

  /** Carry out a signed request: the call it made (the same one when the request comes again), or null — nobody waits. */
  answer(signed: SignedHallRequest): HallAnswer {
    const { env } = this;
    const r = signed.request;
    const done = stmt(env.db.sqlite, `SELECT ${CALL_COLUMNS} FROM hall_calls WHERE request_id = ?`).get(r.id) as CallRow | undefined;
    if (done) return { call: toCall(done) };
    const signer = this.proven(r, signed.signature);
    // A doctor calls their own patients; the registry calls for any doctor.
    if (signer.role === 'doctor' ? signer.doctorId !== r.doctorId : signer.role !== 'registrar' && signer.role !== 'head') throw refuse('not_allowed');

    const { today } = clinicToday(env);
    let target: { appointmentId: string; queueNumber: number; liveQueue: boolean } | null;
    if (r.action === 'next') {
      target = nextToCall(this.waiting(today).filter((w) => w.doctorId === r.doctorId));
      if (!target) return { call: null };
    } else {
      const known = stmt(env.db.sqlite, 'SELECT queue_number AS queueNumber, live_queue AS liveQueue, doctor_id AS doctorId FROM appointments WHERE id = ?').get(r.appointmentId) as
        | { queueNumber: number; liveQueue: number; doctorId: string }
        | undefined;
      if (known && known.doctorId !== r.doctorId) throw refuse('not_allowed');
      // A booking the cabinet PC made offline has not reached this desk: the PC's word on its number (signed) stands.
      if (!known && r.queueNumber === null) throw refuse('unknown_booking');
      target = { appointmentId: r.appointmentId!, queueNumber: known?.queueNumber ?? r.queueNumber!, liveQueue: known ? known.liveQueue === 1 : r.liveQueue };
    }
    const cabinet = env.directory.doctor(r.doctorId)?.cabinet.number ?? r.cabinet;
    if (!cabinet) throw refuse('unknown_booking');
    const call: HallCall = {
      id: randomUUID(),
      appointmentId: target.appointmentId,
      doctorId: r.doctorId,
      queueNumber: target.queueNumber,
      cabinet,
      liveQueue: target.liveQueue,
      kind: r.action === 'next' ? 'call' : r.action,
      at: env.clock(),
    };
    this.record(call, today, r.id, r.userId);
    for (const l of this.listeners) l(call);
    return { call };
  }

  /** A kiosk's call for the registrar: an open task on this desk's call list at once (the server's copy follows). */
  help(signed: SignedHallHelp): void {
    const h = signed.help;
    const signer = this.proven(h, signed.signature);
    if (signer.role !== 'kiosk') throw refuse('not_allowed');
    const row = { id: h.id, kind: 'kiosk_help', patientId: h.patientId ?? '', appointmentId: null, reason: 'kiosk_help', status: 'open', createdAt: h.at, deviceId: h.deviceId };
    stmt(
      this.env.db.sqlite,
      `INSERT INTO tasks (id, org_id, kind, patient_id, appointment_id, reason, status, created_at, row_json) VALUES (?, ?, 'kiosk_help', ?, NULL, 'kiosk_help', 'open', ?, ?)
        ON CONFLICT(id) DO NOTHING`,
    ).run(h.id, this.env.org.id, row.patientId, h.at, JSON.stringify(row));
    this.tasksChanged();
  }

  /** Who signed what came over the LAN, checked: this clinic, a clock near this desk's, a key this desk knows. */
  private proven(r: { orgId: string; at: number; userId: string; deviceId: string }, signature: string): { role: string; doctorId: string | null } {
    if (r.orgId !== this.env.org.id) throw refuse('organization');
    if (Math.abs(r.at - this.env.clock()) > HALL_REQUEST_SKEW_MS) throw refuse('clock');
    const signer = this.signer(r.userId, r.deviceId);
    if (!signer || !verifyHallRequest(signer.publicKey, r, signature)) throw refuse('signature');
    return signer;
  }

  /** Keep a call (also the answer a desk got from the hall's desk, so its own lists show who was called). */
  record(call: HallCall, date: string, requestId: string, userId: string): void {
    stmt(
      this.env.db.sqlite,
      `INSERT INTO hall_calls (id, request_id, date, appointment_id, doctor_id, queue_number, cabinet, live_queue, kind, at, user_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(call.id, requestId, date, call.appointmentId, call.doctorId, call.queueNumber, call.cabinet, call.liveQueue ? 1 : 0, call.kind, call.at, userId);
  }

  /** The screen: the latest calls (a "did not come" takes its number off), who waits per cabinet, the live queue. */
  state(cabinets: readonly string[] | null): HallState {
    const { env } = this;
    const { today } = clinicToday(env);
    const wanted = (cabinet: string) => !cabinets || cabinets.includes(cabinet);
    // In the order they were made (rowid), not by their clocks: a PC's clock may have stepped back between two calls.
    const latest = new Map<string, HallCall & { seq: number }>();
    for (const r of stmt(env.db.sqlite, `SELECT ${CALL_COLUMNS}, rowid AS seq FROM hall_calls WHERE date = ? ORDER BY rowid`).all(today) as (CallRow & { seq: number })[]) {
      latest.set(r.appointmentId, { ...toCall(r), seq: r.seq });
    }
    const calls = [...latest.values()]
      .filter((c) => c.kind !== 'dismiss' && wanted(c.cabinet))
      .sort((a, b) => b.seq - a.seq)
      .slice(0, SHOWN_CALLS)
      .map(({ seq: _, ...c }) => c);
    const waiting = new Map<string, number[]>();
    const live: HallState['liveQueue'] = [];
    const queue = this.waiting(today);
    // The order `next` takes them in: on time first, then the live queue.
    queue.sort((a, b) => Number(a.liveQueue) - Number(b.liveQueue) || a.startUtc - b.startUtc);
    for (const w of queue) {
      const cabinet = env.directory.doctor(w.doctorId)?.cabinet.number;
      if (!cabinet || !wanted(cabinet)) continue;
      if (w.liveQueue) live.push({ cabinet, queueNumber: w.queueNumber });
      else waiting.set(cabinet, [...(waiting.get(cabinet) ?? []), w.queueNumber]);
    }
    return {
      date: today,
      organization: env.org.name,
      calls,
      waiting: [...waiting].map(([cabinet, queueNumbers]) => ({ cabinet, queueNumbers })).sort((a, b) => a.cabinet.localeCompare(b.cabinet, 'ru', { numeric: true })),
      liveQueue: live,
      voices: hallVoices(env.profile.id),
      now: env.clock(),
      timezone: env.org.timezone,
    };
  }

  /** The cabinets of a floor, as the directory has them (a floor's own screen). */
  cabinetsOn(floor: number): string[] {
    return [...new Set([...this.env.directory.doctors.values()].filter((d) => d.cabinet.floor === floor).map((d) => d.cabinet.number))];
  }

  /** A call of today, by its id (what the voice says). */
  call(id: string): HallCall | null {
    const r = stmt(this.env.db.sqlite, `SELECT ${CALL_COLUMNS} FROM hall_calls WHERE id = ?`).get(id) as CallRow | undefined;
    return r ? toCall(r) : null;
  }

  /** Checked in today and not called yet. */
  private waiting(today: string): { appointmentId: string; doctorId: string; queueNumber: number; startUtc: number; liveQueue: boolean }[] {
    const rows = stmt(
      this.env.db.sqlite,
      `SELECT a.id AS appointmentId, a.doctor_id AS doctorId, a.queue_number AS queueNumber, a.start_utc AS startUtc, a.live_queue AS liveQueue
         FROM appointments a
        WHERE a.date = ? AND a.status = 'arrived' AND NOT EXISTS (SELECT 1 FROM hall_calls h WHERE h.appointment_id = a.id)`,
    ).all(today) as { appointmentId: string; doctorId: string; queueNumber: number; startUtc: number; liveQueue: number }[];
    return rows.map((r) => ({ ...r, liveQueue: r.liveQueue === 1 }));
  }

  /**
   * Whose key checks a request: a cabinet PC's own doctor account (its key as the server published it, for that PC
   * only), else the clinic's account — enabled, with a key.
   */
  private signer(userId: string, deviceId: string): { publicKey: string; role: string; doctorId: string | null } | null {
    const db = this.env.db.sqlite;
    const cabinet = stmt(db, 'SELECT public_key AS publicKey, doctor_id AS doctorId FROM signers WHERE install_id = ? AND user_id = ?').get(deviceId, userId) as
      | { publicKey: string; doctorId: string | null }
      | undefined;
    if (cabinet) return { publicKey: cabinet.publicKey, role: userId === KIOSK_USER_ID ? 'kiosk' : 'doctor', doctorId: cabinet.doctorId };
    const user = stmt(db, 'SELECT public_key AS publicKey, role, doctor_id AS doctorId FROM users WHERE id = ? AND disabled = 0 AND public_key IS NOT NULL').get(userId) as
      | { publicKey: string; role: string; doctorId: string | null }
      | undefined;
    return user ?? null;
  }
}
