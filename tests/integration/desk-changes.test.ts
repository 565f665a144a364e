import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, listen, type RunningServer } from '../../src-main/rpc/http.js';
import { ChangeFeed, topicsOfSync } from '../../src-main/rpc/change-feed.js';
import { applyChanges } from '../../src-main/sync/apply.js';
import { TestDesk } from '../support/desk.js';

/**
 * Issue 23 finding 12: six screens asked again every 3–30 s. Now the desk tells its windows what changed over a
 * stream (`POST /events`, NDJSON) — a write through any window or LAN PC, a sync page, the printer — and nothing polls.
 */
let t: TestDesk;
let server: RunningServer;

beforeAll(async () => {
  t = await TestDesk.start();
  server = await listen(createHttpApp(t.desk.router, null), 0);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

/** A window's stream of notices: every line read so far, and a way to wait for one. */
async function openStream(token: string | null, headers: Record<string, string> = {}) {
  const stop = new AbortController();
  const res = await fetch(`${server.url}/events`, {
    method: 'POST',
    signal: stop.signal,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: '{}',
  });
  const lines: Array<{ ready?: boolean; topics?: string[] }> = [];
  if (res.ok && res.body) {
    void (async () => {
      let rest = '';
      try {
        for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
          rest += chunk;
          const parts = rest.split('\n');
          rest = parts.pop() ?? '';
          for (const p of parts) if (p.trim()) lines.push(JSON.parse(p));
        }
      } catch {
        // aborted
      }
    })();
  }
  return { res, lines, close: () => stop.abort() };
}

const topicsHeard = (lines: Array<{ topics?: string[] }>) => new Set(lines.flatMap((l) => l.topics ?? []));

describe('the desk tells its windows what changed (issue 23 finding 12)', () => {
  it('only a signed-in window of this desk hears: no session is 401, another origin 403', async () => {
    const none = await openStream(null);
    expect(none.res.status).toBe(401);
    expect(((await none.res.json()) as any).error.code).toBe('unauthenticated');
    const cross = await openStream(t.token, { origin: 'http://attacker.example' });
    expect(cross.res.status).toBe(403);
  });

  it('a booking made in one window reaches another at once, and a read changes nothing', async () => {
    const other = new TestDesk(t.dir);
    other.desk = t.desk;
    await other.signIn('registrar');
    const a = await openStream(t.token);
    await expect.poll(() => a.lines[0]).toEqual({ ready: true });
    // Reads are silent: nothing reaches the feed (a timer set after the reads fires after the feed's own would).
    const fed: string[][] = [];
    const unfollow = t.desk.changes.subscribe((topics) => fed.push(topics));
    await other.call('patients.find', { query: 'ас' });
    await other.call('tasks.list', {});
    await other.call('sync.status', {});
    await new Promise((r) => setTimeout(r, ChangeFeed.COALESCE_MS + 1));
    expect(fed).toEqual([]);
    unfollow();
    const p = t.desk.env.db.sqlite.prepare("SELECT id FROM patients WHERE attached_org_id = 'org-bishkek-lenin' AND priority = 0 LIMIT 1").get() as { id: string };
    const slot = t.desk.env.db.sqlite
      .prepare("SELECT id FROM slots WHERE specialty_id = 'family' AND appointment_id IS NULL AND blocked = 0 AND channel = 'registry' AND date > '2026-11-23' ORDER BY start_utc LIMIT 1")
      .get() as { id: string };
    await other.call('appointments.book', { patientId: p.id, slotId: slot.id });
    await expect.poll(() => topicsHeard(a.lines)).toEqual(new Set(['bookings', 'register', 'sync']));
    // One write, one notice (its topics together).
    expect(a.lines.filter((l) => l.topics)).toHaveLength(1);
    a.close();
  });

  it('a sync page tells the topics of the rows it brought; the printer its queue', async () => {
    const a = await openStream(t.token);
    await expect.poll(() => a.lines[0]).toEqual({ ready: true });
    const applied = t.desk.env.db.sqlite.transaction(() => applyChanges(t.desk.env.db, []))();
    expect(topicsOfSync(applied)).toEqual(['sync']);
    expect(topicsOfSync({ ...applied, entities: new Set(['task', 'appointment']) }).sort()).toEqual(['bookings', 'patients', 'register', 'sync', 'tasks']);
    expect(topicsOfSync({ ...applied, entities: new Set(['doctor']) }).sort()).toEqual(['bookings', 'schedule', 'sync']);
    t.desk.printer.queue.onChange();
    await expect.poll(() => topicsHeard(a.lines)).toContain('printer');
    a.close();
  });
});
