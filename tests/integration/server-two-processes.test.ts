import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import { SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { connect } from '../../sync-server/db/connect.js';
import { startPostgres, type Postgres } from '../support/postgres.js';
import { NOW, seedOrgs } from '../support/sync-fixture.js';
import { enrollRaw, signedBy } from '../support/signing.js';
import { serverProcess, type ServerProcess } from '../support/server-process.js';

let pgc: Postgres | null = null;
const children: ServerProcess[] = [];
afterAll(() => {
  for (const c of children) c.stop();
  pgc?.stop();
});

describe('two server processes over one PostgreSQL', () => {
  it('devices hammering the same slots through both processes: zero double bookings, nothing lost', async () => {
    pgc = await startPostgres();
    if (!pgc) throw new Error('PostgreSQL binaries not found (/usr/lib/postgresql/*/bin): install postgresql-15');
    const url = await pgc.createDatabase();
    const setup = await connect({ databaseUrl: url });
    await seedOrgs(setup.db);
    const clock = { KEZEK_CLOCK_START: new Date(NOW).toISOString() };
    children.push(...(await Promise.all([serverProcess(url, clock), serverProcess(url, clock)])));
    const [s1, s2] = children.map((c) => c.url);

    const DEVICES = 8;
    const SLOTS = 12;
    const tokens: string[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const code = await createEnrollmentCode(setup.db, 'org-a', Date.now());
      tokens.push(await enrollRaw((i % 2 ? s2 : s1)!, code, `desk ${i}`));
    }
    // Every device books every slot (one op each, in its own sequence), alternating between the two processes.
    const all: Appointment[] = [];
    await Promise.all(
      tokens.map(async (token, d) => {
        for (let k = 0; k < SLOTS; k++) {
          const time = `${String(8 + Math.floor(k / 3)).padStart(2, '0')}:${String((k % 3) * 20).padStart(2, '0')}`;
          const a: Appointment = {
            id: `d${d}-s${k}`,
            orgId: 'org-a',
            patientId: `pat-${d * SLOTS + k + 1}`,
            slotId: `doc-1@2026-11-24T${time}`,
            doctorId: 'doc-1',
            specialtyId: 'family',
            date: '2026-11-24',
            time,
            startUtc: Date.parse(`2026-11-24T${time}:00+06:00`),
            status: 'booked',
            channel: 'registry',
            referralId: null,
            replacesId: null,
            ticketCode: `D${d}${String(k).padStart(6, '0')}`,
            queueNumber: k + 1,
            liveQueue: false,
            createdAt: 0,
            createdBy: 'u',
            deviceId: `d${d}`,
            visitReason: 'illness',
          };
          all.push(a);
          const res = await fetch(`${(d + k) % 2 ? s2 : s1}/sync/push`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              schemaVersion: SYNC_SCHEMA_VERSION,
              ops: [signedBy(token, { seq: k + 1, opId: `${a.id}-op`, hlc: `${NOW}-00000-x`, name: 'appointments.book', args: { appointment: a, preventive: false } })],
            }),
          });
          expect(res.status).toBe(200);
        }
      }),
    );
    const result = await setup.db.execute(sql`SELECT slot_id, count(*) FILTER (WHERE sync_state = 'confirmed') AS confirmed, count(*) AS total FROM appointments GROUP BY slot_id`);
    const rows = (result as { rows: Array<{ slot_id: string; confirmed: string; total: string }> }).rows;
    expect(rows).toHaveLength(SLOTS);
    for (const r of rows) {
      expect(Number(r.confirmed)).toBe(1); // exactly one winner per slot
      expect(Number(r.total)).toBe(DEVICES); // every losing booking kept as a conflict
    }
    await setup.close();
  }, 120_000);
});
