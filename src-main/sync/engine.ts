import { hostname } from 'node:os';
import { type DeskReport, FIRST_SIGNED_SCHEMA_VERSION, type OpResult, type PullResponse, type PushOp } from '../../src-shared/sync/protocol.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { isTicketPrefix } from '../../src-shared/print/ticket-prefix.js';
import { adoptTicketPrefix } from '../services/ticket-codes.js';
import { applyChanges, type Applied } from './apply.js';
import { type ServerClient, SyncError } from './server-client.js';
import { meta, setMeta, startOver } from './meta.js';
import { reenroll } from './enrollment.js';

/**
 * How much one sync step does at once. Each push answer and each pulled page is applied in one
 * transaction on the desk's main thread, which the window waits on: small steps keep every stall
 * short (the benchmark's longest block), at the cost of a few more round trips.
 */
const PUSH_BATCH = 50;
// 500 changes applied at once held the desk 64 ms in the catch-up benchmark: over the 50 ms a window may wait (issue 12).
const PULL_PAGE = 200;

export interface SyncStatus {
  enrolled: boolean;
  online: boolean;
  pending: number;
  conflicts: number;
  openTasks: number;
  lastSyncAt: number | null;
  lastError: string | null;
  /** Server time minus this desk's clock, from the last answer (a wrong desk clock shows here). */
  clockOffsetMs: number | null;
  /** How long ago the server last imported the attached-patient register (shown on the desk). */
  registerAgeMs: number | null;
}

/** How often an online desk renews its leases (they live a day; see the policy profile). */
const LEASE_RENEW_MS = 10 * 60_000;

/**
 * A desk restored from a backup numbers its new ops from where the backup stood, but the server
 * has already used those numbers for the ops this desk made after the backup (it pulls those
 * back as the server's rows). Its pending ops from `from` on move, in order, past both the
 * server's position and every number this outbox holds; nothing is dropped.
 */
export function renumberPending(db: Db, from: number, serverLast: number): number {
  const s = db.sqlite;
  const pending = stmt(s, "SELECT seq FROM outbox WHERE status = 'pending' AND seq >= ? ORDER BY seq").all(from) as Array<{ seq: number }>;
  const { top } = stmt(s, 'SELECT coalesce(max(seq), 0) AS top FROM outbox').get() as { top: number };
  let next = Math.max(top, serverLast);
  for (const { seq } of pending) stmt(s, 'UPDATE outbox SET seq = ? WHERE seq = ?').run(++next, seq);
  // AUTOINCREMENT remembers the largest number ever used: new ops follow the renumbered ones.
  stmt(s, "UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox' AND seq < ?").run(next, next);
  return pending.length;
}

/**
 * The server's answer to one of our ops (by number and op id: a result is only ever this op's). A booking
 * that lost is marked so at once. A rejected op did not happen: its register-of-requests row (a cancellation
 * the server refused, say) goes too, so this desk's register says what the organization's says.
 */
function settle(db: Db, r: OpResult): void {
  const op = stmt(db.sqlite, "UPDATE outbox SET status = ?, detail = ? WHERE seq = ? AND op_id = ? AND status = 'pending' RETURNING name, args, entity_id AS entityId").get(
    r.status,
    r.detail,
    r.seq,
    r.opId,
  ) as { name: string; args: string; entityId: string | null } | undefined;
  if (!op) return;
  if (r.status === 'conflict') {
    // The lost booking: a booking's own; for a move the server could not make, the new one (the old comes back with the pull).
    const lost = op.name === 'appointments.book' ? op.entityId : op.name === 'appointments.move' ? (JSON.parse(op.args) as { appointment?: { id?: unknown } }).appointment?.id : null;
    if (typeof lost === 'string') stmt(db.sqlite, "UPDATE appointments SET sync_state = 'conflict' WHERE id = ?").run(lost);
  }
  if (r.status !== 'rejected') return;
  const registerId = (JSON.parse(op.args) as { register?: { id?: unknown } }).register?.id;
  if (typeof registerId === 'string') stmt(db.sqlite, 'DELETE FROM register_entries WHERE id = ?').run(registerId);
}

/** How often a desk tells the server its state (uploads waiting, printer…): the console's figures are at most this old. */
const REPORT_EVERY_MS = 60_000;

/**
 * The server came back from a backup (its history renewed by `after-restore`, or its newest change behind our
 * cursor): what it held after the backup is gone from it, not from this desk. Start the pull over from the
 * beginning (every row is put by id: nothing doubles) and send again every op of ours the server no longer has
 * (those after its last-applied number for us). Returns whether it did — the pull then starts again.
 */
function serverForgot(db: Db, page: PullResponse, cursor: number): boolean {
  if (page.historyId === undefined) return false;
  const known = meta(db, 'server_history_id');
  const forgot = (known !== null && known !== page.historyId) || (page.head !== undefined && page.head < cursor);
  // Written only when it changes: this runs for every pulled page.
  if (!forgot && known === page.historyId) return false;
  db.sqlite.transaction(() => {
    setMeta(db, 'server_history_id', page.historyId!);
    if (forgot) startOver(db, page.lastAppliedSeq);
  })();
  return forgot;
}

/**
 * The desk's sync engine: push the outbox in sequence order, then pull the
 * organization's changes and apply each page in one transaction. It never holds
 * a transaction across a network call, resumes from the database after a crash
 * or restart, and retries with backoff and jitter while the server is away.
 */
export class SyncEngine {
  online = false;
  lastError: string | null = null;
  clockOffsetMs: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;

  /** Told after every round, whatever its outcome (the desk tells its windows the sync's state may have changed). */
  onRound: () => void = () => undefined;

  /** The printer's part of the desk's report (the engine knows the rest); set by the desk. */
  printerReport: () => DeskReport['printer'] = () => ({ configured: false, queued: 0, error: null });
  private reportedAt = 0;

  constructor(
    private readonly db: Db,
    private client: ServerClient,
    private readonly clock: () => number,
    private readonly onApplied: (a: Applied) => void = () => undefined,
    /** Keeps a new device token (enrolling again): the desk's secret store. */
    private readonly storeToken: (token: string) => void = () => undefined,
  ) {}

  /** Whether the server has refused this desk's token (revoked, or restored from before its enrollment). */
  get refused(): boolean {
    return meta(this.db, 'server_refused_at') !== null;
  }

  /**
   * The administrator gave a new code to a desk the server refuses: enroll again at the same server keeping
   * everything (see reenroll), carry on with the new token, and sync at once.
   */
  async enrollAgain(code: string): Promise<void> {
    await this.running?.catch(() => undefined);
    let token = '';
    // The name it was enrolled with (desks enrolled before names were kept: the PC's own name).
    const deviceName = meta(this.db, 'device_name') ?? hostname();
    await reenroll(this.db, {
      serverUrl: this.client.baseUrl,
      code,
      deviceName,
      storeToken: (t) => {
        token = t;
        this.storeToken(t);
      },
      fetchFn: this.client.fetchFn,
    });
    this.client = this.client.withToken(token);
    this.lastError = null;
    await this.syncOnce();
  }

  static enrolled(db: Db): boolean {
    return meta(db, 'server_url') !== null;
  }

  /** One push + pull round; concurrent callers share it. */
  syncOnce(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = null;
      this.onRound();
    });
    return this.running;
  }

  /**
   * An online booking goes to the server at once: wait for the round in flight
   * (it may have started before the booking existed), then one more, within a
   * short deadline. Returns false when the deadline passed (the booking stays
   * queued and the desk takes the offline path).
   */
  async pushNow(timeoutMs: number): Promise<boolean> {
    const deadline = this.clock() + timeoutMs;
    const within = (p: Promise<void>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), Math.max(0, deadline - this.clock())).unref())]);
    if (this.running && !(await within(this.running))) return false;
    return (await within(this.syncOnce())) && this.online;
  }

  private async round(): Promise<void> {
    try {
      await this.pushAll();
      // Leases are renewed only with nothing left to upload: a lease given back must never be one a queued booking relies on.
      if (this.leasesDue()) await this.renewLeases();
      // A whole pull after the answer to the latest renewal: the leases are as the server has them.
      await this.pullAll();
      if (meta(this.db, 'lease_renewal_in_doubt') === '1' && meta(this.db, 'lease_renewal_answered') === meta(this.db, 'lease_renewal_no')) {
        setMeta(this.db, 'lease_renewal_in_doubt', '0');
      }
      this.online = true;
      this.lastError = null;
      this.failures = 0;
      setMeta(this.db, 'last_sync_at', String(this.clock()));
      stmt(this.db.sqlite, "DELETE FROM meta WHERE key = 'server_refused_at'").run();
      await this.reportIfDue();
    } catch (e) {
      this.online = false;
      this.failures++;
      this.lastError = e instanceof SyncError ? e.kind : String(e);
      // Remembered across restarts: only a desk the server refused may enroll again with a new code (see reenroll).
      if (e instanceof SyncError && e.kind === 'unauthorized') setMeta(this.db, 'server_refused_at', String(this.clock()));
      if (!(e instanceof SyncError)) throw e;
    }
  }

  private async pushAll(): Promise<void> {
    for (;;) {
      const queued = stmt(
        this.db.sqlite,
        `SELECT seq, op_id AS opId, hlc, name, args, user_id AS userId, signature, schema_version AS v FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT ${PUSH_BATCH}`,
      ).all() as Array<Omit<PushOp, 'args'> & { args: string; v: number }>;
      if (queued.length === 0) return;
      // One request carries one op format: ops queued by an older app version go as what they are (the server
      // quarantines a format it no longer knows, with a task — never drops it). Ops from before signed ops carry no
      // signature and go as the first signed format: the server refuses them one by one ('unsigned'), visibly,
      // instead of answering "update this desk" to a desk that is up to date.
      const formatOf = (o: { v: number }) => Math.max(o.v, FIRST_SIGNED_SCHEMA_VERSION);
      const version = formatOf(queued[0]!);
      const cut = queued.findIndex((o) => formatOf(o) !== version);
      const ops = (cut === -1 ? queued : queued.slice(0, cut)).map(({ v: _v, ...o }) => o);
      const res = await this.client.push(
        version,
        ops.map((o) => ({ ...o, args: JSON.parse(o.args) as unknown })),
        meta(this.db, 'device_id') ?? undefined,
      );
      this.clockOffsetMs = res.serverTime - this.clock();
      this.db.sqlite.transaction(() => {
        for (const r of res.results) {
          // By number *and* op id: a result is only ever this op's.
          settle(this.db, r);
        }
        // The server is behind us (the server restored from a backup?): send again what it no longer has.
        if (res.gapAt !== null) stmt(this.db.sqlite, "UPDATE outbox SET status = 'pending' WHERE seq > ?").run(res.lastAppliedSeq);
        // We are behind the server (this desk restored from a backup): our new ops carry numbers it has used. Renumber them after its position.
        if (res.seqReusedAt !== null) renumberPending(this.db, res.seqReusedAt, res.lastAppliedSeq);
      })();
      if (res.results.length < ops.length && res.gapAt === null && res.seqReusedAt === null) return;
    }
  }

  /**
   * From the moment a renewal leaves, the server may take back part of this desk's leases (its excess), and
   * the desk learns which only from the pull: no lease of ours is trusted until this renewal's answer and a
   * whole pull after it (a lost answer or a failed pull must not leave the desk booking "guaranteed" on a
   * given-back time). Renewals are numbered, so the server ignores one the network brings late (see the lease
   * invariant in sync-server/sync/leases.ts); a renewal stays in doubt until one whose answer came back.
   */
  private async renewLeases(): Promise<void> {
    const send = async () => {
      const n = Number(meta(this.db, 'lease_renewal_no') ?? 0) + 1;
      this.db.sqlite.transaction(() => {
        setMeta(this.db, 'lease_renewal_no', String(n));
        setMeta(this.db, 'lease_renewal_in_doubt', '1');
      })();
      return { n, res: await this.client.leases(n) };
    };
    let { n, res } = await send();
    // A desk restored from a backup numbers from where the server is (the server carried out later ones of ours).
    if (res.stale && res.renewal !== undefined) {
      setMeta(this.db, 'lease_renewal_no', String(Math.max(res.renewal, n)));
      ({ n, res } = await send());
    }
    // An older server numbers nothing: its answer is this request's.
    if (!res.stale) setMeta(this.db, 'lease_renewal_answered', String(n));
    setMeta(this.db, 'lease_renewed_at', String(this.clock()));
  }

  private leasesDue(): boolean {
    if ((stmt(this.db.sqlite, "SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n > 0) return false;
    // A renewal in doubt is settled by the next one.
    if (meta(this.db, 'lease_renewal_in_doubt') === '1') return true;
    const last = Number(meta(this.db, 'lease_renewed_at') ?? 0);
    const now = this.clock();
    return now - last >= LEASE_RENEW_MS || now < last;
  }

  private async pullAll(): Promise<void> {
    for (;;) {
      const cursor = Number(meta(this.db, 'pull_cursor') ?? 0);
      const page = await this.client.pull(cursor, PULL_PAGE);
      this.clockOffsetMs = page.serverTime - this.clock();
      if (serverForgot(this.db, page, cursor)) continue;
      const applied = this.db.sqlite.transaction(() => {
        // Results first: a row the server republished after rejecting our op must not be held back as "ours, pending".
        for (const r of page.results) settle(this.db, r);
        const a = applyChanges(this.db, page.changes);
        if (page.ticketPrefix && isTicketPrefix(page.ticketPrefix)) adoptTicketPrefix(this.db, page.ticketPrefix);
        // Cursors never go back.
        if (page.cursor > cursor) setMeta(this.db, 'pull_cursor', String(page.cursor));
        // What lease validity is judged by while offline: the server's clock as seen from this desk, and when we last heard it.
        setMeta(this.db, 'server_offset_ms', String(page.serverTime - this.clock()));
        setMeta(this.db, 'last_contact_at', String(this.clock()));
        return a;
      })();
      this.onApplied(applied);
      if (!page.hasMore) return;
    }
  }

  /**
   * Keep syncing. The server's event stream pokes the desk the moment another
   * device changed something; polling stays as the fallback — every few seconds
   * without a stream, every 30 s with one — backing off (with jitter) to a
   * minute while the server is away.
   */
  start(intervalMs = 3000): void {
    this.intervalMs = intervalMs;
    this.started = true;
    void this.tick();
    void this.follow();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    await this.syncOnce().catch(() => undefined);
    this.schedule();
  }

  private intervalMs = 3000;
  private streaming = false;
  private started = false;
  private soon: NodeJS.Timeout | null = null;

  /**
   * A desk op was just queued (a cancellation, an absence, a call's outcome): send it in a moment
   * rather than at the next poll, which is 30 s away while the event stream is up. Several ops
   * queued together go in one round. Only once started: tests drive rounds themselves.
   */
  pushSoon(): void {
    if (!this.started || this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void (this.running ?? Promise.resolve())
        .then(() => this.syncOnce())
        .then(() => this.schedule())
        .catch(() => undefined);
    }, 50);
    this.soon.unref();
  }
  private readonly abort = new AbortController();

  /** The next polling round: soon without a stream, every 30 s with one, backing off while the server is away. */
  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const every = this.streaming ? Math.max(this.intervalMs, 30_000) : this.intervalMs;
    const backoff = this.failures === 0 ? every : Math.min(60_000, this.intervalMs * 2 ** this.failures);
    this.timer = setTimeout(() => void this.tick(), backoff * (0.75 + Math.random() * 0.5));
    this.timer.unref();
  }

  /** Follow the event stream; reconnect with backoff and jitter when it breaks. */
  private async follow(): Promise<void> {
    for (let attempt = 0; !this.stopped; ) {
      try {
        await this.client.events(this.abort.signal, (name) => {
          if (name === 'hello') {
            this.streaming = true;
            attempt = 0;
          }
          // A poke — or a (re)connected stream, which may have missed pokes: sync now, after the round in flight.
          if (name === 'poke' || name === 'hello')
            void (this.running ?? Promise.resolve())
              .then(() => this.syncOnce())
              .then(() => this.schedule())
              .catch(() => undefined);
        });
      } catch {
        attempt++;
      }
      this.streaming = false;
      if (this.stopped) return;
      // The stream broke (the server went away, or a proxy cut it): poll at the desk's own pace again at once, not
      // after the rest of the 30 s a streaming desk waits — so the status bar says «Нет связи» within seconds.
      this.schedule();
      await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5)).unref());
    }
  }

  async stop(): Promise<void> {
    if (this.soon) clearTimeout(this.soon);
    this.stopped = true;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** At most once a minute, the desk's state for the installer's console (a failure here is no sync failure). */
  private async reportIfDue(): Promise<void> {
    if (this.clock() - this.reportedAt < REPORT_EVERY_MS) return;
    const st = this.status();
    this.reportedAt = this.clock();
    await this.client
      .report({
        pending: st.pending,
        conflicts: st.conflicts,
        openTasks: st.openTasks,
        printer: this.printerReport(),
        clockOffsetMs: st.clockOffsetMs === null ? null : Math.round(st.clockOffsetMs),
        lastError: st.lastError?.slice(0, 300) ?? null,
      })
      .catch(() => undefined);
  }

  status(): SyncStatus {
    const s = this.db.sqlite;
    const n = (sql: string) => (stmt(s, sql).get() as { n: number }).n;
    const last = meta(this.db, 'last_sync_at');
    return {
      enrolled: SyncEngine.enrolled(this.db),
      online: this.online,
      pending: n("SELECT count(*) AS n FROM outbox WHERE status = 'pending'"),
      conflicts: n("SELECT count(*) AS n FROM appointments WHERE sync_state = 'conflict' AND status = 'booked'"),
      openTasks: n("SELECT count(*) AS n FROM tasks WHERE status = 'open'"),
      lastSyncAt: last ? Number(last) : null,
      lastError: this.lastError,
      clockOffsetMs: this.clockOffsetMs,
      registerAgeMs: meta(this.db, 'register_imported_at') === null ? null : this.clock() - Number(meta(this.db, 'register_imported_at')),
    };
  }
}
