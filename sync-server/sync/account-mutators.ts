import type { Account } from '../../src-shared/domain/account.js';
import { decideAccountChange, decidePasswordChange } from '../../src-shared/rules/accounts.js';
import { opArgs } from '../../src-shared/sync/protocol.js';
import { and, eq, isNull } from 'drizzle-orm';
import { devices, orgRows } from '../db/schema.js';
import { roleOf } from '../rules/staff.js';
import { directoryMoved, logChange, type OpContext, orgRowsOf } from './context.js';
import { publishSigner } from '../auth/signers.js';

type Outcome = { status: 'applied' | 'rejected'; detail: string };

/**
 * The account as the server now holds it, published to every desk of the organization. The directory's version
 * moves: every server process verifies the next ops against the accounts as they now are (signatures.ts).
 */
async function putAccount(ctx: OpContext, a: Account): Promise<void> {
  await ctx.tx
    .insert(orgRows)
    .values({ orgId: ctx.orgId, entity: 'account', id: a.id, row: a })
    .onConflictDoUpdate({ target: [orgRows.orgId, orgRows.entity, orgRows.id], set: { row: a } });
  await logChange(ctx, 'account', a.id, 'put', a);
  await directoryMoved(ctx);
}

/**
 * A refused change was applied at the desk that made it (so it works offline): publish the account
 * as the server holds it again, so that desk — and none other — takes it back. A refused new account
 * is published as removed.
 */
async function restore(ctx: OpContext, id: string, accounts: readonly Account[]): Promise<void> {
  const current = accounts.find((a) => a.id === id);
  if (current) await logChange(ctx, 'account', id, 'put', current);
  else await logChange(ctx, 'account', id, 'remove', null);
}

/** The administrator creates, changes, disables or resets an account: the server decides on the accounts it holds. */
export async function putAccountChange(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['accounts.put'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { userId, ...change } = parsed.data;
  const accounts = await orgRowsOf<Account>(ctx.tx, ctx.orgId, 'account');
  const decision = decideAccountChange(change, {
    actorRole: await roleOf(ctx.tx, ctx.orgId, userId),
    actorId: userId,
    accounts,
    isDoctor: (doctorId) => ctx.dir.doctors.has(doctorId),
  });
  if (!decision.ok) {
    await restore(ctx, change.id, accounts);
    return { status: 'rejected', detail: decision.code };
  }
  await putAccount(ctx, decision.account);
  return { status: 'applied', detail: 'saved' };
}

/** A person's own new password (the desk checked the old one before it sent this). */
export async function changePassword(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['accounts.password'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const accounts = await orgRowsOf<Account>(ctx.tx, ctx.orgId, 'account');
  const decision = decidePasswordChange(parsed.data.userId, parsed.data.passwordHash, accounts, parsed.data.publicKey);
  if (!decision.ok) {
    await restore(ctx, parsed.data.userId, accounts);
    return { status: 'rejected', detail: decision.code };
  }
  await putAccount(ctx, decision.account);
  return { status: 'applied', detail: 'saved' };
}

/**
 * The first key of an account from before signed ops, made at its person's first sign-in on an updated desk and signed
 * with it (signatures.ts verified that signature with this very key). Taken only while the server holds no key for the
 * account: a later claim — another desk's, or anyone's — is refused and the account goes out again as the server holds
 * it, so that desk takes the first key. A cabinet PC enrolled before signed ops registers its own doctor account so.
 */
export async function giveKey(ctx: OpContext, args: unknown): Promise<Outcome> {
  const parsed = opArgs['accounts.key'].safeParse(args);
  if (!parsed.success) return { status: 'rejected', detail: 'bad_args' };
  const { userId, passwordHash, publicKey } = parsed.data;
  const accounts = await orgRowsOf<Account>(ctx.tx, ctx.orgId, 'account');
  const current = accounts.find((a) => a.id === userId);
  if (!current) {
    if (ctx.device.kind !== 'cabinet') return { status: 'rejected', detail: 'unknown_account' };
    const r = await ctx.tx
      .update(devices)
      .set({ signer: { userId, publicKey } })
      .where(and(eq(devices.id, ctx.deviceId), isNull(devices.signer)))
      .returning({ id: devices.id, doctorId: devices.doctorId });
    if (r.length !== 1) return { status: 'rejected', detail: 'key_change' };
    await publishSigner(ctx.tx, ctx.orgId, { id: ctx.deviceId, installId: ctx.device.installId ?? null, doctorId: r[0]!.doctorId, signer: { userId, publicKey } }, ctx.now);
    return { status: 'applied', detail: 'saved' };
  }
  if (current.disabled) return { status: 'rejected', detail: 'unknown_account' };
  // (An account row from before signed ops has no publicKey field at all.)
  const held = current.publicKey ?? null;
  if (held !== null) {
    await restore(ctx, userId, accounts);
    return held === publicKey ? { status: 'applied', detail: 'saved' } : { status: 'rejected', detail: 'key_change' };
  }
  await putAccount(ctx, { ...current, passwordHash, publicKey });
  return { status: 'applied', detail: 'saved' };
}
