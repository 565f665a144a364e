/**
 * `npm run sim -- --seeds N [--from S] [--desks D] [--steps K]`: seeded sync simulations.
 * A failing seed is printed with its violations and replays exactly with `--from <seed> --seeds 1`.
 * The last line is `sim: <seeds> seeds, <violations> violations`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDesk } from '../../src-main/desk.js';
import { exportDirectory } from '../../src-main/sync/export-directory.js';
import { simulate } from './simulate.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};

async function main(): Promise<void> {
  const seeds = arg('seeds', 5);
  const from = arg('from', 1);
  const dir = mkdtempSync(join(tmpdir(), 'kezek-sim-src-'));
  const source = await openDesk({ dataDir: dir, demo: { seed: 3, doctors: 20, patients: 200, historyDays: 0 }, clock: () => Date.parse('2026-11-23T03:00:00Z') });
  const directory = JSON.parse(JSON.stringify(exportDirectory(source.env)));
  await source.close();
  rmSync(dir, { recursive: true, force: true });
  let violations = 0;
  for (let seed = from; seed < from + seeds; seed++) {
    const r = await simulate(seed, { desks: arg('desks', 3), steps: arg('steps', 120), directory });
    violations += r.violations.length;
    console.log(`seed ${seed}: ${r.violations.length ? `FAILED — replay with: npm run sim -- --from ${seed} --seeds 1` : 'ok'} ${JSON.stringify(r.stats)}`);
    for (const v of r.violations) console.log(`  ${v}`);
  }
  console.log(`sim: ${seeds} seeds, ${violations} violations`);
  process.exitCode = violations ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
