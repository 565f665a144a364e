import { getAppointment } from '../services/appointment-views.js';
import { existsSync } from 'node:fs';
import { findPrinterProfile, PRINTER_PROFILES } from '../../src-shared/print/profiles.js';
import { DEFAULT_PRINTER_SETTINGS, printerSettings, type PrinterSettings, type PrinterStatus } from '../../src-shared/print/settings.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import { translate } from '../../src-shared/i18n/index.js';
import type { Lang } from '../../src-shared/domain/enums.js';
import { localParts } from '../../src-shared/time/dates.js';
import { stmt } from '../db/stmt.js';
import type { Actor, Env } from '../services/env.js';
import { auditOnly } from '../services/journal.js';
import { ticketFor } from '../services/tickets.js';
import { PrintQueue } from './queue.js';
import { renderTicket } from './render-ticket.js';
import { renderTestPage } from './test-page.js';
import { DEVICE_ROOTS, isPrinterPath } from './transports/device-path.js';
import { transportFor, type Transport } from './transports/index.js';

const KEY = 'printer_settings';

export function loadPrinterSettings(env: Pick<Env, 'db'>): PrinterSettings {
  const row = stmt(env.db.sqlite, 'SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  const parsed = row ? printerSettings.safeParse(JSON.parse(row.value)) : null;
  return parsed?.success ? parsed.data : DEFAULT_PRINTER_SETTINGS;
}

/** The desk's printer: settings, the queue, ticket and test-page jobs, status for the status bar. */
export class PrinterService {
  readonly queue: PrintQueue;

  constructor(
    private readonly env: Env,
    transportOverride?: Transport,
    private readonly deviceRoots: readonly string[] = DEVICE_ROOTS,
  ) {
    this.queue = new PrintQueue(env.db, () => transportOverride ?? transportFor(loadPrinterSettings(env).transport, deviceRoots), env.clock);
    this.queue.kick();
  }

  settings(): PrinterSettings {
    return loadPrinterSettings(this.env);
  }

  /**
   * Validate before saving: an unknown model, a path that is not a printer's, or a device that is not
   * there changes nothing. Only printer paths are looked at on disk (device files are no secret).
   */
  saveSettings(actor: Actor, next: PrinterSettings): PrinterSettings {
    if (!findPrinterProfile(next.profileId)) throw new AppError('unknown_profile', { profile: next.profileId });
    if (next.transport.kind === 'file') {
      if (!isPrinterPath(next.transport.path, this.deviceRoots)) throw new AppError('printer_path_not_allowed', { target: next.transport.path });
      if (next.transport.path.startsWith('/') && !existsSync(next.transport.path)) throw new AppError('printer_path_missing', { target: next.transport.path, detail: 'ENOENT' });
    }
    this.env.db.sqlite.transaction(() => {
      stmt(this.env.db.sqlite, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(next));
      auditOnly(this.env, actor, 'printer.settings', { entity: 'printer', entityId: 'desk', detail: JSON.stringify(next) });
    })();
    this.queue.kick();
    return next;
  }

  /** The settings and profile to print with; errors when no printer is set up. */
  target(): { settings: PrinterSettings; profile: NonNullable<ReturnType<typeof findPrinterProfile>> } {
    const settings = this.settings();
    const profile = findPrinterProfile(settings.profileId);
    if (!profile) throw new AppError('unknown_profile', { profile: settings.profileId });
    if (settings.transport.kind === 'none') throw new AppError('printer_not_configured');
    return { settings, profile };
  }

  /** Queue a ticket; a second print of the same booking says COPY. Returns at once: the printer works in the background. */
  printTicket(actor: Actor, appointmentId: string): { jobId: string; copy: boolean } {
    const ticket = ticketFor(this.env, appointmentId);
    const s = this.env.db.sqlite;
    // A cancelled or lost booking's ticket would send a patient to a time that is not theirs; so would one whose
    // visit will not happen (its doctor is absent, its time left the schedule: the patient is on the call list).
    const view = getAppointment(this.env, appointmentId)!;
    if (ticket.status === 'cancelled' || view.syncState === 'conflict' || view.callReason !== null) throw new AppError('ticket_not_valid');
    const { settings, profile } = this.target();
    const copy = stmt(s, "SELECT 1 FROM print_jobs WHERE appointment_id = ? AND kind = 'ticket' LIMIT 1").get(appointmentId) !== undefined;
    const issued = localParts(ticket.issuedAt, this.env.org.timezone);
    const job = renderTicket(ticket, { lang: settings.ticketLang, copy, tentative: ticket.tentative }, profile, `${issued.date.split('-').reverse().join('.')} ${issued.time}`);
    const jobId = s.transaction(() => {
      const id = this.queue.enqueue({ kind: 'ticket', bytes: job.bytes, appointmentId, copy, userId: actor.userId });
      auditOnly(this.env, actor, copy ? 'ticket.reprint' : 'ticket.print', { entity: 'appointment', entityId: appointmentId, detail: id });
      return id;
    })();
    this.queue.kick();
    return { jobId, copy };
  }

  testPage(actor: Actor): { jobId: string } {
    const { profile } = this.target();
    const jobId = this.queue.enqueue({ kind: 'test_page', bytes: renderTestPage(profile), appointmentId: null, copy: false, userId: actor.userId });
    this.queue.kick();
    return { jobId };
  }

  /** Queue any prepared bytes (day lists). */
  printBytes(actor: Actor, kind: string, bytes: Buffer): { jobId: string } {
    this.target();
    const jobId = this.queue.enqueue({ kind, bytes, appointmentId: null, copy: false, userId: actor.userId });
    this.queue.kick();
    return { jobId };
  }

  status(lang: Lang): PrinterStatus {
    const settings = this.settings();
    const t = settings.transport;
    const err = this.queue.lastError;
    return {
      configured: t.kind !== 'none',
      profileName: findPrinterProfile(settings.profileId)?.name ?? settings.profileId,
      target: t.kind === 'none' ? '' : t.kind === 'file' ? t.path : t.kind === 'tcp' ? `${t.host}:${t.port}` : t.printerName,
      ...this.queue.status(),
      lastError: err ? { code: err.code, message: translate(lang, `errors.${err.code}`, err.params), at: err.at } : null,
    };
  }

  static profiles() {
    return PRINTER_PROFILES.map((p) => ({ id: p.id, name: p.name, paperMm: p.paperMm }));
  }
}
