import { writeFileSync } from 'node:fs';
import { openDesk } from '../desk.js';
import { exportDirectory } from '../sync/export-directory.js';

/** `npm run demo:directory -- [--data-dir DIR] OUT.json`: the desk's clinic as a server import file. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const i = args.indexOf('--data-dir');
  const dataDir = i >= 0 ? args[i + 1]! : 'out/demo-desk';
  const out = args.filter((a, k) => !a.startsWith('--') && k !== i + 1)[0] ?? 'out/demo-clinic.json';
  const desk = await openDesk({ dataDir });
  const file = exportDirectory(desk.env);
  writeFileSync(out, JSON.stringify(file));
  console.log(`wrote ${out}: ${file.organizations[0]!.doctors.length} doctors, ${file.organizations[0]!.patients.length} patients`);
  await desk.close();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
