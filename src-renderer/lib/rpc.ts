import type { Lang } from '../../src-shared/domain/enums.js';
import type { Input, Method, Output } from '../../src-shared/rpc/contract.js';
import type { RpcErrorBody } from '../../src-shared/rpc/errors.js';

type CallResult = { ok: true; data: unknown } | { ok: false; status: number; error: RpcErrorBody };

declare global {
  interface Window {
    /** Present only inside Electron (preload); browser mode talks HTTP. */
    kezek?: {
      rpc(method: string, input: unknown, token: string | null, lang: Lang): Promise<CallResult>;
      /** The desk's change notices (desk-changes.ts); returns how to stop hearing them. */
      onChanges?(listener: (notice: unknown) => void): () => void;
    };
  }
}

export class RpcError extends Error {
  constructor(
    readonly status: number,
    readonly body: RpcErrorBody,
  ) {
    super(body.message);
  }
  get code() {
    return this.body.code;
  }
}

/** The session token lives in memory only: a reload signs the user out, nothing sits in storage. */
const state: { token: string | null; lang: Lang } = { token: null, lang: 'ru' };
export const setToken = (t: string | null) => {
  state.token = t;
};
/** The session's token, for the change notices' stream (desk-changes.ts). */
export const currentToken = () => state.token;
export const setRpcLang = (l: Lang) => {
  state.lang = l;
};

async function overHttp(method: string, input: unknown): Promise<CallResult> {
  const res = await fetch(`./rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kezek-lang': state.lang, ...(state.token ? { authorization: `Bearer ${state.token}` } : {}) },
    body: JSON.stringify(input ?? {}),
  });
  const body = (await res.json()) as { data?: unknown; error?: RpcErrorBody };
  return res.ok ? { ok: true, data: body.data } : { ok: false, status: res.status, error: body.error! };
}

let sessionLost: () => void = () => undefined;
/**
 * What to do when the desk no longer knows this window's session — it was restarted, or the
 * session expired: the app goes back to the sign-in screen instead of showing empty lists.
 */
export const onSessionLost = (handler: () => void) => {
  sessionLost = handler;
};

/** The desk answered that it no longer knows this session (a call, or the change notices' stream): back to sign-in. */
export const sessionGone = () => {
  if (state.token !== null) sessionLost();
};

/** One typed call over whichever transport this window has. */
export async function call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  const token = state.token;
  const r = window.kezek ? await window.kezek.rpc(method, input, token, state.lang) : await overHttp(method, input);
  if (!r.ok) {
    if (token !== null && r.error.code === 'unauthenticated') sessionLost();
    throw new RpcError(r.status, r.error);
  }
  return r.data as Output<M>;
}
