import type { Account } from '../../src-shared/domain/account.js';
import { isTicketPrefix } from '../../src-shared/print/ticket-prefix.js';
import { sharedAccounts } from '../auth/accounts.js';
import type { Db } from '../db/open.js';
import { stmt } from '../db/stmt.js';
import { adoptTicketPrefix } from '../services/ticket-codes.js';
import { applyChanges } from './apply.js';
import { meta, setMeta, startOver } from './meta.js';
import { ServerClient, type FetchFn } from './server-client.js';

/** A first download's pages: bigger (fewer round trips for 100,000 rows), still short enough not to freeze the window. */
const BOOTSTRAP_PAGE = 300;

/**
 * First start of a clinic's desk, step 1: redeem the code; the token and the server are remembered at once.
 * Returns the doctor a cabinet PC belongs to (null for a front desk).
 */
export async function enroll(
  db: Db,
  opts: {
    serverUrl: string;
    code: string;
    deviceName: string;
    accounts: readonly Account[];
    /** This PC's own doctor account's public key: the server keeps it if the code is for a cabinet PC. */
    cabinetSigner?: { userId: string; publicKey: string } | null;
    storeToken(t: string): void;
    fetchFn?: FetchFn;
  },
): Promise<{ cabinetDoctorId: string | null; kind: 'desk' | 'cabinet' | 'kiosk' }> {
  // The install's id was stored before this request: if the answer is lost, the next start asks again with it and the same code.
  const r = await new ServerClient(opts.serverUrl, null, 30_000, opts.fetchFn).enroll(opts.code, opts.deviceName, meta(db, 'device_id')!, opts.accounts, opts.cabinetSigner ?? null);
  opts.storeToken(r.token);
  db.sqlite.transaction(() => {
    setMeta(db, 'server_url', opts.serverUrl);
    setMeta(db, 'device_name', opts.deviceName);
    setMeta(db, 'server_device_id', r.deviceId);
    setMeta(db, 'server_org_id', r.orgId);
    setMeta(db, 'device_kind', r.kind);
    if (r.ticketPrefix && isTicketPrefix(r.ticketPrefix)) adoptTicketPrefix(db, r.ticketPrefix);
  })();
  return { cabinetDoctorId: r.kind === 'cabinet' ? r.doctorId : null, kind: r.kind };
}

/**
 * The server refused this PC's token — it was revoked, or the server came back from a backup taken before this
 * PC was enrolled — and the installer gave a new code: enroll again and keep everything. The new device pulls the
 * clinic again from the start and sends every op of this desk again (the server applies an op it already holds
 * once: ops carry their ids). Brings the clinic's accounts along, as a first desk does, in case the server lost them too.
 */
export async function reenroll(db: Db, opts: { serverUrl: string; code: string; deviceName: string; storeToken(t: string): void; fetchFn?: FetchFn }): Promise<void> {
  // A cabinet PC's own doctor account goes along: the server keeps its key for this PC's new device.
  const own = stmt(db.sqlite, "SELECT id AS userId, public_key AS publicKey FROM users WHERE shared = 0 AND role = 'doctor' AND public_key IS NOT NULL LIMIT 1").get() as
    | { userId: string; publicKey: string }
    | undefined;
  await enroll(db, { ...opts, accounts: sharedAccounts(db), cabinetSigner: own ?? null });
  db.sqlite.transaction(() => {
    startOver(db, 0);
    stmt(db.sqlite, "DELETE FROM meta WHERE key IN ('server_history_id', 'server_refused_at')").run();
  })();
}

/**
 * Step 2: pull the organization's whole replica, page by page, reporting progress
 * (records so far, and in all when the server said). Each page commits with its
 * cursor, so an interrupted bootstrap resumes where it stopped on the next start
 * (the code is never needed again).
 */
export async function bootstrap(db: Db, token: string, opts: { onProgress?(done: number, total: number | null): void; fetchFn?: FetchFn } = {}): Promise<void> {
  const client = new ServerClient(meta(db, 'server_url')!, token, 30_000, opts.fetchFn);
  let done = 0;
  let total: number | null = null;
  for (;;) {
    const cursor = Number(meta(db, 'pull_cursor') ?? 0);
    const page = await client.pull(cursor, BOOTSTRAP_PAGE, total === null);
    if (page.remaining !== undefined) total = done + page.remaining;
    db.sqlite.transaction(() => {
      applyChanges(db, page.changes);
      if (page.cursor > cursor) setMeta(db, 'pull_cursor', String(page.cursor));
      if (page.ticketPrefix && isTicketPrefix(page.ticketPrefix)) adoptTicketPrefix(db, page.ticketPrefix);
    })();
    done += page.changes.length;
    opts.onProgress?.(done, total);
    if (!page.hasMore) break;
  }
  setMeta(db, 'org_id', meta(db, 'server_org_id')!);
}
