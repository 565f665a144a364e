import type { AppUpdater, UpdateInfo } from 'electron-updater';
import { localParts } from '../../src-shared/time/dates.js';

/** When a downloaded update may install itself: at night, clinic time, and only with nobody at the desk. */
export const INSTALL_WINDOW = { fromHour: 2, toHour: 5 } as const;
const CHECK_EVERY_MS = 4 * 3_600_000;
/** Nobody has touched the desk for this long: no booking can be half done. */
const IDLE_MS = 30 * 60_000;

export interface DeskUpdateDeps {
  /** electron-updater's updater for this platform (NsisUpdater on Windows), not yet given a feed. */
  updater: AppUpdater;
  serverUrl: string;
  platform: 'win' | 'linux';
  /** The device token and what the desk runs: the feed answers per desk (its region's window, its OS). */
  headers(): Record<string, string>;
  clock(): number;
  timezone: string;
  /** When a person last used the desk (any call of the UI). */
  lastActivityAt(): number;
  log(msg: string, err?: unknown): void;
}

export type UpdateState = { kind: 'idle' } | { kind: 'none' } | { kind: 'downloading'; version: string } | { kind: 'ready'; version: string } | { kind: 'error'; message: string };

/**
 * Updates from the clinic's own sync server (issue 12): checked in the background, downloaded
 * quietly (only the changed blocks where the server has the old blockmap), installed when the desk
 * quits or overnight with nobody at it — never in the middle of a booking.
 */
export class DeskUpdates {
  state: UpdateState = { kind: 'idle' };
  /** The download the last check started, if any (electron-updater downloads on its own once it found one). */
  download: Promise<unknown> | null = null;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly d: DeskUpdateDeps) {
    const u = d.updater;
    u.autoDownload = true;
    u.autoInstallOnAppQuit = true;
    // The server decides what each desk runs (sync-server/updates/rollout.ts): it offers an older version only to a
    // desk whose release was rolled back in its region, and never one below a version it did not publish.
    u.allowDowngrade = true;
    // One byte range per request: the feed answers single ranges (simple, and what every proxy passes).
    u.setFeedURL({ provider: 'generic', url: `${d.serverUrl.replace(/\/+$/, '')}/updates/${d.platform}/`, useMultipleRangeRequest: false });
    u.on('update-downloaded', (info: UpdateInfo) => {
      this.state = { kind: 'ready', version: info.version };
    });
  }

  /** Ask the server once; a newer release open for this desk starts downloading. */
  async check(): Promise<UpdateInfo | null> {
    this.d.updater.requestHeaders = this.d.headers();
    try {
      const r = await this.d.updater.checkForUpdates();
      const available = r?.isUpdateAvailable ? r.updateInfo : null;
      this.download = available ? (r?.downloadPromise ?? null) : null;
      this.state = available ? { kind: 'downloading', version: available.version } : this.state.kind === 'ready' ? this.state : { kind: 'none' };
      return available;
    } catch (e) {
      // No release open for this desk yet is the usual answer, not a fault.
      if ((e as { code?: string }).code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND') {
        this.state = { kind: 'none' };
        return null;
      }
      this.state = { kind: 'error', message: String((e as Error).message ?? e).slice(0, 300) };
      this.d.log('update check failed', e);
      return null;
    }
  }

  /** Install a downloaded update now if it is the night and nobody is at the desk; returns whether it did. */
  installIfQuiet(): boolean {
    if (this.state.kind !== 'ready') return false;
    const now = this.d.clock();
    const hour = Number(localParts(now, this.d.timezone).time.slice(0, 2));
    if (hour < INSTALL_WINDOW.fromHour || hour >= INSTALL_WINDOW.toHour || now - this.d.lastActivityAt() < IDLE_MS) return false;
    this.d.updater.quitAndInstall(true, true);
    return true;
  }

  start(): void {
    const tick = async () => {
      await this.check();
      this.installIfQuiet();
    };
    void tick();
    // Every few hours, with a spread so a region's desks do not all ask at once; and each quarter hour, whether the night has come.
    this.timers = [setInterval(() => void tick(), CHECK_EVERY_MS + Math.floor(Math.random() * 600_000)), setInterval(() => this.installIfQuiet(), 15 * 60_000)];
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
  }
}

/**
 * A copy of Kezek older than its data (db/open.ts NewerDataError: another Windows account's newer copy migrated the
 * PC's shared data folder) cannot open the desk — so nobody can be in the middle of a booking: ask the clinic's server
 * for the release it offers this PC, download it and install it now. Resolves with the version being installed, or
 * null when the server offers nothing newer (the message then stands until it does).
 */
export async function catchUpWithData(d: Pick<DeskUpdateDeps, 'updater' | 'serverUrl' | 'platform' | 'headers' | 'log'>): Promise<string | null> {
  const updates = new DeskUpdates({ ...d, clock: Date.now, timezone: 'UTC', lastActivityAt: () => 0 });
  const found = await updates.check();
  if (!found) return null;
  await updates.download;
  if (updates.state.kind !== 'ready') return null;
  d.updater.quitAndInstall(true, true);
  return found.version;
}
