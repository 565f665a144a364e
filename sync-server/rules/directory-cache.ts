import { and, eq, inArray } from 'drizzle-orm';
import type { Slot } from '../../src-shared/domain/appointment.js';
import type { Doctor, ScheduleException, ScheduleTemplate, Specialty } from '../../src-shared/domain/directory.js';
import type { Role, SpecialtyKind } from '../../src-shared/domain/enums.js';
import type { Account } from '../../src-shared/domain/account.js';
import { getProfile } from '../../src-shared/policy/profiles.js';
import type { PolicyProfile } from '../../src-shared/policy/types.js';
import { organizations, orgRows } from '../db/schema.js';
import type { ServerDb } from '../db/connect.js';

/** What the booking rules need of an organization's directory, indexed for one op at a time. */
export interface RulesDirectory {
  version: number;
  orgId: string;
  profile: PolicyProfile;
  timezone: string;
  doctors: Map<string, Doctor>;
  templates: Map<string, ScheduleTemplate[]>;
  exceptions: Map<string, ScheduleException[]>;
  specialtyKinds: Map<string, SpecialtyKind>;
  /** The specialties themselves (names in ru, ky, kk): what the booking API shows. */
  specialties: Map<string, Specialty>;
  /** The organization's ГСВ / departments (R2: what a patient can be attached to). */
  departments: Set<string>;
  /** Each doctor-day's slots as generated from this version of the schedules (`doctorId@date` → slot id → slot); filled as ops ask. */
  slots: Map<string, Map<string, Slot>>;
  /** R1's last bookable date, by the day it is counted from. */
  horizons: Map<string, string>;
  /** The organization's staff accounts as ops are verified against them: role, enabled, public key (issue 19). */
  accounts: Map<string, Signer>;
}

/** What a signed op needs of its signer's account. */
export interface Signer {
  id: string;
  role: Role;
  doctorId: string | null;
  disabled: boolean;
  publicKey: string | null;
}

const group = <T, K>(rows: T[], key: (t: T) => K): Map<K, T[]> => {
  const m = new Map<K, T[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
};

/**
 * Each server process keeps one copy of every organization's directory it serves (doctors,
 * schedules, specialties, departments, staff accounts — not the patients or referrals, read per op by key) and reloads it
 * when an import moved the organization's `directory_version`: one indexed read per push
 * instead of the whole directory per op, and still nothing in memory that another process
 * could make wrong.
 */
export class DirectoryCache {
  private readonly byOrg = new Map<string, RulesDirectory>();
  /** When each organization's copy was last found current (performance.now()). */
  private readonly checkedAt = new Map<string, number>();

  /**
   * The copy as it was at most `maxAgeMs` ago, without asking the database again: for the booking API's reads and
   * holds in a rush, where every request asking "still version N?" cost a round trip. Nothing is decided on it for
   * good — a booking is judged again under the lock against the version the database holds (kezek_api_book: retry).
   */
  async recent(db: Pick<ServerDb, 'select'>, orgId: string, maxAgeMs = 1000): Promise<RulesDirectory | null> {
    const cached = this.byOrg.get(orgId);
    if (cached && performance.now() - (this.checkedAt.get(orgId) ?? -Infinity) < maxAgeMs) return cached;
    return this.get(db, orgId);
  }

  async get(tx: Pick<ServerDb, 'select'>, orgId: string): Promise<RulesDirectory | null> {
    const found = await this.load(tx, orgId);
    if (found) this.checkedAt.set(orgId, performance.now());
    return found;
  }

  private async load(tx: Pick<ServerDb, 'select'>, orgId: string): Promise<RulesDirectory | null> {
    const [org] = await tx
      .select({ version: organizations.directoryVersion, profileId: organizations.profileId, timezone: organizations.timezone })
      .from(organizations)
      .where(eq(organizations.id, orgId));
    if (!org) return null;
    const cached = this.byOrg.get(orgId);
    if (cached && cached.version === org.version && cached.profile.id === org.profileId && cached.timezone === org.timezone) return cached;
    const rows = await tx
      .select({ entity: orgRows.entity, row: orgRows.row })
      .from(orgRows)
      .where(and(eq(orgRows.orgId, orgId), inArray(orgRows.entity, ['doctor', 'template', 'exception', 'specialty', 'department', 'account'])));
    const of = <T>(entity: string) => rows.filter((r) => r.entity === entity).map((r) => r.row as T);
    const dir: RulesDirectory = {
      version: org.version,
      orgId,
      profile: getProfile(org.profileId),
      timezone: org.timezone,
      doctors: new Map(of<Doctor>('doctor').map((d) => [d.id, d])),
      templates: group(of<ScheduleTemplate>('template'), (t) => t.doctorId),
      exceptions: group(of<ScheduleException>('exception'), (e) => e.doctorId),
      specialtyKinds: new Map(of<Specialty>('specialty').map((s) => [s.id, s.kind])),
      specialties: new Map(of<Specialty>('specialty').map((s) => [s.id, s])),
      departments: new Set(of<{ id: string }>('department').map((d) => d.id)),
      slots: new Map(),
      horizons: new Map(),
      accounts: new Map(of<Account>('account').map((a) => [a.id, { id: a.id, role: a.role, doctorId: a.doctorId, disabled: a.disabled, publicKey: a.publicKey ?? null }])),
    };
    this.byOrg.set(orgId, dir);
    return dir;
  }
}
