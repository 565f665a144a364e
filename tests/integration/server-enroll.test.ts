import { afterAll, describe, expect, it } from 'vitest';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { organizations } from '../../sync-server/db/schema.js';
import { Backends, startServer, type Backend } from '../support/server.js';

const backends = new Backends();
afterAll(() => backends.stop());

describe.each<Backend>(['pglite', 'postgres'])('sync server on %s', (kind) => {
  const setup = async () => {
    if (!(await backends.available(kind))) throw new Error(`${kind} unavailable: install PostgreSQL 15 binaries (/usr/lib/postgresql)`);
    const database = await backends.database(kind);
    await database.db.insert(organizations).values([
      { id: 'org-a', regionId: 'r', name: 'A', address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' },
      { id: 'org-b', regionId: 'r', name: 'B', address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' },
    ]);
    const server = await startServer(database);
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    };
    const get = async (path: string, token?: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    };
    return {
      database,
      server,
      post,
      get,
      close: async () => {
        await server.close();
        await database.close();
      },
    };
  };

  it('answers health with the database kind', async () => {
    const s = await setup();
    expect(await s.get('/health')).toMatchObject({ status: 200, json: { ok: true, db: kind } });
    await s.close();
  });

  it('enrolls a desk with a one-time code; the code cannot be replayed; the token identifies the device and its organization', async () => {
    const s = await setup();
    const code = await createEnrollmentCode(s.database.db, 'org-a', Date.now());
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const r = await s.post('/enroll', { code: code.toLowerCase(), deviceName: 'Регистратура 1' });
    expect(r).toMatchObject({ status: 200, json: { orgId: 'org-a', deviceId: expect.any(String), token: expect.any(String) } });
    expect(await s.get('/sync/whoami', r.json.token)).toMatchObject({ status: 200, json: { orgId: 'org-a', name: 'Регистратура 1' } });
    const replay = await s.post('/enroll', { code, deviceName: 'thief' });
    expect(replay).toMatchObject({ status: 401, json: { error: { code: 'enrollment_code_invalid' } } });
    await s.close();
  });

  it('refuses an expired code, a bad body, an unknown token and a missing token — and creates nothing', async () => {
    const s = await setup();
    const expired = await createEnrollmentCode(s.database.db, 'org-b', Date.now() - 100 * 3_600_000, 1);
    expect((await s.post('/enroll', { code: expired, deviceName: 'x' })).status).toBe(401);
    expect((await s.post('/enroll', '{"code":')).status).toBe(400);
    expect((await s.get('/sync/whoami', 'forged-token')).json.error.code).toBe('unauthenticated');
    expect((await s.get('/sync/whoami')).status).toBe(401);
    const n = await s.database.db.$count((await import('../../sync-server/db/schema.js')).devices);
    expect(n).toBe(0);
    await s.close();
  });

  it('refuses an oversized body', async () => {
    const s = await setup();
    expect((await s.post('/enroll', { code: 'x'.repeat(3_000_000), deviceName: 'x' })).status).toBe(413);
    await s.close();
  });
});
