import { type SQL, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/connect.js';
import { lockOrg } from '../sync/context.js';
import { changeLog } from '../db/schema.js';
import { addDays, localParts } from '../../src-shared/time/dates.js';
import type { MessageKind } from '../../src-shared/domain/patient-message.js';

/** A row of patient_messages as the sender works on it. */
export interface OutboxRow {
  id: number;
  orgId: string;
  patientId: string;
  appointmentId: string | null;
  version: number;
  kind: MessageKind;
  status: string;
  attempts: number;
  body: string | null;
  transport: string | null;
}

/** The rows of a raw statement (both drivers answer `{ rows }`). */
export async function rowsOf<T = Record<string, unknown>>(db: Pick<ServerDb, 'execute'>, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** How long one claim lasts: a sender that has not finished by then is taken for dead (killed mid-send). */
export const CLAIM_MS = 120_000;

const asRow = (r: Record<string, unknown>): OutboxRow => ({
  id: Number(r.id),
  orgId: String(r.org_id),
  patientId: String(r.patient_id),
  appointmentId: r.appointment_id === null ? null : String(r.appointment_id),
  version: Number(r.version),
  kind: r.kind as MessageKind,
  status: String(r.status),
  attempts: Number(r.attempts),
  body: r.body === null ? null : String(r.body),
  transport: r.transport === null ? null : String(r.transport),
});

/**
 * Take due messages for this sender: pending ones whose time came. SKIP LOCKED lets every server process over one
 * PostgreSQL take its own, never the same row; the claim is committed before anything is sent.
 */
export async function claimDue(db: ServerDb, now: number, limit: number): Promise<OutboxRow[]> {
  const r = await rowsOf(
    db,
    sql`
    UPDATE patient_messages SET status = 'sending', claimed_until = ${now + CLAIM_MS}, attempts = attempts + 1
    WHERE id IN (SELECT id FROM patient_messages WHERE status = 'pending' AND not_before <= ${now} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING *`,
  );
  return r.map(asRow).sort((a, b) => a.id - b.id);
}

/**
 * Claims whose sender died (SIGKILL, a power cut): before the transport was written nothing left, so it goes again;
 * after it, a transport that recognises repeated ids gets it again (the far end keeps one), any other cannot be
 * asked whether it took the message — it is `in_doubt`, never sent twice, and the desk's card says so.
 */
export async function recoverAbandoned(db: ServerDb, now: number, idempotent: (transport: string) => boolean): Promise<OutboxRow[]> {
  const r = await rowsOf(db, sql`SELECT * FROM patient_messages WHERE status = 'sending' AND claimed_until < ${now} ORDER BY id LIMIT 500`);
  const doubtful: OutboxRow[] = [];
  for (const row of r.map(asRow)) {
    const again = row.transport === null || idempotent(row.transport);
    const done = await rowsOf(
      db,
      sql`
      UPDATE patient_messages SET status = ${again ? 'pending' : 'in_doubt'}, claimed_until = NULL
      WHERE id = ${row.id} AND status = 'sending' AND claimed_until < ${now} RETURNING id`,
    );
    if (!again && done.length > 0) doubtful.push({ ...row, status: 'in_doubt' });
  }
  return doubtful;
}

/** What is about to go, written (and committed) before the send: after a crash the transport decides the claim's fate. */
export async function noteSending(db: ServerDb, id: number, m: { channel: string; transport: string; recipient: string; body: string; segments: number }): Promise<void> {
  await db.execute(sql`
    UPDATE patient_messages SET channel = ${m.channel}, transport = ${m.transport}, recipient = ${m.recipient}, body = ${m.body}, segments = ${m.segments}
    WHERE id = ${id} AND status = 'sending'`);
}

/** Back to the queue (a transient failure, or the night): the claim is given up, the attempt kept when it was one. */
export async function retryLater(db: ServerDb, id: number, notBefore: number, error: string | null, countAttempt: boolean): Promise<void> {
  await db.execute(sql`
    UPDATE patient_messages SET status = 'pending', claimed_until = NULL, not_before = ${notBefore}, error = ${error},
      attempts = attempts - ${countAttempt ? 0 : 1}, transport = NULL
    WHERE id = ${id} AND status = 'sending'`);
}

export type FinalStatus = 'sent' | 'failed' | 'skipped' | 'in_doubt';

/**
 * The message's end, and its line on the desk's patient card: one change in the organization's feed (under its lock,
 * as every change is) that the desks pull — sent, failed with why, not sent with why, or in doubt.
 */
export async function finish(db: ServerDb, row: OutboxRow, status: FinalStatus, at: number, detail: { providerRef?: string; error?: string; body?: string | null }): Promise<void> {
  // A booking made at the window needs no confirmation (the patient holds the ticket): the most common outcome of
  // all, and nothing a registrar needs on the card — kept on the server, not published to every desk.
  const quiet = status === 'skipped' && detail.error === 'booked_at_window';
  await db.transaction(async (tx) => {
    if (!quiet) await lockOrg(tx, row.orgId);
    const r = await rowsOf(
      tx,
      sql`
      UPDATE patient_messages SET status = ${status}, claimed_until = NULL, sent_at = ${status === 'sent' ? at : null},
        provider_ref = ${detail.providerRef ?? null}, error = ${detail.error ?? null}, body = ${detail.body === undefined ? sql`body` : detail.body}
      WHERE id = ${row.id} AND status IN ('sending', 'in_doubt') RETURNING *`,
    );
    const m = r[0];
    if (!m || quiet) return;
    const card = {
      id: `msg-${row.id}`,
      patientId: row.patientId,
      appointmentId: row.appointmentId,
      kind: row.kind,
      status,
      channel: m.channel ?? null,
      recipient: m.recipient ?? null,
      segments: m.segments === null ? null : Number(m.segments),
      text: row.kind === 'code' ? null : (m.body ?? null),
      error: detail.error ?? null,
      at,
    };
    await tx.insert(changeLog).values({ orgId: row.orgId, entity: 'message', entityId: card.id, op: 'put', row: card, at });
  });
}

/**
 * The reminder the day before: each confirmed booking of tomorrow (the clinic's local date) gets one, once per
 * booking whatever its later versions. The night rule then holds it until the morning; a reminder that could only go
 * on the visit's own day is skipped by the sender.
 */
export async function enqueueReminders(db: ServerDb, now: number): Promise<number> {
  const orgs = await rowsOf<{ id: string; timezone: string }>(db, sql`SELECT id, timezone FROM organizations`);
  let added = 0;
  for (const o of orgs) {
    const tomorrow = addDays(localParts(now, o.timezone).date, 1);
    const r = await rowsOf(
      db,
      sql`
      INSERT INTO patient_messages (org_id, patient_id, appointment_id, version, kind, created_at)
      SELECT a.org_id, a.patient_id, a.id, a.server_seq, 'reminder', ${now} FROM appointments a
      WHERE a.org_id = ${o.id} AND a.status = 'booked' AND a.sync_state = 'confirmed'
        AND substr(a.slot_id, strpos(a.slot_id, '@') + 1, 10) = ${tomorrow}
        AND NOT EXISTS (SELECT 1 FROM patient_messages m WHERE m.org_id = a.org_id AND m.appointment_id = a.id AND m.kind = 'reminder')
      ON CONFLICT DO NOTHING RETURNING id`,
    );
    added += r.length;
  }
  return added;
}

/** A sign-in code (KZ, P8) goes through the same outbox, at once, night or not (the patient asked for it now). */
export async function enqueueCode(db: Pick<ServerDb, 'execute'>, m: { orgId: string; patientId: string; body: string; now: number }): Promise<void> {
  await db.execute(sql`
    INSERT INTO patient_messages (org_id, patient_id, appointment_id, version, kind, body, created_at)
    VALUES (${m.orgId}, ${m.patientId}, NULL, ${m.now}, 'code', ${m.body}, ${m.now})`);
}
