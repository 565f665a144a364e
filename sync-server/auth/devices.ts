import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { isPc } from './server-devices.js';
import type { DeskReport } from '../../src-shared/sync/protocol.js';
import type { ServerDb } from '../db/connect.js';
import { devices } from '../db/schema.js';
import { lockOrg } from '../sync/context.js';
import { dropLeases } from '../sync/leases.js';
import { publishSigner } from './signers.js';

export interface DeviceInfo {
  id: string;
  name: string;
  createdAt: number;
  lastSeenAt: number | null;
  revokedAt: number | null;
  lastAppliedSeq: number;
  clockSuspect: boolean;
  ticketPrefix: string | null;
  appVersion: string | null;
  osVersion: string | null;
  /** The desk's last report of itself (DeskReport and when), null before its first. */
  status: (DeskReport & { at: number }) | null;
}

/** An organization's enrolled devices, for the IT installer (`npm run server -- devices <org>`). */
export async function listDevices(db: ServerDb, orgId: string): Promise<DeviceInfo[]> {
  return (
    db
      .select({
        id: devices.id,
        name: devices.name,
        createdAt: devices.createdAt,
        lastSeenAt: devices.lastSeenAt,
        revokedAt: devices.revokedAt,
        lastAppliedSeq: devices.lastAppliedSeq,
        clockSuspect: devices.clockSuspect,
        ticketPrefix: devices.ticketPrefix,
        appVersion: devices.appVersion,
        osVersion: devices.osVersion,
        status: sql<(DeskReport & { at: number }) | null>`${devices.status}`,
      })
      .from(devices)
      // The server's own devices of a clinic (the booking API's, the waiting list's): no PC to show.
      .where(and(eq(devices.orgId, orgId), isPc))
      .orderBy(asc(devices.createdAt), asc(devices.name))
  );
}

/**
 * A lost, stolen or replaced PC: its token stops working at once (every later
 * request gets 401 and changes nothing). Returns false when there was no such
 * active device. Ops it never uploaded cannot arrive any more — say so to the clinic.
 * Its leases are dropped with it: nobody can use them offline any more.
 */
export async function revokeDevice(db: ServerDb, deviceId: string, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [d] = await tx.select({ orgId: devices.orgId }).from(devices).where(eq(devices.id, deviceId));
    if (!d) return false;
    // The organization's lock first, as a push takes it, so the two never wait on each other in a circle.
    await lockOrg(tx, d.orgId);
    const r = await tx
      .update(devices)
      .set({ revokedAt: now })
      .where(and(eq(devices.id, deviceId), isNull(devices.revokedAt)))
      .returning({ orgId: devices.orgId });
    if (r.length !== 1) return false;
    await dropLeases(tx, r[0]!.orgId, deviceId, now);
    await publishSigner(tx, r[0]!.orgId, { id: deviceId, installId: null, doctorId: null, signer: null }, now);
    return true;
  });
}
