import { describe, expect, it } from 'vitest';
import type { Account } from '../../src-shared/domain/account.js';
import { type AccountChange, decideAccountChange, decidePasswordChange } from '../../src-shared/rules/accounts.js';

const KEY = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==';
const acc = (id: string, username: string, role: Account['role'], extra: Partial<Account> = {}): Account => ({
  id,
  username,
  fullName: username,
  role,
  doctorId: null,
  passwordHash: HASH,
  publicKey: null,
  disabled: false,
  mustChangePassword: false,
  ...extra,
});
const ACCOUNTS = [acc('u-admin', 'admin', 'admin'), acc('u-reg', 'registrar', 'registrar'), acc('u-head', 'head', 'head')];
const ctx = (actorId = 'u-admin', actorRole: Account['role'] | null = 'admin') => ({ actorId, actorRole, accounts: ACCOUNTS, isDoctor: (id: string) => id === 'doc-001' });
const change = (c: Partial<AccountChange>): AccountChange => ({
  id: 'u-new',
  username: 'aigul',
  fullName: 'Асанова Айгүл',
  role: 'registrar',
  doctorId: null,
  disabled: false,
  temporaryHash: HASH,
  temporaryKey: KEY,
  ...c,
});

describe('staff accounts: one per person, the administrator’s (issue 11)', () => {
  it('a new account starts with a temporary password the person must replace', () => {
    const d = decideAccountChange(change({}), ctx());
    expect(d).toMatchObject({ ok: true, account: { id: 'u-new', username: 'aigul', mustChangePassword: true, passwordHash: HASH } });
  });

  it('only the administrator manages accounts: the head and an unknown account are refused', () => {
    expect(decideAccountChange(change({}), ctx('u-head', 'head'))).toMatchObject({ ok: false, code: 'not_admin' });
    expect(decideAccountChange(change({}), ctx('u-gone', null))).toMatchObject({ ok: false, code: 'not_admin' });
  });

  it('a login is one person’s, whatever its letter case', () => {
    expect(decideAccountChange(change({ username: 'Registrar' }), ctx())).toMatchObject({ ok: false, code: 'duplicate_login', params: { username: 'Registrar' } });
    // The same account keeping its own login is no duplicate.
    expect(decideAccountChange(change({ id: 'u-reg', username: 'registrar', temporaryHash: null }), ctx())).toMatchObject({ ok: true });
  });

  it('a new account needs a temporary password; a change without one keeps the password and the forced change as they were', () => {
    expect(decideAccountChange(change({ temporaryHash: null }), ctx())).toMatchObject({ ok: false, code: 'password_required' });
    const d = decideAccountChange(change({ id: 'u-reg', username: 'registrar', fullName: 'Регистратор 1', temporaryHash: null }), ctx());
    expect(d).toMatchObject({ ok: true, account: { fullName: 'Регистратор 1', passwordHash: HASH, mustChangePassword: false } });
  });

  it('a doctor’s account names a doctor of the organization, and no other account does', () => {
    expect(decideAccountChange(change({ role: 'doctor', doctorId: null }), ctx())).toMatchObject({ ok: false, code: 'account_doctor' });
    expect(decideAccountChange(change({ role: 'doctor', doctorId: 'doc-999' }), ctx())).toMatchObject({ ok: false, code: 'account_doctor' });
    expect(decideAccountChange(change({ role: 'registrar', doctorId: 'doc-001' }), ctx())).toMatchObject({ ok: false, code: 'account_doctor' });
    expect(decideAccountChange(change({ role: 'doctor', doctorId: 'doc-001' }), ctx())).toMatchObject({ ok: true });
  });

  it('the administrator cannot lock themselves out, nor leave the organization without an administrator', () => {
    expect(decideAccountChange(change({ id: 'u-admin', username: 'admin', disabled: true, temporaryHash: null }), ctx())).toMatchObject({ ok: false, code: 'own_account' });
    expect(decideAccountChange(change({ id: 'u-admin', username: 'admin', role: 'head', temporaryHash: null }), ctx())).toMatchObject({ ok: false, code: 'own_account' });
    // Another administrator disabling the only enabled one (say, from a stale desk).
    const two = [...ACCOUNTS, acc('u-admin2', 'admin2', 'admin', { disabled: true })];
    expect(decideAccountChange(change({ id: 'u-admin', username: 'admin', disabled: true, temporaryHash: null }), { ...ctx('u-admin2'), accounts: two })).toMatchObject({
      ok: false,
      code: 'last_admin',
    });
  });

  it('one’s own password: an enabled account only, and the forced change is then done', () => {
    const forced = [acc('u-new', 'aigul', 'registrar', { mustChangePassword: true })];
    expect(decidePasswordChange('u-new', `${HASH}x`, forced)).toMatchObject({ ok: true, account: { mustChangePassword: false, passwordHash: `${HASH}x` } });
    expect(decidePasswordChange('u-new', HASH, [acc('u-new', 'aigul', 'registrar', { disabled: true })])).toMatchObject({ ok: false, code: 'unknown_account' });
    expect(decidePasswordChange('u-x', HASH, forced)).toMatchObject({ ok: false, code: 'unknown_account' });
  });
});
