import { z } from 'zod';
import { role } from './enums.js';
import { id } from './primitives.js';

/**
 * A staff account of the organization as every desk holds it: the password only as its salted
 * scrypt hash, so anyone signs in offline at any desk and no desk knows a password.
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
  passwordHash: z.string().min(20).max(300),
  disabled: z.boolean().default(false),
  /** Set when the administrator created or reset the password: the person chooses their own at the next sign-in. */
  mustChangePassword: z.boolean().default(false),
});
export type Account = z.infer<typeof account>;
