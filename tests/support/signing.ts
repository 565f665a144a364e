import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { ServerDb } from '../../sync-server/db/connect.js';
import { organizations, orgRows } from '../../sync-server/db/schema.js';
import type { Role } from '../../src-shared/domain/enums.js';
import { publicKeyText, signOp } from '../../src-shared/node/op-keys.js';

/**
 * Raw-protocol tests and benchmarks push ops as a desk does: signed by a person of the organization (issue 19).
 * The fixture's organizations hold these accounts; `u` is the registrar the fixture's bookings name as their maker.
 */
/** A cabinet PC's own doctor account: no account of the organization — each cabinet PC enrolls with its key. */
export const CABINET_DOCTOR = 'u-cabinet';
const staff = (id: string, role: Role) => ({ id, role, key: generateKeyPairSync('ed25519').privateKey });
export const FIXTURE_STAFF = [staff('u', 'registrar'), staff('u-head', 'head'), staff('u-admin', 'admin'), staff(CABINET_DOCTOR, 'doctor')];

/** The fixture's accounts as an organization's rows (their credentials are never opened: raw tests sign with the keys above). */
export const fixtureAccounts = () =>
  FIXTURE_STAFF.filter((s) => s.id !== CABINET_DOCTOR).map((s) => ({
    id: s.id,
    username: s.id,
    fullName: s.id,
    role: s.role,
    doctorId: null,
    passwordHash: 'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    publicKey: publicKeyText(s.key),
    disabled: false,
    mustChangePassword: false,
  }));

/** Each raw device's install and organization, by its token (what the server verifies a signature against). */
const installs = new Map<string, { installId: string; orgId: string }>();

/** Enroll over HTTP as a desk does, naming an install of its own; returns the device token. */
export async function enrollRaw(url: string, code: string, deviceName = 'desk'): Promise<string> {
  const installId = randomUUID();
  const cabinetSigner = { userId: CABINET_DOCTOR, publicKey: publicKeyText(FIXTURE_STAFF.find((s) => s.id === CABINET_DOCTOR)!.key) };
  const r = await fetch(`${url}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName, installId, cabinetSigner }) });
  const body = (await r.json()) as { token: string; orgId: string };
  installs.set(body.token, { installId, orgId: body.orgId });
  return body.token;
}

export const installOf = (token: string): string => installs.get(token)!.installId;

/** A device made some other way (an older release's rows): the install its pushes will name, and its organization. */
export const knowDevice = (token: string, orgId: string, installId: string = randomUUID()): void => void installs.set(token, { installId, orgId });

/** An op as the desk of `token` sends it: signed by `userId` (by default the person its arguments or its booking name, else the registrar `u`). */
export function signedBy<O extends { opId: string; name: string; args: unknown }>(token: string, op: O, userId?: string): O & { userId: string; signature: string } {
  const d = installs.get(token);
  if (!d) throw new Error('not a device enrolled with enrollRaw');
  const a = op.args as { userId?: unknown; appointment?: { createdBy?: unknown } } | null;
  const named = a?.userId ?? a?.appointment?.createdBy;
  const who = userId ?? (typeof named === 'string' ? named : 'u');
  const s = FIXTURE_STAFF.find((x) => x.id === who);
  if (!s) throw new Error(`no fixture key for ${who}`);
  const args = JSON.parse(JSON.stringify(op.args)) as unknown;
  return { ...op, userId: who, signature: signOp(s.key, { orgId: d.orgId, installId: d.installId, opId: op.opId, name: op.name, userId: who, args }) };
}

/** An organization imported from a directory file gets the fixture's staff (its directory moves, so every server process sees them). */
export async function seedFixtureAccounts(db: ServerDb, orgId: string): Promise<void> {
  await db
    .insert(orgRows)
    .values(fixtureAccounts().map((a) => ({ orgId, entity: 'account', id: a.id, row: a })))
    .onConflictDoNothing();
  await db
    .update(organizations)
    .set({ directoryVersion: sql`${organizations.directoryVersion} + 1` })
    .where(eq(organizations.id, orgId));
}
