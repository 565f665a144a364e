import type { ScheduleException, ScheduleTemplate, TemplateInterval } from '../domain/directory.js';
import type { Slot } from '../domain/appointment.js';
import type { PolicyProfile } from '../policy/types.js';
import { hhmmOf, isoWeekday, minutesOf, wallMinuteToUtc } from '../time/dates.js';
import { isWorkingDay } from '../time/working-days.js';

/** Deterministic slot ID: the same doctor and local start give the same ID on every device. */
export const slotId = (doctorId: string, date: string, time: string): string => `${doctorId}@${date}T${time}`;

const ABSENCE_KINDS = new Set(['vacation', 'sick', 'training', 'dismissal']);

function overlaps(aFrom: number, aTo: number, iv: TemplateInterval): boolean {
  return aFrom < minutesOf(iv.to) && minutesOf(iv.from) < aTo;
}

/**
 * Slots of one doctor for the given dates. Holidays and non-working days give
 * none (R20); a changed-hours exception replaces the day's intervals; vacation,
 * sick leave, training and dismissal block the whole day; absenteeism blocks the slots it
 * covers. Blocked slots are still returned (a booking may already sit on one,
 * and R8 needs to find it), flagged `blocked`.
 */
export function generateDoctorSlots(args: {
  template: ScheduleTemplate;
  exceptions: readonly ScheduleException[];
  specialtyId: string;
  dates: readonly string[];
  profile: PolicyProfile;
  timezone: string;
}): Slot[] {
  const { template, exceptions, specialtyId, dates, profile, timezone } = args;
  const out: Slot[] = [];
  for (const date of dates) {
    if (date < template.validFrom || (template.validTo !== null && date > template.validTo)) continue;
    if (!isWorkingDay(profile, date)) continue;
    const todays = exceptions.filter((e) => e.fromDate <= date && date <= e.toDate);
    const changed = todays.find((e) => e.kind === 'changed_hours');
    const intervals = changed?.intervals ?? template.week[String(isoWeekday(date))] ?? [];
    const dayOff = todays.some((e) => ABSENCE_KINDS.has(e.kind));
    const gaps = todays.filter((e) => e.kind === 'absenteeism').flatMap((e) => e.intervals ?? []);
    const dayStart = out.length;
    for (const iv of intervals) {
      const end = minutesOf(iv.to);
      for (let m = minutesOf(iv.from); m + template.slotMinutes <= end; m += template.slotMinutes) {
        const time = hhmmOf(m);
        const startUtc = wallMinuteToUtc(date, m, timezone);
        out.push({
          id: slotId(template.doctorId, date, time),
          doctorId: template.doctorId,
          specialtyId,
          date,
          time,
          startUtc,
          endUtc: startUtc + template.slotMinutes * 60_000,
          channel: iv.channel,
          blocked: dayOff || gaps.some((g) => overlaps(m, m + template.slotMinutes, g)),
          appointmentId: null,
        });
      }
    }
    const quota = todays.find((e) => e.kind === 'internet_quota' && e.share != null);
    if (quota) capInternet(out.slice(dayStart), quota.share!);
  }
  return out;
}

/**
 * R7 (000 §5): a quota for a period keeps the internet channel to that share of the day's bookable
 * times; the day's last internet times beyond it become registry times — the same ones on every
 * desk and on the server, whose rules then refuse an internet booking there (the slot's channel).
 */
function capInternet(day: Slot[], share: number): void {
  const open = day.filter((s) => !s.blocked);
  const internet = open.filter((s) => s.channel === 'internet');
  for (const s of internet.slice(Math.floor(share * open.length + 1e-9))) s.channel = 'registry';
}

/** R7: share of a doctor's weekly bookable minutes given to the internet channel. */
export function internetShare(template: ScheduleTemplate): number {
  let total = 0;
  let internet = 0;
  for (const ivs of Object.values(template.week)) {
    for (const iv of ivs) {
      const len = minutesOf(iv.to) - minutesOf(iv.from);
      total += len;
      if (iv.channel === 'internet') internet += len;
    }
  }
  return total === 0 ? 0 : internet / total;
}
