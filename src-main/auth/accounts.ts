import { type KeyObject, randomBytes } from 'node:crypto';
import { type Account, KIOSK_USER_ID } from '../../src-shared/domain/account.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { newCredential, publicKeyText, sealKey } from '../../src-shared/node/op-keys.js';

/**
 * The organization's first accounts, with the password the installer chose at enrollment: the
 * registry's everyday account, its head, and an administrator. Their ids are the same on every
 * desk; the first desk enrolled seeds them on the server, which then holds the organization's
 * accounts (a later desk takes the server's — its installer's password is not used).
 */
export async function bootstrapAccounts(password: string): Promise<Account[]> {
  const base = [
    { id: 'user-registrar', username: 'registrar', fullName: 'Регистратор', role: 'registrar' },
    { id: 'user-head', username: 'head', fullName: 'Заведующий регистратурой', role: 'head' },
    { id: 'user-admin', username: 'admin', fullName: 'Администратор', role: 'admin' },
  ] as const;
  return Promise.all(
    base.map(async (a) => {
      const { passwordHash, publicKey } = await newCredential(password);
      return { ...a, doctorId: null, passwordHash, publicKey, disabled: false, mustChangePassword: false };
    }),
  );
}

/** The id of a cabinet PC's own doctor account (the same on every cabinet PC; the server tells them apart by the PC). */
export const CABINET_DOCTOR_ID = 'user-doctor';

/**
 * A doctor's cabinet PC keeps its own `doctor` account, bound to that doctor (this PC's only). Its credential is made
 * before the PC enrolls, so the enrollment registers its public key (the code proves the installer).
 */
export async function cabinetCredential(password: string): Promise<{ passwordHash: string; publicKey: string }> {
  const { passwordHash, publicKey } = await newCredential(password);
  return { passwordHash, publicKey };
}

export function cabinetAccount(credential: { passwordHash: string; publicKey: string }, doctorId: string): Account {
  return { id: CABINET_DOCTOR_ID, username: 'doctor', fullName: 'Врач', role: 'doctor', doctorId, ...credential, disabled: false, mustChangePassword: false };
}

/**
 * A kiosk signs its bookings and check-ins as itself, not as a person: its own account, whose key is sealed under a
 * random secret kept beside the device token (no one types a password at a kiosk) and opened at every start.
 */
export async function kioskAccount(privateKey: KeyObject): Promise<{ account: Account; secret: string }> {
  const secret = randomBytes(32).toString('base64url');
  const account: Account = {
    id: KIOSK_USER_ID,
    username: 'kiosk',
    fullName: 'Инфомат',
    role: 'kiosk',
    doctorId: null,
    passwordHash: await sealKey(privateKey, secret),
    publicKey: publicKeyText(privateKey),
    disabled: false,
    mustChangePassword: false,
  };
  return { account, secret };
}

/**
 * Write accounts into the desk's table. `shared`: the organization's (arrived from, or seeded on,
 * the server) — the server's row replaces the desk's; otherwise this PC's own, never overwritten.
 */
export function saveAccounts(db: Db, accounts: readonly Account[], shared: boolean): void {
  const put = stmt(
    db.sqlite,
    `INSERT INTO users (id, username, full_name, role, doctor_id, password_hash, public_key, disabled, must_change_password, shared)
      VALUES (@id, @username, @fullName, @role, @doctorId, @passwordHash, @publicKey, @disabled, @mustChangePassword, @shared)
      ON CONFLICT(id) DO UPDATE SET username = excluded.username, full_name = excluded.full_name, role = excluded.role, doctor_id = excluded.doctor_id,
        password_hash = excluded.password_hash, public_key = excluded.public_key, disabled = excluded.disabled, must_change_password = excluded.must_change_password, shared = excluded.shared
      WHERE users.shared = 1 OR excluded.shared = 0`,
  );
  // The organization's usernames win: a PC's own account of the same name steps aside (`doctor` → `doctor.user-doc`),
  // and so does an account made here offline that the server is about to refuse (another desk took the login first).
  const stepAside = stmt(db.sqlite, "UPDATE users SET username = username || '.' || substr(id, 1, 8) WHERE username = ? AND id != ?");
  db.sqlite.transaction(() => {
    for (const a of accounts) if (shared) stepAside.run(a.username, a.id);
    for (const a of accounts) put.run({ ...a, publicKey: a.publicKey ?? null, disabled: a.disabled ? 1 : 0, mustChangePassword: a.mustChangePassword ? 1 : 0, shared: shared ? 1 : 0 });
  })();
}

/** The organization's accounts this desk holds (hashes only): what a desk enrolling again brings, as a first desk does. */
export function sharedAccounts(db: Db): Account[] {
  const rows = stmt(
    db.sqlite,
    `SELECT id, username, full_name AS fullName, role, doctor_id AS doctorId, password_hash AS passwordHash, public_key AS publicKey, disabled,
        must_change_password AS mustChangePassword
      FROM users WHERE shared = 1 ORDER BY id`,
  ).all() as Array<Omit<Account, 'disabled' | 'mustChangePassword'> & { disabled: number; mustChangePassword: number }>;
  return rows.map((r) => ({ ...r, disabled: r.disabled === 1, mustChangePassword: r.mustChangePassword === 1 }));
}
