import { sql } from 'drizzle-orm';
import { connect } from '../../sync-server/db/connect.js';
import { startPostgres } from '../support/postgres.js';
import { portalRush } from './portal.js';

/** `npx tsx tests/bench/portal-only.ts [1|2]`: portal_rush alone, for working on the booking API's speed. */
const processes = process.argv[2] === '2' ? 2 : 1;
const cluster = await startPostgres();
if (!cluster) throw new Error('PostgreSQL 15 binaries needed');
try {
  const url = await cluster.createDatabase();
  const database = await connect({ databaseUrl: url });
  if (process.env.KEZEK_PG_EXTRA) await database.db.execute(sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
  for (const r of await portalRush(database, url, processes, (m) => console.log(m))) console.log(JSON.stringify(r));
  if (process.env.KEZEK_PG_EXTRA) {
    const top = (await database.db.execute(
      sql`SELECT calls, round(total_exec_time) AS ms, round(mean_exec_time::numeric, 3) AS mean, left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS q FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
    )) as unknown as { rows: unknown[] };
    for (const r of top.rows) console.log(JSON.stringify(r));
  }
  await database.close();
} finally {
  cluster.stop();
}
