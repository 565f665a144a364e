import type { Account } from '../../src-shared/domain/account.js';
import { type AccountChange, decideAccountChange, decidePasswordChange } from '../../src-shared/rules/accounts.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { AccountView, StaffAccountInput } from '../../src-shared/rpc/views.js';
import type { OpArgs } from '../../src-shared/sync/protocol.js';
import { saveAccounts } from '../auth/accounts.js';
import { newCredential, openCredential, sealKey } from '../../src-shared/node/op-keys.js';
import type { KeyObject } from 'node:crypto';
import { stmt } from '../db/stmt.js';
import type { Actor, Env } from './env.js';
import { auditOnly, journal, newId } from './journal.js';

const SELECT = `SELECT id, username, full_name AS fullName, role, doctor_id AS doctorId, password_hash AS passwordHash, public_key AS publicKey,
  disabled, must_change_password AS mustChangePassword, shared FROM users`;
type Row = Omit<Account, 'disabled' | 'mustChangePassword'> & { disabled: number; mustChangePassword: number; shared: number };
const toAccount = (r: Row): Account & { shared: boolean } => ({ ...r, disabled: r.disabled === 1, mustChangePassword: r.mustChangePassword === 1, shared: r.shared === 1 });

/** The accounts this desk holds: the organization's (from the server) and this PC's own. */
function accountsHere(env: Env): Array<Account & { shared: boolean }> {
  return (stmt(env.db.sqlite, `${SELECT} ORDER BY disabled, full_name`).all() as Row[]).map(toAccount);
}

/** An enrolled desk's accounts are the organization's; a standalone desk's are its own. */
const enrolled = (env: Env) => env.device.kind !== 'standalone';

export function listAccounts(env: Env): AccountView[] {
  return accountsHere(env).flatMap((a) =>
    a.role === 'kiosk'
      ? []
      : [
          {
            id: a.id,
            username: a.username,
            fullName: a.fullName,
            role: a.role,
            doctorId: a.doctorId,
            doctorName: a.doctorId ? (env.directory.doctor(a.doctorId)?.fullName ?? null) : null,
            disabled: a.disabled,
            mustChangePassword: a.mustChangePassword,
            thisPcOnly: enrolled(env) && !a.shared,
          },
        ],
  );
}

/**
 * The administrator creates or changes a staff account. Decided here by the same rule the server
 * runs again; it works at once on this desk (offline too), and the server publishes it to every desk.
 */
export async function saveAccount(env: Env, actor: Actor, input: StaffAccountInput): Promise<AccountView> {
  // A temporary password comes with a new key pair sealed under it: from then on the old key signs nothing (issue 19).
  const temporary = input.temporaryPassword ? await newCredential(input.temporaryPassword) : null;
  const change: AccountChange = {
    id: input.id ?? newId(),
    username: input.username,
    fullName: input.fullName,
    role: input.role,
    doctorId: input.role === 'doctor' ? input.doctorId : null,
    disabled: input.disabled,
    temporaryHash: temporary?.passwordHash ?? null,
    temporaryKey: temporary?.publicKey ?? null,
  };
  // The organization's accounts decide it; this PC's own step aside for them (they never reach the server).
  const all = accountsHere(env);
  const decision = decideAccountChange(change, {
    actorRole: actor.role,
    actorId: actor.userId,
    accounts: enrolled(env) ? all.filter((a) => a.shared || a.id === change.id) : all,
    isDoctor: (doctorId) => env.directory.doctor(doctorId) !== undefined,
  });
  if (!decision.ok) throw new AppError(decision.code, decision.params);
  const a = decision.account;
  env.db.sqlite.transaction(() => {
    saveAccounts(env.db, [a], enrolled(env));
    const { passwordHash: _h, mustChangePassword: _m, publicKey: _k, ...rest } = a;
    journal(
      env,
      actor,
      { name: 'accounts.put', args: { ...rest, role: change.role, temporaryHash: change.temporaryHash, temporaryKey: change.temporaryKey, userId: actor.userId } satisfies OpArgs<'accounts.put'> },
      {
        entity: 'account',
        entityId: a.id,
        detail: change.temporaryHash ? 'temporary password' : a.disabled ? 'disabled' : 'saved',
      },
    );
  })();
  return listAccounts(env).find((v) => v.id === a.id)!;
}

/**
 * Everyone changes their own password (and must, after the administrator set a temporary one). The signing key stays
 * and is sealed under the new password — ops this person signed offline at other desks still count — except after a
 * temporary password: then a new key pair, which the administrator who chose the temporary one never saw.
 */
export async function changeOwnPassword(env: Env, actor: Actor, current: string, next: string): Promise<KeyObject> {
  const me = accountsHere(env).find((a) => a.id === actor.userId);
  const key = me ? await openCredential(current, me.passwordHash) : null;
  if (!me || !key) throw new AppError('wrong_password');
  const fresh = me.mustChangePassword ? await newCredential(next) : null;
  const passwordHash = fresh?.passwordHash ?? (await sealKey(key, next));
  const publicKey = fresh?.publicKey ?? me.publicKey ?? undefined;
  const decision = decidePasswordChange(actor.userId, passwordHash, [me], publicKey);
  if (!decision.ok) throw new AppError(decision.code);
  env.db.sqlite.transaction(() => {
    stmt(env.db.sqlite, 'UPDATE users SET password_hash = ?, public_key = ?, must_change_password = 0 WHERE id = ?').run(passwordHash, decision.account.publicKey, actor.userId);
    const audit = { entity: 'account', entityId: actor.userId, detail: 'own password' };
    // This PC's own accounts (a cabinet's doctor) never go to the server. The op is signed with the key the server holds now.
    if (enrolled(env) && !me.shared) auditOnly(env, actor, 'accounts.password', audit);
    else journal(env, { ...actor, key }, { name: 'accounts.password', args: { userId: actor.userId, passwordHash, publicKey } satisfies OpArgs<'accounts.password'> }, audit);
  })();
  // The key this person signs with from now on.
  return fresh?.key ?? key;
}

/**
 * An account from before signed ops, signing in at this desk for the first time since the update: it gets its key pair,
 * sealed under the password just checked, and the server learns the public key (signed with it; the server takes
 * the first key an account brings — accounts.key). Returns the key the session signs with.
 */
export async function giveKey(env: Env, user: { id: string; role: Actor['role']; doctorId: string | null }, password: string): Promise<KeyObject> {
  const { passwordHash, publicKey, key } = await newCredential(password);
  const me = accountsHere(env).find((a) => a.id === user.id);
  env.db.sqlite.transaction(() => {
    stmt(env.db.sqlite, 'UPDATE users SET password_hash = ?, public_key = ? WHERE id = ?').run(passwordHash, publicKey, user.id);
    const actor: Actor = { userId: user.id, role: user.role, doctorId: user.doctorId, key };
    const audit = { entity: 'account', entityId: user.id, detail: 'signing key' };
    if (enrolled(env) && me) journal(env, actor, { name: 'accounts.key', args: { userId: user.id, passwordHash, publicKey } satisfies OpArgs<'accounts.key'> }, audit);
    else auditOnly(env, actor, 'accounts.key', audit);
  })();
  return key;
}
