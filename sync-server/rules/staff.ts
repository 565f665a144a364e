import { and, eq } from 'drizzle-orm';
import type { Account } from '../../src-shared/domain/account.js';
import type { Role } from '../../src-shared/domain/enums.js';
import type { ServerDb } from '../db/connect.js';
import { orgRows } from '../db/schema.js';

/**
 * The role of the account an op names, as the server holds the organization's accounts — not as the
 * desk says: an unknown or disabled account has none. (The desk checked the password at sign-in;
 * the server checks that the account exists, is enabled and has this role now.)
 */
export async function roleOf(db: Pick<ServerDb, 'select'>, orgId: string, userId: string | undefined): Promise<Role | null> {
  if (!userId) return null;
  const [r] = await db
    .select({ row: orgRows.row })
    .from(orgRows)
    .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, 'account'), eq(orgRows.id, userId)));
  const a = r?.row as Account | undefined;
  return a && !a.disabled ? a.role : null;
}
