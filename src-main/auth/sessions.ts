import { randomBytes } from 'node:crypto';
import type { User } from '../../src-shared/domain/appointment.js';
import type { Lang } from '../../src-shared/domain/enums.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { verifyPassword } from './passwords.js';

export interface SessionInfo { user: User; lang: Lang; expiresAt: number }

const TTL = 12 * 3_600_000; // one working day, then sign in again

/** Local accounts and the desk's signed-in sessions (in memory: a restart signs everyone out). */
export class Sessions {
  private readonly byToken = new Map<string, SessionInfo>();

  constructor(private readonly db: Db, private readonly clock: () => number) {}

  async signIn(username: string, password: string, lang: Lang): Promise<{ token: string; user: User; lang: Lang }> {
    const row = stmt(this.db.sqlite, 'SELECT id, username, full_name AS fullName, role, doctor_id AS doctorId, password_hash AS hash FROM users WHERE username = ?')
      .get(username) as (User & { hash: string }) | undefined;
    // Verify against a dummy hash when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, row?.hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    if (!row || !ok) throw new AppError('bad_credentials');
    const { hash: _hash, ...user } = row;
    const token = randomBytes(32).toString('base64url');
    this.byToken.set(token, { user, lang, expiresAt: this.clock() + TTL });
    return { token, user, lang };
  }

  get(token: string | undefined): SessionInfo | undefined {
    if (!token) return undefined;
    const s = this.byToken.get(token);
    if (s && s.expiresAt < this.clock()) {
      this.byToken.delete(token);
      return undefined;
    }
    return s;
  }

  signOut(token: string): void {
    this.byToken.delete(token);
  }
}
