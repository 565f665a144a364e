import { z } from 'zod';
import { role } from './enums.js';
import { id } from './primitives.js';

/** The id of a kiosk's own account: the server names the key a kiosk enrolls with so (issue 21). */
export const KIOSK_USER_ID = 'user-kiosk';

/** An Ed25519 public key: its raw 32 bytes in base64. */
export const publicKey = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'an Ed25519 public key');

/**
 * A staff account of the organization as every desk holds it: the password only as the credential it
 * opens (the account's signing key sealed under it — or, for an account from before signed ops, a salted
 * scrypt hash), so anyone signs in offline at any desk and no desk knows a password or can sign for a person.
 */
export const account = z.object({
  id,
  username: z
    .string()
    .trim()
    .min(2)
    .max(40)
    .regex(/^[\p{L}\p{N}._-]+$/u, 'letters, digits, . _ -'),
  fullName: z.string().trim().min(1).max(120),
  role,
  doctorId: id.nullable(),
  passwordHash: z.string().min(20).max(400),
  /** The key the server verifies this person's ops with (null: an account from before signed ops, until its first sign-in). */
  publicKey: publicKey.nullable().default(null),
  disabled: z.boolean().default(false),
  /** Set when the administrator created or reset the password: the person chooses their own at the next sign-in. */
  mustChangePassword: z.boolean().default(false),
});
export type Account = z.infer<typeof account>;
