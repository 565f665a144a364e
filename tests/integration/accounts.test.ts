import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journal } from '../../src-main/services/journal.js';
import { DEMO_PASSWORD } from '../../src-main/seed/demo-clinic.js';
import type { Desk } from '../../src-main/desk.js';
import { ClinicServer, signedIn, type EnrolledDesk, actorAt } from '../support/clinic-server.js';

const clinic = new ClinicServer();
beforeAll(() => clinic.start());
afterAll(() => clinic.stop());

const sync = async (...desks: EnrolledDesk[]) => {
  for (const d of desks) await d.desk.sync!.syncOnce();
};
/** Sign in as anyone; the raw answer (an error is data here). */
const signIn = (desk: Desk, username: string, password: string) => desk.router.call('auth.signIn', { username, password }, {});
const as = (desk: Desk, token: string) => (m: string, i: unknown) => desk.router.call(m, i, { token });
const users = (d: EnrolledDesk) => d.desk.env.db.sqlite.prepare('SELECT id, username, disabled, must_change_password AS mustChange FROM users ORDER BY username').all();

describe('staff accounts: one per person, made by the administrator, everywhere at once (issue 11)', () => {
  it('the administrator creates an account at one desk; the person signs in at another, must choose a password first, and then works as themselves', async () => {
    const a = await clinic.enrolledDesk('Регистратура 1');
    const b = await clinic.enrolledDesk('Регистратура 2');
    const admin = await signedIn(a.desk, 'admin');
    const { account, verdict } = await admin.call('accounts.save', {
      username: 'aigul',
      fullName: 'Асанова Айгүл',
      role: 'registrar',
      doctorId: null,
      disabled: false,
      temporaryPassword: 'temp-1234',
    });
    expect(verdict).toBe('confirmed');
    expect(account).toMatchObject({ username: 'aigul', mustChangePassword: true, disabled: false });
    await sync(b);

    const first = await signIn(b.desk, 'aigul', 'temp-1234');
    expect(first).toMatchObject({ ok: true, data: { mustChangePassword: true, user: { id: account.id, fullName: 'Асанова Айгүл' } } });
    const token = (first as { data: { token: string } }).data.token;
    // Nothing else works until she has her own password.
    expect(await as(b.desk, token)('directory.get', {})).toMatchObject({ ok: false, error: { code: 'password_change_required' } });
    expect(await as(b.desk, token)('auth.changePassword', { current: 'wrong-one', next: 'aigul-own-pass' })).toMatchObject({ ok: false, error: { code: 'wrong_password' } });
    expect(await as(b.desk, token)('auth.changePassword', { current: 'temp-1234', next: 'short' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await as(b.desk, token)('auth.changePassword', { current: 'temp-1234', next: 'aigul-own-pass' })).toMatchObject({ ok: true });
    expect(await as(b.desk, token)('directory.get', {})).toMatchObject({ ok: true });

    // Her own password reaches every desk (offline sign-in at desk A), the temporary one works nowhere.
    await sync(b, a);
    expect(await signIn(a.desk, 'aigul', 'temp-1234')).toMatchObject({ ok: false, error: { code: 'bad_credentials' } });
    expect(await signIn(a.desk, 'aigul', 'aigul-own-pass')).toMatchObject({ ok: true, data: { mustChangePassword: false } });
    // The audit trail names her, not "registrar".
    const audit = b.desk.env.db.sqlite.prepare("SELECT user_id AS userId FROM audit WHERE action = 'accounts.password'").all();
    expect(audit).toEqual([{ userId: account.id }]);

    // Disabled at desk A: her open session at desk B ends at its next call, and she cannot sign in anywhere.
    const disabled = await admin.call('accounts.save', { id: account.id, username: 'aigul', fullName: 'Асанова Айгүл', role: 'registrar', doctorId: null, disabled: true, temporaryPassword: null });
    expect(disabled).toMatchObject({ verdict: 'confirmed', account: { disabled: true } });
    await sync(b);
    expect(await as(b.desk, token)('directory.get', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await signIn(b.desk, 'aigul', 'aigul-own-pass')).toMatchObject({ ok: false, error: { code: 'bad_credentials' } });
  });

  it('a login taken twice — once at a desk offline, once at another online — stays with the first the server heard; the offline one is refused and gone', async () => {
    const a = await clinic.enrolledDesk('Регистратура 3');
    const b = await clinic.enrolledDesk('Регистратура 4');
    const adminA = await signedIn(a.desk, 'admin');
    const adminB = await signedIn(b.desk, 'admin');
    await clinic.down();
    let offline: string;
    try {
      const r = await adminA.call('accounts.save', { username: 'bakyt', fullName: 'Бакыт (A)', role: 'head', doctorId: null, disabled: false, temporaryPassword: 'temp-aaaa' });
      expect(r.verdict).toBe('queued');
      offline = r.account.id;
      // Usable at once on this desk.
      expect(await signIn(a.desk, 'bakyt', 'temp-aaaa')).toMatchObject({ ok: true });
    } finally {
      await clinic.up();
    }
    const online = await adminB.call('accounts.save', { username: 'bakyt', fullName: 'Бакыт (B)', role: 'registrar', doctorId: null, disabled: false, temporaryPassword: 'temp-bbbb' });
    expect(online.verdict).toBe('confirmed');
    await sync(a, a, b);
    expect(a.desk.env.db.sqlite.prepare("SELECT status, detail FROM outbox WHERE name = 'accounts.put' AND entity_id = ?").get(offline)).toEqual({ status: 'rejected', detail: 'duplicate_login' });
    for (const d of [a, b]) {
      expect(users(d).filter((u) => (u as { username: string }).username.startsWith('bakyt'))).toEqual([{ id: online.account.id, username: 'bakyt', disabled: 0, mustChange: 1 }]);
      expect(await signIn(d.desk, 'bakyt', 'temp-aaaa')).toMatchObject({ ok: false, error: { code: 'bad_credentials' } });
      expect(await signIn(d.desk, 'bakyt', 'temp-bbbb')).toMatchObject({ ok: true });
    }
    // Online, the same mistake is a translated error at once, and nothing changes.
    const again = await a.desk.router.call(
      'accounts.save',
      { username: 'Bakyt', fullName: 'Ещё один', role: 'registrar', doctorId: null, disabled: false, temporaryPassword: 'temp-cccc' },
      { token: ((await signIn(a.desk, 'admin', 'desk-pass')) as { data: { token: string } }).data.token, lang: 'ru' },
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'duplicate_login', message: 'Имя входа «Bakyt» уже занято — у каждого сотрудника своё' } });
  });

  it('the server decides: an account op naming the registrar is rejected and reaches no desk; the head cannot reach the screen', async () => {
    const a = await clinic.enrolledDesk('Регистратура 5');
    const b = await clinic.enrolledDesk('Регистратура 6');
    const env = a.desk.env;
    // Forged past the desk's own check: the op as a modified desk could send it.
    const signedRegistrar = await actorAt(a.desk);
    env.db.sqlite.transaction(() =>
      journal(
        env,
        signedRegistrar,
        {
          name: 'accounts.put',
          args: { id: 'forged', username: 'mallory', fullName: 'M', role: 'admin', doctorId: null, disabled: false, temporaryHash: 'scrypt$1$1$1$AAAAAAAAAAAAAAAAAAAA$AAAA', userId: 'user-registrar' },
        },
        { entity: 'account', entityId: 'forged' },
      ),
    )();
    await sync(a, b);
    expect(env.db.sqlite.prepare("SELECT status, detail FROM outbox WHERE entity_id = 'forged'").get()).toEqual({ status: 'rejected', detail: 'not_admin' });
    expect(b.desk.env.db.sqlite.prepare("SELECT count(*) AS n FROM users WHERE id = 'forged'").get()).toEqual({ n: 0 });
    const head = await signedIn(a.desk, 'head');
    await expect(head.call('accounts.list', {})).rejects.toThrow('forbidden');
  });

  it('demo accounts exist only in the demo clinic: an enrolled desk never accepts the demo password', async () => {
    const a = await clinic.enrolledDesk('Регистратура 7');
    for (const username of ['registrar', 'head', 'admin', 'doctor']) expect(await signIn(a.desk, username, DEMO_PASSWORD)).toMatchObject({ ok: false, error: { code: 'bad_credentials' } });
  });
});
