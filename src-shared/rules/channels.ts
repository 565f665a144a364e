import type { RequestChannel, Role } from '../domain/enums.js';

/** What kind of PC a booking comes from: a registry front desk, a doctor's cabinet PC, or a desk with no server. */
export type DeviceKind = 'desk' | 'cabinet' | 'standalone';

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
};

/** The roles that can sign in on each kind of PC: a front desk has no doctor account; a cabinet PC has its doctor's. */
const ROLES_ON: Record<DeviceKind, readonly Role[]> = {
  desk: ['registrar', 'head', 'admin'],
  cabinet: ['registrar', 'head', 'admin', 'doctor'],
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
