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
});
