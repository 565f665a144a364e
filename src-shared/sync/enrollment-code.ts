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

/**
 * A barcode scanner types key positions: with the PC's keyboard in the Russian (or Kyrgyz) ЙЦУКЕН layout, the QR's
 * Latin text arrives as the Cyrillic letters on those keys ("KEZEK" as "ЛУЯУЛ", ':' as 'Ж', '/' as '.', '.' as 'ю').
 * This gives the text back as the keys meant it.
 */
const FROM = 'йцукенгшщзхъфывапролджэячсмитьбю.ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,ё"№;:?';
const TO = 'qwertyuiop[]asdfghjkl;\'zxcvbnm,./QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?`@#$^&';
const KEYS = new Map([...FROM].map((c, i) => [c, TO[i]!]));
export const fromCyrillicLayout = (text: string): string => [...text].map((c) => KEYS.get(c) ?? c).join('');

/** The QR's text once it is whole (a scanner types it a key at a time: a partial one is no QR yet), in either keyboard layout. */
export function parseEnrollmentQr(text: string): { serverUrl: string; code: string } | null {
  return parseQr(text) ?? parseQr(fromCyrillicLayout(text));
}

function parseQr(text: string): { serverUrl: string; code: string } | null {
  if (!text.startsWith(PREFIX)) return null;
  const [serverUrl, code, ...rest] = text.slice(PREFIX.length).trim().split(/\s+/);
  if (!serverUrl || !code || rest.length > 0 || !/^https?:\/\/\S+$/.test(serverUrl) || !CODE.test(code)) return null;
  return { serverUrl, code };
}
