import { ACTIVE_SQL } from '../../src-shared/domain/enums.js';
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The desk's local replica. Tables the sync server owns carry `org_id` and
 * `server_seq` (the server's change sequence; null until the server has seen the row).
 * Instants are UTC epoch ms; `date`/`time` columns are clinic-local wall clock.
 */
const serverOwned = {
  orgId: text('org_id').notNull(),
  serverSeq: integer('server_seq'),
};

export const meta = sqliteTable('meta', { key: text('key').primaryKey(), value: text('value').notNull() });

export const regions = sqliteTable('regions', { id: text('id').primaryKey(), name: text('name').notNull(), serverSeq: integer('server_seq') });

export const organizations = sqliteTable('organizations', {
  id: text('id').primaryKey(),
  regionId: text('region_id').notNull(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  phone: text('phone').notNull(),
  profileId: text('profile_id').notNull(),
  timezone: text('timezone').notNull(),
  serverSeq: integer('server_seq'),
});

export const departments = sqliteTable('departments', {
  id: text('id').primaryKey(),
  ...serverOwned,
  name: text('name').notNull(),
  isFamilyGroup: integer('is_family_group', { mode: 'boolean' }).notNull(),
});

export const specialties = sqliteTable('specialties', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  nameRu: text('name_ru').notNull(),
  nameKy: text('name_ky').notNull(),
  /** Kazakh, where the directory has it. */
  nameKk: text('name_kk'),
  patientAges: text('patient_ages').notNull().default('all'),
  serverSeq: integer('server_seq'),
});

export const cabinets = sqliteTable('cabinets', {
  id: text('id').primaryKey(),
  ...serverOwned,
  number: text('number').notNull(),
  floor: integer('floor').notNull(),
});

export const doctors = sqliteTable('doctors', {
  id: text('id').primaryKey(),
  ...serverOwned,
  departmentId: text('department_id')
    .notNull()
    .references(() => departments.id),
  specialtyId: text('specialty_id')
    .notNull()
    .references(() => specialties.id),
  cabinetId: text('cabinet_id')
    .notNull()
    .references(() => cabinets.id),
  fullName: text('full_name').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
});

export const scheduleTemplates = sqliteTable('schedule_templates', {
  id: text('id').primaryKey(),
  ...serverOwned,
  doctorId: text('doctor_id')
    .notNull()
    .references(() => doctors.id),
  validFrom: text('valid_from').notNull(),
  validTo: text('valid_to'),
  slotMinutes: integer('slot_minutes').notNull(),
  weekJson: text('week_json').notNull(),
});

export const scheduleExceptions = sqliteTable(
  'schedule_exceptions',
  {
    id: text('id').primaryKey(),
    ...serverOwned,
    doctorId: text('doctor_id')
      .notNull()
      .references(() => doctors.id),
    kind: text('kind').notNull(),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    intervalsJson: text('intervals_json'),
    note: text('note').notNull(),
    /** R7 internet quota: the share of the day's times the internet channel keeps (internet_quota only). */
    share: real('share'),
  },
  (t) => [index('exceptions_doctor').on(t.doctorId, t.fromDate)],
);

/**
 * Materialized slots over the horizon. `appointment_id` is the slot's holder: a
 * booking is a compare-and-set on it (`… WHERE appointment_id IS NULL`), and the
 * unique index makes one appointment hold at most one slot.
 */
export const slots = sqliteTable(
  'slots',
  {
    id: text('id').primaryKey(),
    ...serverOwned,
    doctorId: text('doctor_id')
      .notNull()
      .references(() => doctors.id),
    specialtyId: text('specialty_id').notNull(),
    date: text('date').notNull(),
    time: text('time').notNull(),
    startUtc: integer('start_utc').notNull(),
    endUtc: integer('end_utc').notNull(),
    channel: text('channel').notNull(),
    blocked: integer('blocked', { mode: 'boolean' }).notNull(),
    appointmentId: text('appointment_id'),
  },
  (t) => [
    // Covers the free-slot search (R25 counts) without touching the table rows.
    index('slots_search').on(t.specialtyId, t.startUtc, t.appointmentId, t.blocked, t.channel, t.doctorId, t.date, t.time),
    index('slots_doctor_day').on(t.doctorId, t.date, t.time),
    uniqueIndex('slots_holder').on(t.appointmentId),
  ],
);

export const patients = sqliteTable(
  'patients',
  {
    id: text('id').primaryKey(),
    ...serverOwned,
    nationalId: text('national_id').notNull(),
    nationalIdKind: text('national_id_kind').notNull(),
    fullName: text('full_name').notNull(),
    /** Lower-cased, ё→е: the key the name-prefix search runs on. */
    nameKey: text('name_key').notNull(),
    birthDate: text('birth_date').notNull(),
    sex: text('sex').notNull(),
    address: text('address').notNull(),
    phone: text('phone').notNull(),
    /** Last 9 digits of the phone, for lookup whatever the prefix typed. */
    phoneKey: text('phone_key').notNull(),
    attachedOrgId: text('attached_org_id'),
    attachedDepartmentId: text('attached_department_id'),
    attachedDoctorId: text('attached_doctor_id'),
    attachedSince: text('attached_since'),
    priority: integer('priority', { mode: 'boolean' }).notNull(),
  },
  (t) => [uniqueIndex('patients_national_id').on(t.nationalId), index('patients_name').on(t.nameKey), index('patients_phone').on(t.phoneKey)],
);

export const dispensary = sqliteTable(
  'dispensary',
  {
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    specialtyId: text('specialty_id').notNull(),
    since: text('since').notNull(),
  },
  (t) => [primaryKey({ columns: [t.patientId, t.specialtyId] })],
);

export const referrals = sqliteTable(
  'referrals',
  {
    id: text('id').primaryKey(),
    ...serverOwned,
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    specialtyId: text('specialty_id').notNull(),
    issuedByDoctorId: text('issued_by_doctor_id').notNull(),
    issuedAt: integer('issued_at').notNull(),
    validUntil: text('valid_until').notNull(),
    usedByAppointmentId: text('used_by_appointment_id'),
  },
  (t) => [index('referrals_patient').on(t.patientId, t.specialtyId)],
);

export const appointments = sqliteTable(
  'appointments',
  {
    id: text('id').primaryKey(),
    ...serverOwned,
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    slotId: text('slot_id').notNull(),
    doctorId: text('doctor_id').notNull(),
    specialtyId: text('specialty_id').notNull(),
    date: text('date').notNull(),
    time: text('time').notNull(),
    startUtc: integer('start_utc').notNull(),
    status: text('status').notNull(),
    channel: text('channel').notNull(),
    referralId: text('referral_id'),
    replacesId: text('replaces_id'),
    ticketCode: text('ticket_code').notNull(),
    queueNumber: integer('queue_number').notNull(),
    liveQueue: integer('live_queue', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    deviceId: text('device_id').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** `local` until the server has answered; then `confirmed`, or `conflict` when another desk got the slot first. */
    syncState: text('sync_state').notNull().default('local'),
    /**
     * How it was booked: `local` (a desk not enrolled with a server), `online` (sent to the server at once),
     * `guaranteed` (offline inside this desk's lease) or `tentative` (offline outside it: marked on the ticket).
     */
    mode: text('mode').notNull().default('local'),
    /** R14: illness, checkup, vaccination, certificate or other (004 App. 3 item 7). */
    visitReason: text('visit_reason').notNull().default('illness'),
  },
  (t) => [
    index('appointments_patient').on(t.patientId, t.startUtc),
    index('appointments_day').on(t.date, t.doctorId, t.time),
    // Not unique: codes are unique by construction (server-assigned prefixes, a counter that only moves
    // forward), but a pull must never fail on a clash it cannot undo — e.g. a ticket issued offline by a
    // desk restored from a backup, before it heard of the codes it issued after that backup.
    index('appointments_ticket').on(t.ticketCode),
    // Second guard against double booking, independent of the slot row. A booking the server
    // ruled a conflict stays on record but no longer counts as holding the slot.
    uniqueIndex('appointments_one_per_slot')
      .on(t.slotId)
      .where(sql`status IN ${sql.raw(ACTIVE_SQL)} AND sync_state != 'conflict'`),
  ],
);

export const registerEntries = sqliteTable(
  'register_entries',
  {
    id: text('id').primaryKey(),
    ...serverOwned,
    at: integer('at').notNull(),
    patientId: text('patient_id'),
    applicant: text('applicant').notNull(),
    specialtyId: text('specialty_id'),
    doctorId: text('doctor_id'),
    channel: text('channel').notNull(),
    result: text('result').notNull(),
    reason: text('reason'),
    rule: text('rule'),
    appointmentId: text('appointment_id'),
    appointedAt: integer('appointed_at'),
    userId: text('user_id').notNull(),
    deviceId: text('device_id').notNull(),
  },
  (t) => [index('register_at').on(t.at)],
);

export const tasks = sqliteTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    ...serverOwned,
    kind: text('kind').notNull(),
    patientId: text('patient_id').notNull(),
    appointmentId: text('appointment_id'),
    reason: text('reason').notNull(),
    status: text('status').notNull(),
    createdAt: integer('created_at').notNull(),
    /** The task as the server sent it (alternatives to offer, the lost booking…). */
    rowJson: text('row_json').notNull().default('{}'),
  },
  // Every booking shown says whether its call is open (appointment-views.ts): by key, not by scanning the list.
  (t) => [index('tasks_appointment').on(t.appointmentId, t.status)],
);

/** R24: home visits, the organization's (every desk and the doctors see them). */
export const homeVisits = sqliteTable(
  'home_visits',
  {
    id: text('id').primaryKey(),
    ...serverOwned,
    patientId: text('patient_id').notNull(),
    doctorId: text('doctor_id').notNull(),
    date: text('date').notNull(),
    address: text('address').notNull(),
    reason: text('reason').notNull(),
    callbackPhone: text('callback_phone').notNull(),
    status: text('status').notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    deviceId: text('device_id').notNull(),
  },
  (t) => [index('home_visits_day').on(t.date, t.doctorId)],
);

/** The waiting list (issue 21): the server's entries as pulled, and this desk's own until the server has them. */
export const waitingEntries = sqliteTable(
  'waiting_entries',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id').notNull(),
    specialtyId: text('specialty_id').notNull(),
    status: text('status').notNull(),
    createdAt: integer('created_at').notNull(),
    /** The whole entry (src-shared/domain/waiting-entry.ts), as the server last said or this desk predicts. */
    rowJson: text('row_json').notNull(),
  },
  (t) => [index('waiting_entries_status').on(t.status, t.createdAt)],
);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  fullName: text('full_name').notNull(),
  role: text('role').notNull(),
  doctorId: text('doctor_id'),
  /** The account's credential: its signing key sealed under the password (op-keys.ts), or — an account from before signed ops — a scrypt hash. */
  passwordHash: text('password_hash').notNull(),
  /** The account's public signing key (null: an account from before signed ops, until its person next signs in). */
  publicKey: text('public_key'),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  /** Whether the organization's server holds this account (false: this PC's own, e.g. a cabinet's doctor account). */
  shared: integer('shared', { mode: 'boolean' }).notNull().default(false),
});

/** Who did what, from which device (never synced away, never edited). */
export const audit = sqliteTable('audit', {
  id: text('id').primaryKey(),
  at: integer('at').notNull(),
  userId: text('user_id').notNull(),
  deviceId: text('device_id').notNull(),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  detail: text('detail').notNull(),
});

/** Operations waiting for the sync server, in device-sequence order (`seq`). */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    opId: text('op_id').notNull().unique(),
    hlc: text('hlc').notNull(),
    name: text('name').notNull(),
    args: text('args').notNull(),
    createdAt: integer('created_at').notNull(),
    status: text('status').notNull(),
    /** The op format this app version wrote (SYNC_SCHEMA_VERSION): an upgraded desk still sends its older queued ops as what they are. */
    schemaVersion: integer('schema_version').notNull().default(1),
    /** The row the op changes (a booking, a task, a register row): "is one of ours still pending on this row?" by key, not by searching JSON. */
    entityId: text('entity_id'),
    /** The server's word on the op (a refusal's code): what a management screen tells its user once the server answered. */
    detail: text('detail'),
    /** Who made the op, and their signature over it (op-keys.ts): the server attributes the op to this person only if it verifies. */
    userId: text('user_id'),
    signature: text('signature'),
  },
  (t) => [
    // The outbox keeps every op ever made; the sync engine and the pull's rebase look only at the pending ones.
    index('outbox_pending').on(t.status, t.seq),
    index('outbox_entity').on(t.entityId, t.status),
  ],
);

/**
 * Free slots per doctor-day and slot channel, kept by triggers on `slots` (migration
 * 0001), so the R25 counts read a few hundred rows instead of grouping tens of
 * thousands of slots. Triggers keep it right on every path that touches a slot —
 * booking, cancelling, materializing, and later sync — without services knowing.
 */
export const slotCounts = sqliteTable(
  'slot_counts',
  {
    doctorId: text('doctor_id').notNull(),
    date: text('date').notNull(),
    channel: text('channel').notNull(),
    specialtyId: text('specialty_id').notNull(),
    free: integer('free').notNull(),
  },
  (t) => [primaryKey({ columns: [t.doctorId, t.date, t.channel] }), index('slot_counts_specialty').on(t.specialtyId, t.date, t.doctorId, t.channel, t.free)],
);

/**
 * The desk's print queue. A job is rendered once, then sent; it is marked
 * `printing` before the bytes leave and `done` after, so a crash in between leaves
 * it `uncertain` — shown to the registrar, never resent on its own (a ticket
 * prints once; a deliberate reprint is a new job marked COPY).
 */
export const printJobs = sqliteTable(
  'print_jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    appointmentId: text('appointment_id'),
    copy: integer('copy', { mode: 'boolean' }).notNull(),
    status: text('status').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    printedAt: integer('printed_at'),
    userId: text('user_id').notNull(),
  },
  (t) => [index('print_jobs_status').on(t.status, t.nextAttemptAt), index('print_jobs_appointment').on(t.appointmentId)],
);

/** Slot leases as the server granted them (to this desk and to others): see src-shared/sync/leases.ts. */
export const leases = sqliteTable('leases', {
  slotId: text('slot_id').primaryKey(),
  deviceId: text('device_id').notNull(),
  /** The change-log sequence of the grant; a guaranteed booking cites it. */
  epoch: integer('epoch').notNull(),
});

/** Each device's lease expiry, in server time. */
export const leaseSets = sqliteTable('lease_sets', {
  deviceId: text('device_id').primaryKey(),
  expiresAt: integer('expires_at').notNull(),
  reclaimAfter: integer('reclaim_after').notNull(),
});

/** What the server's outbox told each patient (issue 20), as it publishes it: the patient card's "Messages". */
export const patientMessages = sqliteTable(
  'patient_messages',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id').notNull(),
    appointmentId: text('appointment_id'),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    channel: text('channel'),
    recipient: text('recipient'),
    segments: integer('segments'),
    text: text('text'),
    error: text('error'),
    at: integer('at').notNull(),
  },
  (t) => [index('patient_messages_patient').on(t.patientId, t.at)],
);

/** The clinic's cabinet PCs' own signing keys, as the server publishes them (issue 21): the hall's desk checks their calls. */
export const signers = sqliteTable('signers', {
  /** The server's id of the PC (what a removal names). */
  deviceId: text('device_id').primaryKey(),
  /** The PC's own install id: what its requests name. */
  installId: text('install_id').notNull(),
  doctorId: text('doctor_id'),
  userId: text('user_id').notNull(),
  publicKey: text('public_key').notNull(),
});

/**
 * The hall screen's calls (issue 21): what this desk called or was asked to call over the LAN, and the request that
 * asked (a request repeated after a lost answer gets the same call).
 */
export const hallCalls = sqliteTable(
  'hall_calls',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id').notNull().unique(),
    date: text('date').notNull(),
    appointmentId: text('appointment_id').notNull(),
    doctorId: text('doctor_id').notNull(),
    queueNumber: integer('queue_number').notNull(),
    cabinet: text('cabinet').notNull(),
    liveQueue: integer('live_queue', { mode: 'boolean' }).notNull(),
    kind: text('kind').notNull(),
    at: integer('at').notNull(),
    userId: text('user_id').notNull(),
  },
  (t) => [index('hall_calls_day').on(t.date, t.at), index('hall_calls_appointment').on(t.appointmentId)],
);
