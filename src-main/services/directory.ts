import type { Cabinet, Department, Doctor, Specialty, SpecialtyAges } from '../../src-shared/domain/directory.js';
import type { SpecialtyKind } from '../../src-shared/domain/enums.js';
import type { Db } from '../db/open.js';

export interface DoctorInfo extends Doctor {
  cabinet: Pick<Cabinet, 'number' | 'floor'>;
}

/**
 * The clinic's directory (departments, specialties, doctors, cabinets) held in
 * memory: it is small, read on every screen, and changes only by sync.
 */
export class DirectoryCache {
  departments = new Map<string, Department>();
  specialties = new Map<string, Specialty>();
  doctors = new Map<string, DoctorInfo>();

  constructor(
    private readonly db: Db,
    private readonly orgId: string,
  ) {
    this.reload();
  }

  reload(): void {
    const s = this.db.sqlite;
    this.departments = new Map(
      (s.prepare('SELECT id, org_id AS orgId, name, is_family_group AS fam FROM departments WHERE org_id = ?').all(this.orgId) as Array<{ id: string; orgId: string; name: string; fam: number }>).map(
        (d) => [d.id, { id: d.id, orgId: d.orgId, name: d.name, isFamilyGroup: d.fam === 1 }],
      ),
    );
    this.specialties = new Map(
      (
        s.prepare('SELECT id, kind, name_ru AS ru, name_ky AS ky, name_kk AS kk, patient_ages AS ages FROM specialties ORDER BY name_ru').all() as Array<{
          id: string;
          kind: SpecialtyKind;
          ru: string;
          ky: string;
          kk: string | null;
          ages: SpecialtyAges;
        }>
      ).map((x) => [x.id, { id: x.id, kind: x.kind, name: { ru: x.ru, ky: x.ky, ...(x.kk ? { kk: x.kk } : {}) }, patientAges: x.ages }]),
    );
    const rows = s
      .prepare(`SELECT d.id, d.org_id AS orgId, d.department_id AS departmentId, d.specialty_id AS specialtyId,
        d.cabinet_id AS cabinetId, d.full_name AS fullName, d.active, c.number, c.floor
      FROM doctors d JOIN cabinets c ON c.id = d.cabinet_id WHERE d.org_id = ? ORDER BY d.full_name`)
      .all(this.orgId) as Array<Omit<Doctor, 'active'> & { active: number; number: string; floor: number }>;
    this.doctors = new Map(rows.map(({ number, floor, active, ...d }) => [d.id, { ...d, active: active === 1, cabinet: { number, floor } }]));
  }

  doctor(id: string): DoctorInfo | undefined {
    return this.doctors.get(id);
  }

  specialtyKind(id: string): SpecialtyKind | undefined {
    return this.specialties.get(id)?.kind;
  }

  /** Specialties that at least one active doctor of the clinic practises. */
  offeredSpecialtyIds(): Set<string> {
    return new Set([...this.doctors.values()].filter((d) => d.active).map((d) => d.specialtyId));
  }
}
