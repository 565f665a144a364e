import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDirectory } from '../../src-main/sync/export-directory.js';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { connect, type Database } from '../../sync-server/db/connect.js';
import { DirectoryFileError, importDirectory, parseDirectoryFile } from '../../sync-server/directory/import.js';
import { startServer } from '../support/server.js';
import { TestDesk } from '../support/desk.js';
import type { RunningServer } from '../../src-main/rpc/http.js';

let desk: TestDesk;
let database: Database;
let server: RunningServer;
beforeAll(async () => {
  desk = await TestDesk.start();
  database = await connect({});
  server = await startServer(database);
});
afterAll(async () => {
  await server.close();
  await database.close();
  await desk.close();
});

describe("directory import (the demo clinic as the server's file)", () => {
  it("a desk's export imports, an enrolled desk pulls all of it, and a re-import changes nothing", async () => {
    const file = parseDirectoryFile(JSON.parse(JSON.stringify(exportDirectory(desk.desk.env))));
    const org = file.organizations[0]!;
    expect(org.patients).toHaveLength(400);
    const first = await importDirectory(database.db, file, Date.now());
    expect(first).toMatchObject({ organizations: 1, unchanged: 0 });
    const again = await importDirectory(database.db, file, Date.now());
    expect(again.changed).toBe(0);

    const code = await createEnrollmentCode(database.db, org.organization.id, Date.now());
    const { token } = (await (
      await fetch(`${server.url}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: 'new desk' }) })
    ).json()) as { token: string };
    let cursor = 0;
    const counts: Record<string, number> = {};
    for (;;) {
      const page = (await (await fetch(`${server.url}/sync/pull?cursor=${cursor}&limit=300`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        changes: Array<{ entity: string }>;
        cursor: number;
        hasMore: boolean;
      };
      for (const c of page.changes) counts[c.entity] = (counts[c.entity] ?? 0) + 1;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(counts).toMatchObject({ organization: 1, doctor: org.doctors.length, patient: 400, template: org.templates.length, department: org.departments.length });
  });

  it('a malformed file is refused with the paths of its problems, and nothing is imported', async () => {
    expect(() => parseDirectoryFile({ format: 'kezek-directory/1', regions: [], specialties: [], organizations: [{ organization: { id: 'x' } }] })).toThrow(DirectoryFileError);
    expect(() => parseDirectoryFile({ format: 'other' })).toThrow(/format/);
  });
});
