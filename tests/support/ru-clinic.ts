import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';

/**
 * A small Moscow Oblast clinic (profile RU-MO) for the patient page's Russian rules: one therapist whose mornings are
 * the internet share, and one attached patient, policy 5000 0000 0000 0001, born 4 May 1980, never seen there yet.
 */
export function ruClinicFile(): DirectoryFile {
  const week = [{ from: '08:00', to: '12:00', channel: 'internet' as const }];
  return {
    format: 'kezek-directory/1',
    regions: [{ id: 'ru-mo', name: 'Московская область' }],
    specialties: [{ id: 'therapy', kind: 'family', name: { ru: 'Терапевт', ky: 'Терапевт' }, patientAges: 'all' }],
    organizations: [
      {
        organization: {
          id: 'mo-1',
          regionId: 'ru-mo',
          name: 'Химкинская поликлиника №1',
          address: 'Химки, ул. Московская, 1',
          phone: '+7 495 000 00 00',
          profileId: 'RU-MO',
          timezone: 'Europe/Moscow',
        },
        departments: [{ id: 'mo-1-u1', orgId: 'mo-1', name: 'Участок 1', isFamilyGroup: true }],
        cabinets: [{ id: 'mo-1-c1', orgId: 'mo-1', number: '12', floor: 1 }],
        doctors: [{ id: 'mo-1-d1', orgId: 'mo-1', departmentId: 'mo-1-u1', specialtyId: 'therapy', cabinetId: 'mo-1-c1', fullName: 'Иванова Ольга Сергеевна', active: true }],
        templates: [{ id: 'mo-1-t1', doctorId: 'mo-1-d1', validFrom: '2026-01-01', validTo: null, slotMinutes: 15, week: { '1': week, '2': week, '3': week, '4': week, '5': week } }],
        exceptions: [],
        patients: [
          {
            id: 'p-ru_oms-5000000000000001',
            nationalId: '5000000000000001',
            nationalIdKind: 'RU_OMS',
            fullName: 'Петров Пётр Петрович',
            birthDate: '1980-05-04',
            sex: 'male',
            address: '',
            phone: '',
            attachment: { orgId: 'mo-1', departmentId: 'mo-1-u1', doctorId: 'mo-1-d1', since: '2020-01-01' },
            dispensarySpecialtyIds: [],
            priority: false,
          },
        ],
        referrals: [],
      },
    ],
  };
}
