import { ACTIVE_SQL } from '../../src-shared/domain/enums.js';
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The central database. Every organization-owned table carries `org_id`, and every
 * transaction touches one organization, so the schema distributes by `org_id`
 * (Citus) when one server is not enough. Instants are UTC epoch ms (bigint).
 */
const ms = (name: string) => bigint(name, { mode: 'number' });

export const regions = pgTable('regions', { id: text('id').primaryKey(), name: text('name').notNull() });

export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  regionId: text('region_id').notNull(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  phone: text('phone').notNull(),
  profileId: text('profile_id').notNull(),
  timezone: text('timezone').notNull(),
  /** Bumped by every import that changed the directory: server processes reload their copy of the rules' facts when it moves. */
  directoryVersion: bigint('directory_version', { mode: 'number' }).notNull().default(0),
  /**
   * The organization's place in its region's staged rollout (R23): the order in which clinics came to this server, so a
   * clinic imported later always takes its turn after the others and never pushes one out of a day it was given.
   */
  rolloutOrder: bigserial('rollout_order', { mode: 'number' }).notNull(),
  /**
   * This organization's history as the server holds it: renewed by `after-restore` when the database came back from a
   * backup, so every desk knows the server forgot what came after it — the desk pulls everything again and re-sends
   * the ops the server no longer has.
   */
  historyId: text('history_id').notNull().default(sql`md5(random()::text)`),
});

export const specialties = pgTable('specialties', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  nameRu: text('name_ru').notNull(),
  nameKy: text('name_ky').notNull(),
});

/**
 * Organization-owned records the server stores but does not interpret beyond org,
 * entity and id: the directory (departments, doctors, schedules, the register of
 * attached patients…) and the register of requests. Desks receive them by pull.
 */
export const orgRows = pgTable(
  'org_rows',
  {
    orgId: text('org_id').notNull(),
    entity: text('entity').notNull(),
    id: text('id').notNull(),
    row: jsonb('row').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.entity, t.id] }),
    // The waiting list's live entries (issue 21), found by every push's look and every sweep without reading the
    // organizations' patients: a partial index of the few rows that are still waiting or holding an offer.
    index('org_rows_waiting_live').on(t.orgId).where(sql`${t.entity} = 'waiting_entry' AND (${t.row} ->> 'status') IN ('waiting', 'offered')`),
  ],
);

export const devices = pgTable(
  'devices',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    name: text('name').notNull(),
    /** SHA-256 of the device token: a leaked database does not leak tokens. */
    tokenHash: text('token_hash').notNull(),
    createdAt: ms('created_at').notNull(),
    revokedAt: ms('revoked_at'),
    /** The last device sequence number whose op the server processed (push order, gaps stop). */
    lastAppliedSeq: integer('last_applied_seq').notNull().default(0),
    lastSeenAt: ms('last_seen_at'),
    clockSuspect: boolean('clock_suspect').notNull().default(false),
    /** `desk` (a registry front desk) or `cabinet` (a doctor's PC: leases that doctor's repeat-visit slots). */
    kind: text('kind').notNull().default('desk'),
    doctorId: text('doctor_id'),
    /**
     * The three letters that start this device's ticket codes, assigned by the server and unique within
     * the organization (null only for a device enrolled before prefixes were assigned, until it next syncs).
     */
    ticketPrefix: text('ticket_prefix'),
    /** What the desk last said it runs (its sync and update calls carry both): the installer's console shows them. */
    appVersion: text('app_version'),
    osVersion: text('os_version'),
    /** What the desk last reported of itself (uploads waiting, conflicts, printer, clock offset, last error), with when. */
    status: jsonb('status'),
    /**
     * The desk install this device is (the id it keeps in its own database, the same after enrolling again): every op's
     * signature covers it, so an op copied to another PC's token does not verify. Null only for a device enrolled
     * before installs were recorded, until its first push names it.
     */
    installId: text('install_id'),
    /** A cabinet PC's own doctor account (`{userId, publicKey}`): the key that PC's doctor signs with (null: none yet). */
    signer: jsonb('signer'),
    /** The last ticket number issued under this device's prefix by the server itself (the booking API's device of a clinic). */
    ticketSeq: integer('ticket_seq').notNull().default(0),
  },
  (t) => [uniqueIndex('devices_token').on(t.tokenHash), uniqueIndex('devices_org_prefix').on(t.orgId, t.ticketPrefix)],
);

/**
 * Desk releases the server hands out as electron-updater's `generic` feed (issue 12). The files
 * themselves lie in the releases folder; here, what each release is and who may see it when.
 */
export const releases = pgTable(
  'releases',
  {
    /** `win` or `linux`: which channel file (latest.yml, latest-linux.yml) it is served as. */
    platform: text('platform').notNull(),
    version: text('version').notNull(),
    /** The channel file as electron-builder wrote it (version, files with sha512 and size, release date). */
    channelFile: text('channel_file').notNull(),
    /** The files it serves: the installer and its blockmap, each with its sha512 and size. */
    files: jsonb('files').notNull(),
    /** The oldest OS version it runs on (Electron 45: Windows 10 = 10.0); null: any. */
    minOs: text('min_os'),
    /** R23: per region, its window (updates/rollout.ts regionWindow: opening, pace, share of PCs, open/paused/rolled back). */
    rollout: jsonb('rollout').notNull(),
    paused: boolean('paused').notNull().default(false),
    publishedAt: ms('published_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.version] })],
);

/** What installers did to rollouts in the console (issue 24 finding 5): who, when, which release, which region, what. */
export const rolloutActions = pgTable('rollout_actions', {
  id: text('id').primaryKey(),
  /** The order they were done in (several in one millisecond of the clock). */
  n: bigserial('n', { mode: 'number' }).notNull(),
  at: ms('at').notNull(),
  installer: text('installer').notNull(),
  platform: text('platform').notNull(),
  version: text('version').notNull(),
  regionId: text('region_id').notNull(),
  /** window, pause, resume, rollback */
  action: text('action').notNull(),
  detail: text('detail').notNull(),
});

export const enrollmentCodes = pgTable('enrollment_codes', {
  codeHash: text('code_hash').primaryKey(),
  orgId: text('org_id').notNull(),
  createdAt: ms('created_at').notNull(),
  expiresAt: ms('expires_at').notNull(),
  usedAt: ms('used_at'),
  usedByDevice: text('used_by_device'),
  /** The desk install that redeemed the code: it alone may redeem it again if the answer never reached it. */
  usedByInstall: text('used_by_install'),
  deviceKind: text('device_kind').notNull().default('desk'),
  doctorId: text('doctor_id'),
});

/** A device's leases share one expiry, renewed while it is online (one row per device). */
export const leaseSets = pgTable('lease_sets', {
  deviceId: text('device_id').primaryKey(),
  orgId: text('org_id').notNull(),
  expiresAt: ms('expires_at').notNull(),
  /** expires_at + the clinic's grace: until then nobody else may be granted or book these slots. */
  reclaimAfter: ms('reclaim_after').notNull(),
  /**
   * The number of the device's latest renewal carried out: a renewal numbered no higher (a request
   * delayed or replayed by the network) changes nothing, for the desk already trusts what came after it.
   */
  renewal: ms('renewal').notNull().default(0),
});

/**
 * At most one lease per slot (the primary key). `epoch` is the change-log
 * sequence of the grant: a booking citing it is honoured while the row still
 * carries it. A slot whose holder is past expiry + grace may be granted again.
 */
export const slotLeases = pgTable(
  'slot_leases',
  {
    orgId: text('org_id').notNull(),
    slotId: text('slot_id').notNull(),
    deviceId: text('device_id').notNull(),
    epoch: ms('epoch').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.slotId] }), index('slot_leases_device').on(t.deviceId)],
);

/**
 * The server's index of bookings: what the rules check (slot, status, sync state). A booking
 * that lost its slot stays, as `sync_state = 'conflict'`. Its full row is stored once, in its
 * latest change-log entry (`server_seq`): each accepted booking writes its JSON once.
 */
export const appointments = pgTable(
  'appointments',
  {
    id: text('id').notNull(),
    orgId: text('org_id').notNull(),
    patientId: text('patient_id').notNull(),
    slotId: text('slot_id').notNull(),
    status: text('status').notNull(),
    syncState: text('sync_state').notNull(),
    serverSeq: ms('server_seq').notNull(),
  },
  (t) => [
    // Ids are the organization's: an id used in another clinic is no answer about this one (and no oracle across clinics).
    primaryKey({ columns: [t.orgId, t.id] }),
    // The guarantee: two confirmed bookings of one slot cannot both exist, whatever the devices did offline.
    uniqueIndex('appointments_one_per_slot')
      .on(t.orgId, t.slotId)
      .where(sql`status IN ${sql.raw(ACTIVE_SQL)} AND sync_state = 'confirmed'`),
    // A patient's bookings: what R10's no-show block and R11's daily limit read for an electronic booking.
    index('appointments_patient').on(t.orgId, t.patientId),
  ],
);

/**
 * R5: which booking a referral was spent on. One row per referral (the primary key is the
 * guarantee: two bookings cannot spend one referral, whatever the desks did offline); a
 * cancellation gives it back. Only bookings the rules required a referral for spend one.
 */
export const referralUses = pgTable(
  'referral_uses',
  {
    orgId: text('org_id').notNull(),
    referralId: text('referral_id').notNull(),
    appointmentId: text('appointment_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.referralId] }), index('referral_uses_by_appointment').on(t.orgId, t.appointmentId)],
);

/** Call-the-patient tasks (conflicts, quarantined ops). */
export const tasks = pgTable('tasks', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  kind: text('kind').notNull(),
  status: text('status').notNull(),
  row: jsonb('row').notNull(),
  serverSeq: ms('server_seq').notNull(),
});

/**
 * Idempotency: the stored result of every op a device pushed (a repeat gets it back), and
 * the results a pull hands the device (by `server_seq`, the op's place in the change log's order).
 */
export const opResults = pgTable(
  'op_results',
  {
    deviceId: text('device_id').notNull(),
    deviceSeq: integer('device_seq').notNull(),
    opId: text('op_id').notNull(),
    orgId: text('org_id').notNull(),
    status: text('status').notNull(),
    result: jsonb('result').notNull(),
    serverSeq: ms('server_seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.deviceSeq] }), index('op_results_pull').on(t.deviceId, t.serverSeq)],
);

/** The pull feed: every change to an organization's data, in one global order. */
export const changeLog = pgTable(
  'change_log',
  {
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    orgId: text('org_id').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    op: text('op').notNull(),
    row: jsonb('row'),
    at: ms('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.seq] })],
); // one index serves pulls and keys rows

/** IT installers: each signs in to the console and sees only the regions they roll Kezek out in. */
export const installers = pgTable('installers', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  /** Salted scrypt, as the desks keep their accounts. */
  passwordHash: text('password_hash').notNull(),
  /** Region ids, or ['*'] for every region. */
  regions: jsonb('regions').notNull(),
  createdAt: ms('created_at').notNull(),
  disabled: boolean('disabled').notNull().default(false),
});

/** Console sign-ins (in the database, so any server process answers them): the cookie's token only as its hash. */
export const consoleSessions = pgTable('console_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  installerId: text('installer_id').notNull(),
  expiresAt: ms('expires_at').notNull(),
});

/**
 * Other systems that book through the FHIR booking API (issue 20): a national portal, a call centre, a kiosk, Kezek's
 * own patient page. Each has a key (kept only as its hash), books through one request channel, and reaches only
 * the regions or organizations it was given.
 */
export const apiClients = pgTable(
  'api_clients',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    /** `internet`, `kiosk` or `call_centre`: the channel its bookings claim (the profile says which times that channel may take). */
    channel: text('channel').notNull(),
    /** Region ids (['*']: every region) and organization ids it may read and book in. */
    regions: jsonb('regions').notNull(),
    organizations: jsonb('organizations').notNull(),
    /** Requests a minute it may make (beyond: 429 with Retry-After). */
    perMinute: integer('per_minute').notNull().default(600),
    createdAt: ms('created_at').notNull(),
    disabledAt: ms('disabled_at'),
  },
  (t) => [uniqueIndex('api_clients_key').on(t.keyHash)],
);

/**
 * A time held for a patient for a few minutes by the server's clock ($hold), so that $book finds it still there. One
 * hold per slot; a patient holds at most one time at once (a new hold lets the old one go); an expired hold is free.
 */
export const slotHolds = pgTable(
  'slot_holds',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    slotId: text('slot_id').notNull(),
    patientId: text('patient_id').notNull(),
    clientId: text('client_id').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [uniqueIndex('slot_holds_slot').on(t.orgId, t.slotId), uniqueIndex('slot_holds_patient').on(t.orgId, t.patientId)],
);

/** Fixed-window request counts per key (a client, an address, a patient): limits every server process shares. Unlogged (migration 0022). */
export const rateWindows = pgTable('rate_windows', {
  key: text('key').primaryKey(),
  windowStart: ms('window_start').notNull(),
  count: integer('count').notNull(),
});

/** The answer to a write sent with an idempotency key: the same request again gets the same answer, never a second booking. */
export const apiIdempotency = pgTable(
  'api_idempotency',
  {
    clientId: text('client_id').notNull(),
    key: text('key').notNull(),
    status: integer('status').notNull(),
    body: jsonb('body').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.key] })],
);

/** A patient signed in on the patient's page (issue 20): the cookie's token only as its hash, for half an hour. */
export const patientSessions = pgTable('patient_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  orgId: text('org_id').notNull(),
  patientId: text('patient_id').notNull(),
  expiresAt: ms('expires_at').notNull(),
});

/**
 * The message outbox (issue 20): what Kezek tells patients, written in the same transaction as the change it reports
 * (a trigger on appointments and tasks, functions.sql), so every path — a desk's push, the booking API, an absence —
 * enqueues it and a rolled-back change enqueues nothing. One row per (booking version, kind): the unique index is the
 * "at most one per version" half of exactly once; the sender's claim and the transports' idempotency are the other.
 * `version` is the server_seq of the change (a booking's, or a call task's); a sign-in code has no booking (null).
 */
export const patientMessages = pgTable(
  'patient_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: text('org_id').notNull(),
    patientId: text('patient_id').notNull(),
    appointmentId: text('appointment_id'),
    version: ms('version').notNull(),
    /** confirmation, cancellation, moved, change (R8 absence or a lost slot), reminder, code. */
    kind: text('kind').notNull(),
    /** pending → sending → sent | failed | skipped | in_doubt (killed mid-send on a transport that cannot tell a repeat). */
    status: text('status').notNull().default('pending'),
    notBefore: ms('not_before').notNull().default(0),
    claimedUntil: ms('claimed_until'),
    attempts: integer('attempts').notNull().default(0),
    /** sms or email, and the transport that sends it, written before the send: a crash after it is judged by the transport. */
    channel: text('channel'),
    transport: text('transport'),
    /** As the desk shows it (the middle digits hidden). */
    recipient: text('recipient'),
    segments: integer('segments'),
    body: text('body'),
    providerRef: text('provider_ref'),
    error: text('error'),
    sentAt: ms('sent_at'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('patient_messages_once').on(t.orgId, t.appointmentId, t.version, t.kind),
    index('patient_messages_due').on(t.status, t.notBefore),
    index('patient_messages_patient').on(t.orgId, t.patientId),
  ],
);

/** What a patient chose on the patient's page: the language of their messages and, if they gave one, an e-mail address. */
export const patientPrefs = pgTable(
  'patient_prefs',
  {
    orgId: text('org_id').notNull(),
    patientId: text('patient_id').notNull(),
    lang: text('lang').notNull(),
    email: text('email'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.patientId] })],
);

/** A one-time sign-in code sent by SMS (KZ, 002/003): only its hash, for five minutes, three tries. */
export const patientCodes = pgTable('patient_codes', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  patientId: text('patient_id').notNull(),
  codeHash: text('code_hash').notNull(),
  tries: integer('tries').notNull().default(0),
  expiresAt: ms('expires_at').notNull(),
});
