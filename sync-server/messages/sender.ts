import { and, eq, sql } from 'drizzle-orm';
import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { Lang } from '../../src-shared/domain/enums.js';
import { localName } from '../../src-shared/i18n/index.js';
import { addDays, localParts } from '../../src-shared/time/dates.js';
import type { ServerDb } from '../db/connect.js';
import { organizations, orgRows, patientPrefs } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { DirectoryCache, RulesDirectory } from '../rules/directory-cache.js';
import { quietUntil } from './night.js';
import { claimDue, enqueueReminders, finish, noteSending, type OutboxRow, recoverAbandoned, retryLater, rowsOf } from './outbox.js';
import { e164, masked } from './recipients.js';
import type { Transports } from './settings.js';
import { smsParts } from './sms-parts.js';
import { messageText, shortName } from './texts.js';
import { SendFailure, type Transport } from './transports/transport.js';
import { serverDeviceId } from '../auth/server-devices.js';
import type { WaitingEntry } from '../../src-shared/domain/waiting-entry.js';
import { z } from 'zod';

/** What an offer's outbox row names (offers.ts): the text is made when it goes, from the entry as it then stands. */
const offerMessage = z.object({ entryId: z.string(), slotId: z.string() });

const MAX_ATTEMPTS = 8;
const REMINDER_SWEEP_MS = 10 * 60_000;
const backoff = (attempts: number) => Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));

type Decision = { skip: string } | { wait: number } | { go: { transport: Transport; to: string; text: string; subject: string } };

/**
 * The outbox's sender (issue 20): every server process runs one; the database keeps them apart (outbox.ts). A tick
 * gives back what a dead sender left, queues tomorrow's reminders, then sends what is due, one message at a time.
 */
export class MessageSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastSweep = 0;

  constructor(
    private readonly db: ServerDb,
    private readonly directories: DirectoryCache,
    private readonly transports: Transports,
    private readonly clock: () => number,
    private readonly log: Logger,
  ) {}

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.tick().catch((e) => this.log('warn', 'message sender tick failed', { err: String(e).slice(0, 300) })), intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await Promise.all([this.transports.sms?.close(), this.transports.email?.close()]);
  }

  /** One pass; overlapping calls share it. Resolves with how many messages reached an end. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    const now = this.clock();
    const known = [this.transports.sms, this.transports.email].filter((t): t is Transport => t !== null);
    for (const row of await recoverAbandoned(this.db, now, (name) => known.some((t) => t.name === name && t.idempotent))) {
      this.log('warn', 'message in doubt: its sender stopped mid-send on a transport that cannot tell a repeat', { id: row.id, kind: row.kind });
      await finish(this.db, row, 'in_doubt', now, { error: 'sender_stopped_mid_send' });
    }
    if (now - this.lastSweep >= REMINDER_SWEEP_MS) {
      this.lastSweep = now;
      await enqueueReminders(this.db, now);
    }
    for (;;) {
      const due = await claimDue(this.db, this.clock(), 20);
      if (due.length === 0) return;
      for (const row of due) await this.deliver(row);
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const now = this.clock();
    const d = await this.decide(row, now);
    if ('skip' in d) return finish(this.db, row, 'skipped', now, { error: d.skip });
    if ('wait' in d) return retryLater(this.db, row.id, d.wait, null, false);
    const { transport, to, text, subject } = d.go;
    const segments = transport.channel === 'sms' ? smsParts(text).parts.length : 1;
    await noteSending(this.db, row.id, { channel: transport.channel, transport: transport.name, recipient: masked(to), body: text, segments });
    try {
      const { ref } = await transport.send({ id: `kezek-${row.id}`, to, text, subject });
      // A code is not kept once sent: the card says a code went, never which.
      await finish(this.db, row, 'sent', this.clock(), { providerRef: ref, ...(row.kind === 'code' ? { body: null } : {}) });
    } catch (e) {
      const failure = e instanceof SendFailure ? e : new SendFailure(String(e), false);
      if (failure.permanent || row.attempts >= MAX_ATTEMPTS) {
        this.log('warn', 'message not sent', { id: row.id, kind: row.kind, err: failure.message });
        return finish(this.db, row, 'failed', this.clock(), { error: failure.message.slice(0, 300), ...(row.kind === 'code' ? { body: null } : {}) });
      }
      await retryLater(this.db, row.id, this.clock() + backoff(row.attempts), failure.message.slice(0, 300), true);
    }
  }

  private async decide(row: OutboxRow, now: number): Promise<Decision> {
    const dir = await this.directories.get(this.db, row.orgId);
    const [org] = await this.db.select().from(organizations).where(eq(organizations.id, row.orgId));
    if (!dir || !org) return { skip: 'no_organization' };
    const patient = await this.orgRow<{ phone: string }>(row.orgId, 'patient', row.patientId);
    const [prefs] = await this.db
      .select()
      .from(patientPrefs)
      .where(and(eq(patientPrefs.orgId, row.orgId), eq(patientPrefs.patientId, row.patientId)));
    const lang: Lang = (prefs?.lang as Lang | undefined) ?? dir.profile.messages.lang;
    const phone = patient ? e164(patient.phone, dir.profile.country) : null;
    const email = prefs?.email && this.transports.email ? prefs.email : null;
    const via = (text: string, subject: string): Decision => {
      if (email) return { go: { transport: this.transports.email!, to: email, text, subject } };
      if (!phone) return { skip: patient?.phone ? 'bad_phone' : 'no_phone' };
      if (!this.transports.sms) return { skip: 'no_gateway' };
      return { go: { transport: this.transports.sms, to: phone, text, subject } };
    };
    if (row.kind === 'code') return row.body ? via(row.body, org.name) : { skip: 'no_code' };
    if (row.kind === 'offer') return this.offer(row, now, dir, org, lang, via);

    const booking = await this.booking(row);
    if (!booking) return { skip: 'no_booking' };
    const { a, current } = booking;
    // A time taken from the waiting list is confirmed whatever the entry's channel: the patient was not at the window when it was booked.
    if (row.kind === 'confirmation' && !dir.profile.messages.confirmFor.includes(a.channel) && a.deviceId !== serverDeviceId('waiting', row.orgId)) return { skip: 'booked_at_window' };
    if (row.kind === 'reminder') {
      if (current.status !== 'booked' || current.syncState !== 'confirmed') return { skip: 'not_booked' };
      if (localParts(now, dir.timezone).date >= a.date) return { skip: 'too_late' };
      // Booked the day before (or later): the confirmation is fresh, a reminder on top would be noise.
      if (localParts(a.createdAt, dir.timezone).date >= addDays(a.date, -1)) return { skip: 'booked_recently' };
      // Nor when the patient was told of this booking in the last hours (a confirmation held through the night).
      const [told] = await rowsOf(
        this.db,
        sql`
        SELECT 1 FROM patient_messages WHERE org_id = ${row.orgId} AND appointment_id = ${row.appointmentId} AND status = 'sent'
          AND kind IN ('confirmation', 'moved') AND sent_at > ${now - 12 * 3_600_000}`,
      );
      if (told) return { skip: 'recently_told' };
    }
    const night = quietUntil(now, dir.timezone, dir.profile.messages.quietHours);
    if (night !== null) return { wait: night };
    const text = messageText(lang, row.kind, await this.facts(row.orgId, org, dir, a, lang));
    return via(text, org.name);
  }

  /**
   * A freed time offered from the waiting list (issue 21): told only while the entry still holds that offer — one that
   * was answered, withdrawn or ran out before the message's turn is not sent. The hold's end is in the text.
   */
  private async offer(row: OutboxRow, now: number, dir: RulesDirectory, org: { name: string; phone: string }, lang: Lang, via: (text: string, subject: string) => Decision): Promise<Decision> {
    const named = offerMessage.safeParse(JSON.parse(row.body ?? 'null'));
    if (!named.success) return { skip: 'no_offer' };
    const e = await this.orgRow<WaitingEntry>(row.orgId, 'waiting_entry', named.data.entryId);
    const o = e?.status === 'offered' ? e.offer : null;
    if (!e || !o || o.slotId !== named.data.slotId || o.expiresAt <= now) return { skip: 'offer_gone' };
    const night = quietUntil(now, dir.timezone, dir.profile.messages.quietHours);
    if (night !== null) return { wait: night };
    const f = await this.facts(row.orgId, org, dir, { doctorId: o.doctorId, specialtyId: e.specialtyId, startUtc: o.startUtc, ticketCode: '' }, lang);
    return via(messageText(lang, 'offer', { ...f, until: localParts(o.expiresAt, dir.timezone).time }), org.name);
  }

  /** The booking as this message's version left it (what the patient is told), and its state now. */
  private async booking(row: OutboxRow): Promise<{ a: Appointment; current: { status: string; syncState: string } } | null> {
    if (!row.appointmentId) return null;
    const [x] = await rowsOf<{ status: string; sync_state: string; current: Appointment; versioned: Appointment | null }>(
      this.db,
      sql`
      SELECT a.status, a.sync_state, c.row AS current, v.row AS versioned FROM appointments a
      JOIN change_log c ON c.org_id = a.org_id AND c.seq = a.server_seq
      LEFT JOIN change_log v ON v.org_id = a.org_id AND v.seq = ${row.version} AND v.entity = 'appointment'
      WHERE a.org_id = ${row.orgId} AND a.id = ${row.appointmentId}`,
    );
    if (!x) return null;
    return { a: x.versioned ?? x.current, current: { status: x.status, syncState: x.sync_state } };
  }

  private async facts(orgId: string, org: { name: string; phone: string }, dir: RulesDirectory, a: Pick<Appointment, 'doctorId' | 'specialtyId' | 'startUtc' | 'ticketCode'>, lang: Lang) {
    const doctor = dir.doctors.get(a.doctorId);
    const cabinet = doctor ? await this.orgRow<{ number: string }>(orgId, 'cabinet', doctor.cabinetId) : undefined;
    const specialty = dir.specialties.get(a.specialtyId);
    const local = localParts(a.startUtc, dir.timezone);
    return {
      clinic: org.name,
      phone: org.phone,
      date: `${local.date.slice(8, 10)}.${local.date.slice(5, 7)}`,
      time: local.time,
      specialty: specialty ? localName(specialty.name, lang).toLowerCase() : '',
      doctor: doctor ? shortName(doctor.fullName) : '',
      cabinet: cabinet?.number ?? '',
      ticket: a.ticketCode || null,
    };
  }

  private async orgRow<T>(orgId: string, entity: string, id: string): Promise<T | undefined> {
    const [r] = await this.db
      .select({ row: orgRows.row })
      .from(orgRows)
      .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, entity), eq(orgRows.id, id)));
    return r?.row as T | undefined;
  }
}
