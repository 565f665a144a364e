import type { Ticket } from '../../src-shared/domain/appointment.js';
import { maskNationalId } from '../../src-shared/ids/index.js';
import { AppError } from '../../src-shared/rpc/errors.js';
import { getAppointment } from './appointment-views.js';
import type { Env } from './env.js';

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
    issuedAt: a.createdAt,
    status: a.status,
    tentative: a.mode === 'tentative' && a.syncState !== 'confirmed',
  };
}
