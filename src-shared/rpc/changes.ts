import { z } from 'zod';
import type { Method } from './contract.js';

/**
 * What the desk tells its windows has changed (issue 23 finding 12), so lists update the moment they change — a
 * booking on this desk's other window or a LAN PC, a row the sync brought from another desk, a call task — instead of
 * every screen asking again every few seconds. Coarse on purpose: a window reloads what it shows of a topic.
 */
export const TOPICS = ['bookings', 'patients', 'tasks', 'register', 'schedule', 'accounts', 'homeVisits', 'sync', 'printer', 'hall', 'waiting'] as const;
export type Topic = (typeof TOPICS)[number];
export const changeNotice = z.object({ topics: z.array(z.enum(TOPICS)).min(1) });
export type ChangeNotice = z.infer<typeof changeNotice>;

/** What each method that writes changes; a method not named here (a read) changes nothing. */
export const METHOD_CHANGES: Partial<Record<Method, readonly Topic[]>> = {
  'setup.enroll': TOPICS,
  'setup.demo': TOPICS,
  'accounts.save': ['accounts'],
  'auth.changePassword': ['accounts'],
  'patients.register': ['patients', 'register'],
  'patients.update': ['patients'],
  'appointments.book': ['bookings', 'register', 'sync'],
  'appointments.cancel': ['bookings', 'register', 'tasks', 'sync'],
  'appointments.move': ['bookings', 'register', 'tasks', 'sync'],
  'appointments.checkIn': ['bookings', 'sync'],
  'appointments.checkInByScan': ['bookings', 'sync'],
  'appointments.noShow': ['bookings', 'sync'],
  'appointments.fulfil': ['bookings', 'sync'],
  'appointments.restore': ['bookings', 'register', 'sync'],
  'register.refuse': ['register', 'sync'],
  'visits.outOfSchedule': ['bookings', 'register', 'sync'],
  'referrals.issue': ['patients', 'bookings', 'sync'],
  'homeVisits.request': ['homeVisits', 'register', 'sync'],
  'homeVisits.setStatus': ['homeVisits', 'sync'],
  'waiting.add': ['waiting', 'sync'],
  'waiting.remove': ['waiting', 'sync'],
  'waiting.answer': ['waiting', 'sync'],
  'hall.ask': ['hall'],
  'kiosk.checkIn': ['bookings', 'sync'],
  'kiosk.book': ['bookings', 'register', 'sync', 'printer'],
  'kiosk.print': ['printer'],
  'kiosk.help': ['tasks', 'sync'],
  'kiosk.wait': ['waiting', 'sync'],
  'tickets.print': ['printer'],
  'dayLists.print': ['printer'],
  'printer.saveSettings': ['printer'],
  'printer.testPage': ['printer'],
  'printer.dismiss': ['printer'],
  'sync.now': TOPICS,
  'sync.enrollAgain': TOPICS,
  'tasks.resolve': ['tasks', 'sync'],
  'tasks.rebook': ['tasks', 'bookings', 'register', 'sync'],
  'schedule.enterAbsence': ['schedule', 'bookings', 'tasks', 'sync'],
  'directory.saveDoctor': ['schedule', 'bookings', 'sync'],
  'schedule.saveTemplate': ['schedule', 'bookings', 'tasks', 'sync'],
  'schedule.setQuota': ['schedule', 'bookings', 'sync'],
};
