import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { ServerDb } from '../../sync-server/db/connect.js';

type Row = Record<string, unknown>;
const rowsOf = async (db: ServerDb, q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: Row[] }).rows;

export interface SimDesk {
  name: string;
  sqlite: Database.Database;
  created: Set<string>;
  cursors: number[];
}

/** The sync invariants (docs/sync-design.md, Simulation invariants), checked against the server and every desk's replica once the network is quiet. */
export async function checkInvariants(server: ServerDb, desks: readonly SimDesk[], faults: { longOutages: number } = { longOutages: 0 }): Promise<string[]> {
  const v: string[] = [];
  const appts = await rowsOf(
    server,
    sql`SELECT a.id, a.slot_id, a.status, a.sync_state, c.row->>'ticketCode' AS ticket FROM appointments a JOIN change_log c ON c.org_id = a.org_id AND c.seq = a.server_seq`,
  );
  const onServer = new Map(appts.map((a) => [String(a.id), a]));

  // No lost booking: every booking any desk made is on the server.
  for (const d of desks) for (const id of d.created) if (!onServer.has(id)) v.push(`lost booking ${id} from ${d.name}`);
  // No slot over capacity, on the server…
  const bySlot = new Map<string, number>();
  for (const a of appts) if (['booked', 'arrived', 'fulfilled'].includes(String(a.status)) && a.sync_state === 'confirmed') bySlot.set(String(a.slot_id), (bySlot.get(String(a.slot_id)) ?? 0) + 1);
  for (const [slot, n] of bySlot) if (n > 1) v.push(`slot ${slot} held by ${n} confirmed bookings on the server`);
  // Every booking that lost has a task.
  const tasks = await rowsOf(server, sql`SELECT row->>'appointmentId' AS appointment_id FROM tasks`);
  const withTask = new Set(tasks.map((t) => String(t.appointment_id)));
  for (const a of appts) if (a.sync_state === 'conflict' && !withTask.has(String(a.id))) v.push(`conflict ${String(a.id)} has no task`);
  // Lease safety: a booking made inside a valid lease is always confirmed. The one exception is a desk that
  // stayed away past expiry + grace (an injected long outage) — and then it is a loud lease_lost task.
  const reasons = new Map((await rowsOf(server, sql`SELECT row->>'appointmentId' AS a, row->>'reason' AS r FROM tasks`)).map((t) => [String(t.a), String(t.r)]));
  for (const d of desks) {
    for (const { id } of d.sqlite.prepare("SELECT id FROM appointments WHERE mode = 'guaranteed'").all() as Array<{ id: string }>) {
      const sa = onServer.get(id);
      if (!sa || sa.sync_state === 'confirmed') continue;
      if (reasons.get(id) !== 'lease_lost' || faults.longOutages === 0) v.push(`${d.name}: guaranteed booking ${id} lost its slot (${reasons.get(id) ?? 'no task'})`);
    }
  }
  // The waiting list (issue 21): a live offer holds its time as the waiting device's lease, with no booking on it; every
  // lease of that device is a live offer's; an accepted entry's booking is confirmed.
  const entries = await rowsOf(server, sql`SELECT id, org_id, row FROM org_rows WHERE entity = 'waiting_entry'`);
  const waitingLeases = new Map((await rowsOf(server, sql`SELECT slot_id, device_id FROM slot_leases WHERE device_id LIKE 'waiting-%'`)).map((l) => [String(l.slot_id), String(l.device_id)]));
  const offeredSlots = new Set<string>();
  for (const x of entries) {
    const e = x.row as { status: string; offer: { slotId: string } | null; appointmentId: string | null };
    if (e.status === 'offered') {
      offeredSlots.add(e.offer!.slotId);
      if (!waitingLeases.has(e.offer!.slotId)) v.push(`waiting entry ${String(x.id)}: its offer of ${e.offer!.slotId} holds no lease`);
      if (bySlot.has(e.offer!.slotId)) v.push(`waiting entry ${String(x.id)}: its offered time ${e.offer!.slotId} is booked`);
    }
    if (e.status === 'booked' && onServer.get(String(e.appointmentId))?.sync_state !== 'confirmed') v.push(`waiting entry ${String(x.id)}: booked, but ${String(e.appointmentId)} is not confirmed`);
  }
  for (const slot of waitingLeases.keys()) if (!offeredSlots.has(slot)) v.push(`the waiting list holds ${slot} with no live offer`);
  for (const d of desks) {
    const here = new Map((d.sqlite.prepare('SELECT id, status FROM waiting_entries').all() as Array<{ id: string; status: string }>).map((e) => [e.id, e.status]));
    for (const x of entries) {
      const status = (x.row as { status: string }).status;
      if (here.get(String(x.id)) !== status) v.push(`${d.name}: waiting entry ${String(x.id)} is ${here.get(String(x.id)) ?? 'missing'}, server says ${status}`);
    }
  }
  // Unique ticket numbers.
  const tickets = new Set<string>();
  for (const a of appts) {
    if (tickets.has(String(a.ticket))) v.push(`ticket ${String(a.ticket)} used twice`);
    tickets.add(String(a.ticket));
  }
  // Idempotent redelivery and per-device order without gaps: one result per op, sequences 1..n.
  const results = await rowsOf(server, sql`SELECT device_id, array_agg(device_seq ORDER BY device_seq) AS seqs FROM op_results GROUP BY device_id`);
  for (const r of results) {
    const seqs = (r.seqs as number[]).map(Number);
    if (seqs.some((s, i) => s !== i + 1)) v.push(`device ${String(r.device_id)} results not 1..n: ${seqs.slice(0, 10).join(',')}`);
  }
  // The call list and the register of requests converge too: every task with the server's status, every register row.
  const serverTasks = new Map((await rowsOf(server, sql`SELECT id, status FROM tasks`)).map((t) => [String(t.id), String(t.status)]));
  const serverRegister = new Set(
    (
      await rowsOf(
        server,
        sql`SELECT id FROM org_rows WHERE entity = 'register_entry'
      UNION SELECT row->'register'->>'id' FROM change_log WHERE entity = 'appointment' AND row->'register'->>'id' IS NOT NULL`,
      )
    ).map((r) => String(r.id)),
  );
  for (const d of desks) {
    const s = d.sqlite;
    const tasksHere = new Map((s.prepare('SELECT id, status FROM tasks').all() as Array<{ id: string; status: string }>).map((t) => [t.id, t.status]));
    for (const [id, status] of serverTasks) if (tasksHere.get(id) !== status) v.push(`${d.name}: task ${id} is ${tasksHere.get(id) ?? 'missing'}, server says ${status}`);
    for (const id of tasksHere.keys()) if (!serverTasks.has(id)) v.push(`${d.name}: task ${id} unknown to the server`);
    const registerHere = new Map(
      (s.prepare('SELECT id, result, reason, appointment_id AS a FROM register_entries').all() as Array<{ id: string; result: string; reason: string | null; a: string | null }>).map((r) => [r.id, r]),
    );
    for (const id of serverRegister) if (!registerHere.has(id)) v.push(`${d.name}: register row ${id} missing`);
    for (const [id, r] of registerHere)
      if (!serverRegister.has(id)) v.push(`${d.name}: register row ${id} (${r.result}${r.reason ? ` ${r.reason}` : ''}, booking ${r.a ?? '-'}) unknown to the server`);
    // Convergence: nothing waiting, and the replica's bookings equal the server's.
    const pending = (s.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n;
    if (pending > 0) v.push(`${d.name}: ${pending} ops still pending once quiet (a poison op blocking?)`);
    const local = s.prepare('SELECT id, status, sync_state AS syncState FROM appointments').all() as Array<{ id: string; status: string; syncState: string }>;
    if (local.length !== appts.length) v.push(`${d.name}: ${local.length} bookings, server has ${appts.length}`);
    for (const a of local) {
      const sa = onServer.get(a.id);
      if (!sa) v.push(`${d.name}: booking ${a.id} unknown to the server`);
      else if (sa.status !== a.status || sa.sync_state !== a.syncState) v.push(`${d.name}: booking ${a.id} is ${a.status}/${a.syncState}, server says ${String(sa.status)}/${String(sa.sync_state)}`);
    }
    // … and on every replica; and the slot's holder is exactly its one active, non-conflict booking (a cancel freed it once).
    const over = s.prepare("SELECT slot_id FROM appointments WHERE status IN ('booked','arrived','fulfilled') AND sync_state != 'conflict' GROUP BY slot_id HAVING count(*) > 1").all();
    if (over.length) v.push(`${d.name}: ${over.length} slots held twice`);
    const wrongHolder = s
      .prepare(`SELECT s.id FROM slots s WHERE coalesce(s.appointment_id, '') != coalesce((SELECT a.id FROM appointments a WHERE a.slot_id = s.id
        AND a.status IN ('booked','arrived','fulfilled') AND a.sync_state != 'conflict'), '')`)
      .all();
    if (wrongHolder.length) v.push(`${d.name}: ${wrongHolder.length} slots whose holder disagrees with the bookings`);
    // Cursors never go back.
    if (d.cursors.some((c, i) => i > 0 && c < d.cursors[i - 1]!)) v.push(`${d.name}: pull cursor went back`);
  }
  return v;
}
