import { afterAll, describe, expect, it } from 'vitest';
import { Backends, type Backend } from '../support/server.js';
import { appointmentOf, syncFixture } from '../support/sync-fixture.js';

const backends = new Backends();
afterAll(() => backends.stop());

/** The latest row of a booking in the pull feed, as every desk receives it. */
async function published(s: Awaited<ReturnType<typeof syncFixture>>, token: string, id: string) {
  const page = await s.pull(token);
  return page.changes.filter((c: { entity: string; id: string }) => c.entity === 'appointment' && c.id === id).at(-1)?.row;
}

describe.each<Backend>(['pglite', 'postgres'])('the server decides every field it can (issue 19 finding 2) on %s', (kind) => {
  it('a booking pushed as already "fulfilled" or "arrived" is refused: a booking is born booked, later statuses come through their own ops', async () => {
    const s = await syncFixture(backends, kind);
    const desk = await s.enrollDesk('org-a');
    const done = { ...appointmentOf('doc-1@2026-11-24T08:00'), status: 'fulfilled' as const };
    const here = { ...appointmentOf('doc-1@2026-11-24T08:20'), status: 'arrived' as const };
    const r = await s.push(desk, [
      { seq: 1, name: 'appointments.book', args: { appointment: done, preventive: false } },
      { seq: 2, name: 'appointments.book', args: { appointment: here, preventive: false } },
    ]);
    expect(r.json.results.map((x: { status: string; detail: string }) => [x.status, x.detail])).toEqual([
      ['rejected', 'bad_status:fulfilled'],
      ['rejected', 'bad_status:arrived'],
    ]);
    expect(await published(s, desk, done.id)).toBeUndefined();
    await s.close();
  });

  it('R12: whether a checked-in patient goes to the live queue is computed by the server, not taken from the desk', async () => {
    const s = await syncFixture(backends, kind);
    const desk = await s.enrollDesk('org-a');
    // Today at 10:00; the desk checks the patient in at 09:00 — early, not late — but claims the live queue.
    const a = appointmentOf('doc-1@2026-11-23T10:00');
    const r = await s.push(desk, [
      { seq: 1, name: 'appointments.book', args: { appointment: a, preventive: false } },
      { seq: 2, name: 'appointments.checkIn', args: { appointmentId: a.id, liveQueue: true } },
    ]);
    expect(r.json.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'applied']);
    expect(await published(s, desk, a.id)).toMatchObject({ status: 'arrived', liveQueue: false });
    await s.close();
  });

  it('a move is one op: both or neither — when the new time is taken, the patient keeps the old one and the new booking is lost with a call task', async () => {
    const s = await syncFixture(backends, kind);
    const [a, b] = [await s.enrollDesk('org-a'), await s.enrollDesk('org-a')];
    const first = appointmentOf('doc-1@2026-11-24T08:00');
    await s.push(a, [{ seq: 1, name: 'appointments.book', args: { appointment: first, preventive: false } }]);
    await s.push(b, [{ seq: 1, name: 'appointments.book', args: { appointment: appointmentOf('doc-1@2026-11-24T08:20'), preventive: false } }]);
    const moveTo = (slotId: string) => ({ ...appointmentOf(slotId), patientId: first.patientId, replacesId: first.id });
    const intoTaken = moveTo('doc-1@2026-11-24T08:20');
    const taken = await s.push(a, [{ seq: 2, name: 'appointments.move', args: { appointmentId: first.id, appointment: intoTaken, preventive: false } }]);
    expect(taken.json.results[0]).toMatchObject({ status: 'conflict', detail: 'slot_taken' });
    expect(await published(s, a, first.id)).toMatchObject({ status: 'booked', syncState: 'confirmed' });
    expect(await published(s, a, intoTaken.id)).toMatchObject({ syncState: 'conflict' });
    const tasks = (await s.pull(a)).changes.filter((c: { entity: string; row: { appointmentId?: string } }) => c.entity === 'task' && c.row?.appointmentId === intoTaken.id);
    expect(tasks).toHaveLength(1);
    // Into a free time: the old booking cancelled, the new one confirmed, in one transaction.
    const intoFree = moveTo('doc-1@2026-11-24T08:40');
    const moved = await s.push(a, [{ seq: 3, name: 'appointments.move', args: { appointmentId: first.id, appointment: intoFree, preventive: false } }]);
    expect(moved.json.results[0]).toMatchObject({ status: 'applied', detail: 'moved' });
    expect(await published(s, a, first.id)).toMatchObject({ status: 'cancelled' });
    expect(await published(s, a, intoFree.id)).toMatchObject({ status: 'booked', syncState: 'confirmed' });
    // A move whose new booking does not name the booking it replaces is refused.
    const stray = moveTo('doc-1@2026-11-24T09:00');
    expect((await s.push(a, [{ seq: 4, name: 'appointments.move', args: { appointmentId: intoFree.id, appointment: stray, preventive: false } }])).json.results[0]).toMatchObject({
      status: 'rejected',
      detail: 'bad_args',
    });
    await s.close();
  });

  it('R16: a patient’s contacts are corrected by one rule on desk and server — a refused correction goes back to every desk as the server holds it', async () => {
    const s = await syncFixture(backends, kind);
    const desk = await s.enrollDesk('org-a');
    const r = await s.push(desk, [
      { seq: 1, name: 'patients.update', args: { patientId: 'pat-5', phone: '+996 555 123 456', address: 'ул. Ленина, 1' } },
      { seq: 2, name: 'patients.update', args: { patientId: 'pat-5', phone: '12', address: 'ул. Ленина, 1' } },
      { seq: 3, name: 'patients.update', args: { patientId: 'pat-5', phone: '', address: 'ул. Ленина,\n1\u0007' } },
    ]);
    expect(r.json.results.map((x: { status: string; detail: string }) => `${x.status} ${x.detail}`)).toEqual(['applied updated', 'rejected phone_format', 'rejected address_format']);
    const rows = (await s.pull(desk)).changes.filter((c: { entity: string; id: string }) => c.entity === 'patient' && c.id === 'pat-5');
    expect(rows.at(-1).row).toMatchObject({ phone: '+996 555 123 456', address: 'ул. Ленина, 1' });
    await s.close();
  });

  it('R6: an out-of-schedule visit names a patient of this organization, or none (an unregistered emergency)', async () => {
    const s = await syncFixture(backends, kind);
    const desk = await s.enrollDesk('org-a');
    const visit = (id: string, patientId: string | null) => ({ id, patientId, applicant: 'Скорая', channel: 'registry', destination: 'duty_doctor' });
    const r = await s.push(desk, [
      { seq: 1, name: 'register.outOfSchedule', args: visit('e1', 'pat-3') },
      { seq: 2, name: 'register.outOfSchedule', args: visit('e2', 'pat-of-nowhere') },
      { seq: 3, name: 'register.outOfSchedule', args: visit('e3', null) },
    ]);
    expect(r.json.results.map((x: { status: string; detail: string }) => `${x.status} ${x.detail}`)).toEqual(['applied recorded', 'rejected unknown_patient', 'applied recorded']);
    await s.close();
  });

  it('a call’s outcome follows the task’s own transitions: a task that ended takes no more outcomes, a quarantined op’s task takes no call outcome', async () => {
    const s = await syncFixture(backends, kind);
    const [a, b] = [await s.enrollDesk('org-a'), await s.enrollDesk('org-a')];
    const first = appointmentOf('doc-1@2026-11-24T09:00');
    const lost = { ...appointmentOf('doc-1@2026-11-24T09:00'), patientId: 'pat-77' };
    await s.push(a, [{ seq: 1, name: 'appointments.book', args: { appointment: first, preventive: false } }]);
    expect((await s.push(b, [{ seq: 1, name: 'appointments.book', args: { appointment: lost, preventive: false } }])).json.results[0].status).toBe('conflict');
    await s.push(b, [{ seq: 2, name: 'appointments.fromTheFuture', args: {} }]);
    const tasks = (await s.pull(a)).changes.filter((c: { entity: string }) => c.entity === 'task').map((c: { row: { id: string; kind: string } }) => c.row);
    const call = tasks.find((t: { kind: string }) => t.kind === 'call_patient')!;
    const quarantined = tasks.find((t: { kind: string }) => t.kind === 'quarantined_op')!;
    const resolve = (token: string, seq: number, taskId: string, outcome: string) => s.push(token, [{ seq, name: 'tasks.resolve', args: { taskId, outcome } }]).then((r) => r.json.results[0]);
    expect(await resolve(a, 2, call.id, 'reached')).toMatchObject({ status: 'applied' });
    expect(await resolve(a, 3, call.id, 'declined')).toMatchObject({ status: 'applied' });
    expect(await resolve(b, 3, call.id, 'unreachable')).toMatchObject({ status: 'rejected', detail: 'bad_status:declined' });
    expect(await resolve(a, 4, quarantined.id, 'rebooked')).toMatchObject({ status: 'rejected', detail: 'bad_status:open' });
    const latest = (await s.pull(b)).changes.filter((c: { entity: string; id: string }) => c.entity === 'task' && c.id === call.id).at(-1).row;
    expect(latest.status).toBe('declined');
    await s.close();
  });
});
