import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { opArgs, SYNC_SCHEMA_VERSION, type OpResult, type PushOp, type PushResponse } from '../../src-shared/sync/protocol.js';
import type { Database } from '../db/connect.js';
import { devices, opResults, tasks } from '../db/schema.js';
import type { Logger } from '../log.js';
import { Hlc } from '../../src-shared/sync/hlc.js';
import { logChange, type OpContext, type Tx } from './context.js';
import { appointmentRow, isKnownOp, MUTATORS, type Outcome } from './mutators.js';

interface Device { id: string; orgId: string }

/** Inside the op's transaction: the device's position, the stored result of a repeat, or a gap. */
async function position(tx: Tx, device: Device, op: PushOp): Promise<{ kind: 'new' } | { kind: 'repeat'; result: OpResult } | { kind: 'gap' }> {
  // The organization's lock (see lockOrg) and the device's row, in one round trip.
  const res = (await tx.execute(sql`SELECT kezek_position(${device.orgId}, ${device.id}) AS last`)) as unknown as { rows: Array<{ last: number }> };
  const last = Number(res.rows[0]!.last);
  if (op.seq <= last) {
    const [r] = await tx.select().from(opResults).where(and(eq(opResults.deviceId, device.id), eq(opResults.deviceSeq, op.seq)));
    return { kind: 'repeat', result: { seq: op.seq, opId: r?.opId ?? op.opId, status: (r?.status ?? 'applied') as OpResult['status'], detail: String((r?.result as { detail?: string } | undefined)?.detail ?? '') } };
  }
  return op.seq === last + 1 ? { kind: 'new' } : { kind: 'gap' };
}

/** The op's result, its change-log entry and the device's new position: one statement. */
async function record(ctx: OpContext, op: PushOp, status: OpResult['status'], detail: string): Promise<OpResult> {
  await ctx.tx.execute(sql`SELECT kezek_record(${ctx.orgId}, ${ctx.deviceId}, ${op.seq}, ${op.opId}, ${status}, ${detail}, ${ctx.now})`);
  return { seq: op.seq, opId: op.opId, status, detail };
}

/**
 * The common case in one autocommitted call (see migration 0004): a new booking
 * of a free slot. Returns null for everything else — the general path decides.
 */
async function fastBook(database: Database, device: Device, op: PushOp, now: number): Promise<OpResult | null> {
  const parsed = opArgs['appointments.book'].safeParse(op.args);
  if (!parsed.success || parsed.data.appointment.orgId !== device.orgId) return null;
  const a = parsed.data.appointment;
  const row = appointmentRow(a, 'confirmed', parsed.data.register);
  try {
    const rows = await database.hot('kezek_push_book', 'SELECT kezek_push_book($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) AS r',
      [device.orgId, device.id, op.seq, op.opId, a.id, a.patientId, a.slotId, a.status, row, now]);
    const r = String(rows[0]!.r);
    return r === 'fallback' ? null : { seq: op.seq, opId: op.opId, status: 'applied', detail: r };
  } catch {
    return null; // nothing was written (the call is its own transaction); the general path will quarantine a real fault
  }
}

/**
 * Apply a device's ops in sequence order, each in its own transaction: rules,
 * result, the device's position and the change log commit together. A repeat
 * returns the stored result; a gap stops the batch; an op the server cannot
 * process is quarantined (with a task) so it never blocks the queue.
 */
export async function push(database: Database, device: Device, schemaVersion: number, ops: PushOp[], clock: () => number, log: Logger): Promise<PushResponse> {
  const db = database.db;
  const results: OpResult[] = [];
  let gapAt: number | null = null;
  for (const op of [...ops].sort((a, b) => a.seq - b.seq)) {
    if (op.name === 'appointments.book' && schemaVersion === SYNC_SCHEMA_VERSION) {
      const fast = await fastBook(database, device, op, clock());
      if (fast) {
        results.push(fast);
        continue;
      }
    }
    const ctxFor = (tx: Tx): OpContext => ({ tx, orgId: device.orgId, deviceId: device.id, now: clock() });
    let out: OpResult | 'gap';
    try {
      out = await db.transaction(async (tx) => {
        const pos = await position(tx, device, op);
        if (pos.kind !== 'new') return pos.kind === 'gap' ? 'gap' : pos.result;
        const ctx = ctxFor(tx);
        if (schemaVersion !== SYNC_SCHEMA_VERSION || !isKnownOp(op.name)) throw new Quarantine(schemaVersion !== SYNC_SCHEMA_VERSION ? `schema_version:${schemaVersion}` : `unknown_op:${op.name}`);
        const outcome: Outcome = await MUTATORS[op.name](ctx, op.args);
        if (outcome.status === 'rejected') log('warn', 'op rejected', { deviceId: device.id, seq: op.seq, op: op.name, detail: outcome.detail });
        return record(ctx, op, outcome.status, outcome.detail);
      });
    } catch (e) {
      // The op's own transaction rolled back. Quarantine it in a second one, so nothing is lost and the queue moves on.
      const reason = e instanceof Quarantine ? e.message : `error:${String(e).slice(0, 200)}`;
      log(e instanceof Quarantine ? 'warn' : 'error', 'op quarantined', { deviceId: device.id, seq: op.seq, op: op.name, reason });
      out = await db.transaction(async (tx) => {
        const pos = await position(tx, device, op);
        if (pos.kind !== 'new') return pos.kind === 'gap' ? 'gap' : pos.result;
        const ctx = ctxFor(tx);
        const id = randomUUID();
        const row = { id, kind: 'quarantined_op', status: 'open', reason, op, deviceId: device.id, createdAt: ctx.now };
        const seq = await logChange(ctx, 'task', id, 'put', row);
        await tx.insert(tasks).values({ id, orgId: device.orgId, kind: 'quarantined_op', status: 'open', row, serverSeq: seq });
        return record(ctx, op, 'quarantined', reason);
      });
    }
    if (out === 'gap') {
      gapAt = op.seq;
      break;
    }
    results.push(out);
  }
  await flagClock(database, device, ops, clock(), log);
  const [d] = await db.select({ last: devices.lastAppliedSeq }).from(devices).where(eq(devices.id, device.id));
  return { results, lastAppliedSeq: d!.last, gapAt, serverTime: clock() };
}

class Quarantine extends Error {}

/** How far ahead of the server a desk's clock may run before the device is flagged (research/sync.md §6.7). */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * A desk whose ops are stamped in the future has a wrong clock: its ops are
 * accepted all the same (the server's order decides, never the stamp), the
 * device is flagged for the installer (`devices`) and the fact is logged.
 * Stamps in the past are normal: ops queued offline upload late.
 */
async function flagClock(database: Database, device: Device, ops: PushOp[], now: number, log: Logger): Promise<void> {
  const ahead = Math.max(...ops.map((o) => (Hlc.physical(o.hlc) ?? now) - now));
  const suspect = ahead > MAX_CLOCK_AHEAD_MS;
  const r = await database.db.update(devices).set({ clockSuspect: suspect }).where(and(eq(devices.id, device.id), sql`${devices.clockSuspect} <> ${suspect}`)).returning({ id: devices.id });
  if (r.length && suspect) log('warn', 'device clock ahead of the server', { deviceId: device.id, aheadMs: ahead });
}
