import type { Doctor, ScheduleException, ScheduleTemplate } from '../domain/directory.js';
import type { PolicyProfile } from '../policy/types.js';
import { addDays, datesBetween } from '../time/dates.js';
import { generateDoctorSlots } from './generate.js';

export interface Alternative {
  slotId: string;
  doctorId: string;
  date: string;
  time: string;
  startUtc: number;
  sameDoctor: boolean;
}

/**
 * Free slots to offer a patient whose booking lost its slot (R4, R8 order):
 * first the same doctor at the nearest free times, then another doctor of the
 * same specialty at (about) the same time. Pure: the caller says what is taken.
 */
export function suggestAlternatives(args: {
  lost: { doctorId: string; date: string; startUtc: number };
  doctors: readonly Doctor[];
  templates: readonly ScheduleTemplate[];
  exceptions: readonly ScheduleException[];
  profile: PolicyProfile;
  timezone: string;
  taken: ReadonlySet<string>;
  now: number;
  perKind?: number;
}): Alternative[] {
  const { lost, profile, timezone, taken, now } = args;
  const perKind = args.perKind ?? 3;
  const lostDoctor = args.doctors.find((d) => d.id === lost.doctorId);
  if (!lostDoctor) return [];
  const colleagues = args.doctors.filter((d) => d.active && d.specialtyId === lostDoctor.specialtyId);
  const dates = datesBetween(lost.date, addDays(lost.date, 7));
  const free = colleagues
    .flatMap((d) =>
      args.templates
        .filter((t) => t.doctorId === d.id)
        .flatMap((t) => generateDoctorSlots({ template: t, exceptions: args.exceptions.filter((e) => e.doctorId === d.id), specialtyId: d.specialtyId, dates, profile, timezone })),
    )
    .filter((s) => !s.blocked && s.startUtc > now && !taken.has(s.id) && (s.channel === 'registry' || s.channel === 'internet'));
  const byDistance = (a: { startUtc: number }, b: { startUtc: number }) => Math.abs(a.startUtc - lost.startUtc) - Math.abs(b.startUtc - lost.startUtc);
  const same = free
    .filter((s) => s.doctorId === lost.doctorId)
    .sort(byDistance)
    .slice(0, perKind);
  const others = free
    .filter((s) => s.doctorId !== lost.doctorId && Math.abs(s.startUtc - lost.startUtc) <= 30 * 60_000)
    .sort(byDistance)
    .slice(0, perKind);
  return [...same, ...others].map((s) => ({ slotId: s.id, doctorId: s.doctorId, date: s.date, time: s.time, startUtc: s.startUtc, sameDoctor: s.doctorId === lost.doctorId }));
}
