import { and, eq } from 'drizzle-orm';
import { changeLog, orgRows } from '../db/schema.js';
import type { Tx } from '../sync/context.js';

/**
 * A cabinet PC's own doctor account signs with a key only the server knew (its enrollment). Published to the clinic's
 * desks as a `signer` row, so the desk running the hall's screen can check that PC's calls, which cross the LAN and
 * never the server (issue 21); a revoked PC's key is taken back the same way.
 */
export async function publishSigner(
  tx: Tx,
  orgId: string,
  device: { id: string; installId: string | null; doctorId: string | null; signer: { userId: string; publicKey: string } | null },
  now: number,
): Promise<void> {
  // Desks know a PC by the install id its requests name; a PC enrolled before installs were recorded is not matched.
  if (!device.signer || !device.installId) {
    const gone = await tx
      .delete(orgRows)
      .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, 'signer'), eq(orgRows.id, device.id)))
      .returning({ id: orgRows.id });
    if (gone.length > 0) await tx.insert(changeLog).values({ orgId, entity: 'signer', entityId: device.id, op: 'remove', row: null, at: now });
    return;
  }
  const row = { installId: device.installId, doctorId: device.doctorId, userId: device.signer.userId, publicKey: device.signer.publicKey };
  await tx
    .insert(orgRows)
    .values({ orgId, entity: 'signer', id: device.id, row })
    .onConflictDoUpdate({ target: [orgRows.orgId, orgRows.entity, orgRows.id], set: { row } });
  await tx.insert(changeLog).values({ orgId, entity: 'signer', entityId: device.id, op: 'put', row, at: now });
}
