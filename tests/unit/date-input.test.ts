import { describe, expect, it } from 'vitest';
import { dateProblem, parseDateInput, parseTimeInput, shiftDate, showDate } from '../../src-shared/time/date-input.js';

/** Issue 23 finding 10: dates and times as the desk's people type them, whatever the browser's locale. */
describe('typed dates and times (dd.mm.yyyy, 24 hours)', () => {
  it('reads a day however a registrar or a scanner writes it, and only real days', () => {
    for (const typed of ['14.03.1985', '14.3.1985', '14/03/1985', '14-03-1985', '14031985', '1985-03-14', ' 14.03.1985 ']) expect(parseDateInput(typed), typed).toBe('1985-03-14');
    for (const typed of ['31.02.2026', '00.01.2026', '14.13.1985', '12/31/2026', '1985', '14.03.85', 'завтра', '']) expect(parseDateInput(typed), typed).toBeNull();
    expect(parseDateInput('29.02.2028')).toBe('2028-02-29');
    expect(parseDateInput('29.02.2026')).toBeNull();
  });

  it('shows dd.mm.yyyy and moves a day with the arrows across months and years', () => {
    expect(showDate('2026-12-07')).toBe('07.12.2026');
    expect(shiftDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(shiftDate('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('reads a time of day in 24 hours, never AM/PM', () => {
    expect(parseTimeInput('9:30')).toBe('09:30');
    expect(parseTimeInput('930')).toBe('09:30');
    expect(parseTimeInput('0930')).toBe('09:30');
    expect(parseTimeInput('9.30')).toBe('09:30');
    expect(parseTimeInput('17')).toBe('17:00');
    expect(parseTimeInput('23:59')).toBe('23:59');
    for (const typed of ['24:00', '9:60', '9:30 PM', '12:30 AM', 'полдень', '12345']) expect(parseTimeInput(typed), typed).toBeNull();
  });

  it('says what is wrong in the app’s own words, with the bound in dd.mm.yyyy', () => {
    expect(dateProblem('12/31/2026', {})).toEqual({ key: 'ui.dateFormat' }); // mm/dd is not read as a day
    expect(dateProblem('01.12.2026', { min: '2026-12-07' })).toEqual({ key: 'ui.dateNotBefore', params: { date: '07.12.2026' } });
    expect(dateProblem('08.12.2026', { max: '2026-12-07' })).toEqual({ key: 'ui.dateNotAfter', params: { date: '07.12.2026' } });
    expect(dateProblem('', { required: true })).toEqual({ key: 'ui.dateFormat' });
    expect(dateProblem('', {})).toBeNull();
    expect(dateProblem('07.12.2026', { min: '2026-12-07', max: '2026-12-07' })).toBeNull();
  });
});
