import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../src-shared/policy/profiles.js';
import { horizonEnd, isWorkingDay } from '../../src-shared/time/working-days.js';

describe('R20 working days and holidays per country (R20 in docs/rules.md; Labour Code KR art. 113)', () => {
  it('KG: weekends and public holidays are not working days, moved days off are', () => {
    expect(isWorkingDay(PROFILES.KG, '2026-11-23')).toBe(true); // Monday
    expect(isWorkingDay(PROFILES.KG, '2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay(PROFILES.KG, '2026-08-31')).toBe(false); // Independence Day
    expect(isWorkingDay(PROFILES.KG, '2026-11-09')).toBe(false); // 7 Nov fell on Saturday → Monday off
    expect(isWorkingDay(PROFILES.KG, '2027-03-22')).toBe(false); // Nooruz on Sunday → Monday off
  });
  it('KZ (003 item 7): Saturday is a working day (9–14)', () => {
    expect(isWorkingDay(PROFILES.KZ, '2026-11-21')).toBe(true);
    expect(isWorkingDay(PROFILES.KZ, '2026-12-16')).toBe(false); // Independence Day
  });
});

describe('R1 booking horizon (000 §1; 004 §3; 001 order 2.1)', () => {
  it('KG: 14 working days, skipping weekends', () => {
    // Sunday 2026-11-22: working days Nov 23–27, Nov 30–Dec 4, Dec 7–10 → the 14th is Thu Dec 10.
    expect(horizonEnd(PROFILES.KG, '2026-11-22')).toBe('2026-12-10');
  });
  it('KG: holidays do not count as working days', () => {
    // From Fri 2026-11-06: Nov 9 and 10 are days off (7–8 Nov moved), so the 14th working day is Nov 30.
    expect(horizonEnd(PROFILES.KG, '2026-11-06')).toBe('2026-11-30');
  });
  it('Smolensk: two calendar weeks (004 §3)', () => {
    expect(horizonEnd(PROFILES['RU-SM'], '2026-11-22')).toBe('2026-12-06');
  });
  it('Moscow Oblast: one month (001 order 2.1)', () => {
    expect(horizonEnd(PROFILES['RU-MO'], '2026-01-31')).toBe('2026-02-28');
  });
});
