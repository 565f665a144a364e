import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDesk, type Desk } from '../../src-main/desk.js';
import type { ClinicSize } from '../../src-main/seed/demo-clinic.js';
import type { Input, Method, Output } from '../../src-shared/rpc/contract.js';
import type { RpcErrorBody } from '../../src-shared/rpc/errors.js';
import type { Lang } from '../../src-shared/domain/enums.js';

/** Monday 2026-11-23, 09:00 in Bishkek. */
export const MONDAY_9AM = Date.parse('2026-11-23T03:00:00Z');
export const SMALL_CLINIC: ClinicSize = { seed: 7, doctors: 20, patients: 400, historyDays: 10 };

export class RpcFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: RpcErrorBody,
  ) {
    super(`${status} ${body.code}: ${body.message}`);
  }
}

/** A real desk on a real SQLite file in a temp directory, with a clock the test moves. */
export class TestDesk {
  now = MONDAY_9AM;
  desk!: Desk;
  token = '';
  readonly dir: string;

  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'kezek-test-'));
  }

  static async start(username = 'registrar', clinic = SMALL_CLINIC): Promise<TestDesk> {
    const t = new TestDesk();
    await t.open(clinic);
    await t.signIn(username);
    return t;
  }

  /** A folder standing in for /dev: printer "devices" here are named pipes (see printing.test.ts). */
  get devDir(): string {
    return join(this.dir, 'dev');
  }

  async open(clinic = SMALL_CLINIC): Promise<void> {
    this.desk = await openDesk({ dataDir: this.dir, clock: () => this.now, demo: clinic, printerDeviceRoots: ['/dev', this.devDir] });
  }

  /** Move the clock; sessions expire after a working day, so sign in again as a registrar would. */
  async travel(to: number, username = 'registrar'): Promise<void> {
    this.now = to;
    await this.signIn(username);
  }

  async signIn(username: string): Promise<void> {
    this.token = (await this.call('auth.signIn', { username, password: 'kezek' })).token;
  }

  async call<M extends Method>(method: M, input: Input<M>, lang?: Lang): Promise<Output<M>> {
    const r = await this.desk.router.call(method, input, { token: this.token, lang });
    if (!r.ok) throw new RpcFailure(r.status, r.error);
    return r.data as Output<M>;
  }

  /** Call expecting a failure; returns it. */
  async fail(method: string, input: unknown): Promise<{ status: number; error: RpcErrorBody }> {
    const r = await this.desk.router.call(method, input, { token: this.token });
    if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
    return r;
  }

  count(table: string, where = '1'): number {
    return (this.desk.env.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
  }

  /** Row counts of every table a write touches: equal before and after = nothing was written. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(
      ['appointments', 'register_entries', 'audit', 'outbox', 'referrals WHERE used_by_appointment_id IS NOT NULL', 'slots WHERE appointment_id IS NOT NULL'].map((t) => [
        t,
        (this.desk.env.db.sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
      ]),
    );
  }

  async close(remove = true): Promise<void> {
    await this.desk.close();
    if (remove) for (const f of [this.dir, `${this.dir}.ticket-mark`]) rmSync(f, { recursive: true, force: true });
  }
}
