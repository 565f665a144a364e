import { z } from 'zod';
import { account, type Account } from '../domain/account.js';
import type { Role } from '../domain/enums.js';
import { type Decision, refuse } from './decision.js';

/** A password a person chooses (or the administrator gives as a temporary one): long enough to resist guessing at a shared desk. */
export const newPassword = z.string().min(8).max(200);

/**
 * What the administrator changes about one account: everything but the password, which changes
 * only as a temporary one (creating the account, or resetting a forgotten password) — and then
 * the person must choose their own at the next sign-in.
 */
export const accountChange = account.pick({ id: true, username: true, fullName: true, role: true, doctorId: true, disabled: true }).extend({
  temporaryHash: z.string().min(20).max(300).nullable(),
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
    mustChangePassword: change.temporaryHash ? true : (current?.mustChangePassword ?? false),
  };
  const admins = ctx.accounts.map((a) => (a.id === next.id ? next : a)).filter((a) => a.role === 'admin' && !a.disabled);
  if (admins.length === 0) return refuse('last_admin');
  return { ok: true, account: next };
}

/** A person's own new password: the account must exist and be enabled; the forced change is then done. */
export function decidePasswordChange(accountId: string, passwordHash: string, accounts: readonly Account[]): Decision<{ account: Account }> {
  const current = accounts.find((a) => a.id === accountId);
  if (!current || current.disabled) return refuse('unknown_account');
  return { ok: true, account: { ...current, passwordHash, mustChangePassword: false } };
}
