import { v7 as uuidv7 } from 'uuid';
import { SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { signOp } from '../../src-shared/node/op-keys.js';
import { stmt } from '../db/stmt.js';
import type { Actor, Env } from './env.js';

export const newId = (): string => uuidv7();

/**
 * Every local write calls this inside its transaction: an audit row naming the
 * user and device, and an outbox op the sync engine pushes to the server. Both
 * commit or roll back with the change itself, so no accepted action can exist
 * without its upload or its trace.
 */
export function journal(env: Env, actor: Actor, op: { name: string; args: unknown }, audit: { entity: string; entityId: string; detail?: string }): void {
  auditOnly(env, actor, op.name, audit);
  const opId = newId();
  const args = JSON.stringify(op.args);
  // Signed as the server will read it back (the stored JSON): the clinic, this install, the op and the person (op-keys.ts).
  const signature = signOp(actor.key, { orgId: env.org.id, installId: env.device.id, opId, name: op.name, userId: actor.userId, args: JSON.parse(args) });
  stmt(env.db.sqlite, "INSERT INTO outbox (op_id, hlc, name, args, created_at, status, schema_version, entity_id, user_id, signature) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)").run(
    opId,
    env.hlc.now(),
    op.name,
    args,
    env.clock(),
    SYNC_SCHEMA_VERSION,
    audit.entityId,
    actor.userId,
    signature,
  );
  // Scheduled, not run: the transaction this op belongs to commits first.
  env.queued();
}

/** An audit row for a local-only action (printing, settings) that the server does not need. */
export function auditOnly(env: Env, actor: Actor, action: string, audit: { entity: string; entityId: string; detail?: string }): void {
  stmt(env.db.sqlite, 'INSERT INTO audit (id, at, user_id, device_id, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    newId(),
    env.clock(),
    actor.userId,
    env.device.id,
    action,
    audit.entity,
    audit.entityId,
    audit.detail ?? '',
  );
}
