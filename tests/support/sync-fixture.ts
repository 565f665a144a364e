import type { Appointment } from '../../src-shared/domain/appointment.js';
import { SYNC_SCHEMA_VERSION } from '../../src-shared/sync/protocol.js';
import { createEnrollmentCode, type EnrollAs } from '../../sync-server/auth/enrollment.js';
import { organizations, orgRows } from '../../sync-server/db/schema.js';
import type { ServerDb } from '../../sync-server/db/connect.js';
import type { Logger } from '../../sync-server/log.js';
import { startServer, type Backend, type Backends } from './server.js';
import { enrollRaw, fixtureAccounts, signedBy } from './signing.js';

/** Monday 23 Nov 2026, 09:00 in Bishkek. */
export const NOW = Date.parse('2026-11-23T03:00:00Z');
const week = [{ from: '08:00', to: '12:00', channel: 'registry' }];
const doctor = (id: string) => ({ id, orgId: 'org-a', departmentId: 'gsv', specialtyId: 'family', cabinetId: 'c1', fullName: id, active: true });
const template = (doctorId: string) => ({ id: `t-${doctorId}`, doctorId, validFrom: '2026-01-01', validTo: null, slotMinutes: 20, week: { '1': week, '2': week, '3': week, '4': week, '5': week } });

let apptN = 0;
/** Patients pat-1 … pat-300 are attached to each organization of the fixture. */
const PATIENTS = 300;
const patient = (id: string, orgId: string) => ({
  id,
  nationalId: `2${String(apptN).padStart(13, '0')}`,
  nationalIdKind: 'KG_PIN',
  fullName: id,
  birthDate: '1990-01-01',
  sex: 'male',
  address: '',
  phone: '',
  attachment: { orgId, departmentId: 'gsv', doctorId: null, since: '2020-01-01' },
  dispensarySpecialtyIds: [],
  priority: false,
});
/** A booking of doc-1 (by default) on Tuesday 24 Nov at `slotTime`, as a desk would push it. */
export const appointment = (slotTime: string, doctorId = 'doc-1', orgId = 'org-a'): Appointment => ({
  id: `appt-${++apptN}`,
  orgId,
  patientId: `pat-${(apptN % PATIENTS) + 1}`,
  slotId: `${doctorId}@2026-11-24T${slotTime}`,
  doctorId,
  specialtyId: 'family',
  date: '2026-11-24',
  time: slotTime,
  startUtc: Date.parse(`2026-11-24T${slotTime}:00+06:00`),
  status: 'booked',
  channel: 'registry',
  referralId: null,
  replacesId: null,
  ticketCode: `T${String(apptN).padStart(6, '0')}`,
  queueNumber: 1,
  liveQueue: false,
  createdAt: NOW,
  createdBy: 'u',
  deviceId: 'd',
  visitReason: 'illness',
});

/** A booking of the time a slot id names (`doc-1@2026-11-25T08:20`), consistent in doctor, date, time and start. */
export const appointmentOf = (slotId: string, orgId = 'org-a'): Appointment => {
  const [, doctorId, date, time] = /^(.+)@(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(slotId)!;
  return { ...appointment(time!, doctorId!, orgId), slotId, date: date!, startUtc: Date.parse(`${date}T${time}:00+06:00`) };
};

/** Organizations org-a (doctors doc-1, doc-2) and org-b (doc-9): registry 08:00–12:00 on weekdays, 20-minute slots; patients pat-1…pat-300 attached to each. */
export async function seedOrgs(db: ServerDb): Promise<void> {
  await db
    .insert(organizations)
    .values([
      { id: 'org-a', regionId: 'r', name: 'A', address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' },
      { id: 'org-b', regionId: 'r', name: 'B', address: '', phone: '', profileId: 'KG', timezone: 'Asia/Bishkek' },
    ])
    .onConflictDoNothing();
  const staff: Array<[string, string]> = [
    ['org-a', 'doc-1'],
    ['org-a', 'doc-2'],
    ['org-b', 'doc-9'],
  ];
  await db.insert(orgRows).values([
    ...staff.map(([org, d]) => ({ orgId: org, entity: 'doctor', id: d, row: { ...doctor(d), orgId: org } })),
    ...staff.map(([org, d]) => ({ orgId: org, entity: 'template', id: `t-${d}`, row: template(d) })),
    ...['org-a', 'org-b'].map((org) => ({ orgId: org, entity: 'specialty', id: 'family', row: { id: 'family', kind: 'family', name: { ru: 'Семейный врач', ky: 'Үй-бүлөлүк дарыгер' } } })),
    // The staff whose keys raw pushes are signed with (signing.ts).
    ...['org-a', 'org-b'].flatMap((org) => fixtureAccounts().map((a) => ({ orgId: org, entity: 'account', id: a.id, row: a }))),
  ]);
  for (const org of ['org-a', 'org-b']) {
    await db.insert(orgRows).values(Array.from({ length: PATIENTS }, (_, i) => ({ orgId: org, entity: 'patient', id: `pat-${i + 1}`, row: patient(`pat-${i + 1}`, org) })));
  }
}

/**
 * A real sync server over HTTP on a fresh database seeded with `seedOrgs`, and
 * raw protocol helpers. `clock` lets a test move the server's time.
 */
export async function syncFixture(backends: Backends, kind: Backend, clock: () => number = () => NOW, log?: Logger) {
  if (!(await backends.available(kind))) throw new Error(`${kind} unavailable: install PostgreSQL 15 binaries`);
  const database = await backends.database(kind);
  await seedOrgs(database.db);
  const server = await startServer(database, { clock, ...(log ? { log } : {}) });
  const enrollDesk = async (org: string, as?: EnrollAs) => enrollRaw(server.url, await createEnrollmentCode(database.db, org, clock(), 72, as));
  const auth = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
  /** Ops as the desk of `token` sends them, signed by the person their arguments name (else the registrar `u`), or by `o.userId`. */
  const push = async (token: string, ops: Array<{ seq: number; name: string; args: unknown; userId?: string }>, schemaVersion = SYNC_SCHEMA_VERSION) => {
    const res = await fetch(`${server.url}/sync/push`, {
      method: 'POST',
      headers: auth(token),
      body: JSON.stringify({ schemaVersion, ops: ops.map(({ userId, ...o }) => signedBy(token, { ...o, opId: `${token.slice(0, 6)}-${o.seq}`, hlc: `${NOW}-00000-x` }, userId)) }),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  const pull = async (token: string, cursor = 0, limit = 1000) =>
    (await (await fetch(`${server.url}/sync/pull?cursor=${cursor}&limit=${limit}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
  /** A lease renewal, numbered as a desk numbers it (or not, as desks before issue 25 did). */
  const leases = async (token: string, renewal?: number) =>
    (await (await fetch(`${server.url}/sync/leases`, { method: 'POST', headers: auth(token), body: JSON.stringify(renewal === undefined ? {} : { renewal }) })).json()) as any;
  return {
    database,
    server,
    enrollDesk,
    push,
    pull,
    leases,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}

/** Push one op as the desk's engine does: again and again until the server answers it (a 200 carrying its result). */
export async function pushUntilAnswered(url: string, token: string, op: { seq: number }, onStatus: (status: number) => void = () => undefined): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, ops: [signedBy(token, op as { seq: number; opId: string; name: string; args: unknown })] }),
    }).catch(() => null);
    if (res) onStatus(res.status);
    if (res?.status === 200 && ((await res.json()) as { results: Array<{ seq: number }> }).results.some((r) => r.seq === op.seq)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}
