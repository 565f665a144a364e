import pg from 'pg';

/**
 * The sync benchmarks' same-run baseline: one-row INSERT commits into its own table, from as many
 * connections as the server's pool may hold at the database (KEZEK_DB_POOL, 10). Each round returns
 * its rate; every INSERT's own time goes into `latency`.
 */
export class PgInsertBaseline {
  readonly clients = Number(process.env.KEZEK_DB_POOL ?? 10);
  readonly latency: number[] = [];
  private readonly pool: pg.Pool;

  private constructor(
    url: string,
    private readonly table: string,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: this.clients });
  }

  static async open(url: string, table: string): Promise<PgInsertBaseline> {
    const b = new PgInsertBaseline(url, table);
    await b.pool.query(`CREATE TABLE IF NOT EXISTS ${table} (id bigserial PRIMARY KEY, v text NOT NULL)`);
    return b;
  }

  async round(perClient: number): Promise<number> {
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: this.clients }, async () => {
        const c = await this.pool.connect();
        for (let i = 0; i < perClient; i++) {
          const t1 = performance.now();
          await c.query(`INSERT INTO ${this.table} (v) VALUES ($1)`, [`row ${i}`]);
          this.latency.push(performance.now() - t1);
        }
        c.release();
      }),
    );
    return (this.clients * perClient) / ((performance.now() - t0) / 1000);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
