import { useState } from 'react';
import { addDays } from '../../src-shared/time/dates.js';
import type { DirectoryView, PatientCard } from '../../src-shared/rpc/views.js';
import { fmtDate, useI18n } from '../lib/i18n.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/** R24: a home visit taken down on the phone — address, reason, a number to call back, the area's doctor. */
export function HomeVisitDialog({
  directory,
  card,
  busy,
  onRecord,
  onClose,
}: {
  directory: DirectoryView;
  card: PatientCard;
  busy: boolean;
  onRecord(r: { doctorId: string; date: string; address: string; reason: string; callbackPhone: string }): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const familyDoctors = directory.doctors.filter((d) => d.active && directory.specialties.find((s) => s.id === d.specialtyId)?.kind === 'family');
  const [doctorId, setDoctorId] = useState(card.familyDoctorId ?? familyDoctors[0]?.id ?? '');
  const [date, setDate] = useState(directory.today);
  const [address, setAddress] = useState(card.patient.address);
  const [reason, setReason] = useState('');
  const [callbackPhone, setCallbackPhone] = useState(card.patient.phone);
  return (
    <ConfirmDialog
      title={`${t('ui.homeVisit')}: ${card.patient.fullName}`}
      confirmLabel={t('ui.record')}
      busy={busy || reason.trim().length < 2 || address.trim().length < 3 || !doctorId}
      onConfirm={() => onRecord({ doctorId, date, address, reason, callbackPhone })}
      onCancel={onClose}
    >
      <div className="form-grid" data-testid="home-visit">
        <label className="field">
          {t('ui.date')}
          <select value={date} onChange={(e) => setDate(e.target.value)} data-testid="hv-date">
            {[0, 1, 2]
              .map((n) => addDays(directory.today, n))
              .map((d) => (
                <option key={d} value={d}>
                  {fmtDate(d)}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          {t('ui.doctor')}
          <select value={doctorId} onChange={(e) => setDoctorId(e.target.value)} data-testid="hv-doctor">
            {familyDoctors.map((d) => (
              <option key={d.id} value={d.id}>
                {d.fullName}
                {d.id === card.familyDoctorId ? ` — ${t('ui.ownDoctor')}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('ui.address')}
          <input value={address} onChange={(e) => setAddress(e.target.value)} data-testid="hv-address" />
        </label>
        <label className="field">
          {t('ui.callbackPhone')}
          <input value={callbackPhone} onChange={(e) => setCallbackPhone(e.target.value)} data-testid="hv-phone" />
        </label>
      </div>
      <label className="field">
        {t('ui.homeVisitReason')}
        <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="hv-reason" placeholder={t('ui.homeVisitReasonHint')} />
      </label>
    </ConfirmDialog>
  );
}
