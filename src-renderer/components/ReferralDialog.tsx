import { localName } from '../../src-shared/i18n/index.js';
import { useState } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';
import { Choices, digitKey } from './Choices.js';
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
  const options = narrow.map((s) => ({ value: s.id, label: localName(s.name, lang) }));
  return (
    <ConfirmDialog
      title={`${t('ui.referTitle')}: ${patientName}`}
      confirmLabel={t('ui.referIssue')}
      busy={busy || !specialtyId}
      onKey={digitKey(options, setSpecialtyId)}
      onConfirm={() => onIssue(specialtyId)}
      onCancel={onClose}
    >
      <Choices legend={t('ui.specialty')} options={options} value={specialtyId} onChange={setSpecialtyId} testId="referral-specialties" />
      <p className="muted small">{t('ui.referValidity')}</p>
    </ConfirmDialog>
  );
}
