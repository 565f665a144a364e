import { sql } from 'drizzle-orm';
import { Agent, request } from 'undici';
import { addApiClient } from '../../sync-server/api/clients.js';
import type { Database } from '../../sync-server/db/connect.js';
import { importDirectory, parseDirectoryFile } from '../../sync-server/directory/import.js';
import { serverProcess } from '../support/server-process.js';
import { smallClinic } from './clinic-file.js';
import { PgInsertBaseline } from './pg-baseline.js';
import { summarize, type BenchResult } from './stats.js';

/**
 * portal_rush (issue 20): the morning a clinic's internet share opens. 2,000 different patients, 200 at a time over
 * 200 connections, each doing the portal's three steps against the sync server on PostgreSQL — $find, $hold on one
 * of the times offered (another patient may hold it first: find again, up to three times), $book — while 20 doctors
 * × 10 working days offer 1,200 internet times. The load generator is undici (Node's own HTTP client) with 200
 * connections: autocannon fires independent requests and cannot time the steps of one patient's dependent flow.
 * Reported per step (p50/p99), bookings/s against the same run's INSERT baseline (as many connections as the server's
 * pool), and then checked: no time booked twice, only internet-share times booked, no patient with two bookings of
 * the specialty a day (R11), every refusal with alternatives while free times remained.
 */
const NOW = '2026-11-23T02:00:00Z'; // Monday 08:00 in Bishkek, the share opens
const PATIENTS = Number(process.env.PORTAL_PATIENTS ?? 2000);
const CONCURRENCY = Number(process.env.PORTAL_CONCURRENCY ?? 200);
const KG = 'urn:kezek:national-id:KG_PIN';

type Step = 'find' | 'hold' | 'book';

export async function portalRush(database: Database, url: string, processes: 1 | 2, log: (m: string) => void): Promise<BenchResult[]> {
  const orgId = `portal-${processes}`;
  // Family doctors: the registry in the morning, the internet share 13:00–15:00 (6 times a day each).
  const file = smallClinic(orgId, 20, PATIENTS, {
    day: [
      { from: '08:00', to: '12:00', channel: 'registry' },
      { from: '13:00', to: '15:00', channel: 'internet' },
    ],
  });
  await importDirectory(database.db, parseDirectoryFile(file), Date.parse(NOW));
  const { key } = await addApiClient(database.db, { name: `rush ${processes}`, channel: 'internet', regions: [], organizations: [orgId], perMinute: 10_000_000 }, Date.parse(NOW));
  const servers = await Promise.all(Array.from({ length: processes }, () => serverProcess(url, { KEZEK_CLOCK_START: NOW })));
  const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });
  const baseline = await PgInsertBaseline.open(url, `bench_portal_baseline_${processes}`);
  const latency: Record<Step, number[]> = { find: [], hold: [], book: [] };
  const tally = new Map<string, number>();
  const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
  let refusalsWithoutAlternatives = 0;
  let n = 0;
  const call = async (step: Step, body: object) => {
    const base = servers[n++ % servers.length]!.url;
    const t0 = performance.now();
    const res = await request(`${base}/fhir/R4/Appointment/$${step}`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    });
    const json = (await res.body.json()) as any;
    latency[step].push(performance.now() - t0);
    return { status: res.statusCode, json };
  };
  const patient = (i: number) => ({ name: 'patient', valueIdentifier: { system: KG, value: `2${String(i).padStart(13, '0')}` } });
  const rush = async () => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < PATIENTS; i = next++) {
          let outcome = 'no_time_left';
          for (let attempt = 0; attempt < 3; attempt++) {
            const found = await call('find', { resourceType: 'Parameters', parameter: [{ name: 'organization', valueString: orgId }, { name: 'specialty', valueCode: 'family' }, patient(i)] });
            const offers = (found.json.entry ?? []).map((e: any) => e.resource.slot[0]);
            if (offers.length === 0) break;
            const held = await call('hold', { resourceType: 'Parameters', parameter: [{ name: 'slot', valueReference: offers[Math.floor(Math.random() * offers.length)] }, patient(i)] });
            if (held.status !== 201) {
              outcome = `hold:${held.json.issue?.[0]?.details?.coding?.[0]?.code}`;
              // No alternatives is right only when nothing is left: a $find straight after must come back empty too.
              if (!held.json.issue?.some((x: any) => x.code === 'informational')) {
                const again = await call('find', { resourceType: 'Parameters', parameter: [{ name: 'organization', valueString: orgId }, { name: 'specialty', valueCode: 'family' }, patient(i)] });
                if ((again.json.entry ?? []).length > 0) refusalsWithoutAlternatives++;
              }
              continue;
            }
            const booked = await call('book', { resourceType: 'Parameters', parameter: [{ name: 'appointment', resource: { resourceType: 'Appointment', id: held.json.id } }, patient(i)] });
            outcome = booked.status === 201 ? 'booked' : `book:${booked.json.issue?.[0]?.details?.coding?.[0]?.code}`;
            break;
          }
          count(outcome);
        }
      }),
    );
    return (performance.now() - t0) / 1000;
  };
  try {
    const before = await baseline.round(500);
    const seconds = await rush();
    const after = await baseline.round(500);
    const base = Math.max(before, after) > 0 ? [before, after].sort((a, b) => a - b)[0]! : 1;
    const booked = tally.get('booked') ?? 0;
    const perSecond = booked / seconds;
    // Correctness, as the database holds it.
    const q = async (text: ReturnType<typeof sql>) => ((await database.db.execute(text)) as unknown as { rows: Array<Record<string, unknown>> }).rows;
    const doubled = await q(sql`SELECT slot_id FROM appointments WHERE org_id = ${orgId} AND sync_state = 'confirmed' AND status = 'booked' GROUP BY slot_id HAVING count(*) > 1`);
    const offShare = await q(sql`SELECT a.slot_id FROM appointments a WHERE a.org_id = ${orgId} AND split_part(split_part(a.slot_id, 'T', 2), ':', 1)::int NOT IN (13, 14)`);
    const twice = await q(sql`SELECT c.row->>'patientId' AS p FROM appointments a JOIN change_log c ON c.org_id = a.org_id AND c.seq = a.server_seq
      WHERE a.org_id = ${orgId} AND a.status = 'booked' GROUP BY c.row->>'patientId', c.row->>'date' HAVING count(*) > 1`);
    log(
      `portal_rush (${processes} server process${processes > 1 ? 'es' : ''}): ${booked} of ${PATIENTS} patients booked in ${seconds.toFixed(1)} s = ${perSecond.toFixed(0)} bookings/s ` +
        `(${(perSecond / base).toFixed(2)}× the INSERT baseline ${base.toFixed(0)}/s); outcomes ${JSON.stringify(Object.fromEntries(tally))}; ` +
        `double-booked ${doubled.length}, outside the internet share ${offShare.length}, R11 exceeded ${twice.length}, refusals without alternatives while times were left ${refusalsWithoutAlternatives}`,
    );
    if (doubled.length || offShare.length || twice.length) throw new Error('portal_rush broke a guarantee');
    const suffix = processes === 1 ? '' : '_2_processes';
    return [
      ...(['find', 'hold', 'book'] as const).map((s) => summarize(`portal_rush${suffix}_${s}`, latency[s])),
      { ...summarize(`portal_rush${suffix}`, latency.book), ops_per_s: Math.round(perSecond), ratio_to_baseline: Number((perSecond / base).toFixed(2)) },
    ];
  } finally {
    await baseline.close();
    await agent.close();
    for (const s of servers) await s.kill();
  }
}
