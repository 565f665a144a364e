import { badInputBody } from '../../src-shared/rpc/input-problems.js';
import type { z } from 'zod';
import type { Lang } from '../../src-shared/domain/enums.js';
import { translate } from '../../src-shared/i18n/index.js';
import { contract, isMethod, type Method, type Output, type ParsedInput } from '../../src-shared/rpc/contract.js';
import { AppError, httpStatus, type ErrorCode, type RpcErrorBody } from '../../src-shared/rpc/errors.js';
import type { Sessions } from '../auth/sessions.js';
import type { PrinterService } from '../print/printer-service.js';
import type { SyncEngine } from '../sync/engine.js';
import type { Actor, Env } from '../services/env.js';
import { METHOD_CHANGES, type Topic } from '../../src-shared/rpc/changes.js';
import type { ChangeFeed } from './change-feed.js';
import { handlers } from './handlers.js';
import type { HallLink } from '../hall/link.js';

/** Who is calling: the session token, the UI language, and the caller's network address (sign-in throttling). */
export interface CallMeta {
  token?: string | undefined;
  lang?: Lang | undefined;
  address?: string | undefined;
}
export type CallResult = { ok: true; data: unknown } | { ok: false; status: number; error: RpcErrorBody };
export interface Router {
  call(method: string, input: unknown, meta: CallMeta): Promise<CallResult>;
  /**
   * Hear the desk's change notices (issue 23 finding 12) as a signed-in session: null when the token has no session
   * (the notices say nothing but which lists to reload, still only a signed-in window hears them); returns how to stop.
   */
  follow(token: string | undefined, listener: (topics: Topic[]) => void): (() => void) | null;
}

export interface HandlerCtx {
  env: Env;
  sessions: Sessions;
  printer: PrinterService;
  sync: SyncEngine | null;
  hall: HallLink | null;
  actor: Actor | null;
  token: string | undefined;
  lang: Lang;
  address: string;
}
export type Handlers = { [M in Method]: (input: ParsedInput<M>, ctx: HandlerCtx) => Output<M> | Promise<Output<M>> };

function failure(code: ErrorCode, lang: Lang, params?: Record<string, string | number>, issues?: string[]): CallResult {
  const error: RpcErrorBody = { code, message: translate(lang, `errors.${code}`, params ?? {}) };
  if (params) error.params = params;
  if (issues) error.issues = issues;
  return { ok: false, status: httpStatus(code), error };
}

/** What a session signed in with a temporary password may do: choose its own, or leave. */
const UNTIL_PASSWORD_CHANGED: ReadonlySet<string> = new Set<Method>(['auth.changePassword', 'auth.signOut', 'auth.me']);

/**
 * The one router behind both transports. For every call: the method must be in
 * the contract, the session must exist and its role be allowed, the input must
 * parse, and the output must match its schema — or a translated error comes back.
 */
export function createRouter(
  env: Env,
  sessions: Sessions,
  printer: PrinterService,
  sync: SyncEngine | null = null,
  log: (msg: string, err?: unknown) => void = console.error,
  changes: ChangeFeed | null = null,
  hall: HallLink | null = null,
): Router {
  return {
    follow(token, listener) {
      if (!changes || !sessions.get(token)) return null;
      return changes.subscribe(listener);
    },
    async call(method, input, meta) {
      const session = sessions.get(meta.token);
      const lang: Lang = meta.lang ?? session?.lang ?? 'ru';
      if (!isMethod(method)) return failure('unknown_method', lang);
      const spec = contract[method];
      if (spec.roles !== 'public') {
        if (!session) return failure('unauthenticated', lang);
        if (!(spec.roles as readonly string[]).includes(session.user.role)) return failure('forbidden', lang);
        if (session.mustChangePassword && !UNTIL_PASSWORD_CHANGED.has(method)) return failure('password_change_required', lang);
      }
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, status: httpStatus('bad_input'), error: badInputBody(lang, parsed.error.issues) };
      const actor: Actor | null = session ? { userId: session.user.id, role: session.user.role, doctorId: session.user.doctorId, key: session.key } : null;
      try {
        const handler = handlers[method] as (i: unknown, c: HandlerCtx) => unknown;
        const out = await handler(parsed.data, { env, sessions, printer, sync, hall, actor, token: meta.token, lang, address: meta.address ?? 'local' });
        const checked = (spec.output as z.ZodType).safeParse(out);
        if (!checked.success) {
          log(`rpc ${method}: output does not match the contract`, checked.error);
          return failure('internal', lang);
        }
        // Every window of this desk (and the LAN PCs it serves) hears what this call changed.
        const topics = METHOD_CHANGES[method];
        if (topics) changes?.publish(topics);
        return { ok: true, data: checked.data };
      } catch (e) {
        if (e instanceof AppError) return failure(e.code, lang, e.params, e.issues);
        log(`rpc ${method} failed`, e);
        return failure('internal', lang);
      }
    },
  };
}
