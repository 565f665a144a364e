import type { Actor } from '../../src-main/services/env.js';
import { getRequestListener } from '@hono/node-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDesk, type Desk } from '../../src-main/desk.js';
import { listen, type RunningServer } from '../../src-main/rpc/http.js';
import { exportDirectory } from '../../src-main/sync/export-directory.js';
import type { FetchFn } from '../../src-main/sync/server-client.js';
import type { Input, Method, Output } from '../../src-shared/rpc/contract.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { connect, type Database } from '../../sync-server/db/connect.js';
import { importDirectory, parseDirectoryFile } from '../../sync-server/directory/import.js';
import { createServerApp } from '../../sync-server/http/app.js';
import { silentLogger } from '../../sync-server/log.js';
import { DirectoryCache } from '../../sync-server/rules/directory-cache.js';
import { offerNotice } from '../../sync-server/waiting/notice.js';
import { WaitingList } from '../../sync-server/waiting/worker.js';
import { MONDAY_9AM, TestDesk } from './desk.js';

export const ORG = 'org-bishkek-lenin';

export interface EnrolledDesk {
  desk: Desk;
  dir: string;
  progress: Array<[number, number | null]>;
  call<M extends Method>(m: M, i: Input<M>): Promise<Output<M>>;
}

/**
 * The small demo clinic loaded into a real sync server (PGlite, real HTTP on a fixed
 * port so it can go down and come back), and desks enrolled with it whose replicas
 * come only from the server.
 */
export class ClinicServer {
  source!: TestDesk;
  database!: Database;
  server: RunningServer | null = null;
  private port = 0;
  private readonly dirs: string[] = [];
  /** Where this server keeps published desk releases (the update feed). */
  readonly releasesDir = mkdtempSync(join(tmpdir(), 'kezek-releases-'));

  constructor(
    readonly now: () => number = () => MONDAY_9AM,
    /** A real PostgreSQL database instead of the embedded one. */
    private databaseUrl?: string,
  ) {}

  async start(): Promise<this> {
    this.source = await TestDesk.start();
    this.database = await connect({ databaseUrl: this.databaseUrl });
    await importDirectory(this.database.db, parseDirectoryFile(JSON.parse(JSON.stringify(exportDirectory(this.source.desk.env)))), MONDAY_9AM);
    await this.up();
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The waiting list's passes of this server (no timer: a test runs `sweep()` when the clock has moved). */
  waiting!: WaitingList;

  async up(): Promise<void> {
    this.waiting = new WaitingList(this.database.db, new DirectoryCache(), this.now, offerNotice(false), silentLogger, () => undefined);
    this.server = await listen(
      getRequestListener(createServerApp({ database: this.database, clock: this.now, log: silentLogger, releasesDir: this.releasesDir, waitingList: this.waiting }).fetch),
      this.port,
    );
    this.port = Number(new URL(this.server.url).port);
  }

  async down(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }

  /** The server stopped, its database closed, `whileClosed` done (a backup, a restore), and the server up again on `databaseUrl`. */
  async restartOn(databaseUrl: string, whileClosed: () => Promise<void> = async () => undefined): Promise<void> {
    await this.down();
    await this.database.close();
    await whileClosed();
    this.databaseUrl = databaseUrl;
    this.database = await connect({ databaseUrl });
    await this.up();
  }

  newDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'kezek-desk-'));
    this.dirs.push(dir);
    return dir;
  }

  /** A new desk enrolled with the server (registrar signed in with `desk-pass`). */
  async enrolledDesk(name: string, fetchFn?: FetchFn): Promise<EnrolledDesk> {
    const dir = this.newDir();
    const code = await createEnrollmentCode(this.database.db, ORG, MONDAY_9AM);
    const progress: Array<[number, number | null]> = [];
    const desk = await openDesk({
      dataDir: dir,
      clock: this.now,
      autoSync: false,
      fetchFn,
      enroll: { serverUrl: this.url, code, deviceName: name, password: 'desk-pass' },
      onBootstrapProgress: (d, t) => progress.push([d, t]),
    });
    return { ...(await signedIn(desk)), dir, progress };
  }

  /** An enrolled desk's data directory opened again (after a restart, or a restore). */
  async reopen(dir: string): Promise<EnrolledDesk> {
    const desk = await openDesk({ dataDir: dir, clock: this.now, autoSync: false });
    return { ...(await signedIn(desk)), dir, progress: [] };
  }

  async stop(): Promise<void> {
    await this.down();
    await this.database.close();
    await this.source.close();
    for (const d of this.dirs) for (const f of [d, `${d}.ticket-mark`]) rmSync(f, { recursive: true, force: true });
    rmSync(this.releasesDir, { recursive: true, force: true });
  }
}

/** A caller signed in at the desk as `username` (the clinic's accounts share the installer's password `desk-pass`). */
export async function signedIn(desk: Desk, username = 'registrar'): Promise<{ desk: Desk; call: EnrolledDesk['call'] }> {
  const signIn = await desk.router.call('auth.signIn', { username, password: 'desk-pass' }, {});
  if (!signIn.ok) throw new Error('sign-in failed');
  const token = (signIn.data as { token: string }).token;
  return {
    desk,
    async call(m, i) {
      const r = await desk.router.call(m, i, { token });
      if (!r.ok) throw new Error(`${m}: ${r.error.code}`);
      return r.data as never;
    },
  };
}

/** The actor `username` is at this desk once signed in — their role and their signing key — for a test that journals an op itself. */
export async function actorAt(desk: Desk, username = 'registrar', password = 'desk-pass'): Promise<Actor> {
  const { token } = await desk.sessions.signIn(username, password, 'ru');
  const s = desk.sessions.get(token)!;
  return { userId: s.user.id, role: s.user.role, doctorId: s.user.doctorId, key: s.key };
}
