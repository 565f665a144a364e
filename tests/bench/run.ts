/**
 * `npm run bench`: desk hot paths on the large generated clinic (150 doctors,
 * 70,000 attached patients, a year of history), each beside a baseline measured
 * in the same run on the same SQLite file, then the sync benchmarks on a real
 * PostgreSQL (sync.ts; without PostgreSQL the run fails — `-- --desk-only` skips
 * them on purpose). The last line printed is the JSON.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDesk } from '../../src-main/desk.js';
import { LARGE_CLINIC } from '../../src-main/seed/demo-clinic.js';
import { measure, summarize, type BenchResult } from './stats.js';
import { ticketFor } from '../../src-main/services/tickets.js';
import { findPrinterProfile } from '../../src-shared/print/profiles.js';
import { ticketLines } from '../../src-shared/print/ticket-layout.js';
import { renderTicket } from '../../src-main/print/render-ticket.js';
import { encodeText } from '../../src-main/print/encoding.js';
import { exportDirectory } from '../../src-main/sync/export-directory.js';
import { syncBenchmarks } from './sync.js';
import { hallBenchmark } from './hall.js';

const NOW = Date.parse('2026-11-23T03:00:00Z'); // Monday 09:00 in Bishkek
const log = (msg: string) => process.stderr.write(`${msg}\n`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kezek-bench-'));
  const t0 = performance.now();
  const desk = await openDesk({ dataDir: dir, clock: () => NOW, demo: LARGE_CLINIC });
  const s = desk.env.db.sqlite;
  const count = (sql: string) => (s.prepare(sql).get() as { n: number }).n;
  log(
    `built the large clinic in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${count('SELECT count(*) AS n FROM doctors')} doctors, ` +
      `${count('SELECT count(*) AS n FROM patients')} patients, ${count('SELECT count(*) AS n FROM appointments')} appointments, ${count('SELECT count(*) AS n FROM slots')} slots`,
  );

  const signIn = await desk.router.call('auth.signIn', { username: 'registrar', password: 'kezek' }, {});
  if (!signIn.ok) throw new Error('sign-in failed');
  const token = (signIn.data as { token: string }).token;
  const rpc = async (method: string, input: unknown) => {
    const r = await desk.router.call(method, input, { token });
    if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
    return r.data;
  };
  const results: BenchResult[] = [];

  // Baseline: the cheapest durable write this file can do — a one-row INSERT in its own commit (same pragmas: WAL, synchronous=FULL).
  s.exec('CREATE TABLE IF NOT EXISTS bench_baseline (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const ins = s.prepare('INSERT INTO bench_baseline (v) VALUES (?)');
  results.push(summarize('baseline_insert_commit', await measure(1000, (i) => ins.run(`row ${i}`))));
  // Baseline for reads: one primary-key lookup.
  const pk = s.prepare('SELECT * FROM patients WHERE id = ?');
  results.push(summarize('baseline_pk_select', await measure(2000, (i) => pk.get(`pat-${String(((Math.abs(i) * 7919) % 70000) + 1).padStart(6, '0')}`))));

  // Lookup by PIN through the full RPC path (validation in and out).
  const pins = (s.prepare('SELECT national_id AS pin FROM patients ORDER BY random() LIMIT 2000').all() as Array<{ pin: string }>).map((r) => r.pin);
  results.push(summarize('lookup_pin', await measure(2000, (i) => rpc('patients.find', { query: pins[Math.abs(i) % pins.length]! }))));
  // Surname search as registrars type it: the two-letter prefixes with the most patients (hundreds each), counted and paged.
  const prefixes = (s.prepare('SELECT substr(name_key, 1, 2) AS p FROM patients GROUP BY p ORDER BY count(*) DESC LIMIT 20').all() as Array<{ p: string }>).map((r) => r.p);
  results.push(summarize('lookup_name_prefix_counted', await measure(500, (i) => rpc('patients.find', { query: prefixes[Math.abs(i) % prefixes.length]! }))));

  // Free-slot search: one specialty over the whole horizon (doctor-day counts, R25), and the per-specialty counts.
  const patients = (s.prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY random() LIMIT 3000").all() as Array<{ id: string }>).map((r) => r.id);
  results.push(summarize('search_specialty_horizon', await measure(500, (i) => rpc('slots.search', { specialtyId: 'family', patientId: patients[Math.abs(i) % patients.length]! }))));
  results.push(summarize('search_specialty_counts', await measure(200, (i) => rpc('slots.search', { patientId: patients[Math.abs(i) % patients.length]! }))));

  // Booking: each a durable transaction with the appointment, slot hold, register, audit and outbox rows.
  const free = (
    s
      .prepare(
        "SELECT id FROM slots WHERE appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND start_utc > ? AND specialty_id IN ('family', 'therapy', 'pediatrics') ORDER BY random() LIMIT 600",
      )
      .all(NOW) as Array<{ id: string }>
  ).map((r) => r.id);
  let k = 0;
  // A desk not enrolled with any server: no lease to check, nothing to settle online (book_enrolled_online, in sync.ts, is the other case).
  results.push(summarize('book_standalone', await measure(500, () => rpc('appointments.book', { patientId: patients[k]!, slotId: free[k++]! }))));

  // Ticket rendering (issue 4): text mode (Kyrgyz on an Epson with KZ-1048) and raster mode (the same ticket
  // on an Xprinter, which lacks the letters, so the text is drawn with the bundled font), beside a same-run
  // baseline of encoding the ticket's text alone.
  const ticket = ticketFor(desk.env, (s.prepare("SELECT id FROM appointments WHERE status = 'booked' LIMIT 1").get() as { id: string }).id);
  const opts = { lang: 'ky' as const, copy: false, tentative: false };
  const epson = findPrinterProfile('epson-80')!;
  const xprinter = findPrinterProfile('xprinter-58')!;
  const text = ticketLines(ticket, opts, 48, '23.11.2026 09:00')
    .map((l) => l.text)
    .join('\n');
  results.push(summarize('baseline_ticket_text_encode', await measure(300, () => encodeText(text, 'rk1048'))));
  results.push(summarize('ticket_render_text', await measure(300, () => renderTicket(ticket, opts, epson, '23.11.2026 09:00'))));
  results.push(summarize('ticket_render_raster', await measure(100, () => renderTicket(ticket, opts, xprinter, '23.11.2026 09:00'))));

  // The hall's screen (issue 21): a cabinet PC's call to the number drawn in Chromium, over the LAN with the internet down.
  results.push(...(await hallBenchmark(log)));

  const largeDirectory = () => exportDirectory(desk.env);
  if (process.argv.includes('--desk-only')) log('sync benchmarks skipped (--desk-only)');
  else results.push(...(await syncBenchmarks(largeDirectory, log)));

  await desk.close();
  rmSync(dir, { recursive: true, force: true });
  const push = results.find((r) => r.name === 'sync_push_8_clinics_64_desks');
  if (push?.ratio_to_baseline) log(`sync push (8 clinics, 64 desks) = ${push.ratio_to_baseline.toFixed(2)}× the same-run one-row INSERT commit baseline (as many clients as the server's pool)`);
  const ratio = (a: string, b: string) => {
    const x = results.find((r) => r.name === a)!;
    const y = results.find((r) => r.name === b)!;
    return (x.p50_ms / y.p50_ms).toFixed(1);
  };
  log(`book_standalone p50 = ${ratio('book_standalone', 'baseline_insert_commit')}× a one-row commit; lookup p50 = ${ratio('lookup_pin', 'baseline_pk_select')}× a primary-key select`);
  const json = JSON.stringify({ results });
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/bench.json', `${json}\n`);
  for (const r of results)
    log(
      `${r.name.padEnd(36)} p50 ${r.p50_ms.toFixed(3)} ms${r.p95_ms ? `   p95 ${r.p95_ms.toFixed(3)} ms` : ''}   p99 ${r.p99_ms.toFixed(3)} ms   n=${r.n}${r.ops_per_s ? `   ${r.ops_per_s}/s` : ''}`,
    );
  console.log(json);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
