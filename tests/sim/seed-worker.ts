/**
 * Simulation seeds in a process of their own (spawned by run.ts): a fresh Node and PGlite for each
 * batch, so a seed's failure cannot leak far, and an abort of V8 in PGlite's WebAssembly costs only
 * the rest of the batch (run.ts runs it again). The clinic's server database is built once per
 * process and each seed starts from a copy of it. Prints one JSON line per seed: its result.
 *
 * Arguments: <directory file> <desks> <steps> <trace|-> <seed>…
 */
import { readFileSync } from 'node:fs';
import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';
import { clinicTemplate, simulate } from './simulate.js';

const [directoryFile, desks, steps, trace, ...seeds] = process.argv.slice(2);
const directory = JSON.parse(readFileSync(directoryFile!, 'utf8')) as DirectoryFile;
const template = await clinicTemplate(directory);
for (const seed of seeds.map(Number)) {
  const r = await simulate(seed, { desks: Number(desks), steps: Number(steps), directory, template, trace: trace === 'trace' }).catch((e: unknown) => ({
    seed,
    violations: [`the run itself failed: ${String(e instanceof Error ? e.stack : e).slice(0, 2000)}`],
    stats: {},
  }));
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
