import { AHEAD_SQL } from '../../src-shared/domain/enums.js';
import type { Cabinet, ScheduleTemplate } from '../../src-shared/domain/directory.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import type { DoctorScheduleView } from '../../src-shared/rpc/views.js';
import { decideDoctorEdit, decideQuota, decideTemplate, type DoctorEdit, type QuotaRequest, scheduleTaskId } from '../../src-shared/rules/schedule-edits.js';
import type { OpArgs } from '../../src-shared/sync/protocol.js';
import { putCabinet, putDoctor, putException, putTemplate } from '../db/schedules.js';
import { stmt } from '../db/stmt.js';
import { callLostBookings } from './call-tasks.js';
import { clinicToday } from './clinic-time.js';
import type { Actor, Env } from './env.js';
import { journal, newId } from './journal.js';
import { ensureSlots, loadSchedules } from './slots.js';

/**
 * The head's directory and schedule changes at a desk. Each is decided here by the rule the server
 * runs again, takes effect on this desk at once (offline too), and goes to the server as an op.
 */

/** Hire (no id), change or dismiss a doctor. A dismissal waits until the doctor's bookings are moved (an absence "dismissal" lists them). */
export function saveDoctor(env: Env, actor: Actor, input: Omit<DoctorEdit, 'id'> & { id?: string | undefined }): { id: string } {
  const edit: DoctorEdit = { ...input, id: input.id ?? newId() };
  const s = env.db.sqlite;
  const current = env.directory.doctor(edit.id);
  const { today } = clinicToday(env);
  const bookingsAhead =
    current?.active && !edit.active
      ? (stmt(s, `SELECT count(*) AS n FROM appointments WHERE doctor_id = ? AND date >= ? AND status IN ${AHEAD_SQL} AND sync_state != 'conflict'`).get(edit.id, today) as { n: number }).n
      : 0;
  const decision = decideDoctorEdit(edit, {
    role: actor.role,
    orgId: env.org.id,
    specialties: new Set(env.directory.specialties.keys()),
    departments: new Set(env.directory.departments.keys()),
    cabinets: stmt(s, 'SELECT id, org_id AS orgId, number, floor FROM cabinets WHERE org_id = ?').all(env.org.id) as Cabinet[],
    current,
    bookingsAhead,
  });
  if (!decision.ok) throw new AppError(decision.code, decision.params);
  s.transaction(() => {
    if (decision.cabinet) putCabinet(env.db, decision.cabinet);
    putDoctor(env.db, decision.doctor);
    journal(
      env,
      actor,
      { name: 'directory.doctor', args: { ...edit, userId: actor.userId } satisfies OpArgs<'directory.doctor'> },
      { entity: 'doctor', entityId: edit.id, detail: current ? 'changed' : 'hired' },
    );
    env.directory.reload();
    ensureSlots(env, true);
  })();
  return { id: edit.id };
}

/** A doctor's new weekly schedule from a day on; the patients whose times it drops go to the call list. Returns how many. */
export function saveTemplate(env: Env, actor: Actor, input: Omit<ScheduleTemplate, 'id'>): { id: string; calls: number } {
  const t: ScheduleTemplate = { ...input, id: newId() };
  const { today } = clinicToday(env);
  const decision = decideTemplate(t, {
    role: actor.role,
    today,
    profile: env.profile,
    doctorActive: env.directory.doctor(t.doctorId)?.active === true,
    others: loadSchedules(env).templates.filter((o) => o.doctorId === t.doctorId),
  });
  if (!decision.ok) throw new AppError(decision.code, decision.params);
  let calls = 0;
  env.db.sqlite.transaction(() => {
    for (const row of [...decision.ended, decision.template]) putTemplate(env.db, env.org.id, row);
    journal(env, actor, { name: 'schedule.template', args: { ...t, userId: actor.userId } satisfies OpArgs<'schedule.template'> }, { entity: 'template', entityId: t.id });
    ensureSlots(env, true);
    calls = callLostBookings(env, { doctorId: t.doctorId, fromDate: t.validFrom, toDate: '9999-12-31', taskId: (appointmentId) => scheduleTaskId(t.id, appointmentId), reason: 'schedule_change' });
  })();
  return { id: t.id, calls };
}

/** R7 (000 §5): the head limits a doctor's internet booking for a period. */
export function setQuota(env: Env, actor: Actor, input: Omit<QuotaRequest, 'id'>): { id: string } {
  const q: QuotaRequest = { ...input, id: newId() };
  const { today } = clinicToday(env);
  const decision = decideQuota(q, { role: actor.role, today, profile: env.profile, doctorActive: env.directory.doctor(q.doctorId)?.active === true });
  if (!decision.ok) throw new AppError(decision.code, decision.params);
  env.db.sqlite.transaction(() => {
    putException(env.db, env.org.id, decision.exception);
    journal(env, actor, { name: 'schedule.quota', args: { ...q, userId: actor.userId } satisfies OpArgs<'schedule.quota'> }, { entity: 'exception', entityId: q.id, detail: `${q.percent}%` });
    ensureSlots(env, true);
  })();
  return { id: q.id };
}

/** Each doctor with the weekly schedules in force today or later and the internet quotas not over yet. */
export function doctorSchedules(env: Env): DoctorScheduleView[] {
  const { today } = clinicToday(env);
  const { templates, exceptions } = loadSchedules(env, today);
  return [...env.directory.doctors.values()].map((d) => ({
    doctorId: d.id,
    templates: templates.filter((t) => t.doctorId === d.id && (t.validTo === null || t.validTo >= today)).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1)),
    quotas: exceptions.filter((e) => e.doctorId === d.id && e.kind === 'internet_quota').map((e) => ({ id: e.id, fromDate: e.fromDate, toDate: e.toDate, percent: Math.round((e.share ?? 0) * 100) })),
  }));
}
