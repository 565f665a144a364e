import { localName } from '../../src-shared/i18n/index.js';
import { useState } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/** R5: the family doctor refers the patient to a narrow specialist (digits choose, Enter issues). */
export function ReferralDialog({
  directory,
  patientName,
  busy,
  onIssue,
  onClose,
}: {
  directory: DirectoryView;
  patientName: string;
  busy: boolean;
  onIssue(specialtyId: string): void;
  onClose(): void;
}) {
  const { t, lang } = useI18n();
  const narrow = directory.specialties.filter((s) => s.kind === 'narrow');
  const [specialtyId, setSpecialtyId] = useState(narrow[0]?.id ?? '');
  return (
    <ConfirmDialog
      title={`${t('ui.referTitle')}: ${patientName}`}
      confirmLabel={t('ui.referIssue')}
      busy={busy || !specialtyId}
      onKey={(e) => {
        const n = Number(e.key);
        if (n >= 1 && n <= Math.min(9, narrow.length)) setSpecialtyId(narrow[n - 1]!.id);
      }}
      onConfirm={() => onIssue(specialtyId)}
      onCancel={onClose}
    >
      <fieldset className="choices" data-testid="referral-specialties">
        <legend>{t('ui.specialty')}</legend>
        {narrow.map((s, i) => (
          <label key={s.id}>
            <input type="radio" name="specialty" checked={specialtyId === s.id} onChange={() => setSpecialtyId(s.id)} /> <span className="key">{i < 9 ? i + 1 : ''}</span> {localName(s.name, lang)}
          </label>
        ))}
      </fieldset>
      <p className="muted small">{t('ui.referValidity')}</p>
    </ConfirmDialog>
  );
}
