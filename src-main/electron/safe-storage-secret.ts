// The device token in the OS keychain (Windows DPAPI, macOS Keychain, libsecret/kwallet on Linux)
// through Electron's safeStorage. Where only the hard-coded "basic_text" backend exists, the
// encryption protects nothing, so the 0600 file is used instead (and says so in the log).
import { safeStorage } from 'electron';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileSecretStore, type SecretStore } from '../sync/secret-store.js';

export async function safeStorageSecretStore(dataDir: string): Promise<SecretStore> {
  const usable = (await safeStorage.isAsyncEncryptionAvailable()) && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  if (!usable) {
    console.warn('safeStorage is not protected on this machine: keeping the device token in a file only this user can read');
    return fileSecretStore(dataDir);
  }
  const file = join(dataDir, 'device-token.enc');
  let value: string | null = existsSync(file) ? (await safeStorage.decryptStringAsync(readFileSync(file))).result : null;
  return {
    get: () => value,
    set: (v) => {
      value = v;
      void safeStorage.encryptStringAsync(v).then((enc) => writeFileSync(file, enc, { mode: 0o600 }));
    },
  };
}
