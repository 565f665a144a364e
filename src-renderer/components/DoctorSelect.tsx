import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { specialtyLabel, useI18n } from '../lib/i18n.js';

/** The clinic's working doctors, grouped by specialty, each with their cabinet: the head's screens pick a doctor with it. */
export function DoctorSelect({ directory, value, onChange, testId }: { directory: DirectoryView; value: string; onChange(doctorId: string): void; testId: string }) {
  const { t, lang } = useI18n();
  const doctors = directory.doctors.filter((d) => d.active);
  const specialties = [...new Set(doctors.map((d) => d.specialtyId))];
  return (
    <label className="field">
      {t('ui.doctor')}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {specialties.map((sp) => (
          <optgroup key={sp} label={specialtyLabel(directory, sp, lang)}>
            {doctors
              .filter((d) => d.specialtyId === sp)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.fullName} · {d.cabinet.number}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
