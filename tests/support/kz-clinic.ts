import { iinCheckDigit } from '../../src-shared/ids/kz-iin.js';
import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';

/** A valid IIN of someone born 4 May 1980, male (century-sex digit 3), serial `serial`. */
export function iinOf(serial: string): string {
  for (let s = Number(serial); ; s++) {
    const first11 = `8005043${String(s).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
}

export const KZ_PATIENT = { iin: iinOf('0001'), phone: '8 701 123 45 67' };

/**
 * A small Almaty polyclinic (profile KZ) for the patient page's Kazakh sign-in (P8: IIN and a one-time SMS code): one
 * family doctor whose mornings are the internet share, and one attached patient with a registered phone.
 */
export function kzClinicFile(): DirectoryFile {
  const week = [{ from: '08:00', to: '12:00', channel: 'internet' as const }];
  return {
    format: 'kezek-directory/1',
    regions: [{ id: 'kz-almaty', name: 'Алматы' }],
    specialties: [{ id: 'family', kind: 'family', name: { ru: 'Семейный врач', ky: 'Үй-бүлөлүк дарыгер', kk: 'Отбасылық дәрігер' }, patientAges: 'all' }],
    organizations: [
      {
        organization: {
          id: 'alm-1',
          regionId: 'kz-almaty',
          name: 'Городская поликлиника №1',
          address: 'Алматы, пр. Абая, 1',
          phone: '+7 727 000 00 00',
          profileId: 'KZ',
          timezone: 'Asia/Almaty',
        },
        departments: [{ id: 'alm-1-u1', orgId: 'alm-1', name: 'Участок 1', isFamilyGroup: true }],
        cabinets: [{ id: 'alm-1-c1', orgId: 'alm-1', number: '7', floor: 1 }],
        doctors: [{ id: 'alm-1-d1', orgId: 'alm-1', departmentId: 'alm-1-u1', specialtyId: 'family', cabinetId: 'alm-1-c1', fullName: 'Сейткали Айгерим Маратовна', active: true }],
        templates: [{ id: 'alm-1-t1', doctorId: 'alm-1-d1', validFrom: '2026-01-01', validTo: null, slotMinutes: 15, week: { '1': week, '2': week, '3': week, '4': week, '5': week } }],
        exceptions: [],
        patients: [
          {
            id: `p-kz_iin-${KZ_PATIENT.iin}`,
            nationalId: KZ_PATIENT.iin,
            nationalIdKind: 'KZ_IIN',
            fullName: 'Ахметов Ерлан Серикович',
            birthDate: '1980-05-04',
            sex: 'male',
            address: 'Алматы, ул. Толе би, 10',
            phone: KZ_PATIENT.phone,
            attachment: { orgId: 'alm-1', departmentId: 'alm-1-u1', doctorId: 'alm-1-d1', since: '2020-01-01' },
            dispensarySpecialtyIds: [],
            priority: false,
          },
        ],
        referrals: [],
      },
    ],
  };
}
