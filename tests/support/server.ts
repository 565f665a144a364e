import { getRequestListener } from '@hono/node-server';
import type { Database } from '../../sync-server/db/connect.js';
import { connect } from '../../sync-server/db/connect.js';
import { createServerApp } from '../../sync-server/http/app.js';
import type { PageMessages } from '../../sync-server/patient/routes.js';
import { silentLogger, type Logger } from '../../sync-server/log.js';
import { listen, type RunningServer } from '../../src-main/rpc/http.js';
import { startPostgres, type Postgres } from './postgres.js';

export type Backend = 'pglite' | 'postgres';

/** Both server databases the tests run on; PostgreSQL is started once per test file. */
export class Backends {
  private pg: Postgres | null | undefined;

  async database(kind: Backend): Promise<Database> {
    if (kind === 'pglite') return connect({});
    this.pg ??= await startPostgres();
    if (!this.pg) throw new Error('PostgreSQL is not installed here');
    return connect({ databaseUrl: await this.pg.createDatabase() });
  }

  async available(kind: Backend): Promise<boolean> {
    if (kind === 'pglite') return true;
    this.pg ??= await startPostgres();
    return this.pg !== null;
  }

  stop(): void {
    this.pg?.stop();
  }
}

/** A real sync server over real HTTP on 127.0.0.1. */
export async function startServer(database: Database, opts: { clock?: () => number; log?: Logger; messages?: PageMessages } = {}): Promise<RunningServer> {
  const app = createServerApp({ database, clock: opts.clock ?? Date.now, log: opts.log ?? silentLogger, ...(opts.messages ? { messages: opts.messages } : {}) });
  return listen(getRequestListener(app.fetch), 0);
}
