import { describe, expect, it } from 'vitest';
import type { Doctor, ScheduleTemplate } from '../../src-shared/domain/directory.js';
import { PROFILES } from '../../src-shared/policy/profiles.js';
import { decideDoctorEdit, decideQuota, decideTemplate, type DoctorEdit } from '../../src-shared/rules/schedule-edits.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';

const TODAY = '2026-11-23';
const day = (...ivs: Array<[string, string, 'registry' | 'internet' | 'doctor' | 'priority']>) => ivs.map(([from, to, channel]) => ({ from, to, channel }));
const template = (week: ScheduleTemplate['week'], extra: Partial<ScheduleTemplate> = {}): ScheduleTemplate => ({
  id: 'tpl-new',
  doctorId: 'd1',
  validFrom: '2026-11-30',
  validTo: null,
  slotMinutes: 20,
  week,
  ...extra,
});
const ctx = (others: ScheduleTemplate[] = [], role: 'head' | 'registrar' = 'head') => ({ role, today: TODAY, profile: PROFILES.KG, doctorActive: true, others });

describe('weekly schedules with channel shares (issue 11; R7 000 §5, R13 004 §3.4.1)', () => {
  it('R13 (004 §3.4.1): priority windows and R21 repeat-visit slots are part of the week; the schedule in force before ends the day before', () => {
    const old = template({ '1': day(['08:00', '12:00', 'registry']) }, { id: 'tpl-old', validFrom: '2026-01-01' });
    const t = template({ '1': day(['08:00', '11:00', 'registry'], ['11:00', '12:00', 'priority'], ['14:00', '15:00', 'doctor']) });
    const d = decideTemplate(t, ctx([old]));
    expect(d).toMatchObject({ ok: true, ended: [{ id: 'tpl-old', validTo: '2026-11-29' }] });
    const slots = generateDoctorSlots({ template: t, exceptions: [], specialtyId: 's', dates: ['2026-11-30'], profile: PROFILES.KG, timezone: 'Asia/Bishkek' });
    expect(slots.filter((s) => s.channel === 'priority').map((s) => s.time)).toEqual(['11:00', '11:20', '11:40']);
  });

  it('refuses a day whose intervals overlap, and an interval shorter than one visit', () => {
    expect(decideTemplate(template({ '2': day(['08:00', '12:00', 'registry'], ['11:00', '13:00', 'internet']) }), ctx())).toMatchObject({
      ok: false,
      code: 'template_overlap',
      params: { day: '2', from: '11:00', to: '12:00' },
    });
    expect(decideTemplate(template({ '3': day(['08:00', '08:10', 'registry']) }), ctx())).toMatchObject({ ok: false, code: 'template_interval' });
  });

  it('R7 (000 §5): internet at most 30 % of the doctor’s time', () => {
    // 3 h of 9 = 33 %: refused, and the message says both figures.
    const over = template({ '1': day(['08:00', '14:00', 'registry'], ['14:00', '17:00', 'internet']) });
    expect(decideTemplate(over, ctx())).toMatchObject({ ok: false, code: 'internet_quota', params: { share: 33, max: 30 } });
    const under = template({ '1': day(['08:00', '15:00', 'registry'], ['15:00', '18:00', 'internet']) });
    expect(decideTemplate(under, ctx())).toMatchObject({ ok: true });
  });

  it('only the head or administrator, from today on, and never over a later schedule of the same doctor', () => {
    const t = template({ '1': day(['08:00', '12:00', 'registry']) });
    expect(decideTemplate(t, ctx([], 'registrar'))).toMatchObject({ ok: false, code: 'not_manager' });
    expect(decideTemplate({ ...t, validFrom: '2026-11-20' }, ctx())).toMatchObject({ ok: false, code: 'absence_past' });
    const later = template({ '1': day(['08:00', '12:00', 'registry']) }, { id: 'tpl-later', validFrom: '2026-12-07' });
    expect(decideTemplate(t, ctx([later]))).toMatchObject({ ok: false, code: 'template_periods', params: { from: '2026-12-07' } });
  });
});

describe('R7 (000 §5): the head’s internet quota for a doctor and a period', () => {
  const t = template({ '1': day(['08:00', '12:00', 'registry'], ['12:00', '14:00', 'internet']) }, { validFrom: '2026-01-01' });
  const slots = (percent: number | null) =>
    generateDoctorSlots({
      template: t,
      exceptions: percent === null ? [] : [{ id: 'q', doctorId: 'd1', kind: 'internet_quota', fromDate: '2026-11-30', toDate: '2026-11-30', intervals: null, note: '', share: percent / 100 }],
      specialtyId: 's',
      dates: ['2026-11-30', '2026-12-07'],
      profile: PROFILES.KG,
      timezone: 'Asia/Bishkek',
    });
  const internet = (percent: number | null, date: string) =>
    slots(percent)
      .filter((s) => s.date === date && s.channel === 'internet')
      .map((s) => s.time);

  it('keeps internet times to the share of the day’s times (the first ones), the rest become registry times — inside the period only', () => {
    // 18 times a day, 6 of them internet (33 % — a template from before the rule's check). 10 % of 18 → 1.
    expect(internet(null, '2026-11-30')).toHaveLength(6);
    expect(internet(10, '2026-11-30')).toEqual(['12:00']);
    expect(internet(0, '2026-11-30')).toEqual([]);
    expect(internet(10, '2026-12-07')).toHaveLength(6);
    // Nothing else moves: the same times, the same ids.
    expect(slots(10).map((s) => s.id)).toEqual(slots(null).map((s) => s.id));
  });

  it('refuses a quota above 30 %, reversed dates, a past period, and anyone but the head or administrator', () => {
    const q = { id: 'q1', doctorId: 'd1', fromDate: TODAY, toDate: '2026-11-30', percent: 20 };
    const f = { role: 'head' as const, today: TODAY, profile: PROFILES.KG, doctorActive: true };
    expect(decideQuota(q, f)).toMatchObject({ ok: true, exception: { kind: 'internet_quota', share: 0.2 } });
    expect(decideQuota({ ...q, percent: 31 }, f)).toMatchObject({ ok: false, code: 'internet_quota', params: { share: 31, max: 30 } });
    expect(decideQuota({ ...q, toDate: '2026-11-22' }, f)).toMatchObject({ ok: false, code: 'absence_dates' });
    expect(decideQuota({ ...q, fromDate: '2026-11-01', toDate: '2026-11-20' }, f)).toMatchObject({ ok: false, code: 'absence_past' });
    expect(decideQuota(q, { ...f, role: 'registrar' as never })).toMatchObject({ ok: false, code: 'not_manager' });
  });
});

describe('hiring and dismissing doctors (issue 11)', () => {
  const current: Doctor = { id: 'd1', orgId: 'o', departmentId: 'gsv1', specialtyId: 'family', cabinetId: 'cab-101', fullName: 'Иванов И. И.', active: true };
  const edit: DoctorEdit = { id: 'd1', fullName: 'Иванов И. И.', specialtyId: 'family', departmentId: 'gsv1', cabinetNumber: '101', floor: 1, active: true };
  const f = {
    role: 'head' as const,
    orgId: 'o',
    specialties: new Set(['family', 'cardio']),
    departments: new Set(['gsv1']),
    cabinets: [{ id: 'cab-101', orgId: 'o', number: '101', floor: 1 }],
    current,
    bookingsAhead: 0,
  };
  it('a doctor with booked patients is not dismissed until they are moved', () => {
    expect(decideDoctorEdit({ ...edit, active: false }, { ...f, bookingsAhead: 3 })).toMatchObject({ ok: false, code: 'doctor_has_bookings', params: { n: 3 } });
    expect(decideDoctorEdit({ ...edit, active: false }, f)).toMatchObject({ ok: true, doctor: { active: false } });
  });
  it('a cabinet by its number: the known one, or a new one with an id every desk derives alike', () => {
    expect(decideDoctorEdit(edit, f)).toMatchObject({ ok: true, cabinet: null, doctor: { cabinetId: 'cab-101' } });
    const moved = decideDoctorEdit({ ...edit, cabinetNumber: '214', floor: 2 }, f);
    expect(moved).toMatchObject({ ok: true, cabinet: { id: 'cab:o:214', number: '214', floor: 2 }, doctor: { cabinetId: 'cab:o:214' } });
    expect(decideDoctorEdit({ ...edit, cabinetNumber: '214', floor: 2 }, f)).toEqual(moved);
  });
  it('refuses an unknown specialty or ГСВ, and anyone but the head or administrator', () => {
    expect(decideDoctorEdit({ ...edit, specialtyId: 'astro' }, f)).toMatchObject({ ok: false, code: 'specialty_not_offered' });
    expect(decideDoctorEdit({ ...edit, departmentId: 'gsv9' }, f)).toMatchObject({ ok: false, code: 'unknown_department' });
    expect(decideDoctorEdit(edit, { ...f, role: 'registrar' as never })).toMatchObject({ ok: false, code: 'not_manager' });
  });
});
