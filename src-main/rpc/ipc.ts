import { lang as langSchema } from '../../src-shared/domain/enums.js';
import { translate } from '../../src-shared/i18n/index.js';
import type { CallResult, Router } from './router.js';

/** The origin the desk UI is served from inside Electron (custom protocol, never file://). */
export const APP_ORIGIN = 'app://desk/';

/** What the handler needs from Electron's IpcMainInvokeEvent: which frame sent the call. */
export interface IpcSender {
  senderFrame: { url: string } | null;
}

/**
 * The Electron IPC transport, free of Electron imports so tests can drive it:
 * calls from any frame but our own UI are refused; everything else goes through
 * the same router as HTTP, which validates method, session, role, input and output.
 */
export function createIpcHandler(router: Router) {
  return async (event: IpcSender, method: unknown, input: unknown, token: unknown, lang: unknown): Promise<CallResult> => {
    if (!event.senderFrame?.url.startsWith(APP_ORIGIN)) {
      return { ok: false, status: 403, error: { code: 'forbidden', message: translate(langSchema.safeParse(lang).data ?? 'ru', 'errors.forbidden') } };
    }
    return router.call(typeof method === 'string' ? method : '', input, {
      token: typeof token === 'string' ? token : undefined,
      lang: langSchema.safeParse(lang).data,
    });
  };
}
