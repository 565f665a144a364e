import { describe, expect, it } from 'vitest';
import { connect } from '../../sync-server/db/connect.js';
import { changeLog } from '../../sync-server/db/schema.js';
import { Pokes } from '../../sync-server/sync/pokes.js';

describe('pokes across server processes (issue 3 item 3)', () => {
  it('a change written by another process (straight into the change log) pokes this process’s listeners of that organization only, within about a second', async () => {
    const database = await connect({});
    const pokes = new Pokes(database.db, 200);
    const got: string[] = [];
    const off = [
      pokes.subscribe('org-a', { poke: () => got.push('a'), close: () => got.push('a-closed') }),
      pokes.subscribe('org-b', { poke: () => got.push('b'), close: () => got.push('b-closed') }),
    ];
    await new Promise((r) => setTimeout(r, 500)); // the poller has seen where each organization stands
    await database.db.insert(changeLog).values({ orgId: 'org-a', entity: 'appointment', entityId: 'x', op: 'put', row: {}, at: 0 });
    await expect.poll(() => got, { timeout: 3000 }).toContain('a');
    expect(got).not.toContain('b');
    pokes.close();
    expect(got).toEqual(expect.arrayContaining(['a-closed', 'b-closed']));
    for (const f of off) f();
    await database.close();
  });
});
