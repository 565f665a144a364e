import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { specialtyLabel, useI18n } from '../lib/i18n.js';
import { useNotify } from '../lib/notice.js';
import { call, RpcError } from '../lib/rpc.js';
import { invalidate } from '../lib/query-keys.js';
import { METHOD_CHANGES } from '../../src-shared/rpc/changes.js';

type DoctorRow = DirectoryView['doctors'][number];
interface Draft {
  id?: string;
  fullName: string;
  specialtyId: string;
  departmentId: string;
  cabinetNumber: string;
  floor: number;
  active: boolean;
}

/**
 * The clinic's doctors: hire one (then give them a weekly schedule), change their specialty,
 * ГСВ or cabinet, or dismiss them — once their patients are moved (an absence "увольнение" lists them).
 */
export function DoctorsPanel({ directory }: { directory: DirectoryView }) {
  const { t, lang } = useI18n();
  const notify = useNotify();
  const qc = useQueryClient();
  const empty: Draft = { fullName: '', specialtyId: directory.specialties[0]?.id ?? '', departmentId: directory.departments[0]?.id ?? '', cabinetNumber: '', floor: 1, active: true };
  const [draft, setDraft] = useState<Draft>(empty);
  const save = useMutation({
    mutationFn: (d: Draft) => call('directory.saveDoctor', d),
    onSuccess: ({ verdict }) => {
      notify(`${t('ui.doctorSaved')}${verdict === 'queued' ? ` — ${t('ui.verdictQueued')}` : ''}`);
      setDraft(empty);
      invalidate(qc, METHOD_CHANGES['directory.saveDoctor']!);
    },
    onError: (e) => notify(e instanceof RpcError ? e.message : String(e), 'error'),
  });
  const edit = (d: DoctorRow) =>
    setDraft({ id: d.id, fullName: d.fullName, specialtyId: d.specialtyId, departmentId: d.departmentId, cabinetNumber: d.cabinet.number, floor: d.cabinet.floor, active: d.active });
  const department = (id: string) => directory.departments.find((x) => x.id === id)?.name ?? id;

  return (
    <>
      <form
        className="card form-grid doctor-form"
        data-testid="doctor-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <h3 className="wide">{draft.id ? draft.fullName : t('ui.hireDoctor')}</h3>
        <label className="field">
          {t('ui.fullName')}
          <input value={draft.fullName} maxLength={120} onChange={(e) => setDraft({ ...draft, fullName: e.target.value })} data-testid="doctor-fullname" />
        </label>
        <label className="field">
          {t('ui.specialtyLabel')}
          <select value={draft.specialtyId} onChange={(e) => setDraft({ ...draft, specialtyId: e.target.value })} data-testid="doctor-specialty">
            {directory.specialties.map((s) => (
              <option key={s.id} value={s.id}>
                {specialtyLabel(directory, s.id, lang)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('ui.departmentLabel')}
          <select value={draft.departmentId} onChange={(e) => setDraft({ ...draft, departmentId: e.target.value })} data-testid="doctor-department">
            {directory.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('ui.cabinetNumber')}
          <input value={draft.cabinetNumber} maxLength={12} onChange={(e) => setDraft({ ...draft, cabinetNumber: e.target.value })} data-testid="doctor-cabinet" />
        </label>
        <label className="field">
          {t('ui.floorLabel')}
          <input type="number" min={-2} max={30} value={draft.floor} onChange={(e) => setDraft({ ...draft, floor: Number(e.target.value) })} data-testid="doctor-floor" />
        </label>
        <div className="actions">
          {draft.id && (
            <button type="button" onClick={() => setDraft(empty)}>
              {t('ui.cancel')}
            </button>
          )}
          {draft.id && draft.active && (
            <button type="button" className="danger" onClick={() => save.mutate({ ...draft, active: false })} disabled={save.isPending} data-testid="doctor-dismiss">
              {t('ui.dismissDoctor')}
            </button>
          )}
          {draft.id && !draft.active && (
            <button type="button" onClick={() => save.mutate({ ...draft, active: true })} disabled={save.isPending}>
              {t('ui.hireDoctor')}
            </button>
          )}
          <button type="submit" className="primary" disabled={save.isPending} data-testid="doctor-save">
            {t('ui.save')}
          </button>
        </div>
      </form>
      <table className="list doctor-list" data-testid="doctor-list">
        <thead>
          <tr>
            <th>{t('ui.fullName')}</th>
            <th>{t('ui.specialtyLabel')}</th>
            <th>{t('ui.departmentLabel')}</th>
            <th>{t('ui.cabinetNumber')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {[...directory.doctors]
            .sort((a, b) => Number(b.active) - Number(a.active) || a.fullName.localeCompare(b.fullName))
            .map((d) => (
              <tr key={d.id} className={d.active ? '' : 'muted'} data-testid={`doctor-row-${d.id}`}>
                <td>
                  {d.fullName} {!d.active && <span className="badge bad">{t('ui.doctorInactive')}</span>}
                </td>
                <td>{specialtyLabel(directory, d.specialtyId, lang)}</td>
                <td>{department(d.departmentId)}</td>
                <td>
                  {d.cabinet.number} · {t('ui.floorLabel').toLowerCase()} {d.cabinet.floor}
                </td>
                <td className="actions">
                  <button type="button" className="link" onClick={() => edit(d)} data-testid={`doctor-edit-${d.id}`}>
                    {t('ui.editDoctor')}
                  </button>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </>
  );
}
