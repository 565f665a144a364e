import { afterAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../sync-server/admin/commands.js';
import { clientForKey } from '../../sync-server/api/clients.js';
import { regions } from '../../sync-server/db/schema.js';
import { seedOrgs } from '../support/sync-fixture.js';
import { Backends } from '../support/server.js';

/** Issue 20: the server's administrator gives another system its key, sees who has one, and takes it back. */
const backends = new Backends();
afterAll(() => backends.stop());

describe('booking API clients from the command line (add-api-client, api-clients, disable-api-client)', () => {
  it('names only regions and clinics the server has, shows the key once, and a disabled key opens nothing', async () => {
    const database = await backends.database('pglite');
    await seedOrgs(database.db);
    await database.db.insert(regions).values({ id: 'r', name: 'R' }).onConflictDoNothing();
    const now = Date.parse('2026-11-23T03:00:00Z');
    await expect(runAdmin(database.db, 'add-api-client', { name: 'portal', channel: 'internet', regions: ['kg-chuy'], organizations: [], perMinute: 600 }, now)).rejects.toThrow(
      /unknown region kg-chuy/,
    );
    await expect(runAdmin(database.db, 'add-api-client', { name: 'portal', channel: 'internet', regions: [], organizations: ['org-zz'], perMinute: 600 }, now)).rejects.toThrow(
      /unknown organization org-zz/,
    );
    await expect(runAdmin(database.db, 'add-api-client', { name: 'portal', channel: 'internet', regions: [], organizations: [], perMinute: 600 }, now)).rejects.toThrow(/name the regions/);
    const { client, key } = await runAdmin(database.db, 'add-api-client', { name: 'ЦТО', channel: 'call_centre', regions: [], organizations: ['org-a'], perMinute: 1200 }, now);
    expect(key).toMatch(/^kz_[A-Za-z0-9_-]{43}$/);
    expect(await clientForKey(database.db, key)).toMatchObject({ id: client.id, channel: 'call_centre', organizations: ['org-a'], perMinute: 1200 });
    expect((await runAdmin(database.db, 'api-clients', {}, now)).clients).toEqual([expect.objectContaining({ name: 'ЦТО', disabled: false })]);
    // The listing never shows a key, nor its hash.
    expect(JSON.stringify(await runAdmin(database.db, 'api-clients', {}, now))).not.toMatch(/kz_|keyHash/);
    await runAdmin(database.db, 'disable-api-client', { id: client.id }, now);
    expect(await clientForKey(database.db, key)).toBeNull();
    await expect(runAdmin(database.db, 'disable-api-client', { id: client.id }, now)).rejects.toThrow(/no enabled API client/);
    await database.close();
  });
});
