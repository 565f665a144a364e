import { createHash, randomBytes } from 'node:crypto';
import { ENROLLMENT_ALPHABET } from '../../src-shared/sync/enrollment-code.js';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A device token: 256 random bits. Only its hash is stored on the server. */
export const newDeviceToken = (): string => randomBytes(32).toString('base64url');

/** A one-time enrollment code for an IT installer to type: `XXXX-XXXX-XXXX` (60 bits). */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => ENROLLMENT_ALPHABET[b % ENROLLMENT_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/** Codes are compared case- and dash-insensitively. */
export const normalizeCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');
