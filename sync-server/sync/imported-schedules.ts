import type { Appointment } from '../../src-shared/domain/appointment.js';
import type { ScheduleException } from '../../src-shared/domain/directory.js';
import { absenceTaskId, isUrgentCall } from '../../src-shared/rules/absences.js';
import { scheduleTaskId } from '../../src-shared/rules/schedule-edits.js';
import { localParts } from '../../src-shared/time/dates.js';
import { DirectoryCache } from '../rules/directory-cache.js';
import { callLostBookings, schedulesOf } from './call-tasks.js';
import type { OpContext, Tx } from './context.js';

const DAY_OFF = new Set(['vacation', 'sick', 'training', 'dismissal', 'absenteeism']);

/**
 * Schedules loaded by `import` (IT's HR file) take booked times away as the head's absence or a new
 * weekly schedule does (issue 19 finding 4): every booking of these doctors whose time the imported
 * schedules no longer offer goes on the call list with R8's offers, once — the same task id a desk
 * would derive for that absence (or schedule change), so an import repeated, or an absence also
 * entered at a desk, phones nobody twice. Runs inside the import's transaction, under the
 * organization's lock. Returns how many patients are to be called.
 */
export async function callForImportedSchedules(tx: Tx, orgId: string, doctorIds: ReadonlySet<string>, now: number): Promise<number> {
  if (doctorIds.size === 0) return 0;
  const dir = await new DirectoryCache().get(tx, orgId);
  if (!dir) return 0;
  const ctx: OpContext = { tx, orgId, deviceId: 'import', now, at: now, device: { id: 'import', orgId, kind: 'desk', doctorId: null }, dir, by: { userId: 'import', role: 'admin' } };
  const today = localParts(now, dir.timezone).date;
  const schedules = schedulesOf(ctx);
  let calls = 0;
  for (const doctorId of doctorIds) {
    const absences = (dir.exceptions.get(doctorId) ?? []).filter((e) => DAY_OFF.has(e.kind));
    const absenceOn = (a: Appointment): ScheduleException | undefined => absences.find((e) => e.fromDate <= a.date && a.date <= e.toDate);
    calls += await callLostBookings(ctx, {
      doctorId,
      fromDate: today,
      toDate: '9999-12-31',
      schedules,
      taskId: (a) => {
        const e = absenceOn(a);
        return e ? absenceTaskId(e.id, a.id) : scheduleTaskId('import', a.id);
      },
      reason: (a) => {
        const e = absenceOn(a);
        return e ? `absence:${e.kind}` : 'schedule_change';
      },
      extra: (a) => {
        const e = absenceOn(a);
        return e ? { urgent: isUrgentCall(e, a.date, today), absenceId: e.id } : {};
      },
    });
  }
  return calls;
}
