import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the desk keeps its device token. Electron uses the OS keychain (safeStorage) through the same interface. */
export interface SecretStore {
  get(): string | null;
  set(value: string): void;
}

/** A file only this user can read (0600), beside the database (`device-token`; a kiosk's key also `kiosk-secret`). */
export function fileSecretStore(dataDir: string, name = 'device-token'): SecretStore {
  const file = join(dataDir, name);
  return {
    get: () => (existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null),
    set: (value) => {
      writeFileSync(file, value, { mode: 0o600 });
      chmodSync(file, 0o600);
    },
  };
}
