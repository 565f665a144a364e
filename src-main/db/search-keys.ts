import { NAME_KEY_VERSION, nameKey } from '../../src-shared/search/keys.js';
import type { Db } from './open.js';
import { stmt } from './stmt.js';

/**
 * The stored name keys were made by an older nameKey (e.g. before look-alike letters were
 * folded): recompute them once, in one transaction, so old and new patients match the same way.
 */
export function refreshNameKeys(db: Db): void {
  const row = stmt(db.sqlite, "SELECT value FROM meta WHERE key = 'name_key_version'").get() as { value: string } | undefined;
  if (Number(row?.value ?? 1) >= NAME_KEY_VERSION) return;
  db.sqlite.function('kezek_name_key', { deterministic: true }, (name) => nameKey(String(name)));
  db.sqlite.transaction(() => {
    db.sqlite.prepare('UPDATE patients SET name_key = kezek_name_key(full_name)').run();
    stmt(db.sqlite, "INSERT INTO meta (key, value) VALUES ('name_key_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(NAME_KEY_VERSION));
  })();
}
