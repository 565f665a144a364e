/** Letters and digits a person can read out over the phone without confusion (no I, O, 0, 1). */
export const ENROLLMENT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A one-time enrollment code as the console shows it: `XXXX-XXXX-XXXX`. */
const CODE = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/;

/**
 * What the enrollment QR carries: the server's address and the one-time code, in one line a desk's
 * barcode scanner types as keystrokes (the first-run wizard takes it like typed input).
 */
const PREFIX = 'KEZEK-ENROLL ';

export const enrollmentQr = (serverUrl: string, code: string): string => `${PREFIX}${serverUrl} ${code}`;

/** The QR's text once it is whole (a scanner types it a key at a time: a partial one is no QR yet). */
export function parseEnrollmentQr(text: string): { serverUrl: string; code: string } | null {
  if (!text.startsWith(PREFIX)) return null;
  const [serverUrl, code, ...rest] = text.slice(PREFIX.length).trim().split(/\s+/);
  if (!serverUrl || !code || rest.length > 0 || !/^https?:\/\/\S+$/.test(serverUrl) || !CODE.test(code)) return null;
  return { serverUrl, code };
}
