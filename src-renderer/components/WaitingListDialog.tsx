import { useState } from 'react';
import type { WaitPart } from '../../src-shared/domain/waiting-entry.js';
import type { RequestChannel } from '../../src-shared/domain/enums.js';
import { localName } from '../../src-shared/i18n/index.js';
import type { DirectoryView, PatientCard } from '../../src-shared/rpc/views.js';
import { useI18n } from '../lib/i18n.js';
import { ConfirmDialog } from './ConfirmDialog.js';

export interface Wish {
  patientId: string;
  specialtyId: string;
  doctorId: string | null;
  fromDate: string;
  toDate: string;
  part: WaitPart;
  channel: RequestChannel;
}

/**
 * No time is free for the patient (issue 21): their wish for the waiting list — this doctor or any of the specialty,
 * from and to which day, the morning or the afternoon. The server offers the first freed time that fits.
 */
export function WaitingListDialog({
  directory,
  card,
  specialtyId,
  channel,
  busy,
  onSave,
  onClose,
}: {
  directory: DirectoryView;
  card: PatientCard;
  specialtyId: string;
  channel: RequestChannel;
  busy: boolean;
  onSave(w: Wish): void;
  onClose(): void;
}) {
  const { t, lang } = useI18n();
  const doctors = directory.doctors.filter((d) => d.active && d.specialtyId === specialtyId);
  const specialty = directory.specialties.find((s) => s.id === specialtyId);
  const [doctorId, setDoctorId] = useState('');
  const [fromDate, setFrom] = useState(directory.today);
  const [toDate, setTo] = useState(directory.horizonEnd);
  const [part, setPart] = useState<WaitPart>('any');
  return (
    <ConfirmDialog
      title={`${t('waiting.addTitle', { specialty: specialty ? localName(specialty.name, lang) : '' })}: ${card.patient.fullName}`}
      confirmLabel={t('waiting.save')}
      busy={busy || toDate < fromDate}
      form
      onConfirm={() => onSave({ patientId: card.patient.id, specialtyId, doctorId: doctorId || null, fromDate, toDate, part, channel })}
      onCancel={onClose}
    >
      <p className="muted small">{t('waiting.addHint')}</p>
      <div className="form-grid" data-testid="waiting-form">
        <label className="field">
          {t('ui.doctor')}
          <select value={doctorId} onChange={(e) => setDoctorId(e.target.value)} data-testid="wl-doctor">
            <option value="">{t('waiting.anyDoctor')}</option>
            {doctors.map((d) => (
              <option key={d.id} value={d.id}>
                {d.fullName}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('waiting.part')}
          <select value={part} onChange={(e) => setPart(e.target.value as WaitPart)} data-testid="wl-part">
            {(['any', 'morning', 'afternoon'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`waiting.parts.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('waiting.from')}
          <input type="date" value={fromDate} min={directory.today} max={directory.horizonEnd} onChange={(e) => setFrom(e.target.value)} data-testid="wl-from" />
        </label>
        <label className="field">
          {t('waiting.to')}
          <input type="date" value={toDate} min={fromDate} onChange={(e) => setTo(e.target.value)} data-testid="wl-to" />
        </label>
      </div>
    </ConfirmDialog>
  );
}
