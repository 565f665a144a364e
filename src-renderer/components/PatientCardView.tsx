import { useState } from 'react';
import type { AppointmentView, DirectoryView, PatientCard } from '../../src-shared/rpc/views.js';
import { callReasonText } from '../lib/call-reason.js';
import { fmtDate, fmtInstant, specialtyLabel, useI18n } from '../lib/i18n.js';
import { ageText } from '../../src-shared/i18n/index.js';

interface Props {
  card: PatientCard;
  directory: DirectoryView;
  onCancel(a: AppointmentView): void;
  onMove(a: AppointmentView): void;
  onCheckIn(a: AppointmentView): void;
  /** R16: save corrected phone and address; rejects with the translated reason. */
  onSaveContacts?(c: { phone: string; address: string }): Promise<unknown>;
}

/** R16 patient record and R2 attachment, with the patient's upcoming bookings and their actions. */
export function PatientCardView({ card, directory, onCancel, onMove, onCheckIn, onSaveContacts }: Props) {
  const { t, lang } = useI18n();
  const p = card.patient;
  const [editing, setEditing] = useState<{ phone: string; address: string } | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const specName = (id: string) => specialtyLabel(directory, id, lang, id);
  return (
    <section className="card patient" data-testid="patient-card">
      <h2>{p.fullName}</h2>
      <div className="muted">
        {p.nationalId} · {fmtDate(p.birthDate)} ({ageText(lang, card.age)}) · {t(p.sex === 'male' ? 'ui.male' : 'ui.female')}
      </div>
      {editing ? (
        <form
          className="contacts-edit"
          data-testid="contacts-edit"
          onSubmit={(e) => {
            e.preventDefault();
            onSaveContacts?.(editing).then(
              () => setEditing(null),
              (err: unknown) => setEditError(err instanceof Error ? err.message : String(err)),
            );
          }}
        >
          <input value={editing.phone} onChange={(e) => setEditing({ ...editing, phone: e.target.value })} aria-label={t('ui.phone')} data-testid="edit-phone" />
          <input value={editing.address} onChange={(e) => setEditing({ ...editing, address: e.target.value })} aria-label={t('ui.address')} data-testid="edit-address" />
          {editError && <p className="error small">{editError}</p>}
          <div className="row">
            <button type="submit" className="primary">
              {t('ui.save')}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              {t('ui.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="muted">
          {[p.phone, p.address].filter(Boolean).join(' · ')}{' '}
          {onSaveContacts && (
            <button
              type="button"
              className="link"
              onClick={() => {
                setEditError(null);
                setEditing({ phone: p.phone, address: p.address });
              }}
              data-testid="edit-contacts"
            >
              {t('ui.editContacts')}
            </button>
          )}
        </div>
      )}
      {card.attached ? (
        <div className="attach ok" data-testid="attachment">
          ✔ {t('ui.attached')}: {card.departmentName}
          {card.familyDoctorName ? ` · ${card.familyDoctorName}` : ''}
        </div>
      ) : (
        <div className="attach bad" data-testid="attachment">
          ✖ {t('ui.notAttached')}
        </div>
      )}
      <div className="tags">
        {p.priority && <span className="badge">{t('ui.priority')}</span>}
        {p.dispensarySpecialtyIds.map((s) => (
          <span key={s} className="badge">
            {t('ui.dispensary')}: {specName(s)}
          </span>
        ))}
        {card.referrals.map((r) => (
          <span key={r.id} className="badge good">
            {t('ui.referrals')}: {specName(r.specialtyId)}
          </span>
        ))}
        {card.noShowBlockedUntil && <span className="badge bad">{t('errors.noshow_blocked', { until: fmtDate(new Date(card.noShowBlockedUntil).toISOString().slice(0, 10)) })}</span>}
      </div>
      <h3>{t('ui.upcoming')}</h3>
      {card.upcoming.length === 0 ? (
        <p className="muted">{t('ui.none')}</p>
      ) : (
        <ul className="upcoming" data-testid="upcoming">
          {card.upcoming.map((a) => (
            <li key={a.id}>
              <div>
                <b>
                  {fmtDate(a.date)} {a.time}
                </b>{' '}
                · {specName(a.specialtyId)}
              </div>
              <div className="muted">
                {a.doctorName} · {t('ui.cabinet')} {a.cabinet} · {t(`status.${a.status}`)}
              </div>
              {a.syncState === 'conflict' && (
                <span className="badge bad" data-testid="conflict-badge">
                  {t('ui.conflictBadge')}
                </span>
              )}
              {a.callReason && a.syncState !== 'conflict' && (
                <div className="badge bad void" data-testid="void-badge">
                  {t('ui.visitWillNotHappen')} {callReasonText(t, a.callReason)}
                </div>
              )}
              {a.status === 'booked' && (
                <div className="actions">
                  {a.date === directory.today && (
                    <button type="button" onClick={() => onCheckIn(a)}>
                      {t('ui.checkIn')}
                    </button>
                  )}
                  <button type="button" onClick={() => onMove(a)}>
                    {t('ui.moveBooking')}
                  </button>
                  <button type="button" className="danger" onClick={() => onCancel(a)}>
                    {t('ui.cancelBooking')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {card.messages.length > 0 && <MessageLog messages={card.messages} timezone={directory.organization.timezone} />}
    </section>
  );
}

/** What the server told the patient (issue 20): when, what, how it ended — a registrar answering "did you send me anything?" sees it here. */
function MessageLog({ messages, timezone }: { messages: PatientCard['messages']; timezone: string }) {
  const { t } = useI18n();
  // A reason Kezek names is translated; a gateway's own answer is shown as it came.
  const why = (error: string) => {
    const key = `patientMessage.why.${error}`;
    return t(key) === key ? error : t(key);
  };
  return (
    <>
      <h3>{t('patientMessage.title')}</h3>
      <ul className="messages" data-testid="message-log">
        {messages.map((m) => (
          <li key={m.id} className={m.status === 'sent' ? '' : 'muted'} title={m.text ?? undefined}>
            <span>{fmtInstant(m.at, timezone)}</span> · <b>{t(`patientMessage.kind.${m.kind}`)}</b> · {m.channel === 'email' ? 'e-mail' : 'SMS'} {m.recipient ?? ''} ·{' '}
            <span className={m.status === 'sent' ? 'good' : m.status === 'skipped' ? '' : 'bad'}>{t(`patientMessage.status.${m.status}`)}</span>
            {m.error && m.status !== 'sent' && <span> ({why(m.error)})</span>}
          </li>
        ))}
      </ul>
    </>
  );
}
