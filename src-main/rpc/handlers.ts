import { AppError } from '../../src-shared/rpc/errors.js';
import { translate } from '../../src-shared/i18n/index.js';
import { cardListLines, doctorListLines } from '../../src-shared/print/day-list-layout.js';
import { PrinterService } from '../print/printer-service.js';
import { renderLines } from '../print/render-ticket.js';
import { stmt } from '../db/stmt.js';
import { checkIn, checkInByScan, book, cancel, fulfil, move, noShow, restore } from '../services/booking.js';
import { settleOnline } from '../services/online-booking.js';
import { dayLists } from '../services/day-lists.js';
import { listTasks, rebookFromTask, resolveTask } from '../services/tasks.js';
import { enterAbsence, listAbsences } from '../services/absences.js';
import { changeOwnPassword, listAccounts, saveAccount } from '../services/accounts.js';
import { serverVerdict } from '../services/server-verdict.js';
import { doctorSchedules, saveDoctor, saveTemplate, setQuota } from '../services/schedule-edits.js';
import { listAppointments } from '../services/appointment-views.js';
import { clinicToday } from '../services/clinic-time.js';
import { findPatients, patientCard, registerPatient, similarPatients, updatePatientContacts } from '../services/patients.js';
import { exportRegister } from '../services/register-export.js';
import { exportReport } from '../services/report-export.js';
import { buildReport } from '../services/reports.js';
import { addToWaitingList, answerWaitingOffer, listWaiting, removeFromWaitingList } from '../services/waiting-list.js';
import { listHomeVisits, requestHomeVisit, setHomeVisitStatus } from '../services/home-visits.js';
import { issueReferral } from '../services/referrals.js';
import { listRegister, recordOutOfSchedule, refuseManually } from '../services/register.js';
import { daySlots, searchSlots } from '../services/slots.js';
import { ticketFor } from '../services/tickets.js';
import type { Actor, Env } from '../services/env.js';
import type { HandlerCtx, Handlers } from './router.js';
import { SyncError } from '../sync/server-client.js';
import { Kiosk } from '../services/kiosk.js';
import { journal } from '../services/journal.js';
import { randomUUID } from 'node:crypto';

/** One kiosk per desk (its identification count lives with it). */
const kiosks = new WeakMap<Env, Kiosk>();
const kioskOf = (env: Env): Kiosk => {
  const k = kiosks.get(env) ?? new Kiosk(env);
  kiosks.set(env, k);
  return k;
};
/** The kiosk's own screen: this PC's window or its loopback address, never another PC of the LAN. */
const ON_THIS_PC = new Set(['local', '127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The router checked the session for every non-public method; this narrows the type. */
/** A desk that is not enrolled: standalone, its replica is the authority. */
const NOT_ENROLLED = (c: HandlerCtx) => ({
  enrolled: false,
  online: false,
  pending: 0,
  conflicts: 0,
  openTasks: (stmt(c.env.db.sqlite, "SELECT count(*) AS n FROM tasks WHERE status = 'open'").get() as { n: number }).n,
  lastSyncAt: null,
  lastError: null,
  clockOffsetMs: null,
  registerAgeMs: null,
});

const who = (c: HandlerCtx): Actor => {
  if (!c.actor) throw new AppError('unauthenticated');
  return c.actor;
};

/** A desk that runs is set up: the first-run wizard's methods only say so. */
const SET_UP = { state: 'ready' as const, progress: null, error: null, deviceName: '' };

export const handlers: Handlers = {
  'setup.status': () => SET_UP,
  'setup.enroll': () => {
    throw new AppError('already_set_up');
  },
  'setup.demo': () => {
    throw new AppError('already_set_up');
  },
  'auth.signIn': (i, c) => c.sessions.signIn(i.username, i.password, i.lang, c.address),
  'auth.signOut': (_i, c) => {
    if (c.token) c.sessions.signOut(c.token);
    return { ok: true as const };
  },
  'auth.me': (_i, c) => c.sessions.get(c.token)!.user,
  'auth.changePassword': async (i, c) => {
    const key = await changeOwnPassword(c.env, who(c), i.current, i.next);
    if (c.token) c.sessions.passwordChanged(c.token, key);
    return { ok: true as const };
  },
  'directory.get': (_i, { env }) => {
    const { today, horizonEnd } = clinicToday(env);
    return {
      organization: env.org,
      departments: [...env.directory.departments.values()],
      specialties: [...env.directory.specialties.values()],
      doctors: [...env.directory.doctors.values()],
      profile: {
        id: env.profile.id,
        refusalReasons: [...env.profile.refusalReasons],
        notAttachedGround: env.profile.refusalGrounds.not_attached ?? null,
        nationalIdKinds: [...env.profile.nationalIdKinds],
        maxInternetPercent: Math.round(env.profile.maxInternetShare * 100),
        maxWaitMinutes: env.profile.maxWaitMinutes,
      },
      today,
      horizonEnd,
      device: env.device,
    };
  },
  'patients.find': (i, { env }) => findPatients(env, i.query, i.offset),
  'patients.register': (i, c) => registerPatient(c.env, who(c), i),
  'patients.similar': (i, { env }) => similarPatients(env, i),
  'patients.update': (i, c) => updatePatientContacts(c.env, who(c), i.patientId, i),
  'patients.get': (i, { env }) => patientCard(env, i.patientId),
  'slots.search': (i, c) => searchSlots(c.env, i, who(c)),
  'slots.day': (i, { env }) => daySlots(env, i),
  'appointments.book': (i, c) => settleOnline(c.env, who(c), book(c.env, who(c), i), c.sync),
  'appointments.cancel': (i, c) => cancel(c.env, who(c), i.appointmentId, i.channel),
  'appointments.restore': (i, c) => restore(c.env, who(c), i.appointmentId),
  'appointments.move': (i, c) => settleOnline(c.env, who(c), move(c.env, who(c), i.appointmentId, i.slotId), c.sync),
  'appointments.checkIn': (i, c) => checkIn(c.env, who(c), i.appointmentId),
  'appointments.noShow': (i, c) => noShow(c.env, who(c), i.appointmentId),
  'appointments.fulfil': (i, c) => fulfil(c.env, who(c), i.appointmentId),
  'hall.ask': async (i, c) => {
    if (!c.hall) throw new AppError('not_found');
    try {
      return await c.hall.ask(who(c), i);
    } catch (e) {
      // The hall's desk says why in a word; the person reads it in their language.
      if (e instanceof AppError && e.code === 'hall_refused') throw new AppError('hall_refused', { reason: translate(c.lang, `hall.refusal.${e.params?.reason ?? 'signature'}`) });
      throw e;
    }
  },
  'kiosk.start': (i, c) => {
    const own = ON_THIS_PC.has(c.address) ? c.sessions.openOwn(i.lang) : null;
    if (!own) throw new AppError('forbidden');
    return own;
  },
  'kiosk.exit': (_i, c) => {
    if (!c.sessions.kioskExit) return { closed: false };
    // After the answer has left: the window goes with the process.
    setTimeout(c.sessions.kioskExit, 200);
    return { closed: true };
  },
  'kiosk.identify': (i, c) => kioskOf(c.env).identify(i.code),
  'kiosk.checkIn': (i, c) => {
    kioskOf(c.env).mustBeTheirs(i.patientId, i.appointmentId);
    const a = checkIn(c.env, who(c), i.appointmentId);
    return { liveQueue: a.liveQueue, queueNumber: a.queueNumber, cabinet: a.cabinet, floor: a.floor, time: a.time };
  },
  'kiosk.print': (i, c) => {
    kioskOf(c.env).mustBeTheirs(i.patientId, i.appointmentId);
    return { jobId: c.printer.printTicket(who(c), i.appointmentId).jobId };
  },
  'kiosk.specialties': (i, c) => searchSlots(c.env, { patientId: i.patientId, channel: 'kiosk' }, who(c)).specialtyFree,
  'kiosk.times': (i, c) => kioskOf(c.env).times(who(c), i.patientId, i.specialtyId),
  'kiosk.help': async (i, c) => {
    const id = randomUUID();
    journal(c.env, who(c), { name: 'tasks.help', args: { id, patientId: i.patientId } }, { entity: 'task', entityId: id });
    const lan = (await c.hall?.help(who(c), id, i.patientId)) ?? false;
    // Sent: over the LAN now, or to the server with the next sync (the op waits in the outbox while the link is down).
    return { sent: lan || c.env.online() };
  },
  'kiosk.wait': (i, c) => {
    const { today, horizonEnd } = clinicToday(c.env);
    addToWaitingList(c.env, who(c), { patientId: i.patientId, specialtyId: i.specialtyId, doctorId: null, fromDate: today, toDate: horizonEnd, part: 'any', channel: 'kiosk' });
    return { until: horizonEnd };
  },
  'kiosk.book': async (i, c) => {
    const done = await settleOnline(c.env, who(c), book(c.env, who(c), { patientId: i.patientId, slotId: i.slotId, channel: 'kiosk', preventive: false }), c.sync);
    // The ticket is on the screen whatever the printer does (P16: it is optional).
    let printed = false;
    try {
      c.printer.printTicket(who(c), done.appointment.id);
      printed = true;
    } catch {}
    return { ticket: done.ticket, printed };
  },
  'appointments.day': (i, { env }) => {
    const date = i.date ?? clinicToday(env).today;
    return i.doctorId
      ? listAppointments(env, "a.date = ? AND a.doctor_id = ? AND a.status != 'cancelled' ORDER BY a.time", date, i.doctorId)
      : listAppointments(env, "a.date = ? AND a.status != 'cancelled' ORDER BY a.time, a.doctor_id", date);
  },
  'register.list': (i, { env }) => listRegister(env, i),
  'register.export': (i, c) => exportRegister(c.env, c.lang, i, i.format),
  'reports.get': (i, { env }) => buildReport(env, i),
  'reports.export': (i, c) => exportReport(c.env, c.lang, i, i.format),
  'visits.outOfSchedule': (i, c) => recordOutOfSchedule(c.env, who(c), i),
  'referrals.issue': (i, c) => issueReferral(c.env, who(c), i),
  'homeVisits.request': (i, c) => requestHomeVisit(c.env, who(c), i),
  'homeVisits.setStatus': (i, c) => setHomeVisitStatus(c.env, who(c), i.id, i.status),
  'homeVisits.list': (i, { env }) => listHomeVisits(env, i),
  'waiting.list': (i, { env }) => listWaiting(env, i),
  'waiting.add': (i, c) => addToWaitingList(c.env, who(c), i),
  'waiting.remove': (i, c) => removeFromWaitingList(c.env, who(c), i.id),
  'waiting.answer': (i, c) => answerWaitingOffer(c.env, who(c), i.id, i.slotId, i.answer),
  'visits.outOfScheduleList': (i, { env }) => listRegister(env, { from: i.date, to: i.date, result: 'out_of_schedule', limit: 500 }),
  'register.refuse': (i, c) => refuseManually(c.env, who(c), i),
  'tickets.get': (i, { env }) => ticketFor(env, i.appointmentId),
  'tickets.print': (i, c) => c.printer.printTicket(who(c), i.appointmentId),
  'appointments.checkInByScan': (i, c) => checkInByScan(c.env, who(c), i.scan),
  'dayLists.get': (i, { env }) => dayLists(env, i.date),
  'dayLists.print': (i, c) => {
    const lists = dayLists(c.env, i.date);
    const { settings, profile } = c.printer.target();
    const lines = i.which === 'cards' ? cardListLines(lists, settings.ticketLang, profile.columns) : doctorListLines(lists, i.doctorId, settings.ticketLang, profile.columns);
    return c.printer.printBytes(who(c), `day_list_${i.which}`, renderLines(lines, profile));
  },
  'printer.profiles': () => PrinterService.profiles(),
  'sync.status': (_i, c) => c.sync?.status() ?? NOT_ENROLLED(c),
  'sync.now': async (_i, c) => {
    await c.sync?.syncOnce();
    return c.sync?.status() ?? NOT_ENROLLED(c);
  },
  'sync.enrollAgain': async (i, c) => {
    if (!c.sync?.refused) throw new AppError('already_set_up');
    try {
      await c.sync.enrollAgain(i.code);
    } catch (e) {
      if (e instanceof SyncError) throw new AppError(e.kind === 'unauthorized' || e.kind === 'refused' ? 'enroll_refused' : 'server_unreachable');
      throw e;
    }
    return c.sync.status();
  },
  'tasks.list': (i, { env }) => listTasks(env, i.status),
  'schedule.enterAbsence': async (i, c) => {
    const absence = enterAbsence(c.env, who(c), i);
    return { ...absence, verdict: await serverVerdict(c.env, c.sync, 'schedule.absence', absence.id) };
  },
  'directory.saveDoctor': async (i, c) => {
    const { id } = saveDoctor(c.env, who(c), i);
    return { id, verdict: await serverVerdict(c.env, c.sync, 'directory.doctor', id) };
  },
  'schedule.saveTemplate': async (i, c) => {
    const saved = saveTemplate(c.env, who(c), i);
    return { ...saved, verdict: await serverVerdict(c.env, c.sync, 'schedule.template', saved.id) };
  },
  'schedule.setQuota': async (i, c) => {
    const { id } = setQuota(c.env, who(c), i);
    return { id, verdict: await serverVerdict(c.env, c.sync, 'schedule.quota', id) };
  },
  'schedule.doctors': (_i, { env }) => doctorSchedules(env),
  'accounts.list': (_i, { env }) => listAccounts(env),
  'accounts.save': async (i, c) => {
    const account = await saveAccount(c.env, who(c), i);
    const verdict = await serverVerdict(c.env, c.sync, 'accounts.put', account.id);
    return { account: listAccounts(c.env).find((a) => a.id === account.id) ?? account, verdict };
  },
  'schedule.listAbsences': (_i, { env }) => listAbsences(env),
  'tasks.resolve': (i, c) => {
    resolveTask(c.env, who(c), i.taskId, i.outcome);
    return { ok: true as const };
  },
  'tasks.rebook': (i, c) => settleOnline(c.env, who(c), rebookFromTask(c.env, who(c), i.taskId, i.slotId), c.sync),
  'printer.getSettings': (_i, c) => c.printer.settings(),
  'printer.saveSettings': (i, c) => c.printer.saveSettings(who(c), i),
  'printer.status': (_i, c) => c.printer.status(c.lang),
  'printer.testPage': (_i, c) => c.printer.testPage(who(c)),
  'printer.dismiss': (i, c) => {
    c.printer.queue.dismissUncertain(i.jobId);
    return { ok: true as const };
  },
};
