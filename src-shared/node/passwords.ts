import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))));

// scrypt N=2^17, r=8, p=1: OWASP's recommendation (about 0.4 s here, once per sign-in). Parameters are stored
// per hash, so older hashes (2^15) still verify. KEZEK_INSECURE_FAST_KDF=1 is for tests only (see op-keys.ts).
const PARAMS = { N: process.env.KEZEK_INSECURE_FAST_KDF === '1' ? 1 << 10 : 1 << 17, r: 8, p: 1, maxmem: 160 * 1024 * 1024 };

/** Salted scrypt hash: `scrypt$N$r$p$salt$hash` (base64). Works offline: no server involved. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algo, N, r, p, salt, hash] = stored.split('$');
  if (algo !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(N), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem });
  return timingSafeEqual(key, expected);
}

/** Checked instead when the name is unknown, so the time a sign-in takes does not tell which names exist. */
export const DUMMY_HASH = `scrypt$${PARAMS.N}$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
