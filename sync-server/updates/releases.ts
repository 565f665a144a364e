import { createHash } from 'node:crypto';
import { isPc } from '../auth/server-devices.js';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { load } from 'js-yaml';
import semver from 'semver';
import { z } from 'zod';
import type { ServerDb } from '../db/connect.js';
import { devices, releases } from '../db/schema.js';
import { type RolloutPlan, rolloutPlan } from './rollout.js';

export const platform = z.enum(['win', 'linux']);
export type Platform = z.infer<typeof platform>;
/** electron-updater's channel file per platform (the `latest` channel). */
export const CHANNEL_FILE: Record<Platform, string> = { win: 'latest.yml', linux: 'latest-linux.yml' };

/** The part of electron-builder's channel file the server reads. */
const channelFile = z.object({
  version: z.string().refine((v) => semver.valid(v) !== null, 'a semver version'),
  files: z.array(z.object({ url: z.string().min(1), sha512: z.string().min(20), size: z.number().int().positive().optional() })).min(1),
});

export interface ReleaseFile {
  name: string;
  sha512: string;
  size: number;
}

export class ReleaseError extends Error {}

const sha512 = (file: string) => createHash('sha512').update(readFileSync(file)).digest('base64');
/** A file name the feed serves: no folders, nothing hidden. */
const SAFE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;

/**
 * Publish a release built by electron-builder: its channel file, each installer it lists (checked
 * against the sha512 the file names — a corrupt or altered copy is refused here, before any desk
 * sees it) and the blockmaps beside them. It is seen by no desk until a region's window opens.
 */
export async function publishRelease(
  db: ServerDb,
  releasesDir: string,
  input: { dir: string; platform: Platform; minOs: string | null },
  now: number,
): Promise<{ version: string; files: ReleaseFile[] }> {
  const channelPath = join(input.dir, CHANNEL_FILE[input.platform]);
  if (!existsSync(channelPath)) throw new ReleaseError(`no ${CHANNEL_FILE[input.platform]} in ${input.dir} (build with electron-builder first)`);
  const text = readFileSync(channelPath, 'utf8');
  const parsed = channelFile.safeParse(load(text));
  if (!parsed.success) throw new ReleaseError(`${CHANNEL_FILE[input.platform]}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { version } = parsed.data;
  const files: ReleaseFile[] = [];
  for (const f of parsed.data.files) {
    const name = basename(f.url);
    if (name !== f.url || !SAFE_NAME.test(name)) throw new ReleaseError(`${f.url}: the feed serves plain file names only`);
    const path = join(input.dir, name);
    if (!existsSync(path)) throw new ReleaseError(`${name} is listed in ${CHANNEL_FILE[input.platform]} but not in ${input.dir}`);
    if (sha512(path) !== f.sha512) throw new ReleaseError(`${name} does not match its sha512 in ${CHANNEL_FILE[input.platform]}: a corrupt or altered copy`);
    files.push({ name, sha512: f.sha512, size: statSync(path).size });
    const blockmap = `${path}.blockmap`;
    if (existsSync(blockmap)) files.push({ name: `${name}.blockmap`, sha512: sha512(blockmap), size: statSync(blockmap).size });
  }
  const [known] = await db
    .select({ v: releases.version })
    .from(releases)
    .where(and(eq(releases.platform, input.platform), eq(releases.version, version)));
  if (known) throw new ReleaseError(`${version} is already published for ${input.platform}: publish a higher version (that is also how a release is rolled back)`);
  const target = join(releasesDir, input.platform, version);
  mkdirSync(target, { recursive: true });
  for (const f of files) copyFileSync(join(input.dir, f.name), join(target, f.name));
  await db.insert(releases).values({ platform: input.platform, version, channelFile: text, files, minOs: input.minOs, rollout: {}, publishedAt: now });
  return { version, files };
}

/** Where builds wait to be published from the console: `<releases>/incoming/<any folder>/` with electron-builder's output. */
export const incomingDir = (releasesDir: string) => join(releasesDir, 'incoming');

export interface IncomingRelease {
  folder: string;
  platform: Platform;
  version: string;
}

/**
 * Builds copied to the server's incoming folder (scp, a share) and not published yet — what the console offers to
 * publish. A folder without a readable channel file is left out; publishing checks every file anyway.
 */
export async function incomingReleases(db: ServerDb, releasesDir: string): Promise<IncomingRelease[]> {
  const root = incomingDir(releasesDir);
  if (!existsSync(root)) return [];
  const published = new Set((await db.select({ p: releases.platform, v: releases.version }).from(releases)).map((r) => `${r.p}/${r.v}`));
  const out: IncomingRelease[] = [];
  for (const folder of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && SAFE_NAME.test(d.name))) {
    for (const p of platform.options) {
      const file = join(root, folder.name, CHANNEL_FILE[p]);
      if (!existsSync(file)) continue;
      const parsed = channelFile.safeParse(load(readFileSync(file, 'utf8')));
      if (parsed.success && !published.has(`${p}/${parsed.data.version}`)) out.push({ folder: folder.name, platform: p, version: parsed.data.version });
    }
  }
  return out.sort((a, b) => a.platform.localeCompare(b.platform) || semver.rcompare(a.version, b.version));
}

/** Set (or replace) a release's windows for some regions; the others keep theirs. */
export async function setRollout(db: ServerDb, p: Platform, version: string, windows: RolloutPlan): Promise<RolloutPlan> {
  const [r] = await db
    .select({ rollout: releases.rollout })
    .from(releases)
    .where(and(eq(releases.platform, p), eq(releases.version, version)));
  if (!r) throw new ReleaseError(`no release ${version} for ${p}`);
  const rollout = rolloutPlan.parse({ ...rolloutPlan.parse(r.rollout), ...windows });
  await db
    .update(releases)
    .set({ rollout })
    .where(and(eq(releases.platform, p), eq(releases.version, version)));
  return rollout;
}

export async function setPaused(db: ServerDb, p: Platform, version: string, paused: boolean): Promise<boolean> {
  const r = await db
    .update(releases)
    .set({ paused })
    .where(and(eq(releases.platform, p), eq(releases.version, version)))
    .returning({ v: releases.version });
  if (r.length === 0) throw new ReleaseError(`no release ${version} for ${p}`);
  return paused;
}

export interface ReleaseInfo {
  platform: Platform;
  version: string;
  minOs: string | null;
  rollout: RolloutPlan;
  paused: boolean;
  publishedAt: number;
  /** How many enrolled, not revoked PCs report running it. */
  running: number;
}

/** The releases, newest first, each with how many PCs run it. */
export async function listReleases(db: ServerDb): Promise<ReleaseInfo[]> {
  const rows = await db.select().from(releases);
  const counts = await db
    .select({ version: devices.appVersion, n: sql<number>`count(*)::int` })
    .from(devices)
    .where(and(isNull(devices.revokedAt), isPc))
    .groupBy(devices.appVersion);
  const running = new Map(counts.map((c) => [c.version, c.n]));
  return rows
    .map((r) => ({
      platform: r.platform as Platform,
      version: r.version,
      minOs: r.minOs,
      rollout: rolloutPlan.parse(r.rollout),
      paused: r.paused,
      publishedAt: r.publishedAt,
      running: running.get(r.version) ?? 0,
    }))
    .sort((a, b) => a.platform.localeCompare(b.platform) || semver.rcompare(a.version, b.version));
}
