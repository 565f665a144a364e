import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, scrypt as scryptCb, sign, verify } from 'node:crypto';

/**
 * Each staff account signs its ops with its own Ed25519 key (issue 19 finding 1). Desks hold the
 * private key only as a *credential*: encrypted (AES-256-GCM) under a key scrypt derives from the
 * person's password. The credential stands where a password hash stood — every desk of the clinic
 * has it, so anyone signs in offline at any desk — and opening it is the password check (the GCM tag
 * fails for a wrong password). A PC's token and database therefore let nobody sign as a person whose
 * password they do not know; the server verifies each op with the account's public key.
 */

/**
 * scrypt N=2^17, r=8, p=1: OWASP's recommendation (about 0.4 s on these PCs, once per sign-in). The
 * parameters travel in each credential, so a credential made with other ones still opens. Tests may
 * set KEZEK_INSECURE_FAST_KDF=1 (2^10) so hundreds of test accounts do not take minutes — never in use.
 */
const LOG2_N = process.env.KEZEK_INSECURE_FAST_KDF === '1' ? 10 : 17;
const R = 8;
const P = 1;
/** Enough for N=2^17 at r=8 (128 MiB) — and refuses a credential whose parameters would ask for more. */
const MAXMEM = 160 * 1024 * 1024;
const PREFIX = 'edkey1';

const scrypt = (password: string, salt: Buffer, logN: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password.normalize('NFC'), salt, 32, { N: 2 ** logN, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))));

/** The public key as the server keeps it: the raw 32 bytes, base64. */
export function publicKeyText(key: KeyObject): string {
  return Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url').toString('base64');
}

const publicKeys = new Map<string, KeyObject>();
/** A public key from its text, kept: the server verifies many ops of few people. */
export function publicKeyOf(text: string): KeyObject {
  let k = publicKeys.get(text);
  if (!k) {
    k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(text, 'base64').toString('base64url') }, format: 'jwk' });
    if (publicKeys.size > 10_000) publicKeys.clear();
    publicKeys.set(text, k);
  }
  return k;
}

export const isCredential = (stored: string): boolean => stored.startsWith(`${PREFIX}$`);

/** The private key sealed under the password: `edkey1$log2N$r$p$salt$iv$tag$ciphertext` (base64 parts). */
export async function sealKey(privateKey: KeyObject, password: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await scrypt(password, salt, LOG2_N, R, P), iv);
  cipher.setAAD(Buffer.from(PREFIX));
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const ct = Buffer.concat([cipher.update(der), cipher.final()]);
  return [PREFIX, LOG2_N, R, P, salt.toString('base64'), iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join('$');
}

/** A new key pair for an account, sealed under its (first or temporary) password. */
export async function newCredential(password: string): Promise<{ passwordHash: string; publicKey: string; key: KeyObject }> {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { passwordHash: await sealKey(privateKey, password), publicKey: publicKeyText(privateKey), key: privateKey };
}

/** Open a credential with a password: its private key, or null when the password (or the credential) is wrong. */
export async function openCredential(password: string, stored: string): Promise<KeyObject | null> {
  const [prefix, logN, r, p, salt, iv, tag, ct] = stored.split('$');
  if (prefix !== PREFIX || !salt || !iv || !tag || !ct) return null;
  const [n, rr, pp] = [Number(logN), Number(r), Number(p)];
  if (!Number.isInteger(n) || n < 10 || n > 20 || !Number.isInteger(rr) || rr < 1 || rr > 16 || !Number.isInteger(pp) || pp < 1 || pp > 4) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', await scrypt(password, Buffer.from(salt, 'base64'), n, rr, pp), Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(PREFIX));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const der = Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return null;
  }
}

/** Opened when the name is unknown, so the time a sign-in takes does not tell which names exist (made once, at the current cost). */
let dummy: Promise<string> | undefined;
export const dummyCredential = (): Promise<string> => {
  dummy ??= sealKey(generateKeyPairSync('ed25519').privateKey, randomBytes(16).toString('hex'));
  return dummy;
};

/** What an op's signature covers: the organization, this install, the op's id, name and arguments, and the person. */
export interface SignedFields {
  orgId: string;
  installId: string;
  opId: string;
  name: string;
  userId: string;
  args: unknown;
}

/** JSON with object keys sorted: the same text on the desk that signs and the server that checks, whatever order keys travel in. */
function canonical(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'null';
  if (Array.isArray(x)) return `[${x.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
  const entries = Object.entries(x)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

const message = (f: SignedFields): Buffer => Buffer.from(canonical(['kezek-op', 1, f.orgId, f.installId, f.opId, f.name, f.userId, f.args]));

const signed = (key: KeyObject, text: Buffer): string => sign(null, text, key).toString('base64');
function verified(publicKey: string, text: Buffer, signature: string): boolean {
  try {
    return verify(null, text, publicKeyOf(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export const signOp = (key: KeyObject, f: SignedFields): string => signed(key, message(f));
export const verifyOp = (publicKey: string, f: SignedFields, signature: string): boolean => verified(publicKey, message(f), signature);

/**
 * A hall request (src-shared/hall/calls.ts) travels the clinic's LAN from a cabinet PC to the desk running the hall's
 * screen, not through the server: signed by the person who pressed the key, checked there with their public key.
 */
const hallMessage = (request: unknown): Buffer => Buffer.from(canonical(['kezek-hall', 1, request]));

export const signHallRequest = (key: KeyObject, request: unknown): string => signed(key, hallMessage(request));
export const verifyHallRequest = (publicKey: string, request: unknown, signature: string): boolean => verified(publicKey, hallMessage(request), signature);
