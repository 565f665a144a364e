import { localName } from '../../src-shared/i18n/index.js';
import { code128, drawingSVG } from 'bwip-js/browser';
import { useMemo } from 'react';
import type { Ticket } from '../../src-shared/domain/appointment.js';
import { fmtInstant, fmtDate, useI18n } from '../lib/i18n.js';

/** R14: the ticket (талон) as the patient gets it, with the Code128 barcode the desk scans on arrival (R18). */
export function TicketView({ ticket, timezone }: { ticket: Ticket; timezone: string }) {
  const { t, lang } = useI18n();
  const barcode = useMemo(() => {
    const svg = code128({ bcid: 'code128', text: ticket.code, scale: 2, height: 10, includetext: true, textxalign: 'center' }, drawingSVG());
    return `data:image/svg+xml;base64,${btoa(svg)}`;
  }, [ticket.code]);
  return (
    <section className="ticket" data-testid="ticket">
      <div className="t-head">{t('ui.ticket')}</div>
      {ticket.tentative && (
        <div className="t-tentative" data-testid="ticket-tentative">
          {t('ui.tentative')}
          <div className="small">{t('ui.tentativeNote')}</div>
        </div>
      )}
      <div className="t-org">{ticket.organization}</div>
      <div>{ticket.department}</div>
      <div className="muted">{ticket.address}</div>
      <div className="t-queue">
        <span className="muted">{t('ui.queueNumber')}</span> <b data-testid="queue-number">{ticket.queueNumber}</b>
      </div>
      <dl>
        <dt>{t('ui.specialty')}</dt>
        <dd>{localName(ticket.specialty, lang)}</dd>
        <dt>{t('ui.doctor')}</dt>
        <dd>{ticket.doctorName}</dd>
        <dt>{t('ui.cabinet')}</dt>
        <dd>
          {ticket.cabinet}, {ticket.floor} {t('ui.floor')}
        </dd>
        <dt>
          {t('ui.date')} / {t('ui.time')}
        </dt>
        <dd className="t-when">
          {fmtDate(ticket.date)} {ticket.time}
        </dd>
        <dt>{t('ui.patientId')}</dt>
        <dd>{ticket.patientIdMasked}</dd>
        <dt>{t('ui.visitReason')}</dt>
        <dd data-testid="ticket-form">
          {t(`ui.ageGroup_${ticket.ageGroup}`)}, {t(`visitReason.${ticket.visitReason}`)}
        </dd>
      </dl>
      <img className="barcode" alt={ticket.code} src={barcode} data-testid="ticket-barcode" data-code={ticket.code} />
      <div className="muted small">
        {t('ui.issued')}: {fmtInstant(ticket.issuedAt, timezone)}
      </div>
    </section>
  );
}
