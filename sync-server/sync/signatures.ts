import type { Role } from '../../src-shared/domain/enums.js';
import { verifyOp } from '../../src-shared/node/op-keys.js';
import { opAllowedOn } from '../../src-shared/rules/channels.js';
import type { RefusalCode } from '../../src-shared/rules/decision.js';
import type { PushOp } from '../../src-shared/sync/protocol.js';
import type { RulesDirectory } from '../rules/directory-cache.js';
import type { ServerDevice } from '../rules/judge.js';

/** The person an op is proven to come from, as the server holds their account now. */
export interface Proven {
  userId: string;
  role: Role;
}

/** The fields of an op's arguments that name a person: each must be the signer (the op is attributed to no one else). */
function namedPeople(name: string, args: unknown): unknown[] {
  const a = (args ?? {}) as { userId?: unknown; appointment?: { createdBy?: unknown }; register?: { userId?: unknown } };
  const named = [a.userId, a.register?.userId];
  if (name === 'appointments.book' || name === 'appointments.move') named.push(a.appointment?.createdBy);
  return named.filter((u) => u !== undefined);
}

/**
 * Who made this op, proven (issue 19 finding 1): the op is signed (src-shared/node/op-keys.ts) over the organization,
 * the desk install the pushing device is, its id, name and arguments and the person; the person's account is enabled
 * and holds the key that verifies it — as the server holds the accounts *now*, read under the organization's lock
 * (a person disabled or reset signs nothing accepted after the server knows it). A cabinet PC's own doctor account is
 * verified with the key that PC enrolled with. The kind of PC bounds the ops (channels.ts); every person an op's
 * arguments name is the signer. Whether the role may do what the op does is each op's own rule, given this person.
 */
export function proveOp(dir: RulesDirectory, device: ServerDevice, op: PushOp): { ok: true; by: Proven } | { ok: false; code: RefusalCode } {
  if (op.userId === null || op.signature === null) return { ok: false, code: 'unsigned' };
  if (!opAllowedOn(device.kind, op.name)) return { ok: false, code: 'device_op' };
  const account = dir.accounts.get(op.userId);
  // A cabinet PC's own doctor account, a kiosk's own account: known by the key the PC enrolled with.
  const own = (device.kind === 'cabinet' || device.kind === 'kiosk') && !account ? device.signer : null;
  let key: string | null;
  let role: Role;
  if (account) {
    if (account.disabled) return { ok: false, code: 'unknown_signer' };
    role = account.role;
    // An account from before signed ops proves itself with the key it brings, once (accounts.key decides whether it may).
    key = account.publicKey ?? (op.name === 'accounts.key' ? keyIn(op.args) : null);
  } else if (own && own.userId === op.userId) {
    role = device.kind === 'kiosk' ? 'kiosk' : 'doctor';
    key = own.publicKey;
  } else if (device.kind === 'cabinet' && !device.signer && op.name === 'accounts.key') {
    // A cabinet PC enrolled before signed ops: its own doctor account's first key.
    role = 'doctor';
    key = keyIn(op.args);
  } else return { ok: false, code: 'unknown_signer' };
  if (!key || !device.installId) return { ok: false, code: key ? 'bad_signature' : 'unknown_signer' };
  const fields = { orgId: device.orgId, installId: device.installId, opId: op.opId, name: op.name, userId: op.userId, args: op.args };
  if (!verifyOp(key, fields, op.signature)) return { ok: false, code: 'bad_signature' };
  if (namedPeople(op.name, op.args).some((u) => u !== op.userId)) return { ok: false, code: 'signer_mismatch' };
  return { ok: true, by: { userId: op.userId, role } };
}

const keyIn = (args: unknown): string | null => {
  const k = (args as { publicKey?: unknown } | null)?.publicKey;
  return typeof k === 'string' ? k : null;
};
