import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../sync-server/db/connect.js';
import { rowsOf } from '../../sync-server/messages/outbox.js';
import { ClinicServer, ORG } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';
import { startPostgres, type Postgres } from '../support/postgres.js';
import { serverProcess, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

/**
 * Issue 20: the outbox sends exactly once per booking version, also when the server is SIGKILLed mid-send. A real
 * `npm run server` process on PostgreSQL sends through the HTTP gateway transport to a gateway in this test, which
 * holds the first request open; the test kills the server then and starts another on the same database.
 */
let cluster: Postgres | null = null;
const alive: ServerProcess[] = [];
afterAll(async () => {
  for (const s of alive) await s.kill();
  cluster?.stop();
});

/** An SMS gateway as the integrator's documentation would describe one: it answers 200, and keeps one message per id. */
function gateway() {
  const requests: Array<{ id: string; to: string; text: string }> = [];
  const delivered = new Map<string, string>();
  let hold: ((r: ServerResponse) => void) | null = null;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      const m = JSON.parse(body) as { id: string; to: string; text: string };
      requests.push(m);
      if (!delivered.has(m.id)) delivered.set(m.id, m.text);
      if (hold) {
        const h = hold;
        hold = null;
        return h(res); // taken, but no answer: the sender is mid-send
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, ref: m.id }));
    });
  });
  return {
    requests,
    delivered,
    /** The next request is taken and never answered; resolves when it arrived. */
    holdNext: () => new Promise<void>((r) => (hold = () => r())),
    listen: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`))),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe.each([
  ['a gateway that keeps one message per id: the cut send is sent again, and the patient gets it once', true],
  ['a gateway that cannot tell a repeat: the cut send is not sent again, marked in doubt on the card', false],
] as const)('the message sender SIGKILLed mid-send, on PostgreSQL — %s', (_, idempotent) => {
  it('every booking version is told exactly once', async () => {
    cluster ??= await startPostgres();
    if (!cluster) throw new Error('PostgreSQL binaries not found: install postgresql-15');
    const url = await cluster.createDatabase();
    // Three bookings by phone, made at a desk and synced: three confirmations wait in the outbox.
    const clinic = await new ClinicServer(() => MONDAY_9AM, url).start();
    const desk = await clinic.enrolledDesk('Регистратура');
    await desk.desk.sync!.syncOnce();
    const sql3 = desk.desk.env.db.sqlite;
    const patients = sql3.prepare(`SELECT id FROM patients WHERE attached_org_id = ? AND priority = 0 AND length(phone) > 8 ORDER BY id LIMIT 3`).all(ORG) as Array<{ id: string }>;
    const times = sql3.prepare(`SELECT id FROM slots WHERE date = '2026-11-25' AND channel = 'registry' AND appointment_id IS NULL AND blocked = 0 ORDER BY start_utc, id LIMIT 3`).all() as Array<{
      id: string;
    }>;
    for (const [i, p] of patients.entries()) await desk.call('appointments.book', { patientId: p.id, slotId: times[i]!.id, channel: 'phone' });
    await desk.desk.sync!.syncOnce();
    await clinic.stop();

    const gw = gateway();
    const env = (minutes: number) => ({
      KEZEK_CLOCK_START: new Date(MONDAY_9AM + 60 * 60_000 + minutes * 60_000).toISOString(),
      KEZEK_MESSAGES_INTERVAL_MS: '100',
      KEZEK_SMS: 'http',
      KEZEK_SMS_HTTP_URL: gatewayUrl,
      KEZEK_SMS_HTTP_IDEMPOTENT: idempotent ? '1' : '0',
    });
    const gatewayUrl = await gw.listen();
    try {
      const held = gw.holdNext();
      const first = await serverProcess(url, env(0));
      alive.push(first);
      await held;
      await first.kill(); // SIGKILL while the gateway has the message and the server has not heard back
      // Another server on the same database, five minutes later by its clock: the dead sender's claim has lapsed.
      const second = await serverProcess(url, env(5));
      alive.push(second);
      const check = await connect({ databaseUrl: url });
      try {
        const rows = () => rowsOf<{ id: string; kind: string; status: string }>(check.db, sql`SELECT id, kind, status FROM patient_messages WHERE kind = 'confirmation' ORDER BY id`);
        await waitFor(async () => (await rows()).every((r) => !['pending', 'sending'].includes(r.status)), 30_000, 'every confirmation to end');
        const ends = await rows();
        expect(ends).toHaveLength(3);
        // One message per booking version reached the gateway as a message: exactly once.
        expect(gw.delivered.size).toBe(3);
        expect(new Set(gw.delivered.keys())).toEqual(new Set(ends.map((r) => `kezek-${r.id}`)));
        const cut = `kezek-${ends[0]!.id}`;
        if (idempotent) {
          expect(ends.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
          // The cut one went twice on the wire, under one id; the gateway kept one.
          expect(gw.requests.filter((r) => r.id === cut)).toHaveLength(2);
        } else {
          expect(ends.map((r) => r.status)).toEqual(['in_doubt', 'sent', 'sent']);
          expect(gw.requests).toHaveLength(3);
          const [line] = await rowsOf<{ row: { status: string; error: string } }>(check.db, sql`SELECT row FROM change_log WHERE entity = 'message' AND entity_id = ${`msg-${ends[0]!.id}`}`);
          expect(line!.row).toMatchObject({ status: 'in_doubt', error: 'sender_stopped_mid_send' });
        }
      } finally {
        await check.close();
        await second.kill();
      }
    } finally {
      gw.close();
    }
  });
});
