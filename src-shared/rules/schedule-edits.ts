import { z } from 'zod';
import type { Cabinet, Doctor, ScheduleException, ScheduleTemplate } from '../domain/directory.js';
import { scheduleTemplate } from '../domain/directory.js';
import type { Role } from '../domain/enums.js';
import { id, isoDate } from '../domain/primitives.js';
import type { PolicyProfile } from '../policy/types.js';
import { internetShare } from '../slots/generate.js';
import { addDays, minutesOf } from '../time/dates.js';
import { callTaskId, MANAGERS } from './absences.js';
import { refuse, type Decision } from './decision.js';

const manages = (role: Role | null) => role !== null && MANAGERS.includes(role);

/** A doctor as the head enters one: hired (a new id), changed, or dismissed (`active: false`). The cabinet by its number. */
export const doctorEdit = z.object({
  id,
  fullName: z.string().trim().min(3).max(120),
  specialtyId: id,
  departmentId: id,
  cabinetNumber: z.string().trim().min(1).max(12),
  floor: z.number().int().min(-2).max(30),
  active: z.boolean(),
});
export type DoctorEdit = z.infer<typeof doctorEdit>;

/** A cabinet's id follows from its number, so two desks adding the same new cabinet offline make one. */
export const cabinetIdFor = (orgId: string, number: string): string => `cab:${orgId}:${number}`.slice(0, 80);

/**
 * Hiring, changing and dismissing doctors (issue 11, 004 §3.4.3: on the head's order). A doctor
 * still holding bookings is not dismissed: their patients are moved first (an absence of kind
 * "dismissal" puts them on the call list), so nobody keeps a ticket to a doctor who is gone.
 */
export function decideDoctorEdit(
  edit: DoctorEdit,
  f: { role: Role | null; orgId: string; specialties: ReadonlySet<string>; departments: ReadonlySet<string>; cabinets: readonly Cabinet[]; current: Doctor | undefined; bookingsAhead: number },
): Decision<{ doctor: Doctor; cabinet: Cabinet | null }> {
  if (!manages(f.role)) return refuse('not_manager');
  if (!f.specialties.has(edit.specialtyId)) return refuse('specialty_not_offered');
  if (!f.departments.has(edit.departmentId)) return refuse('unknown_department');
  if (!edit.active && f.bookingsAhead > 0) return refuse('doctor_has_bookings', { n: f.bookingsAhead });
  const known = f.cabinets.find((c) => c.number === edit.cabinetNumber);
  const cabinet = known && known.floor === edit.floor ? null : { id: known?.id ?? cabinetIdFor(f.orgId, edit.cabinetNumber), orgId: f.orgId, number: edit.cabinetNumber, floor: edit.floor };
  const doctor: Doctor = {
    id: edit.id,
    orgId: f.orgId,
    departmentId: edit.departmentId,
    specialtyId: edit.specialtyId,
    cabinetId: known?.id ?? cabinet!.id,
    fullName: edit.fullName,
    active: edit.active,
  };
  return { ok: true, doctor, cabinet };
}

/** A new weekly schedule of a doctor from a day on (the one before it ends the day before). */
export const templateEdit = scheduleTemplate;

/**
 * A doctor's weekly schedule with its channel shares — registry, the doctor's repeat visits (R21),
 * internet (R7: at most the profile's share of the doctor's time), priority windows (R13). It starts
 * today or later (the past schedule stays as it was); no two intervals of a day overlap; the
 * schedule it follows ends the day before it starts. Returns the template and the ones it cuts short.
 */
export function decideTemplate(
  t: ScheduleTemplate,
  f: { role: Role | null; today: string; profile: PolicyProfile; doctorActive: boolean; others: readonly ScheduleTemplate[] },
): Decision<{ template: ScheduleTemplate; ended: ScheduleTemplate[] }> {
  if (!manages(f.role)) return refuse('not_manager');
  if (!f.doctorActive) return refuse('unknown_doctor');
  if (t.validFrom < f.today) return refuse('absence_past');
  if (t.validTo !== null && t.validTo < t.validFrom) return refuse('absence_dates');
  for (const [day, ivs] of Object.entries(t.week)) {
    const sorted = [...ivs].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
    for (const [i, iv] of sorted.entries()) {
      if (minutesOf(iv.to) - minutesOf(iv.from) < t.slotMinutes) return refuse('template_interval', { day, from: iv.from, to: iv.to });
      const next = sorted[i + 1];
      if (next && minutesOf(next.from) < minutesOf(iv.to)) return refuse('template_overlap', { day, from: next.from, to: iv.to });
    }
  }
  const share = internetShare(t);
  if (share > f.profile.maxInternetShare + 1e-9) return refuse('internet_quota', { share: Math.round(share * 100), max: Math.round(f.profile.maxInternetShare * 100) });
  const ended: ScheduleTemplate[] = [];
  for (const o of f.others) {
    if (o.id === t.id || o.doctorId !== t.doctorId) continue;
    const overlapsIt = (t.validTo === null || o.validFrom <= t.validTo) && (o.validTo === null || o.validTo >= t.validFrom);
    if (!overlapsIt) continue;
    // Only the schedule in force before this one gives way; a later one is changed by itself, not overwritten.
    if (o.validFrom >= t.validFrom) return refuse('template_periods', { from: o.validFrom });
    ended.push({ ...o, validTo: addDays(t.validFrom, -1) });
  }
  return { ok: true, template: t, ended };
}

/** R7 (000 §5): the head limits internet booking for a doctor for a period to a share of the doctor's time. */
export const quotaRequest = z.object({ id, doctorId: id, fromDate: isoDate, toDate: isoDate, percent: z.number().int().min(0).max(100) });
export type QuotaRequest = z.infer<typeof quotaRequest>;

export function decideQuota(q: QuotaRequest, f: { role: Role | null; today: string; profile: PolicyProfile; doctorActive: boolean }): Decision<{ exception: ScheduleException }> {
  if (!manages(f.role)) return refuse('not_manager');
  if (!f.doctorActive) return refuse('unknown_doctor');
  if (q.toDate < q.fromDate) return refuse('absence_dates');
  if (q.toDate < f.today) return refuse('absence_past');
  const max = Math.round(f.profile.maxInternetShare * 100);
  if (q.percent > max) return refuse('internet_quota', { share: q.percent, max });
  return {
    ok: true,
    exception: { id: q.id, doctorId: q.doctorId, kind: 'internet_quota', fromDate: q.fromDate, toDate: q.toDate, intervals: null, note: '', share: q.percent / 100 },
  };
}

/** The call-list task of a booking a new weekly schedule no longer has a time for. */
export const scheduleTaskId = (templateId: string, appointmentId: string): string => callTaskId('sc', templateId, appointmentId);
