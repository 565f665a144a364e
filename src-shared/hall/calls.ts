import { z } from 'zod';
import { id, instant, isoDate } from '../domain/primitives.js';
import type { Lang, ProfileId } from '../domain/enums.js';

/**
 * The hall's queue screen (issue 21 part 2). One desk of the clinic — the registry's, serving the LAN — keeps the
 * day's calls; the doctors' cabinet PCs and the other desks ask it over the LAN, so the screen keeps calling with the
 * internet down. `next` lets that desk choose (it sees the check-ins made at the registry); `call`, `recall` and
 * `dismiss` ("did not come") name the booking.
 */
export const hallAction = z.enum(['next', 'call', 'recall', 'dismiss']);
export type HallAction = z.infer<typeof hallAction>;

const cabinet = z.string().trim().min(1).max(20);

export const hallRequest = z
  .object({
    /** The asking desk's own id for this request: asked again (a lost answer), it is answered as before. */
    id,
    orgId: id,
    /** The asking install: a cabinet PC's own doctor account is known by its PC. */
    deviceId: id,
    action: hallAction,
    doctorId: id,
    appointmentId: id.nullable(),
    /** What the asking desk knows of the booking, for one the hall's desk has not received yet (booked at the cabinet offline). */
    queueNumber: z.number().int().positive().nullable(),
    cabinet: cabinet.nullable(),
    liveQueue: z.boolean(),
    /** When the person pressed the key (the asking desk's clock): a request far from the hall desk's clock is refused. */
    at: instant,
    userId: id,
  })
  .strict()
  .refine((r) => (r.action === 'next') === (r.appointmentId === null), 'next names no booking; the others name one');
export type HallRequest = z.infer<typeof hallRequest>;

/** A request as it travels the LAN: signed by the person who pressed the key (src-shared/node/op-keys.ts). */
export const signedHallRequest = z.object({ request: hallRequest, signature: z.string().min(1).max(200) }).strict();
export type SignedHallRequest = z.infer<typeof signedHallRequest>;

/**
 * The kiosk's "call the registrar" (issue 21; 003 L118, P18), over the same LAN path: the task lands on the registry
 * desk's call list at once, with the internet down too; the same task id comes again through the server.
 */
export const hallHelp = z.object({ type: z.literal('help'), id, orgId: id, deviceId: id, patientId: id.nullable(), at: instant, userId: id }).strict();
export type HallHelp = z.infer<typeof hallHelp>;
export const signedHallHelp = z.object({ help: hallHelp, signature: z.string().min(1).max(200) }).strict();
export type SignedHallHelp = z.infer<typeof signedHallHelp>;

/** A call the screen shows (never a name: the ticket's queue number and the cabinet). */
export const hallCall = z.object({
  id,
  appointmentId: id,
  doctorId: id,
  queueNumber: z.number().int().positive(),
  cabinet,
  liveQueue: z.boolean(),
  kind: z.enum(['call', 'recall', 'dismiss']),
  at: instant,
});
export type HallCall = z.infer<typeof hallCall>;

/** The answer to a request: the call made, or null for `next` with nobody checked in and not yet called. */
export const hallAnswer = z.object({ call: hallCall.nullable() });
export type HallAnswer = z.infer<typeof hallAnswer>;

/** What the screen draws: the latest calls, per cabinet the numbers waiting next, and the live queue (R12). */
export const hallState = z.object({
  date: isoDate,
  organization: z.string(),
  calls: z.array(hallCall),
  waiting: z.array(z.object({ cabinet, queueNumbers: z.array(z.number().int()) })),
  liveQueue: z.array(z.object({ cabinet, queueNumber: z.number().int() })),
  voices: z.array(z.enum(['ru', 'ky', 'kk'])),
  /** The desk's clock and the clinic's time zone: the screen's clock is the clinic's, whatever the TV's is set to. */
  now: z.number().int(),
  timezone: z.string(),
});
export type HallState = z.infer<typeof hallState>;

/** A booking the screen could call next: checked in today, not called yet. */
export interface Waiting {
  appointmentId: string;
  startUtc: number;
  liveQueue: boolean;
}

/**
 * Who `next` calls: the patients who came on time in the order of their appointed times, then those in the live queue
 * (R12: more than 15 minutes late, 001 §2; 004 §3.4.1), who are seen between them — also by appointed time.
 */
export function nextToCall<W extends Waiting>(waiting: readonly W[]): W | null {
  let best: W | null = null;
  for (const w of waiting) {
    if (!best || Number(w.liveQueue) < Number(best.liveQueue) || (w.liveQueue === best.liveQueue && w.startUtc < best.startUtc)) best = w;
  }
  return best;
}

/** A request's clock may differ from the hall desk's by this much (PCs' clocks drift; a replayed request is old). */
export const HALL_REQUEST_SKEW_MS = 5 * 60_000;

/** The languages the screen speaks, first the country's own (issue 21: Kyrgyz and Russian; Kazakh in Kazakhstan). */
export function hallVoices(profile: ProfileId): Lang[] {
  if (profile === 'KG') return ['ky', 'ru'];
  if (profile === 'KZ') return ['kk', 'ru'];
  return ['ru'];
}

/** What the voice says: the number and the cabinet, in words espeak-ng reads as that language's numbers. */
export function callPhrase(lang: Lang, queueNumber: number, cabinetNumber: string): string {
  const cab = cabinetNumber.replace(/[^\p{L}\p{N} -]/gu, '').trim();
  if (lang === 'ky') return `${queueNumber}-кезек, ${cab}-кабинетке кириңиз.`;
  if (lang === 'kk') return `${queueNumber} нөмір, ${cab} кабинетке кіріңіз.`;
  return `Номер ${queueNumber}, пройдите в кабинет ${cab}.`;
}
