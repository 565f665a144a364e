import { badInputBody } from '../../src-shared/rpc/input-problems.js';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { z } from 'zod';
import type { Lang } from '../../src-shared/domain/enums.js';
import { translate } from '../../src-shared/i18n/index.js';
import { contract, type SetupState } from '../../src-shared/rpc/contract.js';
import { type ErrorCode, httpStatus } from '../../src-shared/rpc/errors.js';
import { acquireInstanceLock } from '../db/instance-lock.js';
import { type Desk, type DeskOptions, openDesk } from '../desk.js';
import type { CallMeta, CallResult, Router } from '../rpc/router.js';
import { DEMO_CLINIC } from '../seed/demo-clinic.js';
import { SyncError } from '../sync/server-client.js';
import { forgetProvisioning, readProvisioning } from './provisioning.js';

export interface HostOptions extends Omit<DeskOptions, 'instanceLock' | 'demo' | 'enroll'> {
  /** This PC's name, offered as the desk's name. */
  deviceName: string;
  /** Build the demo clinic on a fresh data folder (chosen: `--demo`). */
  demo?: boolean;
  /** Enroll on a fresh data folder now (the command line's --server / --enroll-code). */
  enroll?: DeskOptions['enroll'];
  /** Where a provisioning file for a silent install may lie (beside the app, in the data folder). */
  provisionPaths?: readonly string[];
  /** The desk is open (at start, or once the wizard finished): the shell starts what needs a desk. */
  onReady?(desk: Desk): void;
}

/** Has this data folder a clinic, or at least an enrollment to finish? (Read without opening the desk.) */
function isSetUp(dataDir: string): boolean {
  const file = join(dataDir, 'kezek.sqlite');
  if (!existsSync(file)) return false;
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT 1 FROM meta WHERE key IN ('org_id', 'server_url') LIMIT 1").get() !== undefined;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/**
 * The desk process's front door (issue 12). A set-up data folder opens its desk at once. A fresh one
 * waits for the first-run wizard — the clinic's server and a one-time code (or a provisioning file for
 * silent installs), or the demo clinic when chosen — and never builds the demo on its own. Until then
 * only the wizard's methods answer; afterwards everything goes to the desk's router.
 */
export class DeskHost {
  desk: Desk | null = null;
  private state: SetupState;
  private working: Promise<void> | null = null;

  private constructor(
    private readonly opts: HostOptions,
    private readonly releaseLock: () => void,
  ) {
    this.state = { state: 'choose', progress: null, error: null, deviceName: opts.deviceName };
  }

  static async open(opts: HostOptions): Promise<DeskHost> {
    mkdirSync(opts.dataDir, { recursive: true });
    const lock = acquireInstanceLock(opts.dataDir);
    const host = new DeskHost(opts, lock.release);
    try {
      // A set-up desk takes a code only to enroll again after the server refused it (openDesk decides).
      if (isSetUp(opts.dataDir)) await host.openWith(opts.enroll ? { enroll: opts.enroll } : {});
      else if (opts.enroll) await host.openWith({ enroll: opts.enroll });
      else if (opts.demo) await host.openWith({ demo: DEMO_CLINIC });
      else {
        const provision = readProvisioning(opts.provisionPaths ?? []);
        if (provision) {
          const { serverUrl, code, password, deviceName } = provision.data;
          host.start({ enroll: { serverUrl, code, password, deviceName: deviceName ?? opts.deviceName } }, () => forgetProvisioning(provision.file));
        }
      }
      return host;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Open the desk (enrolling or building the demo first on a fresh folder). */
  private async openWith(how: Pick<DeskOptions, 'enroll' | 'demo'>): Promise<void> {
    const onBootstrapProgress = (done: number, total: number | null) => {
      this.state = { ...this.state, progress: { done, total } };
      this.opts.onBootstrapProgress?.(done, total);
    };
    this.desk = await openDesk({ ...this.opts, ...how, demo: how.demo ?? false, instanceLock: false, onBootstrapProgress });
    this.state = { state: 'ready', progress: null, error: null, deviceName: this.opts.deviceName };
    this.opts.onReady?.(this.desk);
  }

  /** Enroll or build the demo in the background; the wizard follows it through `setup.status`. */
  private start(how: Pick<DeskOptions, 'enroll' | 'demo'>, then: () => void = () => undefined): void {
    this.state = { ...this.state, state: 'enrolling', progress: null, error: null };
    this.working = this.openWith(how)
      .then(then)
      .catch((e: unknown) => {
        this.state = { ...this.state, state: 'failed', error: errorCode(e) };
      })
      .finally(() => {
        this.working = null;
      });
  }

  /** Wait for a background enrollment (tests; a closing shell). */
  async settled(): Promise<void> {
    await this.working;
  }

  readonly router: Router = {
    call: async (method, input, meta) => {
      if (this.desk) return this.desk.router.call(method, input, meta);
      if (!method.startsWith('setup.')) return failure('not_set_up', meta);
      return this.setupCall(method as 'setup.status' | 'setup.enroll' | 'setup.demo', input, meta);
    },
    // Before the desk exists nobody is signed in: there is nothing to hear.
    follow: (token, listener) => this.desk?.router.follow(token, listener) ?? null,
  };

  private async setupCall(method: 'setup.status' | 'setup.enroll' | 'setup.demo', input: unknown, meta: CallMeta): Promise<CallResult> {
    const spec = contract[method];
    const parsed = (spec.input as z.ZodType).safeParse(input ?? {});
    if (!parsed.success) return { ok: false, status: httpStatus('bad_input'), error: badInputBody(meta.lang ?? 'ru', parsed.error.issues) };
    // Which clinic this PC belongs to is decided at the PC itself (the window, or a browser on it),
    // never by another computer of the LAN reaching a desk started with --host 0.0.0.0.
    if (method !== 'setup.status' && !fromThisPc(meta.address)) return failure('setup_on_this_pc', meta);
    const busy = this.state.state === 'enrolling';
    if (method === 'setup.enroll' && !busy) {
      const i = parsed.data as { serverUrl: string; code: string; deviceName: string; password: string };
      this.start({ enroll: { serverUrl: i.serverUrl, code: i.code, deviceName: i.deviceName, password: i.password } });
    }
    if (method === 'setup.demo' && !busy) this.start({ demo: DEMO_CLINIC });
    // A failure is shown in the asker's language.
    const lang: Lang = meta.lang ?? 'ru';
    const error = this.state.error ? translate(lang, `errors.${this.state.error}`) : null;
    return { ok: true, data: { ...this.state, error } };
  }

  async close(): Promise<void> {
    await this.working?.catch(() => undefined);
    await this.desk?.close();
    this.releaseLock();
  }
}

/** The window's own calls (IPC, no address) and loopback HTTP; not another computer of the network. */
function fromThisPc(address: string | undefined): boolean {
  return address === undefined || address === '::1' || /^(::ffff:)?127\./.test(address);
}

/** A failed enrollment, as the wizard says it: the code refused, the server not reached, or something else. */
function errorCode(e: unknown): ErrorCode {
  if (e instanceof SyncError) return e.kind === 'unauthorized' || e.kind === 'refused' ? 'enroll_refused' : 'server_unreachable';
  return 'internal';
}

function failure(code: ErrorCode, meta: CallMeta): CallResult {
  const lang = meta.lang ?? 'ru';
  return { ok: false, status: httpStatus(code), error: { code, message: translate(lang, `errors.${code}`) } };
}
