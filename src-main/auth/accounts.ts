import type { Db } from '../db/open.js';
import { hashPassword } from './passwords.js';

/**
 * The desk's starting accounts on a freshly enrolled PC, with the password the
 * installer chose: the registry's everyday account, its head, and an
 * administrator — and on a doctor's cabinet PC, `doctor`, bound to that doctor.
 * Accounts are local to the desk, so signing in works offline.
 */
export async function createLocalAccounts(db: Db, password: string, cabinetDoctorId: string | null = null): Promise<void> {
  const accounts = [
    { id: 'user-registrar', username: 'registrar', fullName: 'Регистратор', role: 'registrar', doctorId: null },
    { id: 'user-head', username: 'head', fullName: 'Заведующий регистратурой', role: 'head', doctorId: null },
    { id: 'user-admin', username: 'admin', fullName: 'Администратор', role: 'admin', doctorId: null },
    ...(cabinetDoctorId ? [{ id: 'user-doctor', username: 'doctor', fullName: 'Врач', role: 'doctor', doctorId: cabinetDoctorId }] : []),
  ];
  const hashes = await Promise.all(accounts.map(() => hashPassword(password)));
  const ins = db.sqlite.prepare('INSERT OR IGNORE INTO users (id, username, full_name, role, doctor_id, password_hash) VALUES (?, ?, ?, ?, ?, ?)');
  db.sqlite.transaction(() => {
    for (const [i, a] of accounts.entries()) ins.run(a.id, a.username, a.fullName, a.role, a.doctorId, hashes[i]);
  })();
}
