import pg from 'pg';

/**
 * "A sync server is serving this database", as PostgreSQL itself knows it: every serving process holds a shared
 * advisory lock on a connection of its own for as long as it runs (a crash drops the connection, and the lock with
 * it); a restore takes the same lock exclusively, so it is refused while any server — on this machine or another —
 * serves the database, and a server starting meanwhile waits for the restore to end (issue 24 finding 6).
 */
const SERVING = 727_275;

export interface Presence {
  /** Resolves once the lock is first held (a restore in progress holds it back until it ends). */
  ready: Promise<void>;
  end(): Promise<void>;
}

/** Hold the serving lock while this process runs; after a lost connection (a database restart) take it again. */
export function holdServingLock(databaseUrl: string, onError: (e: Error) => void = () => undefined): Presence {
  let client: pg.Client | null = null;
  let ended = false;
  let retry: NodeJS.Timeout | null = null;
  let held: () => void = () => undefined;
  const ready = new Promise<void>((r) => {
    held = r;
  });
  const open = async (): Promise<void> => {
    if (ended) return;
    const c = new pg.Client({ connectionString: databaseUrl, application_name: 'kezek-sync-server' });
    c.on('error', (e) => {
      onError(e);
      again();
    });
    try {
      await c.connect();
      await c.query('SELECT pg_advisory_lock_shared($1)', [SERVING]);
      client = c;
      held();
      if (ended) await c.end().catch(() => undefined);
    } catch (e) {
      onError(e as Error);
      await c.end().catch(() => undefined);
      again();
    }
  };
  const again = () => {
    client = null;
    if (ended || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void open();
    }, 2000);
    retry.unref();
  };
  void open();
  return {
    ready,
    async end() {
      ended = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

/**
 * Run `work` only while no sync server serves the database, holding it against servers starting meanwhile.
 * Throws, naming where the servers connect from, when one does.
 */
export async function whileNoServer<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl, application_name: 'kezek-restore' });
  await c.connect();
  try {
    const { rows } = await c.query<{ free: boolean }>('SELECT pg_try_advisory_lock($1) AS free', [SERVING]);
    if (!rows[0]!.free) {
      const who = await c.query<{ at: string }>(
        "SELECT DISTINCT coalesce(client_addr::text, 'this machine') AS at FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'kezek-sync-server'",
      );
      throw new Error(`a sync server is serving this database (from ${who.rows.map((r) => r.at).join(', ') || 'somewhere'}): stop every server process, then restore`);
    }
    return await work();
  } finally {
    await c.end().catch(() => undefined);
  }
}
