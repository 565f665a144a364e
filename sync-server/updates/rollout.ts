import { createHash } from 'node:crypto';
import semver from 'semver';
import { z } from 'zod';
import { addDays, daysBetween } from '../../src-shared/time/dates.js';
import { isoDate } from '../../src-shared/domain/primitives.js';
import { showDate } from '../../src-shared/time/date-input.js';

/**
 * R23 (000 App. 4): a region's window for a release — the day it opens; how its clinics join (so many a day, or
 * spread evenly until the day it closes, or all at once); the share of the region's PCs that take it (a first
 * wave, none: all); and its state: open, paused (PCs that have it keep it, the others wait) or rolled back (PCs that
 * have it are offered the release before it).
 */
export const regionWindow = z.object({
  opensOn: isoDate,
  closesOn: isoDate.nullable().default(null),
  clinicsPerDay: z.number().int().positive().nullable().default(null),
  sharePercent: z.number().int().min(1).max(100).nullable().default(null),
  state: z.enum(['open', 'paused', 'rolled_back']).default('open'),
});
export type RegionWindow = z.infer<typeof regionWindow>;
export const rolloutPlan = z.record(z.string().min(1), regionWindow);
export type RolloutPlan = z.infer<typeof rolloutPlan>;

export interface ReleaseRow {
  version: string;
  minOs: string | null;
  rollout: RolloutPlan;
  paused: boolean;
}

export interface Viewer {
  orgId: string;
  regionId: string;
  /** The organization's own day (its time zone): a window opens at its midnight. */
  today: string;
  /** The clinics of the region, in the order they join a staged window. */
  regionClinics: readonly string[];
  /** The desk's OS version as it reports it (Windows: 10.0.19045); unknown passes. */
  os: string | null;
  /** The device, for its place in a window's share of PCs. */
  deviceId: string;
  /** The version the desk runs, as it reports it (null: unknown). */
  appVersion: string | null;
}

/**
 * The order in which a region's clinics join a staged window (issue 24 finding 4): the order they came to the server,
 * then their ids compared code unit by code unit — never a collation, so the console and the update feed, on any
 * database, agree; and a clinic imported later joins at the end, taking no day from another.
 */
export function stagedOrder(clinics: ReadonlyArray<{ id: string; rolloutOrder: number }>): string[] {
  return [...clinics].sort((a, b) => a.rolloutOrder - b.rolloutOrder || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((c) => c.id);
}

/**
 * The day a clinic's turn comes in a region's window: clinics join in the region's order, so many a day — or, with a
 * closing day and no daily number, spread evenly so the last joins on that day at the latest.
 */
export function clinicOpensOn(w: Pick<RegionWindow, 'opensOn' | 'closesOn' | 'clinicsPerDay'>, orgId: string, regionClinics: readonly string[]): string {
  const place = Math.max(0, regionClinics.indexOf(orgId));
  if (w.clinicsPerDay !== null) return addDays(w.opensOn, Math.floor(place / w.clinicsPerDay));
  if (w.closesOn !== null && w.closesOn > w.opensOn && regionClinics.length > 0) {
    const days = daysBetween(w.opensOn, w.closesOn) + 1;
    return addDays(w.opensOn, Math.floor((place * days) / regionClinics.length));
  }
  return w.opensOn;
}

/** A device's fixed place among the region's PCs, 0–99: a share of N % takes the devices placed below N — the same ones each release. */
export const devicePlace = (deviceId: string): number => createHash('sha256').update(deviceId).digest().readUInt32BE(0) % 100;

/** Is this OS at least the release's oldest one (dotted numbers compared part by part)? */
export function osAtLeast(os: string | null, min: string | null): boolean {
  if (!min || !os) return true;
  const a = os.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (Number.isNaN(d)) return true;
    if (d !== 0) return d > 0;
  }
  return true;
}

/**
 * The release a desk sees: the highest version whose window for its region is open, has reached its clinic (and its
 * place in the share of PCs), not paused, and made for its OS. A desk already on a newer release keeps it — a pause
 * stops a release reaching more PCs, it takes it from none — unless that release was rolled back in its region: then
 * it is offered the one it sees (an older version, which the desk installs: it allows downgrades because only the
 * server decides them). A desk on a version the server never published (a hand-installed build) is offered nothing
 * older than it runs.
 */
export function visibleRelease<R extends ReleaseRow>(releases: readonly R[], v: Viewer): R | null {
  const open = releases.filter((r) => {
    const w = r.rollout[v.regionId];
    return (
      !r.paused &&
      w !== undefined &&
      w.state === 'open' &&
      clinicOpensOn(w, v.orgId, v.regionClinics) <= v.today &&
      (w.sharePercent === null || devicePlace(v.deviceId) < w.sharePercent) &&
      osAtLeast(v.os, r.minOs)
    );
  });
  const seen = open.sort((a, b) => semver.rcompare(a.version, b.version))[0] ?? null;
  const running = v.appVersion && semver.valid(v.appVersion) ? v.appVersion : null;
  if (!running || (seen && semver.gte(seen.version, running))) return seen;
  // The desk runs something newer than what it would be offered.
  const own = releases.find((r) => r.version === running);
  return own?.rollout[v.regionId]?.state === 'rolled_back' ? seen : (own ?? null);
}

/** What a region's window says in a line (the console's board and audit list). */
export function describeWindow(w: RegionWindow): string {
  const how = w.clinicsPerDay ? `, ${w.clinicsPerDay}/день` : w.closesOn ? ` по ${showDate(w.closesOn)}` : '';
  const share = w.sharePercent ? `, ${w.sharePercent} % ПК` : '';
  return `с ${showDate(w.opensOn)}${how}${share}`;
}
