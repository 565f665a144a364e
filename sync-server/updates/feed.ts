import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import semver from 'semver';
import { localParts } from '../../src-shared/time/dates.js';
import type { ServerDb } from '../db/connect.js';
import { organizations, releases } from '../db/schema.js';
import type { ReleaseFile } from './releases.js';
import { CHANNEL_FILE, platform } from './releases.js';
import { rolloutPlan, stagedOrder, visibleRelease } from './rollout.js';

/**
 * electron-updater's `generic` feed, per device: `GET /updates/<platform>/latest.yml` answers with the
 * release this desk may have now (its region's window open for its clinic, R23), and the files it
 * names are served with HTTP Range, so a desk downloads only the blocks that changed.
 */
export async function serveUpdate(
  c: Context,
  db: ServerDb,
  releasesDir: string,
  device: { id: string; orgId: string; osVersion: string | null; appVersion: string | null },
  now: number,
): Promise<Response> {
  const p = platform.safeParse(c.req.param('platform'));
  if (!p.success) return c.json({ error: { code: 'not_found', message: 'platforms: win, linux' } }, 404);
  const name = c.req.param('file') ?? '';
  const [org] = await db.select({ regionId: organizations.regionId, timezone: organizations.timezone }).from(organizations).where(eq(organizations.id, device.orgId));
  if (!org) return c.json({ error: { code: 'not_found', message: 'no organization' } }, 404);
  const clinics = stagedOrder(await db.select({ id: organizations.id, rolloutOrder: organizations.rolloutOrder }).from(organizations).where(eq(organizations.regionId, org.regionId)));
  // A release whose files are not all on this machine (a server restored onto a new machine without its releases
  // folder, issue 24 finding 3) is offered to nobody: desks see the newest one they can download, not a 404 each night.
  const rows = (await db.select().from(releases).where(eq(releases.platform, p.data))).filter((r) => (r.files as ReleaseFile[]).every((f) => existsSync(join(releasesDir, p.data, r.version, f.name))));
  const seen = visibleRelease(
    rows.map((r) => ({ ...r, rollout: rolloutPlan.parse(r.rollout) })),
    {
      orgId: device.orgId,
      regionId: org.regionId,
      today: localParts(now, org.timezone).date,
      regionClinics: clinics,
      os: device.osVersion,
      deviceId: device.id,
      appVersion: device.appVersion,
    },
  );
  c.header('Cache-Control', 'no-store');
  if (name === CHANNEL_FILE[p.data]) {
    if (!seen) return c.json({ error: { code: 'no_release', message: 'no release is open for this desk yet' } }, 404);
    return c.body(seen.channelFile, 200, { 'Content-Type': 'text/yaml; charset=utf-8' });
  }
  // A file of the release this desk sees, or of an older one (the blockmap a differential download compares with).
  // Rolled back, the desk downloads the older release it is offered; the files of versions above it are not its.
  const owner = rows.find((r) => (r.files as ReleaseFile[]).some((f) => f.name === name) && seen !== null && semver.lte(r.version, seen.version));
  const path = owner ? join(releasesDir, p.data, owner.version, name) : null;
  if (!path || !existsSync(path)) return c.json({ error: { code: 'not_found', message: `no ${name} for this desk` } }, 404);
  return serveFile(c, path);
}

/** A file, whole or one byte range of it (`Range: bytes=a-b`, `a-`, `-n`); anything else gets the whole file. */
function serveFile(c: Context, path: string): Response {
  const size = statSync(path).size;
  const range = /^bytes=(\d*)-(\d*)$/.exec(c.req.header('range') ?? '');
  const headers: Record<string, string> = { 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
    const body = Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream;
    return c.body(body, 206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1) });
  }
  return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200, { ...headers, 'Content-Length': String(size) });
}

/**
 * A desk was here: when (kept to the minute — one write a minute at most, whatever it asks) and what it
 * says it runs (its sync and update calls carry both), for the installer's console and the update feed.
 */
export async function noteDevice(db: ServerDb, deviceId: string, now: number, appVersion: string | undefined, osVersion: string | undefined): Promise<void> {
  const app = appVersion?.slice(0, 40) ?? null;
  const os = osVersion?.slice(0, 40) ?? null;
  await db.execute(
    sql`UPDATE devices SET app_version = coalesce(${app}, app_version), os_version = coalesce(${os}, os_version), last_seen_at = ${now}
      WHERE id = ${deviceId} AND (last_seen_at IS NULL OR last_seen_at < ${now - 60_000}
        OR app_version IS DISTINCT FROM coalesce(${app}, app_version) OR os_version IS DISTINCT FROM coalesce(${os}, os_version))`,
  );
}
