/**
 * `npm run sim -- --seeds N [--from S] [--desks D] [--steps K] [--jobs J] [--trace]`: seeded sync simulations,
 * each seed in a fresh process (see seed-worker.ts), J at a time (default: one per core).
 * A failing seed is printed with its violations and replays exactly with `--from <seed> --seeds 1`;
 * `--trace` adds the story of each violated time (story.ts).
 * The last line is `sim: <seeds> seeds, <violations> violations`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDesk } from '../../src-main/desk.js';
import { exportDirectory } from '../../src-main/sync/export-directory.js';
import type { SimResult } from './simulate.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};

function runSeed(seed: number, directoryFile: string, desks: number, steps: number): Promise<SimResult & { crashedBy?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/sim/seed-worker.ts', String(seed), directoryFile, String(desks), String(steps), process.argv.includes('--trace') ? 'trace' : ''], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code, signal) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as SimResult);
      } catch {
        resolve({ seed, violations: [`the seed's process died (${signal ?? `exit ${code}`}): ${err.slice(-1000)}`], stats: {}, ...(signal ? { crashedBy: signal } : {}) });
      }
    });
  });
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const seeds = arg('seeds', 5);
  const from = arg('from', 1);
  const jobs = Math.max(1, arg('jobs', availableParallelism()));
  const dir = mkdtempSync(join(tmpdir(), 'kezek-sim-src-'));
  const source = await openDesk({ dataDir: join(dir, 'desk'), demo: { seed: 3, doctors: 20, patients: 200, historyDays: 0 }, clock: () => Date.parse('2026-11-23T03:00:00Z') });
  const directoryFile = join(dir, 'directory.json');
  writeFileSync(directoryFile, JSON.stringify(exportDirectory(source.env)));
  await source.close();
  const results = new Map<number, SimResult>();
  let next = from;
  let printed = from;
  let violations = 0;
  // Results print in seed order as they complete.
  const flush = () => {
    for (; results.has(printed); printed++) {
      const r = results.get(printed)!;
      violations += r.violations.length;
      console.log(`seed ${r.seed}: ${r.violations.length ? `FAILED — replay with: npm run sim -- --from ${r.seed} --seeds 1` : 'ok'} ${JSON.stringify(r.stats)}`);
      for (const v of r.violations) console.log(`  ${v}`);
      for (const line of r.story ?? []) console.log(`    ${line}`);
    }
  };
  // A seed whose process V8 itself aborted (a rare crash in PGlite's WebAssembly, SIGTRAP — no line of ours runs there)
  // is run again, at most twice, and counted: a run of the same seed is the same run, so its verdict stands.
  let reruns = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, seeds) }, async () => {
      while (next < from + seeds) {
        const seed = next++;
        let r = await runSeed(seed, directoryFile, arg('desks', 3), arg('steps', 120));
        for (let again = 0; again < 2 && r.crashedBy; again++) {
          reruns++;
          console.log(`seed ${seed}: its process was killed by ${r.crashedBy}; running it again`);
          r = await runSeed(seed, directoryFile, arg('desks', 3), arg('steps', 120));
        }
        results.set(seed, r);
        flush();
      }
    }),
  );
  rmSync(dir, { recursive: true, force: true });
  console.log(`sim: ${seeds} seeds, ${violations} violations (${((Date.now() - t0) / 1000).toFixed(0)} s, ${jobs} at a time${reruns ? `, ${reruns} seeds rerun after V8 aborted their process` : ''})`);
  process.exitCode = violations ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
