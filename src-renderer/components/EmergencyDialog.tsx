import { useState } from 'react';
import { emergencyDestination, type EmergencyDestination } from '../../src-shared/domain/appointment.js';
import { useI18n } from '../lib/i18n.js';
import { Choices, digitKey } from './Choices.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/** R6: an emergency needs no booking — where the patient was sent, recorded "out of schedule". */
export function EmergencyDialog({
  patientName,
  busy,
  onRecord,
  onClose,
}: {
  patientName: string;
  busy: boolean;
  onRecord(r: { destination: EmergencyDestination; applicant: string }): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [destination, setDestination] = useState<EmergencyDestination>('pre_doctor_room');
  const [applicant, setApplicant] = useState(patientName);
  const options = emergencyDestination.options.map((d): { value: EmergencyDestination; label: string } => ({ value: d, label: t(`refusal.${d}`) }));
  return (
    <ConfirmDialog
      title={t('ui.emergencyTitle')}
      confirmLabel={t('ui.record')}
      busy={busy}
      onKey={digitKey(options, (v) => setDestination(v))}
      onConfirm={() => onRecord({ destination, applicant })}
      onCancel={onClose}
    >
      <Choices legend={t('ui.emergencyWhere')} options={options} value={destination} onChange={(v) => setDestination(v)} testId="emergency-destination" />
      <label className="field">
        {t('ui.applicant')}
        <input value={applicant} onChange={(e) => setApplicant(e.target.value)} data-testid="emergency-applicant" />
      </label>
    </ConfirmDialog>
  );
}
