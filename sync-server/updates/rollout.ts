import semver from 'semver';
import { z } from 'zod';
import { addDays } from '../../src-shared/time/dates.js';
import { isoDate } from '../../src-shared/domain/primitives.js';

/** R23 (000 App. 4): a region's window — the day it opens, and how many clinics a day join it (none: all at once). */
export const regionWindow = z.object({ opensOn: isoDate, clinicsPerDay: z.number().int().positive().nullable().default(null) });
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
}

/**
 * The order in which a region's clinics join a staged window (issue 24 finding 4): the order they came to the server,
 * then their ids compared code unit by code unit — never a collation, so the console and the update feed, on any
 * database, agree; and a clinic imported later joins at the end, taking no day from another.
 */
export function stagedOrder(clinics: ReadonlyArray<{ id: string; rolloutOrder: number }>): string[] {
  return [...clinics].sort((a, b) => a.rolloutOrder - b.rolloutOrder || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((c) => c.id);
}

/** The day a clinic's turn comes in a region's window: clinics join in the region's order, so many a day. */
export function clinicOpensOn(w: z.infer<typeof regionWindow>, orgId: string, regionClinics: readonly string[]): string {
  if (w.clinicsPerDay === null) return w.opensOn;
  const place = Math.max(0, regionClinics.indexOf(orgId));
  return addDays(w.opensOn, Math.floor(place / w.clinicsPerDay));
}

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
 * The release a desk sees: the highest version whose window for its region has opened for its
 * clinic, not paused, and made for its OS. A rollback is a higher version published over a bad one;
 * a paused release is skipped, so desks that have not taken it yet see the one before.
 */
export function visibleRelease<R extends ReleaseRow>(releases: readonly R[], v: Viewer): R | null {
  const open = releases.filter((r) => {
    const w = r.rollout[v.regionId];
    return !r.paused && w !== undefined && clinicOpensOn(w, v.orgId, v.regionClinics) <= v.today && osAtLeast(v.os, r.minOs);
  });
  return open.sort((a, b) => semver.rcompare(a.version, b.version))[0] ?? null;
}
