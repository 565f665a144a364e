import { z } from 'zod';
import { PRINTER_PROFILES } from './profiles.js';

export const printerTransport = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** A device file: `/dev/usb/lp0` on Linux; a shared printer `\\localhost\Talon` on Windows. */
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(260) }),
  /** A network printer's raw port. */
  z.object({ kind: z.literal('tcp'), host: z.string().min(1).max(253), port: z.number().int().min(1).max(65535).default(9100) }),
  /** The operating system's print queue, raw bytes (Windows spooler; CUPS raw queue on Linux). */
  z.object({ kind: z.literal('spooler'), printerName: z.string().min(1).max(200) }),
]);
export type PrinterTransport = z.infer<typeof printerTransport>;

export const ticketLang = z.enum(['ru', 'ky', 'kk']);

export const printerSettings = z.object({
  profileId: z.string().min(1).max(40),
  transport: printerTransport,
  /** The language the clinic prints tickets in. */
  ticketLang: ticketLang.default('ru'),
  /** Print the ticket as soon as a booking is made. */
  autoPrint: z.boolean().default(true),
});
export type PrinterSettings = z.infer<typeof printerSettings>;

export const DEFAULT_PRINTER_SETTINGS: PrinterSettings = { profileId: PRINTER_PROFILES[0]!.id, transport: { kind: 'none' }, ticketLang: 'ru', autoPrint: true };

export const printerStatus = z.object({
  configured: z.boolean(),
  profileName: z.string(),
  target: z.string(),
  queued: z.number().int(),
  /** Jobs that were being sent when the desk stopped: they may or may not have printed. */
  uncertain: z.array(z.object({ jobId: z.string(), appointmentId: z.string().nullable(), kind: z.string() })),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.number() }).nullable(),
  lastPrintedAt: z.number().nullable(),
});
export type PrinterStatus = z.infer<typeof printerStatus>;
