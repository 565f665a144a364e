import { z } from 'zod';
import { id, instant } from './primitives.js';

/** What Kezek tells a patient (issue 20): a booking made, moved or cancelled; a visit that cannot happen (P15); tomorrow's visit; a sign-in code; a freed time offered from the waiting list (issue 21). */
export const MESSAGE_KINDS = ['confirmation', 'moved', 'cancellation', 'change', 'reminder', 'code', 'offer'] as const;
export const messageKind = z.enum(MESSAGE_KINDS);
export type MessageKind = z.infer<typeof messageKind>;

/**
 * A message's line on the desk's patient card, as the server's outbox ended it: sent; failed (the gateway refused,
 * or gave up after its tries); not sent (why: no phone, booked at the window…); or in doubt (the server stopped
 * mid-send on a transport that cannot tell a repeat — it was not sent again).
 */
export const patientMessage = z.object({
  id,
  patientId: id,
  appointmentId: id.nullable(),
  kind: messageKind,
  status: z.enum(['sent', 'failed', 'skipped', 'in_doubt']),
  channel: z.enum(['sms', 'email']).nullable(),
  recipient: z.string().max(200).nullable(),
  segments: z.number().int().nullable(),
  /** Null for a sign-in code: the card says a code went, never which. */
  text: z.string().max(2000).nullable(),
  error: z.string().max(400).nullable(),
  at: instant,
});
export type PatientMessage = z.infer<typeof patientMessage>;
