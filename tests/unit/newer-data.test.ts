import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NewerDataError, openDb } from '../../src-main/db/open.js';

const dir = mkdtempSync(join(tmpdir(), 'kezek-newer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Issue 24 finding 1's cost, guarded: with per-user installs, another Windows account's newer Kezek can migrate the
 * PC's shared data folder; an older copy must not run on tables it does not know.
 */
describe('a desk older than its data', () => {
  it('opens data it knows, and refuses data a newer Kezek migrated — saying what to do — without touching it', () => {
    const file = join(dir, 'kezek.sqlite');
    openDb(file).sqlite.close();
    // A newer version's migration, as drizzle records one.
    const raw = new Database(file);
    const last = (raw.prepare('SELECT max(created_at) AS at FROM __drizzle_migrations').get() as { at: number }).at;
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('from-a-newer-kezek', last + 86_400_000);
    const before = (raw.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    raw.close();
    expect(() => openDb(file)).toThrow(NewerDataError);
    expect(() => openDb(file)).toThrow(/обновлены более новой версией Кезек.*Обновите Кезек/);
    const after = new Database(file);
    expect((after.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(before);
    after.close();
  });
});
