import { afterAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { listDevices, revokeDevice } from '../../sync-server/auth/devices.js';
import { appointments, devices, opResults } from '../../sync-server/db/schema.js';
import { Backends, type Backend } from '../support/server.js';
import { appointment, NOW, syncFixture } from '../support/sync-fixture.js';
import { signedBy } from '../support/signing.js';
import { OLDEST_ACCEPTED_SCHEMA_VERSION, SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';

const backends = new Backends();
afterAll(() => backends.stop());

describe.each<Backend>(['pglite', 'postgres'])('push and pull on %s', (kind) => {
  const setup = () => syncFixture(backends, kind);

  it('two desks book the same slot offline: one wins, the other is kept as a conflict with a call task and alternatives', async () => {
    const s = await setup();
    const [d1, d2] = [await s.enrollDesk('org-a'), await s.enrollDesk('org-a')];
    const a = appointment('09:00');
    const b = { ...appointment('09:00'), slotId: a.slotId };
    expect((await s.push(d1, [{ seq: 1, name: 'appointments.book', args: { appointment: a, preventive: false } }])).json.results[0]).toMatchObject({ status: 'applied' });
    const lost = await s.push(d2, [{ seq: 1, name: 'appointments.book', args: { appointment: b, preventive: false } }]);
    expect(lost.json.results[0]).toMatchObject({ status: 'conflict', detail: 'slot_taken' });
    const feed = await s.pull(d2);
    const appts = feed.changes.filter((c: any) => c.entity === 'appointment');
    expect(appts.map((c: any) => [c.id, c.row.syncState])).toEqual([
      [a.id, 'confirmed'],
      [b.id, 'conflict'],
    ]);
    const task = feed.changes.find((c: any) => c.entity === 'task').row;
    expect(task).toMatchObject({ kind: 'call_patient', appointmentId: b.id, patientId: b.patientId, reason: 'slot_taken' });
    // R8's order (000 §1): another doctor of the specialty at the same time first, then the same doctor's nearest time.
    expect(task.alternatives[0]).toMatchObject({ doctorId: 'doc-2', time: '09:00', kind: 'same_time', date: '2026-11-24' });
    expect(task.alternatives.find((x: any) => x.kind === 'same_doctor')).toMatchObject({ doctorId: 'doc-1', sameDoctor: true, date: '2026-11-24' });
    expect(task.alternatives.some((x: any) => x.slotId === a.slotId)).toBe(false);
    expect(feed.results).toEqual([expect.objectContaining({ seq: 1, status: 'conflict' })]);
    await s.close();
  });

  it('a repeated push returns the stored results and changes nothing; a gap stops the batch', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const ops = [{ seq: 1, name: 'appointments.book', args: { appointment: appointment('08:00'), preventive: false } }];
    const first = await s.push(d, ops);
    const again = await s.push(d, ops);
    expect(again.json.results).toEqual(first.json.results);
    expect((await s.pull(d)).changes.filter((c: any) => c.entity === 'appointment')).toHaveLength(1);
    const gap = await s.push(d, [{ seq: 3, name: 'appointments.book', args: { appointment: appointment('08:20'), preventive: false } }]);
    expect(gap.json).toMatchObject({ results: [], gapAt: 3, lastAppliedSeq: 1 });
    await s.close();
  });

  it('an unknown op or a format newer than the server is quarantined with a task and never blocks the next op; a desk from before signed ops is told to update, nothing applied (issue 19)', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const r = await s.push(d, [
      { seq: 1, name: 'appointments.teleport', args: {} },
      { seq: 2, name: 'appointments.book', args: { appointment: appointment('10:00'), preventive: false } },
    ]);
    expect(r.json.results.map((x: any) => x.status)).toEqual(['quarantined', 'applied']);
    const newer = await s.push(d, [{ seq: 3, name: 'appointments.book', args: { appointment: appointment('10:20'), preventive: false } }], SYNC_SCHEMA_VERSION + 1);
    expect(newer.json.results[0]).toMatchObject({ status: 'quarantined', detail: `schema_version:${SYNC_SCHEMA_VERSION + 1}` });
    const feed = await s.pull(d);
    expect(feed.changes.filter((c: any) => c.entity === 'task').map((c: any) => c.row.kind)).toEqual(['quarantined_op', 'quarantined_op']);
    // Format 1 (unsigned): 426, and the op waits on the desk — neither applied nor quarantined.
    const old = await s.push(d, [{ seq: 4, name: 'appointments.book', args: { appointment: appointment('10:40'), preventive: false } }], 1);
    expect(old).toMatchObject({ status: 426, json: { error: { code: 'update_desk' } } });
    expect((await s.pull(d, feed.cursor)).lastAppliedSeq).toBe(3);
    // Format 2, a desk not yet updated to the hall's kiosk (format 3 only added an op): its ops still apply.
    const v2 = await s.push(d, [{ seq: 4, name: 'appointments.book', args: { appointment: appointment('11:00'), preventive: false } }], OLDEST_ACCEPTED_SCHEMA_VERSION);
    expect(v2.json.results[0]).toMatchObject({ status: 'applied' });
    await s.close();
  });

  it('a different op under a used sequence number (a desk restored from a backup) is not a repeat: nothing applied, the device is told to renumber (issue 9, finding 2)', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const x = appointment('09:40');
    await s.push(d, [
      { seq: 1, name: 'appointments.book', args: { appointment: x, preventive: false } },
      { seq: 2, name: 'appointments.book', args: { appointment: appointment('10:00'), preventive: false } },
    ]);
    // The restored desk's next op, a cancellation, under number 2 with an op id the server has never seen.
    const raw = await fetch(`${s.server.url}/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${d}` },
      body: JSON.stringify({
        schemaVersion: SYNC_SCHEMA_VERSION,
        ops: [signedBy(d, { seq: 2, opId: 'after-restore', hlc: `${NOW}-00000-x`, name: 'appointments.cancel', args: { appointmentId: x.id, channel: 'registry' } })],
      }),
    });
    const r = (await raw.json()) as any;
    expect(r).toMatchObject({ results: [], seqReusedAt: 2, lastAppliedSeq: 2, gapAt: null });
    const [row] = await s.database.db.select({ status: appointments.status }).from(appointments).where(eq(appointments.id, x.id));
    expect(row!.status).toBe('booked');
    // Renumbered after the server's position, the same op is applied.
    const again = await fetch(`${s.server.url}/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${d}` },
      body: JSON.stringify({
        schemaVersion: SYNC_SCHEMA_VERSION,
        ops: [signedBy(d, { seq: 3, opId: 'after-restore', hlc: `${NOW}-00000-x`, name: 'appointments.cancel', args: { appointmentId: x.id, channel: 'registry' } })],
      }),
    });
    expect(((await again.json()) as any).results[0]).toMatchObject({ seq: 3, status: 'applied', detail: 'cancelled' });
    await s.close();
  });

  it('appointment ids are the organization\'s: an id another clinic already used is a new booking here, not "already known" (issue 9, finding 7)', async () => {
    const s = await setup();
    const a = await s.enrollDesk('org-a');
    const b = await s.enrollDesk('org-b');
    const mine = appointment('08:00');
    expect((await s.push(a, [{ seq: 1, name: 'appointments.book', args: { appointment: mine, preventive: false } }])).json.results[0]).toMatchObject({ status: 'applied', detail: 'confirmed' });
    const theirs = { ...appointment('08:00', 'doc-9', 'org-b'), id: mine.id };
    expect((await s.push(b, [{ seq: 1, name: 'appointments.book', args: { appointment: theirs, preventive: false } }])).json.results[0]).toMatchObject({ status: 'applied', detail: 'confirmed' });
    const feed = await s.pull(b);
    expect(feed.changes.filter((c: any) => c.entity === 'appointment').map((c: any) => [c.id, c.row.orgId, c.row.slotId])).toEqual([[mine.id, 'org-b', theirs.slotId]]);
    // Each clinic's copy changes on its own.
    await s.push(b, [{ seq: 2, name: 'appointments.cancel', args: { appointmentId: mine.id, channel: 'registry' } }]);
    const rows = await s.database.db.select({ org: appointments.orgId, status: appointments.status }).from(appointments).where(eq(appointments.id, mine.id)).orderBy(appointments.orgId);
    expect(rows).toEqual([
      { org: 'org-a', status: 'booked' },
      { org: 'org-b', status: 'cancelled' },
    ]);
    await s.close();
  });

  it('ticket prefixes are assigned by the server at enrollment, unique within the organization (issue 9, finding 3)', async () => {
    const s = await setup();
    for (let i = 0; i < 40; i++) await s.enrollDesk('org-a');
    const prefixes = (await s.database.db.select({ p: devices.ticketPrefix }).from(devices).where(eq(devices.orgId, 'org-a'))).map((r) => r.p);
    expect(prefixes).toHaveLength(40);
    expect(prefixes.every((p) => /^[ABCDEFGHJKMNPQRSTVWXYZ]{3}$/.test(p ?? ''))).toBe(true);
    expect(new Set(prefixes).size).toBe(40);
    await s.close();
  });

  it('a device writes and sees only its own organization; malformed pushes are refused whole', async () => {
    const s = await setup();
    const a = await s.enrollDesk('org-a');
    const b = await s.enrollDesk('org-b');
    const foreign = await s.push(b, [{ seq: 1, name: 'appointments.book', args: { appointment: appointment('11:00'), preventive: false } }]);
    expect(foreign.json.results[0]).toMatchObject({ status: 'rejected', detail: 'wrong_org' });
    await s.push(a, [{ seq: 1, name: 'appointments.book', args: { appointment: appointment('11:00'), preventive: false } }]);
    expect((await s.pull(b)).changes).toEqual([]);
    expect((await s.push(a, [])).status).toBe(400);
    const bad = await fetch(`${s.server.url}/sync/push`, { method: 'POST', headers: { authorization: `Bearer ${a}` }, body: 'not json' });
    expect(bad.status).toBe(400);
    await s.close();
  });

  it('a revoked device (issue 3, bad input) gets 401 on push and pull, nothing it sends is applied, the other desks carry on', async () => {
    const s = await setup();
    const lost = await s.enrollDesk('org-a');
    const other = await s.enrollDesk('org-a');
    await s.push(lost, [{ seq: 1, name: 'appointments.book', args: { appointment: appointment('10:40'), preventive: false } }]);
    const [row] = await s.database.db.select().from(devices).where(eq(devices.lastAppliedSeq, 1));
    expect(await revokeDevice(s.database.db, row!.id, NOW)).toBe(true);
    expect(await revokeDevice(s.database.db, row!.id, NOW)).toBe(false);
    const after = await s.push(lost, [{ seq: 2, name: 'appointments.book', args: { appointment: appointment('11:40'), preventive: false } }]);
    expect(after).toMatchObject({ status: 401, json: { error: { code: 'unauthenticated' } } });
    expect((await fetch(`${s.server.url}/sync/pull?cursor=0`, { headers: { authorization: `Bearer ${lost}` } })).status).toBe(401);
    expect(await s.database.db.$count(opResults)).toBe(1);
    const ok = await s.push(other, [{ seq: 1, name: 'appointments.book', args: { appointment: appointment('11:40'), preventive: false } }]);
    expect(ok.json.results[0]).toMatchObject({ status: 'applied' });
    expect((await listDevices(s.database.db, 'org-a')).map((d) => [d.id === row!.id, d.revokedAt !== null]).sort()).toEqual([
      [false, false],
      [true, true],
    ]);
    await s.close();
  });

  it('a pull hands over each op result with the page holding its changes; the last page the rest, once (results of a lost push response)', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const books = ['08:00', '08:20', '08:40'].map((t, i) => ({ seq: i + 1, name: 'appointments.book', args: { appointment: appointment(t), preventive: false } }));
    await s.push(d, [...books, { seq: 4, name: 'appointments.cancel', args: { appointmentId: 'no-such-booking', channel: 'registry' } }]);
    const pages: any[] = [];
    let cursor = 0;
    for (let more = true; more; ) {
      const page = await s.pull(d, cursor, 1);
      pages.push(page);
      ({ cursor, hasMore: more } = page);
    }
    const bookingPages = pages.filter((p) => p.changes.some((c: any) => c.entity === 'appointment'));
    // A booking's result never arrives before the booking itself (the desk would drop its op and lose sight of it).
    // The rejected cancellation changed nothing: its result comes with the last page.
    expect(bookingPages.map((p) => p.results.map((r: any) => r.seq))).toEqual([[1], [2], [3, 4]]);
    expect(pages.at(-1).results[1]).toMatchObject({ seq: 4, status: 'rejected', detail: 'unknown_appointment' });
    expect(pages.flatMap((p) => p.results).filter((r: any) => r.seq === 4)).toHaveLength(1);
    const after = await s.pull(d, cursor);
    expect(after).toMatchObject({ changes: [], results: [], hasMore: false, cursor });
    await s.close();
  });

  it('a batch of new bookings with a taken slot in the middle: every op its own result, in order (the fast runs and the general path meet)', async () => {
    const s = await setup();
    const other = await s.enrollDesk('org-a');
    const taken = appointment('10:20', 'doc-2');
    await s.push(other, [{ seq: 1, name: 'appointments.book', args: { appointment: taken, preventive: false } }]);
    const d = await s.enrollDesk('org-a');
    const times = ['08:00', '08:20', '08:40', '10:20', '09:00', '09:20'];
    const batch = times.map((t, i) => ({ seq: i + 1, name: 'appointments.book', args: { appointment: appointment(t, 'doc-2'), preventive: false } }));
    const r = await s.push(d, batch);
    expect(r.json.results.map((x: any) => `${x.seq}:${x.status}`)).toEqual(['1:applied', '2:applied', '3:applied', '4:conflict', '5:applied', '6:applied']);
    expect(r.json.lastAppliedSeq).toBe(6);
    // Sent again (a lost response): the same results, nothing new on the server.
    const again = await s.push(d, batch);
    expect(again.json.results).toEqual(r.json.results);
    expect(await s.database.db.$count(opResults)).toBe(7);
    await s.close();
  });

  it('the push fast path is only a shortcut: when it fails, the general path applies every op all the same and the failure is logged', async () => {
    const logged: string[] = [];
    const s = await syncFixture(
      backends,
      kind,
      () => NOW,
      (_level, msg) => logged.push(msg),
    );
    await s.database.db.execute(sql`DROP PROCEDURE kezek_push_books`);
    const d = await s.enrollDesk('org-a');
    const batch = ['08:00', '08:20'].map((t, i) => ({ seq: i + 1, name: 'appointments.book', args: { appointment: appointment(t), preventive: false } }));
    const r = await s.push(d, batch);
    expect(r.json.results.map((x: any) => `${x.seq}:${x.status}:${x.detail}`)).toEqual(['1:applied:confirmed', '2:applied:confirmed']);
    expect(logged).toContain('push fast path failed; the general path takes over');
    expect((await s.pull(d)).changes.filter((c: any) => c.entity === 'appointment')).toHaveLength(2);
    await s.close();
  });

  it('a desk whose clock runs ahead (docs/sync-design.md, Clocks): its op is accepted all the same, the device is flagged, and unflagged once its clock is right', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const ahead = await fetch(`${s.server.url}/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${d}` },
      body: JSON.stringify({
        schemaVersion: SYNC_SCHEMA_VERSION,
        ops: [signedBy(d, { seq: 1, opId: 'clock-1', hlc: `${NOW + 3_600_000}-00000-x`, name: 'appointments.book', args: { appointment: appointment('11:20'), preventive: false } })],
      }),
    });
    expect(((await ahead.json()) as any).results[0]).toMatchObject({ status: 'applied' });
    expect((await listDevices(s.database.db, 'org-a'))[0]).toMatchObject({ clockSuspect: true });
    await s.push(d, [{ seq: 2, name: 'appointments.book', args: { appointment: appointment('11:40'), preventive: false } }]);
    expect((await listDevices(s.database.db, 'org-a'))[0]).toMatchObject({ clockSuspect: false });
    await s.close();
  });

  it('cancel frees the slot for the next booking; cancelling twice is rejected and stored', async () => {
    const s = await setup();
    const d = await s.enrollDesk('org-a');
    const x = appointment('08:40');
    const y = { ...appointment('08:40'), slotId: x.slotId };
    const r = await s.push(d, [
      { seq: 1, name: 'appointments.book', args: { appointment: x, preventive: false } },
      { seq: 2, name: 'appointments.cancel', args: { appointmentId: x.id, channel: 'registry' } },
      { seq: 3, name: 'appointments.cancel', args: { appointmentId: x.id, channel: 'registry' } },
      { seq: 4, name: 'appointments.book', args: { appointment: y, preventive: false } },
    ]);
    expect(r.json.results.map((o: any) => o.status)).toEqual(['applied', 'applied', 'rejected', 'applied']);
    await s.close();
  });
});
