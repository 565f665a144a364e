import { nightlyBackup } from '../db/backup-schedule.js';
import { restoreDesk } from '../db/backup.js';
import { parseStartOptions } from './options.js';

/**
 * `npm run backup -- [--data-dir DIR] [FILE]`: a copy of the desk's database, taken while it runs.
 * `npm run restore -- [--data-dir DIR] FILE`: put one back (the desk must be stopped).
 * (The installed desk: `Kezek.exe --backup [FILE]`, `Kezek.exe --restore FILE`.)
 */
async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const file = rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--data-dir')[0];
  const opts = parseStartOptions(rest.filter((a) => a !== file));
  if (command === 'backup') {
    const r = await nightlyBackup(opts.dataDir, file ?? null, Date.now());
    console.log(`backup of ${opts.dataDir} written to ${r.file} (${r.pages} pages)${r.removed.length ? `; ${r.removed.length} older backups removed` : ''}`);
  } else if (command === 'restore' && file) {
    const { keptAs } = restoreDesk(opts.dataDir, file);
    console.log(`restored ${file} into ${opts.dataDir}${keptAs ? `; the database it replaced is kept as ${keptAs}` : ''}. Start Kezek: it catches up with the server by itself.`);
  } else {
    throw new Error('usage: npm run backup -- [--data-dir DIR] [FILE] | npm run restore -- [--data-dir DIR] FILE');
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
