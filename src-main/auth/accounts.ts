import type { Db } from '../db/open.js';
import { hashPassword } from './passwords.js';

/**
 * The desk's starting accounts on a freshly enrolled PC, with the password the
 * installer chose: the registry's everyday account, its head, and an administrator.
 * Accounts are local to the desk, so signing in works offline.
 */
export async function createLocalAccounts(db: Db, password: string): Promise<void> {
  const accounts = [
    { id: 'user-registrar', username: 'registrar', fullName: 'Регистратор', role: 'registrar' },
    { id: 'user-head', username: 'head', fullName: 'Заведующий регистратурой', role: 'head' },
    { id: 'user-admin', username: 'admin', fullName: 'Администратор', role: 'admin' },
  ];
  const hashes = await Promise.all(accounts.map(() => hashPassword(password)));
  const ins = db.sqlite.prepare('INSERT OR IGNORE INTO users (id, username, full_name, role, doctor_id, password_hash) VALUES (?, ?, ?, ?, NULL, ?)');
  db.sqlite.transaction(() => accounts.forEach((a, i) => ins.run(a.id, a.username, a.fullName, a.role, hashes[i])))();
}
