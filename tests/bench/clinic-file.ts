import type { Appointment, Slot } from '../../src-shared/domain/appointment.js';
import type { DirectoryFile, OrgDirectory } from '../../src-shared/sync/directory-file.js';
import { generateDoctorSlots } from '../../src-shared/slots/generate.js';
import { getProfile } from '../../src-shared/policy/profiles.js';

const week = [{ from: '08:00', to: '16:00', channel: 'registry' as const }];

/**
 * A small clinic as an import file: `doctors` family doctors working 08:00–16:00 on weekdays
 * (24 twenty-minute times a day) and `patients` patients attached to it — what the push
 * benchmarks book against, with the server's rules on.
 */
export function smallClinic(
  orgId: string,
  doctors: number,
  patients: number,
  opts: { cardiologists?: number; day?: ReadonlyArray<{ from: string; to: string; channel: 'registry' | 'internet' }> } = {},
): DirectoryFile {
  const cardiologists = opts.cardiologists ?? 0;
  const day = opts.day ?? week;
  const org: OrgDirectory = {
    organization: { id: orgId, regionId: 'bench', name: orgId, address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' },
    departments: [{ id: `${orgId}-gsv`, orgId, name: 'ГСВ №1', isFamilyGroup: true }],
    cabinets: [{ id: `${orgId}-c1`, orgId, number: '101', floor: 1 }],
    doctors: Array.from({ length: doctors + cardiologists }, (_, i) => ({
      id: `${orgId}-doc-${i}`,
      orgId,
      departmentId: `${orgId}-gsv`,
      // The last `cardiologists` are narrow specialists: booked with a family doctor's referral (R5).
      specialtyId: i < doctors ? 'family' : 'cardiology',
      cabinetId: `${orgId}-c1`,
      fullName: `Врач ${i}`,
      active: true,
    })),
    templates: Array.from({ length: doctors + cardiologists }, (_, i) => ({
      id: `${orgId}-t-${i}`,
      doctorId: `${orgId}-doc-${i}`,
      validFrom: '2026-01-01',
      validTo: null,
      slotMinutes: 20,
      week: { '1': [...day], '2': [...day], '3': [...day], '4': [...day], '5': [...day] },
    })),
    exceptions: [],
    patients: Array.from({ length: patients }, (_, i) => ({
      id: `${orgId}-p-${i}`,
      nationalId: `2${String(i).padStart(13, '0')}`,
      nationalIdKind: 'KG_PIN' as const,
      fullName: `Пациент ${i}`,
      birthDate: '1980-01-01',
      sex: 'female' as const,
      address: '',
      phone: '',
      attachment: { orgId, departmentId: `${orgId}-gsv`, doctorId: null, since: '2020-01-01' },
      dispensarySpecialtyIds: [],
      priority: false,
    })),
    // With cardiologists: every patient holds a referral to cardiology from the first family doctor.
    referrals: cardiologists
      ? Array.from({ length: patients }, (_, i) => ({
          id: `${orgId}-ref-${i}`,
          patientId: `${orgId}-p-${i}`,
          specialtyId: 'cardiology',
          issuedByDoctorId: `${orgId}-doc-0`,
          issuedAt: Date.parse('2026-11-20T03:00:00Z'),
          validUntil: '2026-12-20',
          usedByAppointmentId: null,
        }))
      : [],
  };
  return {
    format: 'kezek-directory/1',
    regions: [{ id: 'bench', name: 'Bench' }],
    specialties: [
      { id: 'family', kind: 'family', name: { ru: 'Семейный врач', ky: 'Үй-бүлөлүк дарыгер' }, patientAges: 'all' },
      { id: 'cardiology', kind: 'narrow', name: { ru: 'Кардиолог', ky: 'Кардиолог' }, patientAges: 'all' },
    ],
    organizations: [org],
  };
}

/** Every registry time of the organization's primary-care (or, `narrow`, its narrow specialists') doctors on these dates, as every desk generates them. */
export function registrySlots(file: DirectoryFile, dates: readonly string[], kind: 'primary' | 'narrow' = 'primary'): Slot[] {
  const org = file.organizations[0]!;
  const profile = getProfile(org.organization.profileId);
  const narrow = new Set(file.specialties.filter((s) => s.kind === 'narrow').map((s) => s.id));
  const doctors = new Map(org.doctors.filter((d) => d.active && narrow.has(d.specialtyId) === (kind === 'narrow')).map((d) => [d.id, d]));
  return org.templates
    .filter((t) => doctors.has(t.doctorId))
    .flatMap((template) =>
      generateDoctorSlots({
        template,
        exceptions: org.exceptions.filter((e) => e.doctorId === template.doctorId),
        specialtyId: doctors.get(template.doctorId)!.specialtyId,
        dates,
        profile,
        timezone: org.organization.timezone,
      }),
    )
    .filter((s) => s.channel === 'registry' && !s.blocked);
}

/** A booking op's arguments as a desk sends them: the appointment and its register-of-requests row. */
export function bookingArgs(orgId: string, slot: Slot, patientId: string, id: string, deviceTag: string, now: number) {
  const appointment: Appointment = {
    id,
    orgId,
    patientId,
    slotId: slot.id,
    doctorId: slot.doctorId,
    specialtyId: slot.specialtyId,
    date: slot.date,
    time: slot.time,
    startUtc: slot.startUtc,
    status: 'booked',
    channel: 'registry',
    referralId: null,
    replacesId: null,
    ticketCode: `${deviceTag}${id.slice(-6)}`,
    queueNumber: 1,
    liveQueue: false,
    createdAt: now,
    createdBy: 'u',
    deviceId: deviceTag,
    visitReason: 'illness',
  };
  return {
    appointment,
    preventive: false,
    mode: 'tentative',
    register: {
      id: `r-${id}`,
      at: now,
      patientId,
      applicant: 'Абдыкадырова Чолпон Эрлановна',
      specialtyId: slot.specialtyId,
      doctorId: slot.doctorId,
      channel: 'registry',
      result: 'booked',
      reason: null,
      appointmentId: id,
      appointedAt: slot.startUtc,
      userId: 'u',
      deviceId: deviceTag,
    },
  };
}
