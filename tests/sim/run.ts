/**
 * `npm run sim -- --seeds N [--from S] [--desks D] [--steps K] [--jobs J] [--batch B] [--trace]`: seeded sync
 * simulations, B seeds per process (see seed-worker.ts; default 25), J processes at a time (default: one per core).
 * A failing seed is printed with its violations and replays exactly with `--from <seed> --seeds 1`;
 * `--trace` adds the story of each violated time (story.ts).
 * The last line is `sim: <seeds> seeds, <violations> violations`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDesk } from '../../src-main/desk.js';
import { exportDirectory } from '../../src-main/sync/export-directory.js';
import type { SimResult } from './simulate.js';

const { values: opt } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    from: { type: 'string', default: '1' },
    desks: { type: 'string', default: '3' },
    steps: { type: 'string', default: '120' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    batch: { type: 'string', default: '25' },
    trace: { type: 'boolean', default: false },
  },
  strict: true,
});
const num = (name: keyof typeof opt) => {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} wants a whole number, got ${String(opt[name])}`);
  return n;
};

/**
 * Run a batch of seeds in one process; resolves with the results it printed. A process that died
 * part-way (V8 aborted in PGlite's WebAssembly — SIGTRAP — no line of ours runs there) names the
 * seed it died in; the seeds after it were not run.
 */
function runBatch(seeds: number[], directoryFile: string, onResult: (r: SimResult) => void): Promise<{ results: SimResult[]; diedIn?: { seed: number; why: string } }> {
  return new Promise((resolve) => {
    const args = [directoryFile, opt.desks, opt.steps, opt.trace ? 'trace' : '-', ...seeds.map(String)];
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/sim/seed-worker.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const results: SimResult[] = [];
    // Each seed's line as it comes: a long batch shows its progress.
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines.filter((x) => x.startsWith('{'))) {
        const r = JSON.parse(l) as SimResult;
        results.push(r);
        onResult(r);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    child.on('close', (code, signal) => {
      const next = seeds[results.length];
      resolve({ results, ...(next !== undefined ? { diedIn: { seed: next, why: `${signal ?? `exit ${code}`}: ${err.slice(-1000)}` } } : {}) });
    });
  });
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const [seeds, from, jobs, batch] = [num('seeds'), num('from'), Math.max(1, num('jobs')), Math.max(1, num('batch'))];
  const dir = mkdtempSync(join(tmpdir(), 'kezek-sim-src-'));
  const source = await openDesk({ dataDir: join(dir, 'desk'), demo: { seed: 3, doctors: 20, patients: 200, historyDays: 0 }, clock: () => Date.parse('2026-11-23T03:00:00Z') });
  const directoryFile = join(dir, 'directory.json');
  writeFileSync(directoryFile, JSON.stringify(exportDirectory(source.env)));
  await source.close();
  const todo = Array.from({ length: seeds }, (_, i) => from + i);
  const results = new Map<number, SimResult>();
  const aborts = new Map<number, number>();
  let printed = from;
  let violations = 0;
  let reruns = 0;
  // Results print in seed order as they complete.
  const flush = () => {
    for (; results.has(printed); printed++) {
      const r = results.get(printed)!;
      violations += r.violations.length;
      console.log(`seed ${r.seed}: ${r.violations.length ? `FAILED — replay with: npm run sim -- --from ${r.seed} --seeds 1 --trace` : 'ok'} ${JSON.stringify(r.stats)}`);
      for (const v of r.violations) console.log(`  ${v}`);
      for (const line of r.story ?? []) console.log(`    ${line}`);
    }
  };
  // Batches small enough that every process has work until the end.
  const size = () => Math.max(1, Math.min(batch, Math.ceil(todo.length / jobs)));
  await Promise.all(
    Array.from({ length: Math.min(jobs, seeds) }, async () => {
      while (todo.length > 0) {
        const mine = todo.splice(0, size());
        const { results: done, diedIn } = await runBatch(mine, directoryFile, (r) => {
          results.set(r.seed, r);
          flush();
        });
        if (diedIn) {
          // A seed whose process died is run again, at most twice: a run of the same seed is the same run, so its verdict stands.
          const n = (aborts.get(diedIn.seed) ?? 0) + 1;
          aborts.set(diedIn.seed, n);
          const rest = mine.slice(done.length + 1);
          if (n <= 2) {
            reruns++;
            console.log(`seed ${diedIn.seed}: its process died (${diedIn.why.split('\n')[0]}); running it again`);
            todo.unshift(diedIn.seed, ...rest);
          } else {
            results.set(diedIn.seed, { seed: diedIn.seed, violations: [`the seed's process died three times: ${diedIn.why}`], stats: {} });
            todo.unshift(...rest);
          }
        }
        flush();
      }
    }),
  );
  rmSync(dir, { recursive: true, force: true });
  const secs = (Date.now() - t0) / 1000;
  console.log(
    `sim: ${seeds} seeds, ${violations} violations (${secs.toFixed(0)} s, ${((seeds / secs) * 60).toFixed(0)} seeds a minute, ${jobs} at a time${reruns ? `, ${reruns} seeds rerun after their process died` : ''})`,
  );
  process.exitCode = violations ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
