import type { Patient } from '../../src-shared/domain/patient.js';
import { e164 } from '../messages/recipients.js';
import type { OfferNotice } from './offers.js';

/**
 * How a patient hears of an offer: by SMS when this server sends SMS and the patient's phone can take one (the
 * country's numbering, recipients.ts), else by a registrar's call — a task on the call list.
 */
export const offerNotice =
  (smsGateway: boolean): OfferNotice =>
  (patient: Patient | undefined) => {
    if (!smsGateway || !patient?.phone) return 'call';
    const country = patient.nationalIdKind.startsWith('KG') ? 'KG' : patient.nationalIdKind.startsWith('KZ') ? 'KZ' : 'RU';
    return e164(patient.phone, country) ? 'sms' : 'call';
  };
