import { z } from 'zod';
import { addApiClient, API_CHANNELS, type ApiClient, disableApiClient, listApiClients } from '../api/clients.js';
import { createEnrollmentCode, type EnrollAs } from '../auth/enrollment.js';
import { listDevices, revokeDevice, type DeviceInfo } from '../auth/devices.js';
import type { ServerDb } from '../db/connect.js';
import type { RunningServer } from './running-server.js';
import { sql } from 'drizzle-orm';
import { organizations } from '../db/schema.js';
import { listReleases, platform, publishRelease, type ReleaseFile, ReleaseError, type ReleaseInfo, setPaused, setRollout } from '../updates/releases.js';
import { type RolloutPlan, rolloutPlan } from '../updates/rollout.js';
import { disableInstaller, putInstaller, unknownRegions } from '../console/installers.js';

/** A command refused for what it was given (an unknown region, an unknown account): said to the installer as it is. */
export class AdminError extends Error {}

async function mustKnowRegions(db: ServerDb, ids: readonly string[]): Promise<void> {
  const { unknown, known } = await unknownRegions(db, ids);
  if (unknown.length) throw new AdminError(`unknown region ${unknown.join(', ')} (this server has: ${known.join(', ') || 'none yet — import the directory first'})`);
}

/** The installer's commands, as the CLI runs them on the database and the running server runs them for the CLI. */
export const adminInput = {
  'enroll-code': z.object({
    orgId: z.string().min(1),
    hours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(72),
    cabinet: z.string().min(1).nullable().default(null),
    kiosk: z.boolean().default(false),
  }),
  devices: z.object({ orgId: z.string().min(1) }),
  'revoke-device': z.object({ deviceId: z.string().min(1) }),
  /** A release built by electron-builder (the folder with latest.yml, the installer and its blockmap). */
  'publish-release': z.object({
    dir: z.string().min(1),
    platform,
    minOs: z
      .string()
      .regex(/^\d+(\.\d+)*$/)
      .nullable()
      .default(null),
  }),
  /** R23: open (or move) regions' windows for a release. */
  rollout: z.object({ platform, version: z.string().min(1), windows: rolloutPlan }),
  'pause-release': z.object({ platform, version: z.string().min(1), paused: z.boolean().default(true) }),
  releases: z.object({}),
  /** An IT installer's console account, for some regions (or '*' for all). */
  /** After restoring the database from a backup: every organization's history starts anew, so desks pull again and re-send. */
  'after-restore': z.object({}),
  'add-installer': z.object({ username: z.string().trim().min(2).max(40), password: z.string().min(10).max(200), regions: z.array(z.string().min(1)).min(1) }),
  /** The account signs in no more; its sessions end at once. */
  'disable-installer': z.object({ username: z.string().trim().min(1).max(40) }),
  /** Another system that books through the FHIR API (issue 20): its key is shown once. */
  'add-api-client': z.object({
    name: z.string().trim().min(2).max(100),
    channel: z.enum(API_CHANNELS),
    regions: z.array(z.string().min(1)).default([]),
    organizations: z.array(z.string().min(1)).default([]),
    perMinute: z.number().int().min(1).max(100_000).default(600),
  }),
  'api-clients': z.object({}),
  'disable-api-client': z.object({ id: z.string().min(1) }),
};
export type AdminCommand = keyof typeof adminInput;
export type AdminOutput = {
  'enroll-code': { code: string };
  devices: { devices: DeviceInfo[] };
  'revoke-device': { revoked: boolean };
  'publish-release': { version: string; files: ReleaseFile[] };
  rollout: { rollout: RolloutPlan };
  'pause-release': { paused: boolean };
  releases: { releases: ReleaseInfo[] };
  'add-installer': { username: string; regions: string[] };
  'disable-installer': { username: string; disabled: true };
  'after-restore': { organizations: number };
  'add-api-client': { client: ApiClient; key: string };
  'api-clients': { clients: Array<ApiClient & { disabled: boolean }> };
  'disable-api-client': { id: string; disabled: true };
};

export async function runAdmin<C extends AdminCommand>(db: ServerDb, command: C, input: z.infer<(typeof adminInput)[C]>, now: number, releasesDir: string | null = null): Promise<AdminOutput[C]> {
  const out = (x: unknown) => x as AdminOutput[C];
  switch (command) {
    case 'publish-release': {
      if (!releasesDir) throw new ReleaseError('this server has no releases folder (KEZEK_RELEASES_DIR)');
      return out(await publishRelease(db, releasesDir, input as z.infer<(typeof adminInput)['publish-release']>, now));
    }
    case 'rollout': {
      const i = input as z.infer<(typeof adminInput)['rollout']>;
      await mustKnowRegions(db, Object.keys(i.windows));
      return out({ rollout: await setRollout(db, i.platform, i.version, i.windows) });
    }
    case 'pause-release': {
      const i = input as z.infer<(typeof adminInput)['pause-release']>;
      return out({ paused: await setPaused(db, i.platform, i.version, i.paused) });
    }
    case 'releases':
      return out({ releases: await listReleases(db) });
    case 'after-restore': {
      const renewed = await db
        .update(organizations)
        .set({ historyId: sql`md5(random()::text || ${organizations.id})` })
        .returning({ id: organizations.id });
      return out({ organizations: renewed.length });
    }
    case 'add-installer': {
      const i = input as z.infer<(typeof adminInput)['add-installer']>;
      await mustKnowRegions(db, i.regions);
      const who = await putInstaller(db, i.username, i.password, i.regions, now);
      return out({ username: who.username, regions: who.regions });
    }
    case 'disable-installer': {
      const { username } = input as z.infer<(typeof adminInput)['disable-installer']>;
      if (!(await disableInstaller(db, username))) throw new AdminError(`no installer account named ${username}`);
      return out({ username, disabled: true });
    }
    case 'add-api-client': {
      const i = input as z.infer<(typeof adminInput)['add-api-client']>;
      if (i.regions.length + i.organizations.length === 0) throw new AdminError('name the regions or organizations the client may book in');
      await mustKnowRegions(db, i.regions);
      const known = (await db.select({ id: organizations.id }).from(organizations)).map((o) => o.id);
      const unknownOrgs = i.organizations.filter((o) => !known.includes(o));
      if (unknownOrgs.length) throw new AdminError(`unknown organization ${unknownOrgs.join(', ')}`);
      return out(await addApiClient(db, i, now));
    }
    case 'api-clients':
      return out({ clients: await listApiClients(db) });
    case 'disable-api-client': {
      const { id } = input as { id: string };
      if (!(await disableApiClient(db, id, now))) throw new AdminError(`no enabled API client ${id}`);
      return out({ id, disabled: true });
    }
    case 'enroll-code': {
      const i = input as z.infer<(typeof adminInput)['enroll-code']>;
      const as: EnrollAs = i.cabinet ? { kind: 'cabinet', doctorId: i.cabinet } : i.kiosk ? { kind: 'kiosk' } : { kind: 'desk' };
      return { code: await createEnrollmentCode(db, i.orgId, now, i.hours, as) } as AdminOutput[C];
    }
    case 'devices':
      return { devices: await listDevices(db, (input as { orgId: string }).orgId) } as AdminOutput[C];
    default:
      return { revoked: await revokeDevice(db, (input as { deviceId: string }).deviceId, now) } as AdminOutput[C];
  }
}

/** The same command sent to the server running on this PC's embedded database. */
export async function askRunningServer<C extends AdminCommand>(server: RunningServer, command: C, input: unknown): Promise<AdminOutput[C]> {
  const res = await fetch(`http://127.0.0.1:${server.port}/admin/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kezek-admin': server.secret },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as AdminOutput[C] & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `the running server answered ${res.status}`);
  return body;
}
