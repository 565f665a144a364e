import type { QueryClient } from '@tanstack/react-query';
import type { Topic } from '../../src-shared/rpc/changes.js';

/**
 * Every query's key, spelled once (issue 23 finding 12). The first element is the key's root: what a change notice
 * (TOPIC_ROOTS) or a screen's own write makes stale.
 */
export const qk = {
  setup: () => ['setup'] as const,
  directory: () => ['directory'] as const,
  patient: (patientId: string | null) => ['patient', patientId] as const,
  slotCounts: (patientId: string | null, channel: string, preventive: boolean) => ['slots', 'counts', patientId, channel, preventive] as const,
  slots: (specialtyId: string | null, patientId: string | null, channel: string) => ['slots', specialtyId, patientId, channel] as const,
  day: (doctorId: string | undefined, date: string | undefined, patientId: string | null, channel: string) => ['day', doctorId, date, patientId, channel] as const,
  today: (doctorId: string) => ['today', doctorId] as const,
  dayLists: (date: string | undefined) => ['today', 'lists', date] as const,
  outOfSchedule: (date: string) => ['outOfSchedule', date] as const,
  register: (filter: object) => ['register', filter] as const,
  report: (filter: object) => ['report', filter] as const,
  tasks: () => ['tasks'] as const,
  absences: () => ['absences'] as const,
  doctorSchedules: () => ['doctorSchedules'] as const,
  homeVisits: (date: string, doctorId: string) => ['homeVisits', date, doctorId] as const,
  waiting: (all: boolean) => ['waiting', all] as const,
  accounts: () => ['accounts'] as const,
  syncStatus: () => ['sync', 'status'] as const,
  printerStatus: () => ['printer', 'status'] as const,
  printerSettings: () => ['printer', 'settings'] as const,
  printerProfiles: () => ['printer', 'profiles'] as const,
};

type Root = ReturnType<(typeof qk)[keyof typeof qk]>[0];

/** Which queries a topic makes stale, by their keys' roots. */
export const TOPIC_ROOTS: Record<Topic, readonly Root[]> = {
  bookings: ['slots', 'day', 'today', 'outOfSchedule', 'patient', 'report'],
  patients: ['patient'],
  tasks: ['tasks'],
  register: ['register', 'report'],
  schedule: ['directory', 'absences', 'doctorSchedules', 'slots', 'day', 'today'],
  accounts: ['accounts'],
  homeVisits: ['homeVisits'],
  sync: ['sync'],
  printer: ['printer'],
  hall: ['today'],
  waiting: ['waiting'],
};

/** Mark what these topics cover stale: the queries on screen load again, the others when they are next shown. */
export function invalidate(qc: QueryClient, topics: readonly Topic[]): void {
  const roots = new Set(topics.flatMap((t) => TOPIC_ROOTS[t]));
  for (const root of roots) void qc.invalidateQueries({ queryKey: [root] });
}
