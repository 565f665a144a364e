import { and, eq, sql } from 'drizzle-orm';
import { directoryFile, ORG_ENTITIES, type DirectoryFile } from '../../src-shared/sync/directory-file.js';
import type { ServerDb } from '../db/connect.js';
import { changeLog, organizations, orgRows, regions, specialties } from '../db/schema.js';
import { lockOrg } from '../sync/context.js';
import { callForImportedSchedules } from '../sync/imported-schedules.js';

export class DirectoryFileError extends Error {}

/** JSON with object keys sorted: jsonb does not keep key order, so compare rows in this form. */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

export interface ImportReport {
  organizations: number;
  changed: number;
  unchanged: number;
  /** Patients put on the call list because the imported schedules took their booked times away (R8). */
  calls: number;
}

/** Parse and check an import file; every problem is named with its path. */
export function parseDirectoryFile(json: unknown): DirectoryFile {
  const r = directoryFile.safeParse(json);
  if (!r.success)
    throw new DirectoryFileError(
      r.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; '),
    );
  return r.data;
}

/**
 * Load the directory. Each organization in one transaction under its lock; only
 * rows that differ from what the server has are written and put in the change
 * log, so a re-import of the same file changes nothing and desks pull only news.
 */
export async function importDirectory(db: ServerDb, file: DirectoryFile, now: number): Promise<ImportReport> {
  const report: ImportReport = { organizations: 0, changed: 0, unchanged: 0, calls: 0 };
  for (const r of file.regions)
    await db
      .insert(regions)
      .values(r)
      .onConflictDoUpdate({ target: regions.id, set: { name: r.name } });
  for (const s of file.specialties) {
    const row = { id: s.id, kind: s.kind, nameRu: s.name.ru, nameKy: s.name.ky };
    await db.insert(specialties).values(row).onConflictDoUpdate({ target: specialties.id, set: row });
  }
  for (const o of file.organizations) {
    report.organizations++;
    await db.transaction(async (tx) => {
      const orgId = o.organization.id;
      await lockOrg(tx, orgId);
      await tx.insert(organizations).values(o.organization).onConflictDoUpdate({ target: organizations.id, set: o.organization });
      // Organization and specialties travel as org rows too, so a desk bootstraps from pull alone.
      const lists: Array<[string, Array<{ id: string }>]> = [
        ['organization', [o.organization]],
        ['specialty', file.specialties],
        ...Object.entries(ORG_ENTITIES).map(([entity, key]) => [entity, o[key] as Array<{ id: string }>] as [string, Array<{ id: string }>]),
      ];
      const changedBefore = report.changed;
      // Doctors whose schedules (or employment) this import changes: their booked patients may lose their times.
      const rescheduled = new Set<string>();
      for (const [entity, rows] of lists) {
        const existing = new Map(
          (
            await tx
              .select({ id: orgRows.id, row: orgRows.row })
              .from(orgRows)
              .where(and(eq(orgRows.orgId, orgId), eq(orgRows.entity, entity)))
          ).map((x) => [x.id, canonical(x.row)]),
        );
        const changed = rows.filter((row) => existing.get(row.id) !== canonical(row));
        report.unchanged += rows.length - changed.length;
        report.changed += changed.length;
        if (entity === 'doctor' || entity === 'template' || entity === 'exception')
          for (const row of changed) rescheduled.add(entity === 'doctor' ? row.id : (row as unknown as { doctorId: string }).doctorId);
        for (let i = 0; i < changed.length; i += 500) {
          const batch = changed.slice(i, i + 500);
          await tx
            .insert(orgRows)
            .values(batch.map((row) => ({ orgId, entity, id: row.id, row })))
            .onConflictDoUpdate({ target: [orgRows.orgId, orgRows.entity, orgRows.id], set: { row: sql`excluded.row` } });
          await tx.insert(changeLog).values(batch.map((row) => ({ orgId, entity, entityId: row.id, op: 'put', row, at: now })));
        }
      }
      // The server's rules read the directory through a per-process copy, reloaded when this moves.
      if (report.changed > changedBefore)
        await tx
          .update(organizations)
          .set({ directoryVersion: sql`${organizations.directoryVersion} + 1` })
          .where(eq(organizations.id, orgId));
      report.calls += await callForImportedSchedules(tx, orgId, rescheduled, now);
      // Desks show how old their attached-patient register is: the time of the last import, changed or not.
      await tx.insert(changeLog).values({ orgId, entity: 'register_stamp', entityId: orgId, op: 'put', row: { importedAt: now, patients: o.patients.length }, at: now });
    });
  }
  return report;
}
