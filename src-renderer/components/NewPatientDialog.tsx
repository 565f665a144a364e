import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Sex } from '../../src-shared/domain/enums.js';
import { checkNationalId } from '../../src-shared/ids/index.js';
import { getProfile } from '../../src-shared/policy/profiles.js';
import type { DirectoryView, PatientCard, PatientSummary } from '../../src-shared/rpc/views.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { call, RpcError } from '../lib/rpc.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { DateField } from './DateTimeFields.js';

/**
 * R16: register a new patient. Where the national ID encodes birth date and sex (KG PIN, KZ
 * IIN) they are filled from it; likely duplicates (same name and birth date) are shown before
 * saving; the desk and the server check everything again by the same rules.
 */
export function NewPatientDialog({
  directory,
  initialId,
  onSaved,
  onOpen,
  onClose,
}: {
  directory: DirectoryView;
  initialId: string;
  onSaved(card: PatientCard): void;
  onOpen(p: PatientSummary): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const profile = getProfile(directory.profile.id);
  const kind = directory.profile.nationalIdKinds[0]!;
  // The ID speaks first: a KG PIN or KZ IIN carries birth date and sex.
  const fromIdParts = (raw: string) => {
    const c = raw ? checkNationalId(kind, raw, profile, directory.today) : null;
    return c?.ok ? { birthDate: c.birthDate, sex: c.sex } : {};
  };
  const [nationalId, setNationalId] = useState(initialId);
  const [fullName, setFullName] = useState('');
  const [birthDate, setBirthDate] = useState(() => fromIdParts(initialId).birthDate ?? '');
  const [sex, setSex] = useState<Sex | ''>(() => fromIdParts(initialId).sex ?? '');
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const groups = directory.departments.filter((d) => d.isFamilyGroup);
  const [departmentId, setDepartmentId] = useState('');
  const [doctorId, setDoctorId] = useState('');
  const [similar, setSimilar] = useState<PatientSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fromId = (raw: string) => {
    setNationalId(raw);
    const parts = fromIdParts(raw);
    if (parts.birthDate) setBirthDate(parts.birthDate);
    if (parts.sex) setSex(parts.sex);
  };
  const input = {
    nationalId,
    nationalIdKind: kind,
    fullName,
    birthDate,
    sex: sex || 'female',
    phone,
    address,
    attach: departmentId ? { departmentId, doctorId: doctorId || null } : null,
  } as const;
  const save = useMutation({
    mutationFn: async (force: boolean): Promise<{ similar: PatientSummary[] } | { card: PatientCard }> => {
      if (!force) {
        const found = await call('patients.similar', { fullName, birthDate });
        if (found.length > 0) return { similar: found };
      }
      return { card: await call('patients.register', input) };
    },
    onSuccess: (r) => {
      if ('card' in r) onSaved(r.card);
      else setSimilar(r.similar);
    },
    onError: (e) => setError(e instanceof RpcError ? e.message : String(e)),
  });
  const ready = nationalId.trim() !== '' && fullName.trim().split(' ').length >= 2 && birthDate !== '' && sex !== '';
  return (
    <ConfirmDialog
      title={t('ui.newPatient')}
      confirmLabel={similar ? t('ui.saveAnyway') : t('ui.save')}
      busy={save.isPending || !ready}
      form
      onConfirm={() => save.mutate(similar !== null)}
      onCancel={onClose}
    >
      <div className="form-grid" data-testid="new-patient">
        <label className="field">
          {t(`idKind.${kind}`)}
          <input value={nationalId} onChange={(e) => fromId(e.target.value)} data-testid="np-id" inputMode="numeric" />
        </label>
        <label className="field">
          {t('ui.fullName')}
          <input value={fullName} onChange={(e) => setFullName(e.target.value)} data-testid="np-name" placeholder={t('ui.fullNameHint')} />
        </label>
        <label className="field">
          {t('ui.birthDate')}
          <DateField value={birthDate} onChange={(v) => setBirthDate(v)} data-testid="np-birth" />
        </label>
        <label className="field">
          {t('ui.sex')}
          <select value={sex} onChange={(e) => setSex(e.target.value as Sex)} data-testid="np-sex">
            <option value="">—</option>
            <option value="female">{t('ui.female')}</option>
            <option value="male">{t('ui.male')}</option>
          </select>
        </label>
        <label className="field">
          {t('ui.phone')}
          <input value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="np-phone" placeholder="+996 …" />
        </label>
        <label className="field">
          {t('ui.address')}
          <input value={address} onChange={(e) => setAddress(e.target.value)} data-testid="np-address" />
        </label>
        <label className="field">
          {t('ui.attachTo')}
          <select
            value={departmentId}
            onChange={(e) => {
              setDepartmentId(e.target.value);
              setDoctorId('');
            }}
            data-testid="np-department"
          >
            <option value="">{t('ui.notAttachedOption')}</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('ui.familyDoctor')}
          <select value={doctorId} onChange={(e) => setDoctorId(e.target.value)} disabled={!departmentId} data-testid="np-doctor">
            <option value="">—</option>
            {directory.doctors
              .filter((d) => d.departmentId === departmentId && d.active)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.fullName}
                </option>
              ))}
          </select>
        </label>
      </div>
      {similar && (
        <div className="warn" data-testid="np-similar">
          <p>⚠ {t('ui.maybeRegistered')}</p>
          <ul>
            {similar.map((p) => (
              <li key={p.id}>
                {p.fullName} · {fmtDate(p.birthDate)} · {p.nationalId}{' '}
                <button type="button" className="link" onClick={() => onOpen(p)}>
                  {t('ui.openCard')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="error" role="alert" data-testid="np-error">
          {error}
        </p>
      )}
    </ConfirmDialog>
  );
}
