import { describe, expect, it } from 'vitest';
import type { ScheduleException, ScheduleTemplate } from '../../src-shared/domain/directory.js';
import { PROFILES } from '../../src-shared/policy/profiles.js';
import { generateDoctorSlots, internetShare, slotId } from '../../src-shared/slots/generate.js';
import { datesBetween, hhmmOf, wallMinuteToUtc, wallToUtc } from '../../src-shared/time/dates.js';

const morning = [
  { from: '08:00', to: '10:00', channel: 'registry' as const },
  { from: '10:00', to: '11:00', channel: 'internet' as const },
  { from: '11:00', to: '11:30', channel: 'priority' as const },
  // 11:30–13:00 is the break
  { from: '13:00', to: '14:00', channel: 'doctor' as const },
];
const template: ScheduleTemplate = {
  id: 't1',
  doctorId: 'd1',
  validFrom: '2026-01-01',
  validTo: null,
  slotMinutes: 20,
  week: { '1': morning, '2': morning, '3': morning, '4': morning, '5': morning },
};
const gen = (dates: string[], exceptions: ScheduleException[] = [], timezone = 'Asia/Bishkek', profile = PROFILES.KG) =>
  generateDoctorSlots({ template, exceptions, specialtyId: 's1', dates, profile, timezone });

describe('slot generation', () => {
  it("cuts intervals into slots, leaves the break empty and keeps each slot's channel", () => {
    const slots = gen(['2026-11-23']);
    expect(slots.map((s) => s.time)).toEqual(['08:00', '08:20', '08:40', '09:00', '09:20', '09:40', '10:00', '10:20', '10:40', '11:00', '13:00', '13:20', '13:40']);
    expect(slots.filter((s) => s.channel === 'internet')).toHaveLength(3);
    expect(slots[9]!.channel).toBe('priority');
  });
  it('gives deterministic IDs: doctor + local start', () => {
    const [a] = gen(['2026-11-23']);
    expect(a!.id).toBe(slotId('d1', '2026-11-23', '08:00'));
    expect(gen(['2026-11-23'])[0]!.id).toBe(a!.id);
  });
  it('converts wall-clock times in the clinic zone to UTC instants', () => {
    const [bishkek] = gen(['2026-11-23']);
    expect(new Date(bishkek!.startUtc).toISOString()).toBe('2026-11-23T02:00:00.000Z'); // UTC+6
    const [moscow] = gen(['2026-11-23'], [], 'Europe/Moscow', PROFILES['RU-SM']);
    expect(new Date(moscow!.startUtc).toISOString()).toBe('2026-11-23T05:00:00.000Z'); // UTC+3
    const [almaty] = gen(['2026-11-23'], [], 'Asia/Almaty', PROFILES.KZ);
    expect(new Date(almaty!.startUtc).toISOString()).toBe('2026-11-23T03:00:00.000Z'); // UTC+5 since 2024
  });
  it('follows DST where a zone has it (slots stay at the same wall-clock time)', () => {
    const berlinMorning = gen(['2026-03-27', '2026-03-30'], [], 'Europe/Berlin');
    const first = berlinMorning.filter((s) => s.time === '08:00').map((s) => new Date(s.startUtc).toISOString());
    expect(first).toEqual(['2026-03-27T07:00:00.000Z', '2026-03-30T06:00:00.000Z']);
  });
  it('R20: no slots on weekends and public holidays', () => {
    const week = gen(datesBetween('2026-08-29', '2026-09-01')); // Sat, Sun, Mon 31 Aug (Independence Day), Tue
    expect(new Set(week.map((s) => s.date))).toEqual(new Set(['2026-09-01']));
  });
  it('a vacation blocks whole days; absenteeism blocks only the hours missed; changed hours replace the day', () => {
    const exceptions: ScheduleException[] = [
      { id: 'e1', doctorId: 'd1', kind: 'vacation', fromDate: '2026-11-23', toDate: '2026-11-23', intervals: null, note: '' },
      { id: 'e2', doctorId: 'd1', kind: 'absenteeism', fromDate: '2026-11-24', toDate: '2026-11-24', intervals: [{ from: '08:30', to: '09:00', channel: 'registry' }], note: '' },
      { id: 'e3', doctorId: 'd1', kind: 'changed_hours', fromDate: '2026-11-25', toDate: '2026-11-25', intervals: [{ from: '14:00', to: '15:00', channel: 'registry' }], note: '' },
    ];
    const slots = gen(['2026-11-23', '2026-11-24', '2026-11-25'], exceptions);
    expect(slots.filter((s) => s.date === '2026-11-23').every((s) => s.blocked)).toBe(true);
    expect(slots.filter((s) => s.date === '2026-11-24' && s.blocked).map((s) => s.time)).toEqual(['08:20', '08:40']);
    expect(slots.filter((s) => s.date === '2026-11-25').map((s) => s.time)).toEqual(['14:00', '14:20', '14:40']);
  });
  it("respects the template's validity period", () => {
    expect(gen(['2025-12-31'])).toHaveLength(0);
  });
  it("R7 (000 §5): measures the internet share of a doctor's time", () => {
    // 60 internet minutes of 270 per day
    expect(internetShare(template)).toBeCloseTo(60 / 270);
  });
});

describe('wallMinuteToUtc (slot generation looks the zone up once per day)', () => {
  it('gives what a per-time lookup gives, every 5 minutes, on a steady day and across a DST switch', () => {
    for (const [date, zone] of [
      ['2026-11-23', 'Asia/Bishkek'],
      ['2026-03-29', 'Europe/Berlin'],
      ['2026-10-25', 'Europe/Berlin'],
      ['2026-03-08', 'America/Havana'],
    ] as const) {
      for (let m = 0; m < 24 * 60; m += 5) expect(wallMinuteToUtc(date, m, zone), `${zone} ${date} ${hhmmOf(m)}`).toBe(wallToUtc(date, hhmmOf(m), zone));
    }
  });
});
