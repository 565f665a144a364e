import { z } from 'zod';
import { appointment, registerEntry } from '../domain/appointment.js';
import { cabinet, department, doctor, organization, scheduleException, scheduleTemplate, specialty } from '../domain/directory.js';
import { id, instant } from '../domain/primitives.js';
import { patient, referral } from '../domain/patient.js';
import { homeVisit } from '../domain/home-visit.js';
import { waitingEntry } from '../domain/waiting-entry.js';
import { account, publicKey } from '../domain/account.js';
import { patientMessage } from '../domain/patient-message.js';

/** A register row as it rides on a change (tookPlace is derived on the desk, never sent). */
export const registerRecord = registerEntry.omit({ tookPlace: true });
export type RegisterRecord = z.infer<typeof registerRecord>;

/**
 * The row each entity of the pull feed carries, checked on the desk before it touches the
 * replica. A `remove` carries no row. An entity this version does not know is left alone
 * (a newer server's), and so is a row that does not match its entity's schema.
 */
export const changeRows = {
  appointment: appointment.extend({ syncState: z.enum(['confirmed', 'conflict']), register: registerRecord.optional() }),
  task: z
    .object({
      id,
      kind: z.string().min(1),
      status: z.string().min(1),
      createdAt: instant,
      patientId: id.optional(),
      appointmentId: id.nullable().optional(),
      reason: z.string().optional(),
    })
    .loose(),
  organization,
  specialty,
  department,
  cabinet,
  doctor,
  template: scheduleTemplate,
  exception: scheduleException,
  patient,
  referral,
  home_visit: homeVisit,
  waiting_entry: waitingEntry,
  lease: z.object({ deviceId: id }).loose(),
  lease_set: z.object({ expiresAt: instant, reclaimAfter: instant }).loose(),
  account,
  /** A cabinet PC's own doctor account's public key (issue 21): the hall's desk checks that PC's calls with it. */
  signer: z.object({ installId: id, doctorId: id.nullable(), userId: id, publicKey }),
  message: patientMessage,
  register_stamp: z.object({ importedAt: instant }).loose(),
  register_entry: registerRecord.partial({ patientId: true, specialtyId: true, doctorId: true, reason: true, appointmentId: true, appointedAt: true, userId: true, deviceId: true }),
} as const;
export type ChangeEntity = keyof typeof changeRows;
export type ChangeRow<E extends ChangeEntity> = z.infer<(typeof changeRows)[E]>;

/** One change as the desk applies it: known entity, checked row (null for a remove). */
export type CheckedChange = { [E in ChangeEntity]: { seq: number; entity: E; id: string; op: 'put' | 'remove'; row: ChangeRow<E> | null } }[ChangeEntity];

/** Check one change of the feed; null when this version does not know the entity or the row is not what it should be. */
export function checkChange(c: { seq: number; entity: string; id: string; op: 'put' | 'remove'; row: unknown }): CheckedChange | null {
  if (!Object.hasOwn(changeRows, c.entity)) return null;
  const entity = c.entity as ChangeEntity;
  if (c.op === 'remove') return { seq: c.seq, entity, id: c.id, op: 'remove', row: null } as CheckedChange;
  const parsed = changeRows[entity].safeParse(c.row);
  return parsed.success ? ({ seq: c.seq, entity, id: c.id, op: 'put', row: parsed.data } as CheckedChange) : null;
}
