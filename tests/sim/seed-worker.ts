/**
 * One simulation seed in a process of its own (spawned by run.ts): every seed starts from a
 * fresh Node and PGlite, so any number of seeds can run (hundreds in one process once aborted
 * V8 in PGlite's WebAssembly), and a seed's failure cannot leak into the next.
 * Prints one JSON line: the seed's result.
 */
import { readFileSync } from 'node:fs';
import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';
import { simulate } from './simulate.js';

const [seed, directoryFile, desks, steps, trace] = process.argv.slice(2);
const directory = JSON.parse(readFileSync(directoryFile!, 'utf8')) as DirectoryFile;
simulate(Number(seed), { desks: Number(desks), steps: Number(steps), directory, trace: trace === 'trace' })
  .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
  .catch((e: unknown) => {
    process.stdout.write(`${JSON.stringify({ seed: Number(seed), violations: [`the run itself failed: ${String(e instanceof Error ? e.stack : e).slice(0, 2000)}`], stats: {} })}\n`);
  });
