import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { StaffRole } from '../../src-shared/domain/enums.js';
import type { AccountView, DirectoryView } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import { invalidate, qk } from '../lib/query-keys.js';

const ROLES: StaffRole[] = ['registrar', 'head', 'doctor', 'admin'];

interface Draft {
  id?: string;
  username: string;
  fullName: string;
  role: StaffRole;
  doctorId: string | null;
  disabled: boolean;
  temporaryPassword: string;
}
const EMPTY: Draft = { username: '', fullName: '', role: 'registrar', doctorId: null, disabled: false, temporaryPassword: '' };

/**
 * The administrator's staff accounts: one per person, so the audit trail names who did it.
 * A new account and a reset get a temporary password the person replaces at the next sign-in;
 * a disabled account cannot sign in at any desk (and its open sessions end).
 */
export function StaffScreen({ directory }: { directory: DirectoryView }) {
  const { t } = useI18n();
  const notify = useNotify();
  const qc = useQueryClient();
  const accounts = useQuery({ queryKey: qk.accounts(), queryFn: () => call('accounts.list', {}) });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const save = useMutation({
    mutationFn: (d: Draft) =>
      call('accounts.save', {
        ...(d.id ? { id: d.id } : {}),
        username: d.username,
        fullName: d.fullName,
        role: d.role,
        doctorId: d.role === 'doctor' ? d.doctorId : null,
        disabled: d.disabled,
        temporaryPassword: d.temporaryPassword || null,
      }),
    onSuccess: ({ account, verdict }) => {
      notify(`${t('ui.accountSaved', { username: account.username })}${verdict === 'queued' ? ` — ${t('ui.verdictQueued')}` : ''}`);
      setDraft(EMPTY);
      invalidate(qc, ['accounts']);
    },
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  const edit = (a: AccountView) => setDraft({ id: a.id, username: a.username, fullName: a.fullName, role: a.role, doctorId: a.doctorId, disabled: a.disabled, temporaryPassword: '' });
  const toggle = (a: AccountView) => save.mutate({ id: a.id, username: a.username, fullName: a.fullName, role: a.role, doctorId: a.doctorId, disabled: !a.disabled, temporaryPassword: '' });
  const doctors = directory.doctors.filter((d) => d.active);

  return (
    <div className="staff pad">
      <h2>{t('ui.staff')}</h2>
      <form
        className="card form-grid staff-form"
        data-testid="account-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <h3 className="wide">{draft.id ? `${t('ui.editAccount')} «${draft.username}»` : t('ui.newAccount')}</h3>
        <label className="field">
          {t('ui.fullName')}
          <input value={draft.fullName} maxLength={120} onChange={(e) => setDraft({ ...draft, fullName: e.target.value })} data-testid="account-fullname" />
        </label>
        <label className="field">
          {t('ui.loginName')}
          <input value={draft.username} maxLength={40} onChange={(e) => setDraft({ ...draft, username: e.target.value })} data-testid="account-username" />
        </label>
        <label className="field">
          {t('ui.roleLabel')}
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as StaffRole })} data-testid="account-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`ui.roleName.${r}`)}
              </option>
            ))}
          </select>
        </label>
        {draft.role === 'doctor' && (
          <label className="field">
            {t('ui.doctor')}
            <select value={draft.doctorId ?? ''} onChange={(e) => setDraft({ ...draft, doctorId: e.target.value || null })} data-testid="account-doctor">
              <option value="" />
              {doctors.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.fullName}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          {draft.id ? t('ui.resetPassword') : t('ui.temporaryPassword')}
          <input
            type="text"
            autoComplete="off"
            value={draft.temporaryPassword}
            onChange={(e) => setDraft({ ...draft, temporaryPassword: e.target.value })}
            placeholder={t('ui.temporaryPasswordHint')}
            data-testid="account-password"
          />
        </label>
        <div className="actions">
          {draft.id && (
            <button type="button" onClick={() => setDraft(EMPTY)}>
              {t('ui.cancel')}
            </button>
          )}
          <button type="submit" className="primary" disabled={save.isPending} data-testid="account-save">
            {t('ui.save')}
          </button>
        </div>
      </form>
      <table className="list account-list" data-testid="account-list">
        <thead>
          <tr>
            <th>{t('ui.fullName')}</th>
            <th>{t('ui.loginName')}</th>
            <th>{t('ui.roleLabel')}</th>
            <th />
            <th />
          </tr>
        </thead>
        <tbody>
          {accounts.data?.map((a) => (
            <tr key={a.id} className={a.disabled ? 'muted' : ''} data-testid={`account-${a.username}`}>
              <td>
                {a.fullName}
                {a.doctorName && <span className="muted"> · {a.doctorName}</span>}
              </td>
              <td>{a.username}</td>
              <td>{t(`ui.roleName.${a.role}`)}</td>
              <td>
                {a.disabled && <span className="badge bad">{t('ui.accountDisabled')}</span>} {a.mustChangePassword && <span className="badge warn">{t('ui.mustChangeBadge')}</span>}{' '}
                {a.thisPcOnly && <span className="badge">{t('ui.thisPcOnly')}</span>}
              </td>
              <td className="actions">
                {!a.thisPcOnly && (
                  <>
                    <button type="button" className="link" onClick={() => edit(a)}>
                      {t('ui.editAccount')}
                    </button>
                    <button type="button" className="link" onClick={() => toggle(a)} data-testid={`account-toggle-${a.username}`}>
                      {a.disabled ? t('ui.enableAccount') : t('ui.disableAccount')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
