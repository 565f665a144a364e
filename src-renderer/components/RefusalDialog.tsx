import { useState } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';
import { Choices, digitKey } from './Choices.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/**
 * R3: a refusal recorded by hand, on a ground of the country's closed list only (digits 1–9
 * choose it, Enter records). The applicant is the patient unless someone asked for them.
 */
export function RefusalDialog({
  directory,
  patientName,
  preselect,
  busy,
  onRecord,
  onClose,
}: {
  directory: DirectoryView;
  patientName: string;
  preselect: string | null;
  busy: boolean;
  onRecord(r: { reason: string; applicant: string }): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const reasons = directory.profile.refusalReasons;
  const [reason, setReason] = useState(preselect && reasons.includes(preselect) ? preselect : reasons[0]!);
  const [applicant, setApplicant] = useState(patientName);
  const options = reasons.map((r) => ({ value: r, label: t(`refusal.${r}`) }));
  return (
    <ConfirmDialog
      title={t('ui.refusalTitle')}
      confirmLabel={t('ui.record')}
      busy={busy}
      onKey={digitKey(options, setReason)}
      danger
      onConfirm={() => onRecord({ reason, applicant })}
      onCancel={onClose}
    >
      <Choices legend={t('ui.refusalReason')} options={options} value={reason} onChange={setReason} testId="refusal-reasons" />
      <label className="field">
        {t('ui.applicant')}
        <input value={applicant} onChange={(e) => setApplicant(e.target.value)} data-testid="refusal-applicant" />
      </label>
    </ConfirmDialog>
  );
}
