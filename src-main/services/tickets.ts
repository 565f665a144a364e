import type { Ticket } from '../../src-shared/domain/appointment.js';
import { maskNationalId } from '../../src-shared/ids/index.js';
import { ageOn } from '../../src-shared/time/dates.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import { getAppointment } from './appointment-views.js';
import type { Env } from './env.js';

/** 004 App. 3 item 6: "child (0–14 inclusive), adult (15 and over)". */
const CHILD_TICKET_MAX_AGE = 14;

/** R14: everything the ticket shows, from the local replica. */
export function ticketFor(env: Env, appointmentId: string): Ticket {
  const a = getAppointment(env, appointmentId);
  if (!a) throw new AppError('not_found');
  const doctor = env.directory.doctor(a.doctorId);
  const dep = doctor ? env.directory.departments.get(doctor.departmentId) : undefined;
  const spec = env.directory.specialties.get(a.specialtyId);
  return {
    appointmentId: a.id,
    code: a.ticketCode,
    queueNumber: a.queueNumber,
    organization: env.org.name,
    department: dep?.name ?? '',
    address: env.org.address,
    doctorName: a.doctorName,
    specialty: spec?.name ?? { ru: '', ky: '' },
    cabinet: a.cabinet,
    floor: a.floor,
    date: a.date,
    time: a.time,
    patientName: a.patientName,
    patientIdMasked: maskNationalId(a.patientNationalId),
    ageGroup: ageOn(a.patientBirthDate, a.date) <= CHILD_TICKET_MAX_AGE ? 'child' : 'adult',
    visitReason: a.visitReason,
    issuedAt: a.createdAt,
    status: a.status,
    tentative: a.mode === 'tentative' && a.syncState !== 'confirmed',
  };
}
