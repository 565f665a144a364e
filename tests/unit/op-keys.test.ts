import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newCredential, openCredential, publicKeyText, sealKey, signOp, verifyOp } from '../../src-shared/node/op-keys.js';

const fields = { orgId: 'org-a', installId: 'install-1', opId: 'op-1', name: 'accounts.password', userId: 'user-admin', args: { userId: 'user-admin', passwordHash: 'x'.repeat(30) } };

describe('signing keys sealed under the password (issue 19 finding 1)', () => {
  it('the password opens the key; a wrong one does not, and a tampered credential opens for nobody', async () => {
    const c = await newCredential('correct horse');
    expect(c.passwordHash.startsWith('edkey1$')).toBe(true);
    const key = await openCredential('correct horse', c.passwordHash);
    expect(key && publicKeyText(key)).toBe(c.publicKey);
    expect(await openCredential('correct hors', c.passwordHash)).toBeNull();
    const parts = c.passwordHash.split('$');
    parts[7] = Buffer.from(Buffer.from(parts[7]!, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64');
    expect(await openCredential('correct horse', parts.join('$'))).toBeNull();
  });

  it('a new password seals the same key: ops signed before it still verify', async () => {
    const c = await newCredential('first password');
    const key = (await openCredential('first password', c.passwordHash))!;
    const resealed = await sealKey(key, 'second password');
    expect(await openCredential('first password', resealed)).toBeNull();
    expect(publicKeyText((await openCredential('second password', resealed))!)).toBe(c.publicKey);
  });

  it('a signature covers the organization, the install, the op, its arguments and the person', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pub = publicKeyText(privateKey);
    const sig = signOp(privateKey, fields);
    expect(verifyOp(pub, fields, sig)).toBe(true);
    // Key order does not matter (JSON travels as it likes); every value does.
    expect(verifyOp(pub, { ...fields, args: { passwordHash: 'x'.repeat(30), userId: 'user-admin' } }, sig)).toBe(true);
    for (const changed of [
      { orgId: 'org-b' },
      { installId: 'install-2' },
      { opId: 'op-2' },
      { name: 'accounts.put' },
      { userId: 'user-head' },
      { args: { userId: 'user-admin', passwordHash: 'y'.repeat(30) } },
    ])
      expect(verifyOp(pub, { ...fields, ...changed }, sig)).toBe(false);
    expect(verifyOp(publicKeyText(generateKeyPairSync('ed25519').privateKey), fields, sig)).toBe(false);
    expect(verifyOp(pub, fields, 'not base64 at all')).toBe(false);
  });

  it('in use (no test knob) the key is sealed at scrypt N=2^17, r=8 — OWASP’s recommendation', () => {
    const env = { ...process.env };
    delete env.KEZEK_INSECURE_FAST_KDF;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', "import('./src-shared/node/op-keys.ts').then(async (m) => console.log((await m.newCredential('pw')).passwordHash))"], {
      env,
      encoding: 'utf8',
    });
    expect(out.trim().split('$').slice(0, 4)).toEqual(['edkey1', '17', '8', '1']);
  });
});
