import { randomUUID } from 'node:crypto';
import { HOME_VISIT_DAYS_AHEAD } from '../../src-shared/rules/home-visits.js';
import { MUTATORS } from '../sync/mutators.js';
import type { ServerDb } from '../db/connect.js';
import type { DirectoryCache } from '../rules/directory-cache.js';
import type { ApiClient } from './clients.js';
import { contextFor, inOrg, type KnownPatient, type Refusal } from './scheduling.js';

export interface HomeVisitAsk {
  date: string;
  address: string;
  reason: string;
  callbackPhone: string;
}

/**
 * R24: a home visit the patient calls in through a client (the patient page), for their family doctor. The same op a
 * desk sends when the registrar takes the call down (MUTATORS['homeVisits.request']): the shared rule decides, the
 * request and its row of the register reach every desk of the clinic, on the home-visit list with the channel.
 */
export async function requestHomeVisit(
  db: ServerDb,
  directories: DirectoryCache,
  client: ApiClient,
  p: KnownPatient,
  ask: HomeVisitAsk,
  now: number,
): Promise<{ id: string; doctorId: string } | Refusal> {
  const doctorId = p.patient.attachment?.orgId === p.orgId ? p.patient.attachment.doctorId : null;
  if (!doctorId) return { refused: 'unknown_department' };
  return inOrg(db, directories, p.orgId, async (tx, dir) => {
    const ctx = contextFor(tx, dir, client, now);
    const id = randomUUID();
    const register = {
      id: randomUUID(),
      at: now,
      patientId: p.patient.id,
      applicant: p.patient.fullName,
      specialtyId: dir.doctors.get(doctorId)?.specialtyId ?? null,
      doctorId,
      channel: client.channel,
      result: 'home_visit' as const,
      reason: null,
      rule: null,
      appointmentId: null,
      appointedAt: null,
      userId: ctx.by.userId,
      deviceId: ctx.deviceId,
    };
    const out = await MUTATORS['homeVisits.request'](ctx, { id, patientId: p.patient.id, doctorId, ...ask, register });
    if (out.status !== 'applied') return { refused: out.detail as Refusal['refused'], params: { days: HOME_VISIT_DAYS_AHEAD } };
    return { id, doctorId };
  });
}
