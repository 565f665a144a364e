import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollmentCode } from '../../sync-server/auth/enrollment.js';
import { openDesk } from '../../src-main/desk.js';
import { signOp } from '../../src-shared/node/op-keys.js';
import { hashPassword } from '../../src-shared/node/passwords.js';
import { sql } from 'drizzle-orm';
import { SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { ClinicServer, ORG, signedIn, type EnrolledDesk } from '../support/clinic-server.js';
import { MONDAY_9AM } from '../support/desk.js';

/**
 * Issue 19 finding 1: a PC's device token and database are not enough to act as a person. Each test is an attacker with
 * exactly that: the token file, the SQLite replica (every account's credential, no password), and HTTP to the server.
 */
const clinic = new ClinicServer();
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

const sync = async (...desks: EnrolledDesk[]) => {
  for (const d of desks) await d.desk.sync!.syncOnce();
};
const tokenOf = (dir: string) => readFileSync(join(dir, 'device-token'), 'utf8').trim();
/** The server's position for a device (its next op's number is one more). */
const lastSeq = async (token: string) =>
  ((await (await fetch(`${clinic.url}/sync/pull?cursor=0&limit=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as { lastAppliedSeq: number }).lastAppliedSeq;
/** Push raw ops with a stolen token, as a script would. */
async function pushAs(token: string, ops: Array<{ opId: string; name: string; args: unknown; userId: string | null; signature: string | null }>) {
  const from = (await lastSeq(token)) + 1;
  const res = await fetch(`${clinic.url}/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, ops: ops.map((o, i) => ({ seq: from + i, hlc: `${MONDAY_9AM}-00000-x`, ...o })) }),
  });
  return (await res.json()) as { results: Array<{ status: string; detail: string }> };
}
const signInOk = async (d: EnrolledDesk, username: string, password: string) => (await d.desk.router.call('auth.signIn', { username, password }, {})).ok;
const ATTACKER_HASH = 'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

describe('every op proves who made it (issue 19 finding 1)', () => {
  it('a forged administrator password from a cabinet PC’s token is refused — unsigned, signed with a key of its own, or claimed as a first key — and the administrator’s password stays', async () => {
    const front = await clinic.enrolledDesk('Регистратура');
    const { d: doctorId } = front.desk.env.db.sqlite.prepare('SELECT id AS d FROM doctors WHERE active = 1 ORDER BY id LIMIT 1').get() as { d: string };
    const dir = clinic.newDir();
    const code = await createEnrollmentCode(clinic.database.db, ORG, MONDAY_9AM, 72, { kind: 'cabinet', doctorId });
    const cabinet = await openDesk({ dataDir: dir, clock: clinic.now, autoSync: false, enroll: { serverUrl: clinic.url, code, deviceName: 'Кабинет', password: 'cab-pass' } });
    const token = tokenOf(dir);
    const args = { userId: 'user-admin', passwordHash: ATTACKER_HASH };
    const mine = generateKeyPairSync('ed25519').privateKey;
    const forged = (opId: string, signature: string | null, userId: string | null = 'user-admin') => ({ opId, name: 'accounts.password', args, userId, signature });
    const sig = (opId: string) => signOp(mine, { orgId: ORG, installId: 'whatever', opId, name: 'accounts.password', userId: 'user-admin', args });
    const r = await pushAs(token, [
      forged('forge-1', null, null),
      forged('forge-2', sig('forge-2')),
      { opId: 'forge-3', name: 'accounts.key', args: { userId: 'user-admin', passwordHash: ATTACKER_HASH, publicKey: `${'A'.repeat(43)}=` }, userId: 'user-admin', signature: sig('forge-3') },
    ]);
    expect(r.results.map((x) => `${x.status}:${x.detail}`)).toEqual(['rejected:unsigned', 'rejected:device_op', 'rejected:bad_signature']);
    // From a front desk's token the same forgery fails on its signature: the server holds the administrator's key.
    const fromFront = await pushAs(tokenOf(front.dir), [forged('forge-4', sig('forge-4'))]);
    expect(fromFront.results.map((x) => `${x.status}:${x.detail}`)).toEqual(['rejected:bad_signature']);
    await sync(front);
    expect(await signInOk(front, 'admin', 'desk-pass')).toBe(true);
    // (The cabinet's own doctor signs with the key the PC enrolled with: sync-desks.test.ts books a repeat visit so.)
    await cabinet.close();
    await front.desk.close();
  });

  it('an op copied to another PC’s token, or changed in the database before it leaves, is refused; the desk shows why', async () => {
    const a = await clinic.enrolledDesk('Регистратура А');
    const b = await clinic.enrolledDesk('Регистратура Б');
    const patient = a.desk.env.db.sqlite.prepare('SELECT id FROM patients WHERE attached_org_id = ? ORDER BY id LIMIT 1 OFFSET 7').get(ORG) as { id: string };
    const other = a.desk.env.db.sqlite.prepare('SELECT id FROM patients WHERE attached_org_id = ? ORDER BY id LIMIT 1 OFFSET 8').get(ORG) as { id: string };
    await a.call('patients.update', { patientId: patient.id, phone: '+996 555 123 456', address: 'Фучика, 1' });
    const op = a.desk.env.db.sqlite.prepare("SELECT op_id AS opId, name, args, user_id AS userId, signature FROM outbox WHERE status = 'pending' ORDER BY seq DESC LIMIT 1").get() as {
      opId: string;
      name: string;
      args: string;
      userId: string;
      signature: string;
    };
    expect(op.userId).toBe('user-registrar');
    // Replayed through desk B's token (another install): the signature names desk A's install.
    const replay = await pushAs(tokenOf(b.dir), [{ ...op, opId: `${op.opId}-b`, args: JSON.parse(op.args) }]);
    expect(replay.results[0]).toMatchObject({ status: 'rejected', detail: 'bad_signature' });
    // Desk A's own op, its arguments changed in the database (another patient): refused, nothing of it applied.
    const changed = { ...JSON.parse(op.args), patientId: other.id };
    a.desk.env.db.sqlite.prepare('UPDATE outbox SET args = ? WHERE op_id = ?').run(JSON.stringify(changed), op.opId);
    await sync(a);
    expect(a.desk.env.db.sqlite.prepare('SELECT status, detail FROM outbox WHERE op_id = ?').get(op.opId)).toEqual({ status: 'rejected', detail: 'bad_signature' });
    await sync(b);
    const phone = (d: EnrolledDesk, id: string) => (d.desk.env.db.sqlite.prepare('SELECT phone FROM patients WHERE id = ?').get(id) as { phone: string }).phone;
    expect(phone(b, other.id)).not.toBe('+996 555 123 456');
    expect(phone(b, patient.id)).not.toBe('+996 555 123 456');
    // The same op, untouched, signed by its person on its own desk, goes through.
    await a.call('patients.update', { patientId: patient.id, phone: '+996 555 123 456', address: 'Фучика, 1' });
    await sync(a, b);
    expect(phone(b, patient.id)).toBe('+996 555 123 456');
    await a.desk.close();
    await b.desk.close();
  });

  it('a person the administrator disabled, or whose password the administrator reset, signs nothing accepted once the server knows it', async () => {
    const a = await clinic.enrolledDesk('Регистратура В');
    const b = await clinic.enrolledDesk('Регистратура Г');
    const admin = await signedIn(a.desk, 'admin');
    const made = async (username: string) =>
      (await admin.call('accounts.save', { username, fullName: username, role: 'registrar', doctorId: null, disabled: false, temporaryPassword: 'temp-1234' })).account;
    const gone = await made('leaving');
    const reset = await made('forgetful');
    await sync(a, b);
    // Both choose their own password at desk B and sign in there; their sessions live on while B is cut off.
    const session = async (username: string) => {
      const first = await b.desk.router.call('auth.signIn', { username, password: 'temp-1234' }, {});
      const token = (first as { data: { token: string } }).data.token;
      expect((await b.desk.router.call('auth.changePassword', { current: 'temp-1234', next: `${username}-own-1` }, { token })).ok).toBe(true);
      return token;
    };
    const goneToken = await session('leaving');
    const resetToken = await session('forgetful');
    await sync(b);
    // The administrator disables one and resets the other's password (a new key pair); the server learns it.
    await admin.call('accounts.save', { id: gone.id, username: 'leaving', fullName: 'leaving', role: 'registrar', doctorId: null, disabled: true, temporaryPassword: null });
    await admin.call('accounts.save', { id: reset.id, username: 'forgetful', fullName: 'forgetful', role: 'registrar', doctorId: null, disabled: false, temporaryPassword: 'temp-5678' });
    await sync(a);
    // Desk B has not heard yet: both still act there, and both ops are refused when they arrive.
    const patient = b.desk.env.db.sqlite.prepare('SELECT id FROM patients WHERE attached_org_id = ? ORDER BY id LIMIT 1 OFFSET 11').get(ORG) as { id: string };
    for (const token of [goneToken, resetToken]) {
      const r = await b.desk.router.call('patients.update', { patientId: patient.id, phone: '+996 700 000 001', address: '' }, { token });
      expect(r.ok).toBe(true);
    }
    const pending = b.desk.env.db.sqlite.prepare("SELECT op_id AS opId, user_id AS userId FROM outbox WHERE status = 'pending' AND name = 'patients.update'").all() as Array<{
      opId: string;
      userId: string;
    }>;
    await sync(b);
    const outcome = (opId: string) => b.desk.env.db.sqlite.prepare('SELECT status, detail FROM outbox WHERE op_id = ?').get(opId);
    expect(outcome(pending.find((p) => p.userId === gone.id)!.opId)).toEqual({ status: 'rejected', detail: 'unknown_signer' });
    expect(outcome(pending.find((p) => p.userId === reset.id)!.opId)).toEqual({ status: 'rejected', detail: 'bad_signature' });
    await a.desk.close();
    await b.desk.close();
  });

  it('an account from before signed ops gets its key at its first sign-in on an updated desk; the server takes the first key only, and the other desk adopts it', async () => {
    const a = await clinic.enrolledDesk('Регистратура Д');
    const b = await clinic.enrolledDesk('Регистратура Е');
    // The head's account as a server and desks before this change hold it: a scrypt hash, no key.
    const legacy = await hashPassword('head-old-pass');
    await clinic.database.db.execute(
      sql`UPDATE org_rows SET row = (row - 'publicKey') || jsonb_build_object('passwordHash', ${legacy}::text) WHERE org_id = ${ORG} AND entity = 'account' AND id = 'user-head'`,
    );
    await clinic.database.db.execute(sql`UPDATE organizations SET directory_version = directory_version + 1 WHERE id = ${ORG}`);
    for (const d of [a, b]) d.desk.env.db.sqlite.prepare("UPDATE users SET password_hash = ?, public_key = NULL WHERE id = 'user-head'").run(legacy);
    // Until then nothing the head signs could be verified; at desk A the first sign-in makes the key and tells the server.
    expect(await signInOk(a, 'head', 'head-old-pass')).toBe(true);
    expect(await signInOk(b, 'head', 'head-old-pass')).toBe(true); // desk B, not yet synced, makes a key of its own
    const keyAt = (d: EnrolledDesk) => (d.desk.env.db.sqlite.prepare("SELECT public_key AS k FROM users WHERE id = 'user-head'").get() as { k: string | null }).k;
    expect(keyAt(a)).not.toBeNull();
    expect(keyAt(b)).not.toBe(keyAt(a));
    await sync(a, b);
    const keyOp = (d: EnrolledDesk) => d.desk.env.db.sqlite.prepare("SELECT status, detail FROM outbox WHERE name = 'accounts.key'").get();
    expect(keyOp(a)).toEqual({ status: 'applied', detail: 'saved' });
    expect(keyOp(b)).toEqual({ status: 'rejected', detail: 'bad_signature' }); // signed with a key the server does not hold
    // Desk B took the server's account back: the same password opens desk A's key there, and the head's ops count.
    await sync(b);
    expect(keyAt(b)).toBe(keyAt(a));
    const head = await signedIn(b.desk, 'head').catch(() => null);
    expect(head).toBeNull(); // the fixture's password is not the head's any more
    const token = ((await b.desk.router.call('auth.signIn', { username: 'head', password: 'head-old-pass' }, {})) as { data: { token: string } }).data.token;
    const patient = b.desk.env.db.sqlite.prepare('SELECT id FROM patients WHERE attached_org_id = ? ORDER BY id LIMIT 1 OFFSET 13').get(ORG) as { id: string };
    expect((await b.desk.router.call('patients.update', { patientId: patient.id, phone: '+996 700 000 013', address: '' }, { token })).ok).toBe(true);
    await sync(b);
    expect(b.desk.env.db.sqlite.prepare("SELECT status FROM outbox WHERE name = 'patients.update' ORDER BY seq DESC LIMIT 1").get()).toEqual({ status: 'applied' });
    await a.desk.close();
    await b.desk.close();
  });
});
