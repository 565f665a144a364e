/**
 * Ticket codes are a device's three-letter prefix and its own counter (ABC000123), so
 * desks issue them offline without asking anyone. The prefix must be unique within the
 * organization: the sync server assigns it at enrollment; a standalone desk picks its own.
 */

/** Letters without I, L, O, U: nothing a registrar can misread on a ticket or mistype from one. */
export const TICKET_PREFIX_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ';
export const TICKET_PREFIX_LENGTH = 3;

export const isTicketPrefix = (p: string): boolean => new RegExp(`^[${TICKET_PREFIX_ALPHABET}]{${TICKET_PREFIX_LENGTH}}$`).test(p);

/** The n-th prefix of all 22³ = 10,648, for n in [0, 10648). */
export function ticketPrefixAt(n: number): string {
  const a = TICKET_PREFIX_ALPHABET;
  let out = '';
  for (let i = 0; i < TICKET_PREFIX_LENGTH; i++, n = Math.floor(n / a.length)) out = a[n % a.length]! + out;
  return out;
}
export const TICKET_PREFIX_COUNT = TICKET_PREFIX_ALPHABET.length ** TICKET_PREFIX_LENGTH;

/** The counter part of a code of this prefix (ABC000123 → 123), or null for another prefix's code. */
export function ticketNumber(code: string, prefix: string): number | null {
  if (!code.startsWith(prefix)) return null;
  const rest = code.slice(prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : null;
}
