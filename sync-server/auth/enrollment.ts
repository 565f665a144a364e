import type { ServerDevice } from '../rules/judge.js';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { ServerDb } from '../db/connect.js';
import { changeLog, devices, enrollmentCodes, organizations, orgRows } from '../db/schema.js';
import { type Account, KIOSK_USER_ID } from '../../src-shared/domain/account.js';
import { ticketPrefixFor } from './ticket-prefixes.js';
import { publishSigner } from './signers.js';
import { newDeviceToken, newEnrollmentCode, normalizeCode, sha256 } from './tokens.js';

export class EnrollError extends Error {
  constructor(readonly code: 'enrollment_code_invalid' | 'unknown_organization' | 'unknown_doctor') {
    super(code);
  }
}

/** An IT installer's one-time code for one organization (default: valid 72 hours). */
/** A front desk, or a doctor's cabinet PC (which leases that doctor's repeat-visit slots). */
export type EnrollAs = { kind: 'desk' } | { kind: 'cabinet'; doctorId: string } | { kind: 'kiosk' };

/** The PCs that sign with an account of their own, made at enrollment: a cabinet's doctor, the hall's kiosk (issue 21). */
const ownSigner = (kind: string): boolean => kind === 'cabinet' || kind === 'kiosk';
/** The PC's own account as the server names it: a kiosk's is `user-kiosk`, whatever the desk called the key it made before it knew. */
const signerAs = (kind: string, signer: { userId: string; publicKey: string } | null) =>
  signer && ownSigner(kind) ? { userId: kind === 'kiosk' ? KIOSK_USER_ID : signer.userId, publicKey: signer.publicKey } : null;

export async function createEnrollmentCode(db: ServerDb, orgId: string, now: number, validHours = 72, as: EnrollAs = { kind: 'desk' }): Promise<string> {
  const org = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
  if (org.length === 0) throw new EnrollError('unknown_organization');
  if (as.kind === 'cabinet') {
    const doctor = await db
      .select({ id: orgRows.id })
      .from(orgRows)
      .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, 'doctor'), eq(orgRows.id, as.doctorId)));
    if (doctor.length === 0) throw new EnrollError('unknown_doctor');
  }
  const code = newEnrollmentCode();
  await db.insert(enrollmentCodes).values({
    codeHash: sha256(normalizeCode(code)),
    orgId,
    createdAt: now,
    expiresAt: now + validHours * 3_600_000,
    deviceKind: as.kind,
    doctorId: as.kind === 'cabinet' ? as.doctorId : null,
  });
  return code;
}

/**
 * Redeem a code: in one transaction the code is marked used (only if unused and
 * unexpired) and the device is created with the hash of a fresh token. A replayed
 * or expired code fails and creates nothing — except for the same desk install
 * (`installId`, a random id the desk keeps before it asks) whose answer was lost or
 * which died before storing its token: it gets its device back with a new token
 * (the lost one stops working), until the code's expiry. A code is never lost to a
 * dropped connection, and never usable by anyone else.
 */
export async function enroll(
  db: ServerDb,
  code: string,
  deviceName: string,
  now: number,
  installId: string | null = null,
  accounts: readonly Account[] = [],
  /** A cabinet PC's own doctor account and its public key, made before the code was redeemed (the code proves the installer). */
  cabinetSigner: { userId: string; publicKey: string } | null = null,
): Promise<{ deviceId: string; token: string; orgId: string; kind: string; doctorId: string | null; ticketPrefix: string }> {
  const token = newDeviceToken();
  const deviceId = randomUUID();
  return db.transaction(async (tx) => {
    if (installId) {
      const [again] = await tx
        .select({ deviceId: enrollmentCodes.usedByDevice, orgId: enrollmentCodes.orgId, kind: enrollmentCodes.deviceKind, doctorId: enrollmentCodes.doctorId })
        .from(enrollmentCodes)
        .where(and(eq(enrollmentCodes.codeHash, sha256(normalizeCode(code))), eq(enrollmentCodes.usedByInstall, installId), gt(enrollmentCodes.expiresAt, now)));
      if (again?.deviceId) {
        const rotated = await tx
          .update(devices)
          .set({ tokenHash: sha256(token), ...(signerAs(again.kind, cabinetSigner) ? { signer: signerAs(again.kind, cabinetSigner) } : {}) })
          .where(and(eq(devices.id, again.deviceId), isNull(devices.revokedAt)))
          .returning({ id: devices.id });
        if (rotated.length !== 1) throw new EnrollError('enrollment_code_invalid');
        const renewed = signerAs(again.kind, cabinetSigner);
        if (renewed) await publishSigner(tx, again.orgId, { id: again.deviceId, installId, doctorId: again.doctorId, signer: renewed }, now);
        const ticketPrefix = await ticketPrefixFor(tx, again.orgId, again.deviceId);
        return { deviceId: again.deviceId, token, orgId: again.orgId, kind: again.kind, doctorId: again.doctorId, ticketPrefix };
      }
    }
    const used = await tx
      .update(enrollmentCodes)
      .set({ usedAt: now, usedByDevice: deviceId, usedByInstall: installId })
      .where(and(eq(enrollmentCodes.codeHash, sha256(normalizeCode(code))), isNull(enrollmentCodes.usedAt), gt(enrollmentCodes.expiresAt, now)))
      .returning({ orgId: enrollmentCodes.orgId, kind: enrollmentCodes.deviceKind, doctorId: enrollmentCodes.doctorId });
    if (used.length !== 1) throw new EnrollError('enrollment_code_invalid');
    const { orgId, kind, doctorId } = used[0]!;
    const signer = signerAs(kind, cabinetSigner);
    await tx.insert(devices).values({ id: deviceId, orgId, name: deviceName, tokenHash: sha256(token), createdAt: now, kind, doctorId, installId, signer });
    await seedAccounts(tx, orgId, accounts, now);
    if (signer) await publishSigner(tx, orgId, { id: deviceId, installId, doctorId, signer }, now);
    const ticketPrefix = await ticketPrefixFor(tx, orgId, deviceId);
    return { deviceId, token, orgId, kind, doctorId, ticketPrefix };
  });
}

/**
 * The clinic's first accounts come with its first desk (its installer chose their password, and the
 * enrollment code proves the installer): kept only while the organization has no accounts at all,
 * so a later desk can never replace anyone's account by enrolling. Only registry roles, never a doctor's.
 */
async function seedAccounts(tx: Parameters<Parameters<ServerDb['transaction']>[0]>[0], orgId: string, accounts: readonly Account[], now: number): Promise<void> {
  const seedable = accounts.filter((a) => a.role !== 'doctor' && a.doctorId === null);
  if (seedable.length === 0) return;
  const [any] = await tx
    .select({ id: orgRows.id })
    .from(orgRows)
    .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, 'account')))
    .limit(1);
  if (any) return;
  const names = new Set<string>();
  const rows = seedable.filter((a) => !names.has(a.username.toLowerCase()) && names.add(a.username.toLowerCase()));
  await tx.insert(orgRows).values(rows.map((row) => ({ orgId, entity: 'account', id: row.id, row })));
  await tx.insert(changeLog).values(rows.map((row) => ({ orgId, entity: 'account', entityId: row.id, op: 'put', row, at: now })));
}

/** The device a bearer token belongs to, unless revoked. */
export async function deviceForToken(db: ServerDb, token: string): Promise<(ServerDevice & { name: string; ticketPrefix: string | null; kind: 'desk' | 'cabinet' | 'kiosk' }) | null> {
  const rows = await db
    .select({
      id: devices.id,
      orgId: devices.orgId,
      name: devices.name,
      ticketPrefix: devices.ticketPrefix,
      kind: sql<'desk' | 'cabinet' | 'kiosk'>`${devices.kind}`,
      doctorId: devices.doctorId,
      installId: devices.installId,
      signer: sql<{ userId: string; publicKey: string } | null>`${devices.signer}`,
    })
    .from(devices)
    .where(and(eq(devices.tokenHash, sha256(token)), isNull(devices.revokedAt)));
  return rows[0] ?? null;
}
