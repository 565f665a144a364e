import type { Doctor, ScheduleException, ScheduleTemplate } from '../domain/directory.js';
import type { PolicyProfile } from '../policy/types.js';
import { addDays, datesBetween } from '../time/dates.js';
import { generateDoctorSlots } from './generate.js';

/**
 * Which of R8's offers this is — and what the call list says it is (issue 23 finding 9): another doctor at
 * exactly the same time; another doctor that day at a time near it; the same doctor at another time or day;
 * the specialty's nearest time.
 */
export type AlternativeKind = 'same_time' | 'near_time' | 'same_doctor' | 'specialty';

export interface Alternative {
  slotId: string;
  doctorId: string;
  date: string;
  time: string;
  startUtc: number;
  sameDoctor: boolean;
  kind: AlternativeKind;
}

/** "Near the time": another doctor's start within this of the lost one, on the same day. */
const SAME_TIME_MS = 30 * 60_000;
/** How far ahead offers are looked for (a two-week vacation still finds the doctor's first day back). */
const SEARCH_DAYS = 14;

/**
 * Free slots to offer a patient whose booking lost its slot, in R8's order (000 §1, 004 §3.4.2):
 * first another doctor of the same specialty at (about) the same time, then the same doctor's
 * nearest free times, then the nearest free times of the specialty. Pure: the caller says what is taken.
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
  const perKind = args.perKind ?? 2;
  const lostDoctor = args.doctors.find((d) => d.id === lost.doctorId);
  if (!lostDoctor) return [];
  const colleagues = args.doctors.filter((d) => d.active && d.specialtyId === lostDoctor.specialtyId);
  const dates = datesBetween(lost.date, addDays(lost.date, SEARCH_DAYS));
  const free = colleagues
    .flatMap((d) =>
      args.templates
        .filter((t) => t.doctorId === d.id)
        .flatMap((t) => generateDoctorSlots({ template: t, exceptions: args.exceptions.filter((e) => e.doctorId === d.id), specialtyId: d.specialtyId, dates, profile, timezone })),
    )
    .filter((s) => !s.blocked && s.startUtc > now && !taken.has(s.id) && (s.channel === 'registry' || s.channel === 'internet'))
    .sort((a, b) => Math.abs(a.startUtc - lost.startUtc) - Math.abs(b.startUtc - lost.startUtc));
  const offered = new Set<string>();
  const pick = (kind: AlternativeKind, test: (s: (typeof free)[number]) => boolean): Alternative[] =>
    free
      .filter((s) => !offered.has(s.id) && test(s))
      .slice(0, perKind)
      .map((s) => {
        offered.add(s.id);
        return { slotId: s.id, doctorId: s.doctorId, date: s.date, time: s.time, startUtc: s.startUtc, sameDoctor: s.doctorId === lost.doctorId, kind };
      });
  return [
    ...pick('same_time', (s) => s.doctorId !== lost.doctorId && s.startUtc === lost.startUtc),
    ...pick('near_time', (s) => s.doctorId !== lost.doctorId && s.date === lost.date && s.startUtc !== lost.startUtc && Math.abs(s.startUtc - lost.startUtc) <= SAME_TIME_MS),
    ...pick('same_doctor', (s) => s.doctorId === lost.doctorId),
    ...pick('specialty', () => true),
  ];
}
