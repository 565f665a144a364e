import type { PrinterStatus } from '../../src-shared/print/settings.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { newId } from '../services/journal.js';
import type { Transport } from './transports/index.js';

const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export interface QueueError {
  code: string;
  params: Record<string, string | number>;
  at: number;
}

/**
 * Prints jobs one after another, in the background: a printer that is off or out
 * of paper never blocks the desk, and its jobs wait and retry with backoff.
 * Exactly once: `printing` is committed before the bytes leave and `done` after;
 * a job found `printing` at start-up may have printed, so it becomes `uncertain`
 * and waits for a person (reprint as COPY or dismiss) instead of printing twice.
 */
export class PrintQueue {
  lastError: QueueError | null = null;
  /** Told whenever a job is queued, printed, fails or is dismissed (the desk tells its windows). */
  onChange: () => void = () => undefined;
  private busy: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly transport: () => Transport | null,
    private readonly clock: () => number,
  ) {
    stmt(db.sqlite, "UPDATE print_jobs SET status = 'uncertain' WHERE status = 'printing'").run();
  }

  enqueue(job: { kind: string; bytes: Buffer; appointmentId: string | null; copy: boolean; userId: string }): string {
    const id = newId();
    stmt(
      this.db.sqlite,
      `INSERT INTO print_jobs (id, kind, appointment_id, copy, status, bytes, attempts, next_attempt_at, last_error, created_at, printed_at, user_id)
        VALUES (?, ?, ?, ?, 'queued', ?, 0, 0, NULL, ?, NULL, ?)`,
    ).run(id, job.kind, job.appointmentId, job.copy ? 1 : 0, job.bytes, this.clock(), job.userId);
    this.onChange();
    return id;
  }

  /** Start sending due jobs now (no-op while a run is going). */
  kick(): void {
    void this.drain();
  }

  /** Send every due job; resolves when the queue is empty or the printer failed. */
  drain(): Promise<void> {
    this.busy ??= this.run().finally(() => {
      this.busy = null;
    });
    return this.busy;
  }

  private async run(): Promise<void> {
    const s = this.db.sqlite;
    for (;;) {
      if (this.stopped) return;
      const t = this.transport();
      if (!t) return;
      const job = stmt(s, "SELECT id, bytes, attempts FROM print_jobs WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY created_at LIMIT 1").get(this.clock()) as
        | { id: string; bytes: Buffer; attempts: number }
        | undefined;
      if (!job) return;
      stmt(s, "UPDATE print_jobs SET status = 'printing' WHERE id = ?").run(job.id);
      try {
        await t.send(job.bytes);
        if (this.stopped) return; // the desk closed while sending: the job stays `printing` → `uncertain` next start
        stmt(s, "UPDATE print_jobs SET status = 'done', printed_at = ?, last_error = NULL WHERE id = ?").run(this.clock(), job.id);
        this.lastError = null;
        this.onChange();
      } catch (e) {
        if (this.stopped) return;
        const err = e instanceof AppError ? e : new AppError('printer_error', { target: t.target, detail: String(e) });
        const delay = BACKOFF_MS[Math.min(job.attempts, BACKOFF_MS.length - 1)]!;
        stmt(s, "UPDATE print_jobs SET status = 'queued', attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?").run(this.clock() + delay, err.code, job.id);
        this.lastError = { code: err.code, params: err.params ?? {}, at: this.clock() };
        this.onChange();
        this.schedule(delay);
        return;
      }
    }
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, ms);
    this.timer.unref();
  }

  /** A person decided about an uncertain job: it printed (dismiss) or it is reprinted as a copy elsewhere. */
  dismissUncertain(jobId: string): void {
    stmt(this.db.sqlite, "UPDATE print_jobs SET status = 'dismissed' WHERE id = ? AND status = 'uncertain'").run(jobId);
    this.onChange();
  }

  /** Stop before the database closes; resolves when a send in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
  }

  status(): Pick<PrinterStatus, 'queued' | 'uncertain' | 'lastPrintedAt'> {
    const s = this.db.sqlite;
    const { n } = stmt(s, "SELECT count(*) AS n FROM print_jobs WHERE status IN ('queued', 'printing')").get() as { n: number };
    const uncertain = stmt(s, "SELECT id AS jobId, appointment_id AS appointmentId, kind FROM print_jobs WHERE status = 'uncertain' ORDER BY created_at").all() as PrinterStatus['uncertain'];
    const last = stmt(s, "SELECT max(printed_at) AS t FROM print_jobs WHERE status = 'done'").get() as { t: number | null };
    return { queued: n, uncertain, lastPrintedAt: last.t };
  }
}
