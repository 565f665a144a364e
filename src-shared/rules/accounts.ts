import { z } from 'zod';
import { account, type Account, publicKey } from '../domain/account.js';
import { type Role, staffRole } from '../domain/enums.js';
import { type Decision, refuse } from './decision.js';

/** A password a person chooses (or the administrator gives as a temporary one): long enough to resist guessing at a shared desk. */
export const newPassword = z.string().min(8).max(200);

/**
 * What the administrator changes about one account: everything but the password, which changes
 * only as a temporary one (creating the account, or resetting a forgotten password) — and then
 * the person must choose their own at the next sign-in.
 */
export const accountChange = account.pick({ id: true, username: true, fullName: true, role: true, doctorId: true, disabled: true }).extend({
  /** A person's role: a kiosk's account is its PC's own, made at its enrollment, never an administrator's. */
  role: staffRole,
  /** A temporary password's credential: a new key pair sealed under it, and its public key (the old key stops counting). */
  temporaryHash: z.string().min(20).max(400).nullable(),
  temporaryKey: publicKey.nullable().default(null),
});
export type AccountChange = z.infer<typeof accountChange>;

export interface AccountContext {
  /** The role of the account making the change, as the deciding side holds it (null: unknown or disabled). */
  actorRole: Role | null;
  actorId: string;
  /** The organization's accounts as the deciding side holds them. */
  accounts: readonly Account[];
  /** Whether a doctor of the organization has this id (a doctor's account is bound to one). */
  isDoctor(doctorId: string): boolean;
}

/**
 * One rule for desk and server: only the administrator manages accounts; a login is one person's
 * in the whole organization (case aside); a doctor's account names a doctor of the organization; the
 * administrator cannot lock themselves out, nor leave the organization without an enabled administrator.
 */
export function decideAccountChange(change: AccountChange, ctx: AccountContext): Decision<{ account: Account }> {
  if (ctx.actorRole !== 'admin') return refuse('not_admin');
  const current = ctx.accounts.find((a) => a.id === change.id);
  if (!current && !change.temporaryHash) return refuse('password_required');
  // A temporary password comes with the new key pair sealed under it (desks from before signed ops send none: refused).
  if (change.temporaryHash && !change.temporaryKey) return refuse('password_required');
  const login = change.username.toLowerCase();
  if (ctx.accounts.some((a) => a.id !== change.id && a.username.toLowerCase() === login)) return refuse('duplicate_login', { username: change.username });
  if (change.role === 'doctor' ? !change.doctorId || !ctx.isDoctor(change.doctorId) : change.doctorId !== null) return refuse('account_doctor');
  if (change.id === ctx.actorId && (change.disabled || change.role !== 'admin')) return refuse('own_account');
  const next: Account = {
    id: change.id,
    username: change.username,
    fullName: change.fullName,
    role: change.role,
    doctorId: change.doctorId,
    disabled: change.disabled,
    passwordHash: change.temporaryHash ?? current!.passwordHash,
    publicKey: change.temporaryHash ? change.temporaryKey : (current?.publicKey ?? null),
    mustChangePassword: change.temporaryHash ? true : (current?.mustChangePassword ?? false),
  };
  const admins = ctx.accounts.map((a) => (a.id === next.id ? next : a)).filter((a) => a.role === 'admin' && !a.disabled);
  if (admins.length === 0) return refuse('last_admin');
  return { ok: true, account: next };
}

/**
 * A person's own new password: the account must exist and be enabled; the forced change is then done. The key
 * pair stays (ops signed offline at other desks still count) — except after a temporary password, when the
 * person's first own password comes with a new pair (`publicKey`) that the administrator never saw.
 */
export function decidePasswordChange(accountId: string, passwordHash: string, accounts: readonly Account[], publicKey?: string): Decision<{ account: Account }> {
  const current = accounts.find((a) => a.id === accountId);
  if (!current || current.disabled) return refuse('unknown_account');
  // (An account row from before signed ops has no publicKey at all.)
  const held = current.publicKey ?? null;
  if (publicKey !== undefined && publicKey !== held && !current.mustChangePassword && held !== null) return refuse('key_change');
  return { ok: true, account: { ...current, passwordHash, publicKey: publicKey ?? held, mustChangePassword: false } };
}
