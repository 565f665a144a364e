import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { and, desc, eq, inArray } from 'drizzle-orm';
import semver from 'semver';
import { parseDateInput, showDate } from '../../src-shared/time/date-input.js';
import type { ServerDb } from '../db/connect.js';
import { releases, rolloutActions } from '../db/schema.js';
import { incomingDir, incomingReleases, platform as platformSchema, publishRelease, ReleaseError, setRollout } from '../updates/releases.js';
import { describeWindow, type RegionWindow, regionWindow, rolloutPlan } from '../updates/rollout.js';
import { type Installer, seesRegion } from './installers.js';

/**
 * The rollout controls of the installers' console (issue 24 finding 5), for the regions of the installer's account:
 * a release's window in a region (opening day; a closing day or clinics a day; a share of PCs), pause and resume,
 * and rollback — each written to the audit list. The server's command line keeps its own (publish-release, rollout,
 * pause-release) for scripts; both change the same rows.
 */
export type RolloutAction = 'publish' | 'window' | 'pause' | 'resume' | 'rollback';

export interface WindowForm {
  platform: string;
  version: string;
  regionId: string;
  opensOn: string;
  closesOn: string;
  clinicsPerDay: string;
  sharePercent: string;
}

/** A form's number field: blank is none; anything else a whole number in range, or the message saying so. */
function count(text: string, min: number, max: number, what: string): number | null | string {
  if (text.trim() === '') return null;
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= min && n <= max ? n : `${what}: целое число от ${min} до ${max}`;
}

async function releaseOf(db: ServerDb, p: string, version: string) {
  const plat = platformSchema.safeParse(p);
  if (!plat.success) return null;
  const [r] = await db
    .select()
    .from(releases)
    .where(and(eq(releases.platform, plat.data), eq(releases.version, version)));
  return r ? { ...r, platform: plat.data, rollout: rolloutPlan.parse(r.rollout) } : null;
}

const audit = (db: ServerDb, who: Installer, r: { platform: string; version: string }, regionId: string, action: RolloutAction, detail: string, now: number) =>
  db.insert(rolloutActions).values({ id: randomUUID(), at: now, installer: who.username, platform: r.platform, version: r.version, regionId, action, detail });

/**
 * Publish a build waiting in the server's incoming folder (any installer: a published release reaches no PC until a
 * region's window opens). Windows builds need Windows 10 (Electron's own minimum). In the audit list for every region.
 */
export async function publishIncoming(db: ServerDb, who: Installer, releasesDir: string, f: { folder: string; platform: string }, now: number): Promise<string | null> {
  const waiting = (await incomingReleases(db, releasesDir)).find((r) => r.folder === f.folder && r.platform === f.platform);
  if (!waiting) return 'Этого выпуска нет среди загруженных (или он уже опубликован)';
  try {
    await publishRelease(db, releasesDir, { dir: join(incomingDir(releasesDir), waiting.folder), platform: waiting.platform, minOs: waiting.platform === 'win' ? '10.0' : null }, now);
  } catch (e) {
    if (e instanceof ReleaseError) return `Выпуск не опубликован: ${e.message}`;
    throw e;
  }
  await audit(db, who, waiting, '*', 'publish', `из ${waiting.folder}`, now);
  return null;
}

/** Open or change a release's window in a region; the answer is null, or what is wrong in words for the installer. */
export async function changeWindow(db: ServerDb, who: Installer, f: WindowForm, now: number): Promise<string | null> {
  if (!seesRegion(who, f.regionId)) return 'Этот регион не ваш';
  const r = await releaseOf(db, f.platform, f.version);
  if (!r) return `Нет выпуска ${f.version}`;
  const opensOn = parseDateInput(f.opensOn);
  if (!opensOn) return 'Начало окна: дата в виде дд.мм.гггг';
  const closesOn = f.closesOn.trim() === '' ? null : parseDateInput(f.closesOn);
  if (closesOn === null && f.closesOn.trim() !== '') return 'Конец окна: дата в виде дд.мм.гггг';
  if (closesOn !== null && closesOn < opensOn) return `Конец окна раньше начала (${showDate(opensOn)})`;
  const perDay = count(f.clinicsPerDay, 1, 1000, 'Клиник в день');
  if (typeof perDay === 'string') return perDay;
  if (perDay !== null && closesOn !== null) return 'Укажите либо клиник в день, либо конец окна — не то и другое';
  const share = count(f.sharePercent, 1, 100, 'Доля ПК, %');
  if (typeof share === 'string') return share;
  const before = r.rollout[f.regionId];
  const w: RegionWindow = regionWindow.parse({ opensOn, closesOn, clinicsPerDay: perDay, sharePercent: share, state: before?.state ?? 'open' });
  await setRollout(db, r.platform, r.version, { [f.regionId]: w });
  await audit(db, who, r, f.regionId, 'window', describeWindow(w), now);
  return null;
}

/**
 * Pause, resume or roll back a release in a region. A rollback needs an older release open in the region to go back
 * to: PCs that have the rolled-back one are offered it (rollout.ts visibleRelease).
 */
export async function changeState(db: ServerDb, who: Installer, f: { platform: string; version: string; regionId: string; action: string }, now: number): Promise<string | null> {
  if (!seesRegion(who, f.regionId)) return 'Этот регион не ваш';
  const r = await releaseOf(db, f.platform, f.version);
  if (!r) return `Нет выпуска ${f.version}`;
  const w = r.rollout[f.regionId];
  if (!w) return 'Окно в этом регионе ещё не открыто';
  const state = ({ pause: 'paused', resume: 'open', rollback: 'rolled_back' } as const)[f.action as 'pause' | 'resume' | 'rollback'];
  if (!state) return 'Неизвестное действие';
  let detail = '';
  if (state === 'rolled_back') {
    const older = (await db.select().from(releases).where(eq(releases.platform, r.platform)))
      .map((o) => ({ version: o.version, w: rolloutPlan.parse(o.rollout)[f.regionId], paused: o.paused }))
      .filter((o) => semver.lt(o.version, r.version) && o.w?.state === 'open' && !o.paused)
      .sort((a, b) => semver.rcompare(a.version, b.version))[0];
    if (!older) return `Откатывать не на что: в регионе нет открытого выпуска старше ${r.version}`;
    detail = `ПК с ${r.version} получат ${older.version}`;
  }
  await setRollout(db, r.platform, r.version, { [f.regionId]: { ...w, state } });
  await audit(db, who, r, f.regionId, f.action as RolloutAction, detail, now);
  return null;
}

export interface RolloutLogRow {
  at: number;
  installer: string;
  platform: string;
  version: string;
  regionId: string;
  action: string;
  detail: string;
}

/** The last actions in these regions (and publications, which concern all), newest first. */
export async function rolloutLog(db: ServerDb, regionIds: readonly string[], limit = 50): Promise<RolloutLogRow[]> {
  if (regionIds.length === 0) return [];
  return db
    .select({
      at: rolloutActions.at,
      installer: rolloutActions.installer,
      platform: rolloutActions.platform,
      version: rolloutActions.version,
      regionId: rolloutActions.regionId,
      action: rolloutActions.action,
      detail: rolloutActions.detail,
    })
    .from(rolloutActions)
    .where(inArray(rolloutActions.regionId, [...regionIds, '*']))
    .orderBy(desc(rolloutActions.at), desc(rolloutActions.n))
    .limit(limit);
}
