import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPrinterProfile } from '../../src-shared/print/profiles.js';
import { decodeEscPos } from '../support/escpos-decoder.js';
import { TestDesk } from '../support/desk.js';
import { closedPort, VirtualPrinter } from '../support/virtual-printer.js';
import { readCode128 } from '../support/symbols.js';

let t: TestDesk;
let printer: VirtualPrinter;
beforeEach(async () => {
  t = await TestDesk.start();
  printer = await new VirtualPrinter().start();
});
afterEach(async () => {
  await printer.stop();
  await t.close();
});

const db = () => t.desk.env.db.sqlite;
const epson80 = findPrinterProfile('epson-80')!;
const patient = () => db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 1").get() as { id: string };
const slot = (date = '2026-11-24') =>
  db().prepare("SELECT id FROM slots WHERE date = ? AND channel = 'registry' AND appointment_id IS NULL AND start_utc > ? ORDER BY start_utc LIMIT 1").get(date, t.now) as { id: string };
const useTcp = (port: number, ticketLang: 'ru' | 'ky' | 'kk' = 'ky') =>
  t.call('printer.saveSettings', { profileId: 'epson-80', transport: { kind: 'tcp', host: '127.0.0.1', port }, ticketLang, autoPrint: true });

describe('printing tickets through the queue (TCP 9100 printer on 127.0.0.1)', () => {
  it('prints the booked ticket once; a reprint says COPY', async () => {
    await useTcp(printer.port);
    const { appointment, ticket } = await t.call('appointments.book', { patientId: patient().id, slotId: slot().id });
    const first = await t.call('tickets.print', { appointmentId: appointment.id });
    expect(first.copy).toBe(false);
    await t.desk.printer.queue.drain();
    await expect.poll(() => printer.jobs.length).toBe(1);
    const d = decodeEscPos(printer.jobs[0]!, epson80);
    expect(d.unknown).toEqual([]);
    expect(d.lines.map((l) => l.text)).toEqual(expect.arrayContaining(['КАБЫЛ АЛУУГА ТАЛОН', `Кезек ${ticket.queueNumber}`, `Дарыгер: ${ticket.doctorName}`]));
    expect(readCode128(d.images[0]!)).toBe(ticket.code);
    const again = await t.call('tickets.print', { appointmentId: appointment.id });
    expect(again.copy).toBe(true);
    await t.desk.printer.queue.drain();
    await expect.poll(() => printer.jobs.length).toBe(2);
    expect(decodeEscPos(printer.jobs[1]!, epson80).lines[0]!.text).toBe('*** КӨЧҮРМӨ ***');
    expect((await t.call('printer.status', {})).lastPrintedAt).not.toBeNull();
  });

  it('an offline booking outside the lease prints as TENTATIVE; once the server confirmed it, a reprint does not', async () => {
    await useTcp(printer.port, 'ru');
    const { appointment } = await t.call('appointments.book', { patientId: patient().id, slotId: slot().id });
    // As the booking service records a tentative offline booking on an enrolled desk (see sync-desks.test.ts).
    db().prepare("UPDATE appointments SET mode = 'tentative', sync_state = 'local' WHERE id = ?").run(appointment.id);
    await t.call('tickets.print', { appointmentId: appointment.id });
    db().prepare("UPDATE appointments SET sync_state = 'confirmed' WHERE id = ?").run(appointment.id);
    await t.call('tickets.print', { appointmentId: appointment.id });
    await t.desk.printer.queue.drain();
    await expect.poll(() => printer.jobs.length).toBe(2);
    const [tentative, confirmed] = printer.jobs.map((j) => decodeEscPos(j, epson80).lines.map((l) => l.text));
    expect(tentative).toEqual(expect.arrayContaining(['ПРЕДВАРИТЕЛЬНАЯ ЗАПИСЬ', 'Запись подтвердится после связи с сервером']));
    expect(confirmed!.join('\n')).not.toContain('ПРЕДВАРИТЕЛЬНАЯ');
  });

  it("a printer that is off: the booking stays, the status says why in the desk's language, and the ticket prints once it is back", async () => {
    const port = await closedPort();
    await useTcp(port);
    const { appointment } = await t.call('appointments.book', { patientId: patient().id, slotId: slot().id });
    await t.call('tickets.print', { appointmentId: appointment.id });
    await t.desk.printer.queue.drain();
    const status = await t.call('printer.status', {});
    expect(status).toMatchObject({ queued: 1, lastError: { code: 'printer_unreachable' } });
    expect(status.lastError!.message).toContain(`127.0.0.1:${port}`);
    expect(t.count('appointments', `id = '${appointment.id}' AND status = 'booked'`)).toBe(1);
    // The printer comes back on the same port; the retry (after its backoff) prints it, once.
    const back = await new VirtualPrinter().start(port);
    db().prepare("UPDATE print_jobs SET next_attempt_at = 0 WHERE status = 'queued'").run();
    await t.desk.printer.queue.drain();
    await expect.poll(() => back.jobs.length).toBe(1);
    await t.desk.printer.queue.drain();
    expect(back.jobs).toHaveLength(1);
    expect((await t.call('printer.status', {})).queued).toBe(0);
    await back.stop();
  });

  it('a job caught mid-send by a crash is never resent on its own: it waits for a person as "uncertain"', async () => {
    await useTcp(await closedPort());
    const { appointment } = await t.call('appointments.book', { patientId: patient().id, slotId: slot().id });
    await t.call('tickets.print', { appointmentId: appointment.id });
    await t.desk.printer.queue.drain();
    db().prepare("UPDATE print_jobs SET status = 'printing'").run(); // what a crash between send and "done" leaves
    await useTcp(printer.port);
    await t.desk.close();
    await t.open();
    await t.signIn('registrar');
    await t.desk.printer.queue.drain();
    await new Promise((r) => setTimeout(r, 100));
    expect(printer.jobs).toHaveLength(0);
    const status = await t.call('printer.status', {});
    expect(status.uncertain).toEqual([expect.objectContaining({ appointmentId: appointment.id, kind: 'ticket' })]);
    await t.call('printer.dismiss', { jobId: status.uncertain[0]!.jobId });
    expect((await t.call('printer.status', {})).uncertain).toEqual([]);
  });

  it('writes to a device file (as /dev/usb/lp0; here a named pipe, read by the test as the printer), and refuses a device path that does not exist, changing nothing', async () => {
    mkdirSync(t.devDir);
    const dev = join(t.devDir, 'lp0');
    execFileSync('mkfifo', [dev]);
    const received = new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      createReadStream(dev)
        .on('data', (c) => chunks.push(c as Buffer))
        .on('end', () => resolve(Buffer.concat(chunks)))
        .on('error', reject);
    });
    await t.call('printer.saveSettings', { profileId: 'epson-58', transport: { kind: 'file', path: dev }, ticketLang: 'ru', autoPrint: true });
    await t.call('printer.testPage', {});
    await t.desk.printer.queue.drain();
    const d = decodeEscPos(await received, findPrinterProfile('epson-58')!);
    expect(d.lines[0]!.text).toBe('Kezek code page test - epson-58');
    expect(d.lines.find((l) => l.text.startsWith('53 rk1048'))!.text).toBe('53 rk1048  АБВ абв Ңң Өө Үү Әә Ққ Іі');
    const before = await t.call('printer.getSettings', {});
    const f = await t.fail('printer.saveSettings', { profileId: 'epson-58', transport: { kind: 'file', path: join(t.devDir, 'missing-lp9') }, ticketLang: 'ru', autoPrint: true });
    expect(f).toMatchObject({ status: 400, error: { code: 'printer_path_missing' } });
    expect(f.error.message).toContain('missing-lp9');
    expect(await t.call('printer.getSettings', {})).toEqual(before);
  });

  it('refuses an unknown printer profile', async () => {
    const f = await t.fail('printer.saveSettings', { profileId: 'hp-laserjet', transport: { kind: 'none' }, ticketLang: 'ru', autoPrint: true });
    expect(f).toMatchObject({ status: 400, error: { code: 'unknown_profile', message: 'Неизвестная модель принтера' } });
  });

  it('without a printer, printing says so plainly', async () => {
    const { appointment } = await t.call('appointments.book', { patientId: patient().id, slotId: slot().id });
    expect((await t.fail('tickets.print', { appointmentId: appointment.id })).error.code).toBe('printer_not_configured');
  });
});

describe('R18 check-in by scanning the ticket; R12 lateness', () => {
  it("a scan of today's ticket marks the patient arrived; the QR text works too; late → live queue", async () => {
    const today = db()
      .prepare("SELECT id, start_utc AS s FROM slots WHERE date = '2026-11-23' AND channel = 'registry' AND appointment_id IS NULL AND start_utc > ? ORDER BY start_utc LIMIT 2")
      .all(t.now) as Array<{ id: string; s: number }>;
    const [p1, p2] = db().prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 ORDER BY id LIMIT 2").all() as Array<{ id: string }>;
    const a = await t.call('appointments.book', { patientId: p1!.id, slotId: today[0]!.id });
    const b = await t.call('appointments.book', { patientId: p2!.id, slotId: today[1]!.id });
    expect(await t.call('appointments.checkInByScan', { scan: a.ticket.code })).toMatchObject({ status: 'arrived', liveQueue: false });
    await t.travel(today[1]!.s + 20 * 60_000);
    const late = await t.call('appointments.checkInByScan', { scan: `KEZEK|${b.ticket.code}|2026-11-23T00:00|1` });
    expect(late).toMatchObject({ status: 'arrived', liveQueue: true });
  });

  it('something that is not a ticket, an unknown ticket, or a ticket of another day: a clear message, nothing changed', async () => {
    const { ticket } = await t.call('appointments.book', { patientId: patient().id, slotId: slot('2026-11-25').id });
    const before = t.snapshot();
    expect((await t.fail('appointments.checkInByScan', { scan: '21204199012345' })).error).toMatchObject({ code: 'not_a_ticket', message: 'Отсканировано не талон' });
    expect((await t.fail('appointments.checkInByScan', { scan: 'ZZZ999999' })).error.code).toBe('ticket_unknown');
    expect((await t.fail('appointments.checkInByScan', { scan: ticket.code })).error.code).toBe('not_today');
    expect(t.snapshot()).toEqual(before);
  });
});

describe('R17 day lists (004 §3.3.2, §3.4.2)', () => {
  it("the next working day's list per doctor and the cards to pull; printable on the thermal printer", async () => {
    const { appointment } = await t.call('appointments.book', { patientId: patient().id, slotId: slot('2026-11-24').id });
    const lists = await t.call('dayLists.get', {});
    expect(lists.date).toBe('2026-11-24');
    const doc = lists.doctors.find((d) => d.doctorId === appointment.doctorId)!;
    expect(doc.appointments.map((a) => a.id)).toContain(appointment.id);
    expect(lists.cards.map((c) => c.patientId)).toContain(appointment.patientId);
    expect(lists.cards.map((c) => c.patientName)).toEqual([...lists.cards.map((c) => c.patientName)].sort((x, y) => x.localeCompare(y, 'ru')));
    await t.call('printer.saveSettings', { profileId: 'epson-80', transport: { kind: 'tcp', host: '127.0.0.1', port: printer.port }, ticketLang: 'ru', autoPrint: true });
    await t.call('dayLists.print', { which: 'doctors', doctorId: appointment.doctorId });
    await t.desk.printer.queue.drain();
    await expect.poll(() => printer.jobs.length).toBe(1);
    const text = decodeEscPos(printer.jobs[0]!, epson80).lines.map((l) => l.text);
    expect(text[0]).toBe('Список пациентов на 24.11.2026');
    expect(text.some((l) => l.includes(appointment.patientName.split(' ')[0]!))).toBe(true);
  });
});

describe('OS spooler transport (CUPS raw queue on Linux)', () => {
  // A stand-in for CUPS's `lp`, put first on PATH: it records its arguments and the job's bytes,
  // or answers as lp does for a queue that does not exist.
  const withFakeLp = async (script: string, run: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'kezek-lp-bin-'));
    writeFileSync(join(dir, 'lp'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${dir}:${path}`;
    try {
      await run(dir);
    } finally {
      process.env.PATH = path;
    }
  };
  it('sends the raw bytes with `lp -d <queue> -o raw`', async () => {
    const { spoolerTransport } = await import('../../src-main/print/transports/index.js');
    await withFakeLp('echo "$@" > "$(dirname "$0")/args"; cp "$5" "$(dirname "$0")/job.bin"', async (dir) => {
      await spoolerTransport('Talon', 'linux').send(Buffer.from([0x1b, 0x40, 0x41]));
      expect(readFileSync(join(dir, 'args'), 'utf8').trim()).toMatch(/^-d Talon -o raw \/.+job\.bin$/);
      expect([...readFileSync(join(dir, 'job.bin'))]).toEqual([0x1b, 0x40, 0x41]);
    });
  });
  it('a print queue that does not exist is a clear error, not a crash', async () => {
    const { spoolerTransport } = await import('../../src-main/print/transports/index.js');
    await withFakeLp('echo "lp: The printer or class does not exist." >&2; exit 1', async () => {
      await expect(spoolerTransport('NoSuchQueue', 'linux').send(Buffer.from([0x1b, 0x40]))).rejects.toMatchObject({ code: 'printer_path_missing', params: { target: 'NoSuchQueue' } });
    });
  });
});
