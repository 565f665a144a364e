import type { useI18n } from './i18n.js';

type T = ReturnType<typeof useI18n>['t'];

/**
 * Why a booking went on the call list, in words: an absence, a new schedule, another desk first, a lease that did
 * not hold, or the server's rules (R2, R5, R1…). One wording for the call list, the patient's card and today's list.
 */
export function callReasonText(t: T, reason: string): string {
  if (reason.startsWith('absence:')) return t('ui.lostAbsence', { kind: t(`absenceKind.${reason.slice('absence:'.length)}`) });
  if (reason === 'schedule_change') return t('ui.lostScheduleChange');
  if (reason.startsWith('refused:')) return t('ui.serverRefused', { reason: t(`errors.${reason.slice('refused:'.length)}`) });
  return reason === 'slot_leased' ? t('ui.lostSlotLeased') : reason === 'lease_lost' ? t('ui.lostLeaseLost') : t('ui.lostBooking');
}
