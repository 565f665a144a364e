import { useState } from 'react';
import { emergencyDestination, type EmergencyDestination } from '../../src-shared/domain/appointment.js';
import { useI18n } from '../lib/i18n.js';
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
  return (
    <ConfirmDialog
      title={t('ui.emergencyTitle')}
      confirmLabel={t('ui.record')}
      busy={busy}
      onKey={(e) => {
        const n = Number(e.key);
        if (n >= 1 && n <= emergencyDestination.options.length) setDestination(emergencyDestination.options[n - 1]!);
      }}
      onConfirm={() => onRecord({ destination, applicant })}
      onCancel={onClose}
    >
      <fieldset className="choices" data-testid="emergency-destination">
        <legend>{t('ui.emergencyWhere')}</legend>
        {emergencyDestination.options.map((d, i) => (
          <label key={d}>
            <input type="radio" name="destination" checked={destination === d} onChange={() => setDestination(d)} /> <span className="key">{i + 1}</span> {t(`refusal.${d}`)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        {t('ui.applicant')}
        <input value={applicant} onChange={(e) => setApplicant(e.target.value)} data-testid="emergency-applicant" />
      </label>
    </ConfirmDialog>
  );
}
