import { useState } from 'react';
import { type VisitReason, visitReason as visitReasonEnum } from '../../src-shared/domain/appointment.js';
import type { RequestChannel } from '../../src-shared/domain/enums.js';
import type { AppointmentView, DaySlot, DirectoryView, PatientCard } from '../../src-shared/rpc/views.js';
import { bookingWarnings } from '../../src-shared/rules/warnings.js';
import { fmtDate, specialtyLabel, useI18n } from '../lib/i18n.js';
import type { Cell } from './DoctorDayGrid.js';
import { ConfirmDialog } from './ConfirmDialog.js';

export interface BookingExtras {
  /** Who asked, when not the patient (R15). */
  applicant: string | undefined;
  /** R14: the reason printed on the ticket. */
  visitReason: VisitReason;
}

/**
 * The last step of a booking: what will be booked, the visit's reason and who asked (both
 * default sensibly, so Enter alone books), and the warnings worth a second look (R4 consent,
 * an age the specialty does not see, a clash with another booking).
 */
export function BookingConfirm({
  directory,
  card,
  specialtyId,
  cell,
  slot,
  channel,
  preventive,
  moving,
  busy,
  onConfirm,
  onCancel,
}: {
  directory: DirectoryView;
  card: PatientCard;
  specialtyId: string | null;
  cell: Cell;
  slot: DaySlot;
  channel: RequestChannel;
  preventive: boolean;
  moving: AppointmentView | null;
  busy: boolean;
  onConfirm(extras: BookingExtras): void;
  onCancel(): void;
}) {
  const { t, lang } = useI18n();
  const [visitReason, setVisitReason] = useState<VisitReason>(preventive ? 'checkup' : 'illness');
  const [applicant, setApplicant] = useState('');
  const doctor = directory.doctors.find((d) => d.id === cell.doctorId);
  const sameTimeText = (id: string) => {
    const other = card.upcoming.find((a) => a.id === id);
    return other ? `${fmtDate(other.date)} ${other.time}, ${other.doctorName}` : '';
  };
  const warnings = bookingWarnings({
    patientAge: card.age,
    specialtyAges: directory.specialties.find((x) => x.id === specialtyId)?.patientAges ?? 'all',
    slotStartUtc: slot.startUtc,
    patientBookings: card.upcoming,
    movingId: moving?.id ?? null,
  });
  return (
    <ConfirmDialog title={t('ui.confirmQuestion')} confirmLabel={t('ui.book')} busy={busy} onConfirm={() => onConfirm({ applicant: applicant.trim() || undefined, visitReason })} onCancel={onCancel}>
      <dl className="confirm-dl">
        <dt>{t('ui.patient')}</dt>
        <dd>
          {card.patient.fullName} · {card.patient.nationalId}
        </dd>
        <dt>{t('ui.specialty')}</dt>
        <dd>
          {specialtyLabel(directory, specialtyId, lang)}
          {preventive && <> · {t('ui.preventive')}</>}
        </dd>
        <dt>{t('ui.channel')}</dt>
        <dd data-testid="confirm-channel">{t(`channel.${channel}`)}</dd>
        <dt>{t('ui.doctor')}</dt>
        <dd>
          {doctor?.fullName} · {t('ui.cabinet')} {doctor?.cabinet.number}
        </dd>
        <dt>
          {t('ui.date')} / {t('ui.time')}
        </dt>
        <dd>
          <b>
            {fmtDate(cell.date)} {slot.time}
          </b>
        </dd>
      </dl>
      <label className="field">
        {t('ui.visitReason')}
        <select value={visitReason} onChange={(e) => setVisitReason(e.target.value as VisitReason)} data-testid="visit-reason">
          {visitReasonEnum.options.map((r) => (
            <option key={r} value={r}>
              {t(`visitReason.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        {t('ui.applicantOther')}
        <input value={applicant} onChange={(e) => setApplicant(e.target.value)} placeholder={t('ui.applicantHint')} data-testid="applicant" />
      </label>
      {cell.needsConsent && <p className="warn">⚠ {t('ui.otherFamilyDoctor')}</p>}
      {warnings.map((w) => (
        <p key={w.code} className="warn" data-testid={`warning-${w.code}`}>
          ⚠ {w.code === 'age_mismatch' ? t(`ui.warnAges_${w.ages}`, { age: card.age }) : t('ui.warnSameTime', { when: sameTimeText(w.appointmentId) })}
        </p>
      ))}
      {moving && <p className="warn">{t('ui.movingHint')}</p>}
    </ConfirmDialog>
  );
}
