import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { acceptedFormat, opArgs, type OpResult, type PushOp, type PushResponse } from '../../src-shared/sync/protocol.js';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { Patient } from '../../src-shared/domain/patient.js';
import type { Database } from '../db/connect.js';
import { devices, opResults, tasks } from '../db/schema.js';
import { failureCode, isTransient, Unavailable } from '../db/faults.js';
import type { Logger } from '../log.js';
import { Hlc } from '../../src-shared/sync/hlc.js';
import { logChange, type OpContext, type Tx } from './context.js';
import type { DirectoryCache, RulesDirectory } from '../rules/directory-cache.js';
import { decisionTime, judgeBooking, loadPatients, type ServerDevice } from '../rules/judge.js';
import { appointmentRow, type Outcome } from './booking-mutators.js';
import { isKnownOp, MUTATORS, SCHEDULE_OPS } from './mutators.js';
import { type Proven, proveOp } from './signatures.js';

type Position = { kind: 'new' } | { kind: 'repeat'; result: OpResult } | { kind: 'gap' } | { kind: 'reused' };

/** Inside the op's transaction: the device's position, the stored result of a repeat, a gap, or a used number carrying another op. */
async function position(tx: Tx, device: ServerDevice, op: PushOp): Promise<Position> {
  // The organization's lock (see lockOrg) and the device's row, in one round trip.
  const res = (await tx.execute(sql`SELECT kezek_position(${device.orgId}, ${device.id}) AS last`)) as unknown as { rows: Array<{ last: number }> };
  const last = Number(res.rows[0]!.last);
  if (op.seq <= last) {
    const [r] = await tx
      .select()
      .from(opResults)
      .where(and(eq(opResults.deviceId, device.id), eq(opResults.deviceSeq, op.seq)));
    // A repeat is the same number *and* the same op: another op under a used number (a desk restored from a backup)
    // must not be answered with the first one's result.
    if (r && r.opId !== op.opId) return { kind: 'reused' };
    return {
      kind: 'repeat',
      result: { seq: op.seq, opId: r?.opId ?? op.opId, status: (r?.status ?? 'applied') as OpResult['status'], detail: String((r?.result as { detail?: string } | undefined)?.detail ?? '') },
    };
  }
  return op.seq === last + 1 ? { kind: 'new' } : { kind: 'gap' };
}

/** The op's result (placed in the change log's order after the op's own changes) and the device's new position: one statement. */
async function record(ctx: OpContext, op: PushOp, status: OpResult['status'], detail: string): Promise<OpResult> {
  await ctx.tx.execute(sql`SELECT kezek_record(${ctx.orgId}, ${ctx.deviceId}, ${op.seq}, ${op.opId}, ${status}, ${detail}, ${ctx.now})`);
  return { seq: op.seq, opId: op.opId, status, detail };
}

const NO_REFERRAL = { referral: undefined, spent: false };

interface FastOp {
  op: PushOp;
  a: Appointment;
  row: string;
}

/**
 * A booking op the fast path may take: a new booking of this organization, as the current app version
 * writes it, that the server's rules accept (judged here, before the procedure; a refusal takes the
 * general path, which records it). Whether its slot is free is the procedure's to find out.
 */
function fastCandidate(op: PushOp, device: ServerDevice, schemaVersion: number, dir: RulesDirectory, patients: Map<string, Patient>, now: number): FastOp | null {
  if (op.name !== 'appointments.book' || !acceptedFormat(schemaVersion)) return null;
  const parsed = opArgs['appointments.book'].safeParse(op.args);
  if (!parsed.success || parsed.data.appointment.orgId !== device.orgId || parsed.data.appointment.status !== 'booked') return null;
  const a = parsed.data.appointment;
  // A booking that spends a referral takes the general path, which records the spending (R5).
  if (a.referralId !== null) return null;
  // Signed by an enabled person of the organization as the directory holds them (a change to the accounts moves its
  // version, and the procedure stops at a moved version: the general path then proves the op again under the lock).
  const proof = proveOp(dir, device, op);
  if (!proof.ok) return null;
  if (!judgeBooking(dir, device, a, parsed.data.preventive, decisionTime(Hlc.physical(op.hlc), now), patients.get(a.patientId), NO_REFERRAL, proof.by.role).decision.ok) return null;
  return { op, a, row: appointmentRow(a, 'confirmed', parsed.data.register) };
}

/**
 * The common case (see migration 0006): a run of new bookings of free slots, each
 * committed on its own, in one round trip. Returns how many of the run were
 * committed; the op after them (if any) needs the general path.
 */
async function fastBook(database: Database, device: ServerDevice, dirVersion: number, run: FastOp[], now: number, log: Logger): Promise<number> {
  try {
    const rows = await database.hot('kezek_push_books', 'CALL kezek_push_books($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb[], $10, NULL)', [
      device.orgId,
      device.id,
      // The directory the run was judged on: the procedure stops if it moved before its lock (see functions.sql).
      dirVersion,
      run.map((c) => c.op.seq),
      run.map((c) => c.op.opId),
      run.map((c) => c.a.id),
      run.map((c) => c.a.patientId),
      run.map((c) => c.a.slotId),
      run.map((c) => c.row),
      now,
    ]);
    return Number(rows[0]!.p_done);
  } catch (e) {
    // The database went away or is contended: the device tries again (ops committed so far are repeats then).
    if (isTransient(e)) throw new Unavailable(e);
    // Ops committed before a fault are repeats to the general path, which returns their stored results and quarantines
    // a real fault. Logged: a fast path failing every time would leave bookings correct but the server slow.
    log('error', 'push fast path failed; the general path takes over', { deviceId: device.id, firstSeq: run[0]!.op.seq, error: String(e).slice(0, 200) });
    return 0;
  }
}

/**
 * Apply a device's ops in sequence order, each in its own transaction: rules,
 * result, the device's position and the change log commit together. A repeat
 * returns the stored result; a gap stops the batch; an op the server cannot
 * process is quarantined (with a task) so it never blocks the queue.
 */
export async function push(database: Database, directories: DirectoryCache, device: ServerDevice, schemaVersion: number, ops: PushOp[], clock: () => number, log: Logger): Promise<PushResponse> {
  const db = database.db;
  let dir = await directories.get(db, device.orgId);
  if (!dir) throw new Error(`organization ${device.orgId} is not on this server`);
  const results: OpResult[] = [];
  let gapAt: number | null = null;
  let seqReusedAt: number | null = null;
  const sorted = [...ops].sort((a, b) => a.seq - b.seq);
  // Ops the device's position already covers are repeats: they go to the general path, which returns their stored results.
  const [before] = await db.select({ last: devices.lastAppliedSeq }).from(devices).where(eq(devices.id, device.id));
  const booked = sorted.flatMap((op) => (op.name === 'appointments.book' ? [String((op.args as { appointment?: { patientId?: unknown } } | null)?.appointment?.patientId ?? '')] : []));
  const patients = await loadPatients(db, device.orgId, booked.filter(Boolean));
  // Ops after one that changes the schedules are judged on the changed ones: none of them takes the fast path (judged up front).
  const firstScheduleOp = sorted.findIndex((op) => SCHEDULE_OPS.has(op.name));
  const judgedOn = dir.version;
  const candidates = sorted.map((op, i) => (op.seq > (before?.last ?? 0) && (firstScheduleOp < 0 || i < firstScheduleOp) ? fastCandidate(op, device, schemaVersion, dir!, patients, clock()) : null));
  for (let i = 0; i < sorted.length; i++) {
    // The run: the fast-path candidates that follow one another from op i on.
    const run: FastOp[] = [];
    for (let c = candidates[i]; c; c = candidates[i + run.length]) run.push(c);
    // Only while the directory is still the one the candidates were judged on (the procedure checks it again under its lock).
    if (run.length && dir.version === judgedOn) {
      const done = await fastBook(database, device, judgedOn, run, clock(), log);
      for (const c of run.slice(0, done)) results.push({ seq: c.op.seq, opId: c.op.opId, status: 'applied', detail: 'confirmed' });
      i += done;
      if (i >= sorted.length) break;
    }
    const op = sorted[i]!;
    const ctxFor = (tx: Tx, by: Proven): OpContext => {
      const now = clock();
      return { tx, orgId: device.orgId, deviceId: device.id, now, at: decisionTime(Hlc.physical(op.hlc), now), device, dir: dir!, by };
    };
    let out: OpResult | 'gap' | 'reused';
    try {
      out = await db.transaction(async (tx) => {
        const pos = await position(tx, device, op);
        if (pos.kind !== 'new') return pos.kind === 'repeat' ? pos.result : pos.kind;
        // The organization's lock is held now: the rules read its directory as of now, not as of the push's start
        // (an absence another desk committed meanwhile must count — issue 19 finding 3). One small read; a reload only if it moved.
        dir = (await directories.get(tx, device.orgId)) ?? dir;
        if (!acceptedFormat(schemaVersion) || !isKnownOp(op.name)) throw new Quarantine(!acceptedFormat(schemaVersion) ? `schema_version:${schemaVersion}` : `unknown_op:${op.name}`);
        // Who made it, proven against the accounts as they stand under the lock (issue 19 finding 1); refused, nothing of it is applied.
        const proof = proveOp(dir!, device, op);
        if (!proof.ok) {
          log('warn', 'op refused: not proven', { deviceId: device.id, seq: op.seq, op: op.name, userId: op.userId, detail: proof.code });
          return record(ctxFor(tx, NOBODY), op, 'rejected', proof.code);
        }
        const ctx = ctxFor(tx, proof.by);
        const outcome: Outcome = await MUTATORS[op.name](ctx, op.args);
        if (outcome.status === 'rejected') log('warn', 'op rejected', { deviceId: device.id, seq: op.seq, op: op.name, detail: outcome.detail });
        return record(ctx, op, outcome.status, outcome.detail);
      });
    } catch (e) {
      // A lost connection, a restart, a lock timeout: not the op's fault. Answered "retry", never quarantined.
      if (isTransient(e)) throw new Unavailable(e);
      // The op's own transaction rolled back. Quarantine it in a second one, so nothing is lost and the queue moves on.
      // The device and the clinic see a short code; the message (it can carry SQL and values) goes to the log only.
      const reason = e instanceof Quarantine ? e.message : `error:${failureCode(e)}`;
      log(e instanceof Quarantine ? 'warn' : 'error', 'op quarantined', {
        deviceId: device.id,
        seq: op.seq,
        op: op.name,
        reason,
        ...(e instanceof Quarantine ? {} : { err: String(e).slice(0, 500) }),
      });
      out = await db.transaction(async (tx) => {
        const pos = await position(tx, device, op);
        if (pos.kind !== 'new') return pos.kind === 'repeat' ? pos.result : pos.kind;
        const ctx = ctxFor(tx, NOBODY);
        const id = randomUUID();
        const row = { id, kind: 'quarantined_op', status: 'open', reason, op: quarantineCopy(op), deviceId: device.id, createdAt: ctx.now };
        const seq = await logChange(ctx, 'task', id, 'put', row);
        await tx.insert(tasks).values({ id, orgId: device.orgId, kind: 'quarantined_op', status: 'open', row, serverSeq: seq });
        return record(ctx, op, 'quarantined', reason);
      });
    }
    if (out === 'gap') {
      gapAt = op.seq;
      break;
    }
    if (out === 'reused') {
      log('warn', 'a different op under a used sequence number (device restored from a backup?)', { deviceId: device.id, seq: op.seq });
      seqReusedAt = op.seq;
      break;
    }
    results.push(out);
  }
  await flagClock(database, device, ops, clock(), log);
  const [d] = await db.select({ last: devices.lastAppliedSeq }).from(devices).where(eq(devices.id, device.id));
  return { results, lastAppliedSeq: d!.last, gapAt, seqReusedAt, serverTime: clock() };
}

class Quarantine extends Error {}

/** The context of an op that runs no rule (refused unproven, or quarantined): it acts for nobody. */
const NOBODY: Proven = { userId: '', role: 'registrar' };

/** How much of a quarantined op's arguments the task keeps: enough to read what it was, never enough to hurt. */
const QUARANTINE_ARGS_CHARS = 4000;
const QUARANTINE_ARGS_DEPTH = 12;

/** JSON text of `x`, cut at a depth and a length, without deep recursion (JSON.stringify overflows the stack on deep input). */
function preview(x: unknown, depth = 0): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'null';
  if (depth >= QUARANTINE_ARGS_DEPTH) return '"…"';
  const parts: string[] = [];
  let size = 0;
  const entries = Array.isArray(x) ? x.map((v) => [null, v] as const) : Object.entries(x).map(([k, v]) => [k, v] as const);
  for (const [k, v] of entries) {
    if (size > QUARANTINE_ARGS_CHARS) {
      parts.push('"…"');
      break;
    }
    const part = `${k === null ? '' : `${JSON.stringify(k)}:`}${preview(v, depth + 1)}`;
    size += part.length;
    parts.push(part);
  }
  return Array.isArray(x) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
}

/**
 * A bounded, flat copy of an op for its quarantine task: the arguments as (cut) JSON text,
 * not as a structure — an op nested thousands of levels deep, or megabytes long, must not
 * stop its own quarantine (and so the device's queue) by failing to be stored. JSON text
 * escapes control characters; the envelope's strings are checked at the boundary.
 */
export function quarantineCopy(op: PushOp): { seq: number; opId: string; hlc: string; name: string; args: string } {
  const text = preview(op.args);
  const args = text.length > QUARANTINE_ARGS_CHARS ? `${text.slice(0, QUARANTINE_ARGS_CHARS)}…` : text;
  return { seq: op.seq, opId: op.opId, hlc: op.hlc, name: op.name, args };
}

/** How far ahead of the server a desk's clock may run before the device is flagged (docs/sync-design.md, Clocks). */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * A desk whose ops are stamped in the future has a wrong clock: its ops are
 * accepted all the same (the server's order decides, never the stamp), the
 * device is flagged for the installer (`devices`) and the fact is logged.
 * Stamps in the past are normal: ops queued offline upload late.
 */
async function flagClock(database: Database, device: ServerDevice, ops: PushOp[], now: number, log: Logger): Promise<void> {
  const ahead = Math.max(...ops.map((o) => (Hlc.physical(o.hlc) ?? now) - now));
  const suspect = ahead > MAX_CLOCK_AHEAD_MS;
  const r = await database.db
    .update(devices)
    .set({ clockSuspect: suspect })
    .where(and(eq(devices.id, device.id), sql`${devices.clockSuspect} <> ${suspect}`))
    .returning({ id: devices.id });
  if (r.length && suspect) log('warn', 'device clock ahead of the server', { deviceId: device.id, aheadMs: ahead });
}
