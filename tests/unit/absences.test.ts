import { describe, expect, it } from 'vitest';
import { absenceTaskId, decideAbsence, isUrgentCall } from '../../src-shared/rules/absences.js';
import { suggestAlternatives } from '../../src-shared/slots/alternatives.js';
import { getProfile } from '../../src-shared/policy/profiles.js';

const req = { id: 'ab1', doctorId: 'd1', kind: 'vacation' as const, fromDate: '2026-11-24', toDate: '2026-11-30', hours: null, note: '' };
const facts = { today: '2026-11-23', role: 'head' as const, doctorActive: true };

describe('R8 absences (000 §1; 004 §3.4.3)', () => {
  it('only the head or administrator changes the schedule (004 §3.4.3.1: on the head’s order)', () => {
    expect(decideAbsence(req, { ...facts, role: 'registrar' })).toMatchObject({ ok: false, code: 'not_manager' });
    expect(decideAbsence(req, { ...facts, role: null })).toMatchObject({ ok: false, code: 'not_manager' });
    expect(decideAbsence(req, { ...facts, role: 'admin' })).toMatchObject({ ok: true });
  });
  it('absenteeism is more than 4 hours in a row of one day (004 §3.4.3.3); a dismissal lasts', () => {
    const hours = (from: string, to: string) => decideAbsence({ ...req, kind: 'absenteeism', toDate: req.fromDate, hours: { from, to } }, facts);
    expect(hours('08:00', '11:59')).toMatchObject({ ok: false, code: 'absence_hours' });
    expect(hours('08:00', '12:00')).toMatchObject({ ok: true, exception: { intervals: [{ from: '08:00', to: '12:00' }] } });
    expect(decideAbsence({ ...req, kind: 'absenteeism', hours: { from: '08:00', to: '13:00' } }, facts)).toMatchObject({ ok: false, code: 'absence_hours' });
    expect(decideAbsence({ ...req, kind: 'dismissal', toDate: null }, facts)).toMatchObject({ ok: true, exception: { toDate: '9999-12-31' } });
    expect(decideAbsence({ ...req, toDate: null }, facts)).toMatchObject({ ok: false, code: 'absence_dates' });
  });
  it('a one-off day of other hours: one day, the hours in order, any length', () => {
    const day = (from: string, to: string, toDate = req.fromDate) => decideAbsence({ ...req, kind: 'changed_hours', toDate, hours: { from, to } }, facts);
    expect(day('14:00', '16:00')).toMatchObject({ ok: true, exception: { kind: 'changed_hours', toDate: req.fromDate, intervals: [{ from: '14:00', to: '16:00', channel: 'registry' }] } });
    expect(day('16:00', '14:00')).toMatchObject({ ok: false, code: 'day_hours' });
    expect(day('14:00', '16:00', '2026-11-25')).toMatchObject({ ok: false, code: 'day_hours' });
    expect(decideAbsence({ ...req, kind: 'changed_hours', toDate: req.fromDate, hours: null }, facts)).toMatchObject({ ok: false, code: 'day_hours' });
  });
  it('a vacation known less than two days ahead: its first day’s patients are phoned first (004 §3.4.3.2)', () => {
    expect(isUrgentCall({ fromDate: '2026-11-24' }, '2026-11-24', '2026-11-23')).toBe(true);
    expect(isUrgentCall({ fromDate: '2026-11-24' }, '2026-11-25', '2026-11-23')).toBe(false);
    expect(isUrgentCall({ fromDate: '2026-11-26' }, '2026-11-26', '2026-11-23')).toBe(false);
  });
  it('task ids are the same on desk and server, and short enough for any ids', () => {
    expect(absenceTaskId('e', 'a')).toBe('ab:e:a');
    expect(absenceTaskId('e'.repeat(80), 'a'.repeat(80)).length).toBeLessThanOrEqual(80);
    expect(absenceTaskId('e'.repeat(80), 'a'.repeat(80))).not.toBe(absenceTaskId('e'.repeat(80), `${'a'.repeat(79)}b`));
  });
  it('offers in R8’s order: another doctor of the specialty at the same time, the same doctor later, then the specialty', () => {
    const week = [{ from: '08:00', to: '10:00', channel: 'registry' as const }];
    const doctor = (id: string, specialtyId = 'family') => ({ id, orgId: 'o', departmentId: 'g', specialtyId, cabinetId: 'c', fullName: id, active: true });
    const template = (doctorId: string, days: string[]) => ({
      id: `t-${doctorId}`,
      doctorId,
      validFrom: '2026-01-01',
      validTo: null,
      slotMinutes: 30,
      week: Object.fromEntries(days.map((d) => [d, week])),
    });
    const alts = suggestAlternatives({
      lost: { doctorId: 'd1', date: '2026-11-24', startUtc: Date.parse('2026-11-24T09:00:00+06:00') },
      doctors: [doctor('d1'), doctor('d2'), doctor('d3'), doctor('p1', 'pediatric')],
      // d2 works Tuesdays only, d3 Wednesdays; the lost doctor is sick on Tuesday.
      templates: [template('d1', ['2', '3']), template('d2', ['2']), template('d3', ['3']), template('p1', ['2'])],
      exceptions: [{ id: 'x', doctorId: 'd1', kind: 'sick', fromDate: '2026-11-24', toDate: '2026-11-24', intervals: null, note: '' }],
      profile: getProfile('KG'),
      timezone: 'Asia/Bishkek',
      taken: new Set(['d2@2026-11-24T09:00']),
      now: Date.parse('2026-11-23T09:00:00+06:00'),
      perKind: 2,
    });
    expect(alts.map((a) => [a.kind, a.slotId])).toEqual([
      // Equally near: the earlier first.
      // d2's 09:00 is taken: no one at exactly the same time; near it, that day (issue 23 finding 9: said as such).
      ['near_time', 'd2@2026-11-24T08:30'],
      ['near_time', 'd2@2026-11-24T09:30'],
      ['same_doctor', 'd1@2026-11-25T08:00'],
      ['same_doctor', 'd1@2026-11-25T08:30'],
      ['specialty', 'd2@2026-11-24T08:00'],
      ['specialty', 'd3@2026-11-25T08:00'],
    ]);
  });
});
