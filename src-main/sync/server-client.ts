import { runningHeaders } from '../version.js';
import { z } from 'zod';
import type { Account } from '../../src-shared/domain/account.js';
import { type DeskReport, leaseResponse, pullResponse, pushResponse, type LeaseResponse, type PullResponse, type PushOp, type PushResponse } from '../../src-shared/sync/protocol.js';

/** Why talking to the server failed: the desk shows "offline" for the first, asks for re-enrollment for the second. */
export class SyncError extends Error {
  constructor(
    readonly kind: 'offline' | 'unauthorized' | 'update_required' | 'refused' | 'bad_response',
    message: string,
  ) {
    super(message);
  }
}

const enrollResponse = z.object({
  deviceId: z.string(),
  token: z.string(),
  orgId: z.string(),
  kind: z.enum(['desk', 'cabinet', 'kiosk']).default('desk'),
  doctorId: z.string().nullable().default(null),
  ticketPrefix: z.string().optional(),
});

/** The desk's side of the HTTP protocol; every answer is checked with zod before it is used. */
/** `fetch` itself, or a stand-in with faults (the sync simulation's network). */
export type FetchFn = (url: URL, init: RequestInit) => Promise<Response>;

export class ServerClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
    private readonly timeoutMs = 5000,
    readonly fetchFn: FetchFn = fetch,
  ) {}

  /** The same server and network with another token (a desk enrolled again). */
  withToken(token: string): ServerClient {
    return new ServerClient(this.baseUrl, token, this.timeoutMs, this.fetchFn);
  }

  private async request<T>(path: string, init: RequestInit, schema: z.ZodType<T>): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchFn(new URL(path, this.baseUrl), {
        ...init,
        headers: { 'content-type': 'application/json', ...runningHeaders(), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new SyncError('offline', String((e as Error).cause ?? e));
    }
    const body: unknown = await res.json().catch(() => null);
    if (res.status === 401) throw new SyncError('unauthorized', JSON.stringify(body));
    // The server no longer takes this app version's ops (426): nothing was applied; they wait here for the update.
    if (res.status === 426) throw new SyncError('update_required', JSON.stringify(body));
    if (!res.ok) throw new SyncError(res.status >= 500 ? 'offline' : 'refused', `${res.status} ${JSON.stringify(body)}`);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new SyncError('bad_response', parsed.error.message);
    return parsed.data;
  }

  /** `installId`: this install's own id, so a lost answer can be asked for again with the same code. */
  /** `accounts`: the clinic's first accounts (hashes only), which the server keeps if this is the clinic's first desk. */
  enroll(code: string, deviceName: string, installId: string, accounts: readonly Account[] = [], cabinetSigner: { userId: string; publicKey: string } | null = null) {
    return this.request('/enroll', { method: 'POST', body: JSON.stringify({ code, deviceName, installId, accounts, cabinetSigner }) }, enrollResponse);
  }

  push(schemaVersion: number, ops: PushOp[], installId?: string): Promise<PushResponse> {
    return this.request('/sync/push', { method: 'POST', body: JSON.stringify({ schemaVersion, ops, installId }) }, pushResponse);
  }

  /** The desk's own state for the installer's console. */
  report(r: DeskReport): Promise<unknown> {
    return this.request('/sync/status', { method: 'POST', body: JSON.stringify(r) }, z.object({ ok: z.literal(true) }));
  }

  leases(renewal: number): Promise<LeaseResponse> {
    return this.request('/sync/leases', { method: 'POST', body: JSON.stringify({ renewal }) }, leaseResponse);
  }

  /**
   * Follow the server's event stream until it ends or `signal` aborts; calls
   * `onEvent` with each event's name (hello, poke, ping). Resolves when the
   * stream ends; throws SyncError when it cannot be opened.
   */
  async events(signal: AbortSignal, onEvent: (name: string) => void): Promise<void> {
    let res: Response;
    try {
      res = await this.fetchFn(new URL('/sync/events', this.baseUrl), { headers: this.token ? { authorization: `Bearer ${this.token}` } : {}, signal });
    } catch (e) {
      throw new SyncError('offline', String((e as Error).cause ?? e));
    }
    if (res.status === 401) throw new SyncError('unauthorized', 'event stream refused');
    if (!res.ok || !res.body) throw new SyncError('offline', `event stream ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          if (name) onEvent(name.trim());
        }
      }
    } catch (e) {
      if (!signal.aborted) throw new SyncError('offline', String(e));
    }
  }

  pull(cursor: number, limit = 2000, withCount = false): Promise<PullResponse> {
    return this.request(`/sync/pull?cursor=${cursor}&limit=${limit}${withCount ? '&count=1' : ''}`, { method: 'GET' }, pullResponse);
  }
}
