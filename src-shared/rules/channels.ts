import type { RequestChannel, Role } from '../domain/enums.js';

/** What kind of PC a booking comes from: a registry front desk, a doctor's cabinet PC, or a desk with no server. */
export type DeviceKind = 'desk' | 'cabinet' | 'kiosk' | 'standalone';

/**
 * R21: the request channels each role books through. The registrar records whether the
 * patient came in person or phoned; the doctor books repeat visits. Electronic channels
 * (internet, kiosk, call centre) are other systems' — no Kezek desk books through them.
 */
const BY_ROLE: Record<Role, readonly RequestChannel[]> = {
  registrar: ['registry', 'phone'],
  head: ['registry', 'phone'],
  doctor: ['doctor'],
  admin: [],
  // The hall's kiosk (issue 21): the patients' own channel (R9–R11 as the profile gives it), signed by the kiosk itself.
  kiosk: ['kiosk'],
};

/** The roles that can sign in on each kind of PC: a front desk has no doctor account; a cabinet PC has its doctor's. */
const ROLES_ON: Record<DeviceKind, readonly Role[]> = {
  desk: ['registrar', 'head', 'admin'],
  cabinet: ['registrar', 'head', 'admin', 'doctor'],
  // The administrator signs in at a kiosk only to leave kiosk mode.
  kiosk: ['kiosk', 'admin'],
  standalone: ['registrar', 'head', 'admin', 'doctor'],
};

/**
 * The channels a booking may claim, derived from who signed it (where known: on the desk)
 * and from which PC (known to the server from the device's enrollment) — never taken from
 * the request. The server knows no signed-in role, so it allows what any role on that PC could.
 */
export function allowedChannels(device: DeviceKind, role: Role | null = null): readonly RequestChannel[] {
  const roles = role ? ROLES_ON[device].filter((r) => r === role) : ROLES_ON[device];
  return [...new Set(roles.flatMap((r) => BY_ROLE[r]))];
}

/** The channel the desk books through by default for a role. */
export const defaultChannel = (role: Role): RequestChannel => BY_ROLE[role][0] ?? 'registry';

/**
 * The ops a cabinet PC may send (issue 19): its doctor's — bookings, referrals — and the registry's everyday ones a
 * doctor's PC is used for; nothing of staff accounts (but its own doctor account's first key), schedules or the
 * directory, whoever signed in there. A front desk sends every op; the signer's role then decides.
 */
const CABINET_OPS: ReadonlySet<string> = new Set([
  'appointments.book',
  'appointments.move',
  'appointments.cancel',
  'appointments.checkIn',
  'appointments.noShow',
  'appointments.fulfil',
  'appointments.restore',
  'referrals.issue',
  'tasks.resolve',
  'register.refuse',
  'register.outOfSchedule',
  'patients.register',
  'patients.update',
  'homeVisits.request',
  'homeVisits.setStatus',
  'accounts.key',
  'waiting.add',
  'waiting.remove',
  'waiting.answer',
]);

/** A kiosk books and checks patients in, as the patients' own channel, puts them on the waiting list, and asks the registry for help — nothing else. */
const KIOSK_OPS: ReadonlySet<string> = new Set(['appointments.book', 'appointments.checkIn', 'tasks.help', 'waiting.add']);

export const opAllowedOn = (device: DeviceKind, opName: string): boolean => (device === 'cabinet' ? CABINET_OPS.has(opName) : device === 'kiosk' ? KIOSK_OPS.has(opName) : true);
