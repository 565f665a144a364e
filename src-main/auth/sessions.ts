import { type KeyObject, randomBytes } from 'node:crypto';
import type { User } from '../../src-shared/domain/appointment.js';
import type { Lang } from '../../src-shared/domain/enums.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { verifyPassword } from '../../src-shared/node/passwords.js';
import { dummyCredential, isCredential, openCredential } from '../../src-shared/node/op-keys.js';
import { SignInThrottle } from '../../src-shared/node/throttle.js';

export interface SessionInfo {
  user: User;
  lang: Lang;
  expiresAt: number;
  /** A temporary password (set by the administrator) was used: only choosing one's own works until then. */
  mustChangePassword: boolean;
  /** The person's signing key, opened with their password at sign-in (in this process's memory only, never stored open). */
  key: KeyObject;
}

/** Gives an account from before signed ops its key pair (sealed under the password just checked) and tells the server. */
export type GiveKey = (user: User, password: string) => Promise<KeyObject>;

const TTL = 12 * 3_600_000; // one working day, then sign in again

/** Local accounts and the desk's signed-in sessions (in memory: a restart signs everyone out). */
export class Sessions {
  private readonly byToken = new Map<string, SessionInfo>();
  /** When someone last used the desk (any call of a live session): updates install only after a quiet half hour. */
  lastActivityAt = 0;
  /** The PC's own account with its key open, on a kiosk (issue 21): its screen's session needs no password. */
  own: { user: User; key: KeyObject } | null = null;
  /** How the shell closes a kiosk's window (Electron sets it); kiosk.exit, by the administrator only, calls it. */
  kioskExit: (() => void) | null = null;
  private readonly throttle = new SignInThrottle();

  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
    /** Set by the desk once its services exist (accounts.ts, giveKey). */
    public giveKey: GiveKey | null = null,
  ) {}

  async signIn(username: string, password: string, lang: Lang, address = 'local'): Promise<{ token: string; user: User; lang: Lang; mustChangePassword: boolean }> {
    const now = this.clock();
    const wait = this.throttle.wait(username, address, now);
    if (wait > 0) throw new AppError('too_many_attempts', { seconds: Math.ceil(wait / 1000) });
    const row = stmt(
      this.db.sqlite,
      'SELECT id, username, full_name AS fullName, role, doctor_id AS doctorId, password_hash AS hash, must_change_password AS mustChange FROM users WHERE username = ? AND disabled = 0',
    ).get(username) as (User & { hash: string; mustChange: number }) | undefined;
    // Opening the credential is the password check. A dummy one when the user is unknown, so timing does not reveal
    // which usernames exist; an account from before signed ops has a scrypt hash until this sign-in gives it a key.
    const stored = row?.hash ?? (await dummyCredential());
    const opened = isCredential(stored) ? await openCredential(password, stored) : (await verifyPassword(password, stored)) ? 'legacy' : null;
    if (!row || !opened) {
      this.throttle.failed(username, address, now);
      throw new AppError('bad_credentials');
    }
    this.throttle.succeeded(username, address);
    const { hash: _hash, mustChange, ...user } = row;
    if (opened === 'legacy' && !this.giveKey) throw new AppError('internal');
    const key = opened === 'legacy' ? await this.giveKey!(user, password) : opened;
    const token = randomBytes(32).toString('base64url');
    const mustChangePassword = mustChange === 1;
    this.byToken.set(token, { user, lang, expiresAt: this.clock() + TTL, mustChangePassword, key });
    return { token, user, lang, mustChangePassword };
  }

  /** A session of the PC's own account (a kiosk's, issue 21): no password, no person; null on any other PC. */
  openOwn(lang: Lang): { token: string; user: User; lang: Lang; mustChangePassword: boolean } | null {
    if (!this.own) return null;
    const token = randomBytes(32).toString('base64url');
    this.byToken.set(token, { user: this.own.user, lang, expiresAt: this.clock() + TTL, mustChangePassword: false, key: this.own.key });
    return { token, user: this.own.user, lang, mustChangePassword: false };
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

  /** The person chose their own password: the session works in full, signing with the key that password now opens. */
  passwordChanged(token: string, key: KeyObject): void {
    const s = this.byToken.get(token);
    if (s) {
      s.mustChangePassword = false;
      s.key = key;
    }
  }

  signOut(token: string): void {
    this.byToken.delete(token);
  }
}
