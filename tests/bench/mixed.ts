import type { Slot } from '../../src-shared/domain/appointment.js';
import type { Database } from '../../sync-server/db/connect.js';
import { importDirectory, parseDirectoryFile } from '../../sync-server/directory/import.js';
import { bookingArgs, registrySlots, smallClinic } from './clinic-file.js';
import { PgInsertBaseline } from './pg-baseline.js';
import { summarize, type BenchResult } from './stats.js';

/**
 * sync_push_mixed_one_clinic (issue 19 finding 5): the general path as one clinic's day has it. 8 desks of
 * one clinic, its lock contended, rules on, each pushing in batches of 50: bookings of its own times,
 * bookings another desk makes of the same times (conflicts: a call task with alternatives), referral
 * bookings of a cardiologist (R5, the referral spent), today's bookings and their check-ins (R12 computed),
 * cancellations and moves (one op each, decided whole). Rounds alternate with a same-run baseline of
 * one-row INSERT commits from as many connections as the server's pool; medians of rounds (noisy box).
 */
type Device = { token: string; deviceId: string };
type Push = (token: string, ops: unknown[]) => Promise<{ ms: number; confirmed: number; results: Array<{ status: string; detail: string }> }>;

const NOW = Date.parse('2026-11-23T03:00:00Z');
const HLC = `${NOW}-00000-bench`;
const DAYS = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
const DESKS = 8;
const BATCH = 50;
const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One desk's ops for the round, in its sequence order, and how many of each kind. */
function deskOps(orgId: string, d: number, own: Slot[], contested: Slot[], cardiology: Slot[], today: Slot[], spare: Slot[]) {
  const ops: Array<{ name: string; args: unknown }> = [];
  const patient = (k: number) => (d * 40 + k) % 300;
  const bookArgs = (slot: Slot, p: number, id: string) => bookingArgs(orgId, slot, `${orgId}-p-${p}`, id, `D${d}`, NOW);
  for (const [k, slot] of own.entries()) ops.push({ name: 'appointments.book', args: bookArgs(slot, patient(k), `${orgId}-a-${d}-${k}`) });
  // The same times as the neighbouring desk: whichever reaches the server second loses, with a call task.
  for (const [k, slot] of contested.entries()) ops.push({ name: 'appointments.book', args: bookArgs(slot, patient(20 + k), `${orgId}-c-${d}-${k}`) });
  cardiology.forEach((slot, k) => {
    const b = bookArgs(slot, patient(30 + k), `${orgId}-r-${d}-${k}`);
    ops.push({ name: 'appointments.book', args: { ...b, appointment: { ...b.appointment, referralId: `${orgId}-ref-${patient(30 + k)}` } } });
  });
  for (const [k, slot] of today.entries()) ops.push({ name: 'appointments.book', args: bookArgs(slot, patient(35 + k), `${orgId}-t-${d}-${k}`) });
  for (const k of today.keys()) ops.push({ name: 'appointments.checkIn', args: { appointmentId: `${orgId}-t-${d}-${k}`, liveQueue: false } });
  for (let k = 0; k < 5; k++) ops.push({ name: 'appointments.cancel', args: { appointmentId: `${orgId}-a-${d}-${k}`, channel: 'registry' } });
  spare.forEach((slot, k) => {
    const from = `${orgId}-a-${d}-${5 + k}`;
    const b = bookArgs(slot, patient(5 + k), `${orgId}-m-${d}-${k}`);
    ops.push({ name: 'appointments.move', args: { appointmentId: from, ...b, appointment: { ...b.appointment, replacesId: from } } });
  });
  return ops.map((o, k) => ({ seq: k + 1, opId: `${orgId}-${d}-op-${k}`, hlc: HLC, ...o }));
}

export async function pushMixedOneClinic(database: Database, url: string, enroll: (org: string, name: string) => Promise<Device>, push: Push, log: (m: string) => void): Promise<BenchResult[]> {
  const baseline = await PgInsertBaseline.open(url, 'bench_mixed_baseline');
  const baseLatency = baseline.latency;
  const baselineRound = () => baseline.round(500);
  const latency: number[] = [];
  const tally = new Map<string, number>();
  const pushRound = async (round: number): Promise<number> => {
    const orgId = `bench-mixed-${round}`;
    const file = smallClinic(orgId, 20, 300, { cardiologists: 2 });
    await importDirectory(database.db, parseDirectoryFile(file), NOW);
    const family = registrySlots(file, DAYS);
    const cardiology = registrySlots(file, DAYS, 'narrow');
    const today = registrySlots(file, ['2026-11-23']).filter((s) => s.startUtc > NOW);
    const work: Array<{ device: Device; ops: unknown[] }> = [];
    for (let d = 0; d < DESKS; d++) {
      const device = await enroll(orgId, `desk ${d}`);
      const own = family.slice(d * 50, d * 50 + 30);
      const spare = family.slice(d * 50 + 30, d * 50 + 35);
      // Desks 0 and 1 fight over the same ten times, 2 and 3 over another ten, and so on.
      const contested = family.slice(1000 + Math.floor(d / 2) * 10, 1000 + Math.floor(d / 2) * 10 + 10);
      work.push({ device, ops: deskOps(orgId, d, own, contested, cardiology.slice(d * 5, d * 5 + 5), today.slice(d * 5, d * 5 + 5), spare) });
    }
    const t0 = performance.now();
    let total = 0;
    await Promise.all(
      work.map(async ({ device, ops }) => {
        for (let b = 0; b < ops.length; b += BATCH) {
          const r = await push(device.token, ops.slice(b, b + BATCH));
          total += r.results.length;
          if (round > 0) latency.push(r.ms);
          for (const x of r.results) tally.set(`${x.status}:${x.detail.split(':')[0]}`, (tally.get(`${x.status}:${x.detail.split(':')[0]}`) ?? 0) + 1);
        }
      }),
    );
    return total / ((performance.now() - t0) / 1000);
  };
  const baseRates: number[] = [];
  const rates: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const [b, p] = [await baselineRound(), await pushRound(round)];
    if (round === 0) baseLatency.length = 0;
    else {
      baseRates.push(b);
      rates.push(p);
    }
  }
  await baseline.close();
  // The benchmark measures what it says only if the mix happened: conflicts lost, referral bookings, check-ins, cancels and moves applied.
  const seen = Object.fromEntries(tally);
  log(`mixed push rounds (ops/s): baseline ${baseRates.map(Math.round).join(', ')}; one clinic, 8 desks ${rates.map(Math.round).join(', ')}; results ${JSON.stringify(seen)}`);
  for (const k of ['conflict:slot_taken', 'applied:arrived', 'applied:cancelled', 'applied:moved', 'applied:confirmed']) if (!seen[k]) throw new Error(`the mixed push never gave ${k}`);
  if (Object.keys(seen).some((k) => k.startsWith('rejected') || k.startsWith('quarantined'))) throw new Error(`the mixed push had refusals it should not: ${JSON.stringify(seen)}`);
  const baseRate = median(baseRates);
  const rate = median(rates);
  return [
    { ...summarize('baseline_pg_insert_commit_pool_mixed_run', baseLatency), ops_per_s: Math.round(baseRate) },
    { ...summarize('sync_push_mixed_one_clinic', latency), ops_per_s: Math.round(rate), ratio_to_baseline: Math.round((rate / baseRate) * 100) / 100 },
  ];
}
