import { slotOpenTo } from '../../src-shared/rules/internet-release.js';
import { ACTIVE_SQL } from '../../src-shared/domain/enums.js';
import type { ScheduleException, ScheduleTemplate } from '../../src-shared/domain/directory.js';
import type { RequestChannel, SlotChannel } from '../../src-shared/domain/enums.js';
import { orderFamilyDoctors } from '../../src-shared/rules/family.js';
import type { DaySlot, SlotSearchResult } from '../../src-shared/rpc/views.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { addDays, datesBetween } from '../../src-shared/time/dates.js';
import { stmt } from '../db/stmt.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { needsReferral } from '../../src-shared/rules/booking.js';
import { leaseMarks } from './leases.js';

/**
 * Materialize slots from the templates up to the horizon end. Runs when the
 * horizon moves (first search of a new day); slot IDs are deterministic, so
 * existing slots — and the bookings on them — are left as they are.
 */
export function ensureSlots(env: Env, force = false): void {
  const { today, horizonEnd } = clinicToday(env);
  const s = env.db.sqlite;
  const through = (stmt(s, "SELECT value FROM meta WHERE key = 'slots_through'").get() as { value: string } | undefined)?.value;
  if (!force && through && through >= horizonEnd) return;
  const from = !force && through && through >= today ? addDays(through, 1) : today;
  const dates = datesBetween(from, horizonEnd);
  const { templates, exceptions } = loadSchedules(env, from);
  const insert = stmt(
    s,
    `INSERT INTO slots (id, org_id, doctor_id, specialty_id, date, time, start_utc, end_utc, channel, blocked, appointment_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
    ON CONFLICT(id) DO UPDATE SET blocked = excluded.blocked, channel = excluded.channel`,
  );
  const generated = new Set<string>();
  s.transaction(() => {
    for (const t of templates) {
      const doctor = env.directory.doctor(t.doctorId);
      if (!doctor?.active) continue;
      const slots = generateDoctorSlots({
        template: t,
        exceptions: exceptions.filter((e) => e.doctorId === t.doctorId),
        specialtyId: doctor.specialtyId,
        dates,
        profile: env.profile,
        timezone: env.org.timezone,
      });
      for (const x of slots) {
        insert.run(x.id, env.org.id, x.doctorId, x.specialtyId, x.date, x.time, x.startUtc, x.endUtc, x.channel, x.blocked ? 1 : 0);
        generated.add(x.id);
      }
    }
    // Times the schedules no longer have (a new weekly schedule, a dismissal): free ones go; a booked one stays,
    // blocked, so its booking is found and phoned (R8) instead of silently pointing at nothing.
    const held = stmt(s, 'SELECT id, appointment_id AS appointmentId, blocked FROM slots WHERE date >= ? AND date <= ?').all(from, horizonEnd) as Array<{
      id: string;
      appointmentId: string | null;
      blocked: number;
    }>;
    const drop = stmt(s, 'DELETE FROM slots WHERE id = ?');
    const block = stmt(s, 'UPDATE slots SET blocked = 1 WHERE id = ?');
    for (const h of held) {
      if (generated.has(h.id)) continue;
      if (h.appointmentId === null) drop.run(h.id);
      else if (h.blocked === 0) block.run(h.id);
    }
    // Bookings that arrived before their slots existed (bootstrap, sync) take their slots now.
    stmt(
      s,
      `UPDATE slots SET appointment_id = (SELECT a.id FROM appointments a WHERE a.slot_id = slots.id AND a.status IN ${ACTIVE_SQL}
        AND a.sync_state != 'conflict' LIMIT 1) WHERE date >= ? AND date <= ? AND appointment_id IS NULL`,
    ).run(from, horizonEnd);
    stmt(s, "INSERT INTO meta (key, value) VALUES ('slots_through', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(horizonEnd);
  })();
}

/** The organization's schedule templates, and its exceptions that end on or after `from`. */
export function loadSchedules(env: Env, from = '0000-01-01'): { templates: ScheduleTemplate[]; exceptions: ScheduleException[] } {
  const s = env.db.sqlite;
  const templates = (
    stmt(s, 'SELECT id, doctor_id AS doctorId, valid_from AS validFrom, valid_to AS validTo, slot_minutes AS slotMinutes, week_json AS week FROM schedule_templates WHERE org_id = ?').all(
      env.org.id,
    ) as Array<Omit<ScheduleTemplate, 'week'> & { week: string }>
  ).map((t) => ({ ...t, week: JSON.parse(t.week) }) as ScheduleTemplate);
  const exceptions = (
    stmt(
      s,
      'SELECT id, doctor_id AS doctorId, kind, from_date AS fromDate, to_date AS toDate, intervals_json AS intervals, note, share FROM schedule_exceptions WHERE org_id = ? AND to_date >= ?',
    ).all(env.org.id, from) as Array<Omit<ScheduleException, 'intervals'> & { intervals: string | null }>
  ).map((e) => ({ ...e, intervals: e.intervals ? JSON.parse(e.intervals) : null }) as ScheduleException);
  return { templates, exceptions };
}

/** Slot channels a request channel may take (R7, R13, R21); priority windows only for priority patients. */
export function accessibleSlotChannels(env: Env, channel: RequestChannel, priorityPatient: boolean): SlotChannel[] {
  return (Object.entries(env.profile.slotAccess) as Array<[SlotChannel, readonly RequestChannel[]]>)
    .filter(([slotChannel, who]) => who.includes(channel) && (slotChannel !== 'priority' || priorityPatient))
    .map(([slotChannel]) => slotChannel);
}

/**
 * The SQL condition on `channel` (and `date`) for the times a request channel may take: its slot channels, and the
 * internet share's days already released to the registry (R7). Channel names come from the closed enum and the
 * date is ours, so inlining them is safe and lets SQLite use the covering index.
 */
function channelFilter(env: Env, channel: RequestChannel, priorityPatient: boolean, releasedThrough: string): string {
  const chs = accessibleSlotChannels(env, channel, priorityPatient);
  const inList = `channel IN (${chs.map((c) => `'${c}'`).join(', ') || "''"})`;
  const released = !chs.includes('internet') && env.profile.internetRelease.to.includes(channel);
  return released ? `(${inList} OR (channel = 'internet' AND date <= '${releasedThrough}'))` : inList;
}

export function searchSlots(env: Env, q: { specialtyId?: string; doctorId?: string; patientId?: string; channel: RequestChannel; preventive?: boolean }, actor?: Actor): SlotSearchResult {
  ensureSlots(env);
  const { now, today, horizonEnd, releasedThrough } = clinicToday(env);
  const s = env.db.sqlite;
  const patient = q.patientId
    ? (stmt(s, 'SELECT priority, attached_doctor_id AS familyDoctorId FROM patients WHERE id = ?').get(q.patientId) as { priority: number; familyDoctorId: string | null } | undefined)
    : undefined;
  const chs = channelFilter(env, q.channel, patient?.priority === 1, releasedThrough);
  const result: SlotSearchResult = { today, horizonEnd, dates: datesBetween(today, horizonEnd), specialtyFree: [], doctorDays: [], internetLimits: [] };

  // Later days come from the trigger-kept counters; today is counted exactly, because slots
  // whose time has passed are no longer bookable.
  const todayFree = (filter: string, ...args: unknown[]) =>
    stmt(
      s,
      `SELECT doctor_id AS doctorId, specialty_id AS specialtyId, count(*) AS free
      FROM slots INDEXED BY slots_doctor_day WHERE ${filter} AND date = ? AND start_utc > ? AND appointment_id IS NULL AND blocked = 0 AND ${chs}
      GROUP BY doctor_id`,
    ).all(...args, today, now) as Array<{ doctorId: string; specialtyId: string; free: number }>;
  const laterFree = (filter: string, ...args: unknown[]) =>
    stmt(
      s,
      `SELECT doctor_id AS doctorId, specialty_id AS specialtyId, date, sum(free) AS free
      FROM slot_counts WHERE ${filter} AND date > ? AND date <= ? AND ${chs} GROUP BY doctor_id, date HAVING sum(free) > 0`,
    ).all(...args, today, horizonEnd) as Array<{ doctorId: string; specialtyId: string; date: string; free: number }>;
  const doctorIdsOf = (specialtyId: string) => [...env.directory.doctors.values()].filter((d) => d.specialtyId === specialtyId && d.active).map((d) => d.id);

  if (!q.specialtyId && !q.doctorId) {
    const offered = env.directory.offeredSpecialtyIds();
    const free = new Map<string, number>();
    const all = [...env.directory.doctors.values()].filter((d) => d.active).map((d) => d.id);
    const allIn = `doctor_id IN (${all.map(() => '?').join(', ') || "''"})`;
    const later = stmt(
      s,
      `SELECT specialty_id AS specialtyId, sum(free) AS free FROM slot_counts
        WHERE date > ? AND date <= ? AND ${chs} GROUP BY specialty_id`,
    ).all(today, horizonEnd) as Array<{ specialtyId: string; free: number }>;
    for (const r of [...todayFree(allIn, ...all), ...later]) free.set(r.specialtyId, (free.get(r.specialtyId) ?? 0) + r.free);
    // A doctor books with themselves first (their repeat visits); then the patient's own family doctor's specialty,
    // family medicine, preventive, narrow (the order of 000 §2).
    const mine = actor?.role === 'doctor' && actor.doctorId ? env.directory.doctor(actor.doctorId)?.specialtyId : undefined;
    const own = patient?.familyDoctorId ? env.directory.doctor(patient.familyDoctorId)?.specialtyId : undefined;
    const rank = (id: string) => (id === mine ? -1 : id === own ? 0 : { family: 1, preventive: 2, narrow: 3 }[env.directory.specialtyKind(id) ?? 'narrow']);
    const referralMissing = q.patientId ? missingReferrals(env, q.patientId, q.channel, q.preventive ?? false, actor) : () => false;
    result.specialtyFree = [...env.directory.specialties.keys()]
      .filter((id) => offered.has(id))
      .sort((a, b) => rank(a) - rank(b))
      .map((specialtyId) => ({ specialtyId, free: free.get(specialtyId) ?? 0, referralMissing: referralMissing(specialtyId) }));
    return result;
  }

  const doctorIds = q.doctorId ? [q.doctorId] : doctorIdsOf(q.specialtyId!);
  const inList = doctorIds.map(() => '?').join(', ') || "''";
  const days = [
    ...todayFree(`doctor_id IN (${inList})`, ...doctorIds).map((r) => ({ doctorId: r.doctorId, date: today, free: r.free, needsConsent: false })),
    ...laterFree(`doctor_id IN (${inList})`, ...doctorIds).map((r) => ({ doctorId: r.doctorId, date: r.date, free: r.free, needsConsent: false })),
  ];
  // R4: the patient's own family doctor first; others only on days the own one is full. Only in the own
  // doctor's specialty: a pediatrician or therapist is no "other family doctor" for a family doctor's patient.
  const ownHere = patient?.familyDoctorId && doctorIds.includes(patient.familyDoctorId);
  // A doctor booking a repeat visit books with themselves: their own days first, whoever the patient's family doctor is.
  const me = actor?.role === 'doctor' && q.channel === 'doctor' && actor.doctorId && doctorIds.includes(actor.doctorId) ? actor.doctorId : null;
  if (me) result.doctorDays = [...days.filter((d) => d.doctorId === me), ...days.filter((d) => d.doctorId !== me)];
  else result.doctorDays = ownHere ? orderFamilyDoctors(patient.familyDoctorId, days) : days;
  // R7: the internet quotas of these doctors within the horizon, for the grid to show.
  result.internetLimits = stmt(
    s,
    `SELECT doctor_id AS doctorId, CAST(round(share * 100) AS INTEGER) AS percent, from_date AS fromDate, to_date AS toDate FROM schedule_exceptions
      WHERE kind = 'internet_quota' AND doctor_id IN (${inList}) AND to_date >= ? AND from_date <= ? ORDER BY from_date`,
  ).all(...doctorIds, today, horizonEnd) as SlotSearchResult['internetLimits'];
  return result;
}

/** R5 for the specialty list: which specialties this patient would be refused for want of a referral, by the shared rule. */
function missingReferrals(env: Env, patientId: string, channel: RequestChannel, preventive: boolean, actor: Actor | undefined): (specialtyId: string) => boolean {
  const s = env.db.sqlite;
  const { today } = clinicToday(env);
  const dispensary = (stmt(s, 'SELECT specialty_id AS id FROM dispensary WHERE patient_id = ?').all(patientId) as Array<{ id: string }>).map((d) => d.id);
  const held = new Set(
    (stmt(s, 'SELECT specialty_id AS id FROM referrals WHERE patient_id = ? AND used_by_appointment_id IS NULL AND valid_until >= ?').all(patientId, today) as Array<{ id: string }>).map((r) => r.id),
  );
  const actorSpecialty = actor?.doctorId ? (env.directory.doctor(actor.doctorId)?.specialtyId ?? null) : null;
  return (specialtyId) => {
    const kind = env.directory.specialtyKind(specialtyId);
    if (!kind || held.has(specialtyId)) return false;
    return needsReferral({
      profile: env.profile,
      specialtyKind: kind,
      preventive,
      channel,
      actor: { role: actor?.role ?? 'registrar', doctorSpecialtyId: actorSpecialty },
      patient: { dispensarySpecialtyIds: dispensary },
      slot: { specialtyId },
    });
  };
}

export function daySlots(env: Env, q: { doctorId: string; date: string; patientId?: string; channel: RequestChannel }): DaySlot[] {
  ensureSlots(env);
  const { now, releasedThrough } = clinicToday(env);
  const priority = q.patientId ? (stmt(env.db.sqlite, 'SELECT priority FROM patients WHERE id = ?').get(q.patientId) as { priority: number } | undefined)?.priority === 1 : false;
  const open = new Set(accessibleSlotChannels(env, q.channel, priority));
  if (slotOpenTo(env.profile, { channel: 'internet', date: q.date }, q.channel, releasedThrough)) open.add('internet');
  const rows = stmt(env.db.sqlite, 'SELECT id, time, channel, start_utc AS startUtc, blocked, appointment_id AS appointmentId FROM slots WHERE doctor_id = ? AND date = ? ORDER BY time').all(
    q.doctorId,
    q.date,
  ) as Array<{ id: string; time: string; channel: SlotChannel; startUtc: number; blocked: number; appointmentId: string | null }>;
  const marks = leaseMarks(
    env,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    slotId: r.id,
    time: r.time,
    startUtc: r.startUtc,
    channel: r.channel,
    state: r.startUtc <= now ? 'past' : r.blocked ? 'blocked' : r.appointmentId ? 'taken' : open.has(r.channel) ? 'free' : 'reserved',
    lease: marks.get(r.id) ?? null,
  }));
}
