import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { organizations, orgRows } from '../../sync-server/db/schema.js';
import { lockOrg } from '../../sync-server/sync/context.js';
import { Backends } from '../support/server.js';
import { appointmentOf, syncFixture } from '../support/sync-fixture.js';
import { waitFor } from '../support/wait.js';

const backends = new Backends();
afterAll(() => backends.stop());

type Rows<T> = { rows: T[] };

// Two writers of one clinic at once needs a server with connections of its own: PostgreSQL (PGlite has one).
describe('issue 19 finding 3: an absence committed while a booking is being pushed', () => {
  it('the booking is judged on the directory as of the organization’s lock: it loses to the absence with a call task, never lands on the blocked time', async () => {
    const s = await syncFixture(backends, 'postgres');
    const desk = await s.enrollDesk('org-a');
    const booking = appointmentOf('doc-1@2026-11-24T08:00');
    const absence = { id: 'abs-race', doctorId: 'doc-1', kind: 'sick', fromDate: '2026-11-24', toDate: '2026-11-24', intervals: null, note: '', share: null };
    let push: ReturnType<typeof s.push> | null = null;
    // The absence's transaction takes the organization's lock first (as another desk's push or an import does)…
    await s.database.db.transaction(async (tx) => {
      await lockOrg(tx, 'org-a');
      await tx.insert(orgRows).values({ orgId: 'org-a', entity: 'exception', id: absence.id, row: absence });
      await tx
        .update(organizations)
        .set({ directoryVersion: sql`${organizations.directoryVersion} + 1` })
        .where(sql`${organizations.id} = 'org-a'`);
      // …while the booking's push has read the directory (absence not yet committed), judged the booking and waits for that lock.
      push = s.push(desk, [{ seq: 1, name: 'appointments.book', args: { appointment: booking, preventive: false } }]);
      await waitFor(
        async () => ((await tx.execute(sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)) as unknown as Rows<{ n: number }>).rows[0]!.n > 0,
        20_000,
        'the push to wait for the organization’s lock',
      );
    });
    const result = (await push!).json.results[0];
    expect(result).toMatchObject({ status: 'conflict', detail: 'refused:slot_blocked' });
    const held = (await s.database.db.execute(sql`SELECT status, sync_state FROM appointments WHERE id = ${booking.id}`)) as unknown as Rows<{ sync_state: string }>;
    expect(held.rows[0]!.sync_state).toBe('conflict');
    const tasks = (await s.database.db.execute(sql`SELECT row->>'reason' AS reason FROM tasks WHERE row->>'appointmentId' = ${booking.id}`)) as unknown as Rows<{ reason: string }>;
    expect(tasks.rows).toEqual([{ reason: 'refused:slot_blocked' }]);
    await s.close();
  });
});
