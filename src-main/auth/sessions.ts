import { randomBytes } from 'node:crypto';
import type { User } from '../../src-shared/domain/appointment.js';
import type { Lang } from '../../src-shared/domain/enums.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { DUMMY_HASH, verifyPassword } from '../../src-shared/node/passwords.js';

export interface SessionInfo {
  user: User;
  lang: Lang;
  expiresAt: number;
  /** A temporary password (set by the administrator) was used: only choosing one's own works until then. */
  mustChangePassword: boolean;
}

const TTL = 12 * 3_600_000; // one working day, then sign in again

/**
 * Sign-in throttling: after a few wrong passwords an account (or an address, with a larger
 * budget — a desk's registrars share one) must wait, doubling from 30 s up to 15 minutes.
 * Guessing a password then takes years instead of minutes; a registrar who mistyped waits seconds.
 */
const FREE_FAILURES = { account: 5, address: 20 } as const;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;

interface Failures {
  count: number;
  until: number;
}

/** Local accounts and the desk's signed-in sessions (in memory: a restart signs everyone out). */
export class Sessions {
  private readonly byToken = new Map<string, SessionInfo>();
  /** When someone last used the desk (any call of a live session): updates install only after a quiet half hour. */
  lastActivityAt = 0;
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {}

  async signIn(username: string, password: string, lang: Lang, address = 'local'): Promise<{ token: string; user: User; lang: Lang; mustChangePassword: boolean }> {
    const keys = [
      ['account', `u:${username.toLowerCase()}`],
      ['address', `a:${address}`],
    ] as const;
    const now = this.clock();
    const wait = Math.max(0, ...keys.map(([, k]) => (this.failures.get(k)?.until ?? 0) - now));
    if (wait > 0) throw new AppError('too_many_attempts', { seconds: Math.ceil(wait / 1000) });
    const row = stmt(
      this.db.sqlite,
      'SELECT id, username, full_name AS fullName, role, doctor_id AS doctorId, password_hash AS hash, must_change_password AS mustChange FROM users WHERE username = ? AND disabled = 0',
    ).get(username) as (User & { hash: string; mustChange: number }) | undefined;
    // Verify against a dummy hash when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, row?.hash ?? DUMMY_HASH);
    if (!row || !ok) {
      // Bounded memory whatever names are tried: forget waits that are over once the table grows.
      if (this.failures.size > 10_000) for (const [k, f] of this.failures) if (f.until < now) this.failures.delete(k);
      for (const [kind, k] of keys) {
        const f = this.failures.get(k) ?? { count: 0, until: 0 };
        f.count++;
        const over = f.count - FREE_FAILURES[kind];
        if (over >= 0) f.until = now + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** over);
        this.failures.set(k, f);
      }
      throw new AppError('bad_credentials');
    }
    for (const [, k] of keys) this.failures.delete(k);
    const { hash: _hash, mustChange, ...user } = row;
    const token = randomBytes(32).toString('base64url');
    const mustChangePassword = mustChange === 1;
    this.byToken.set(token, { user, lang, expiresAt: this.clock() + TTL, mustChangePassword });
    return { token, user, lang, mustChangePassword };
  }

  get(token: string | undefined): SessionInfo | undefined {
    if (!token) return undefined;
    const s = this.byToken.get(token);
    if (!s) return undefined;
    // A session ends with its working day, or as soon as the administrator disabled its account (at any desk: it arrives by sync).
    if (s.expiresAt < this.clock() || this.disabled(s.user.id)) {
      this.byToken.delete(token);
      return undefined;
    }
    this.lastActivityAt = this.clock();
    return s;
  }

  private disabled(userId: string): boolean {
    const r = stmt(this.db.sqlite, 'SELECT disabled FROM users WHERE id = ?').get(userId) as { disabled: number } | undefined;
    return !r || r.disabled === 1;
  }

  /** The person chose their own password: the session works in full. */
  passwordChanged(token: string): void {
    const s = this.byToken.get(token);
    if (s) s.mustChangePassword = false;
  }

  signOut(token: string): void {
    this.byToken.delete(token);
  }
}
