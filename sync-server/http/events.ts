import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Pokes } from '../sync/pokes.js';

/**
 * A desk's server-sent event stream: `hello` on connect, `poke` whenever its
 * organization's data changed (a hint to pull now), `ping` every 25 s so
 * proxies keep the connection. Ends when the desk goes or the server stops.
 */
export function eventStream(c: Context, pokes: Pokes, orgId: string, clock: () => number): Response {
  return streamSSE(c, async (stream) => {
    let pending = false;
    let closed = false;
    let wake: () => void = () => undefined;
    const unsubscribe = pokes.subscribe(orgId, {
      poke: () => {
        pending = true;
        wake();
      },
      close: () => {
        closed = true;
        wake();
      },
    });
    stream.onAbort(() => {
      closed = true;
      wake();
    });
    try {
      await stream.writeSSE({ event: 'hello', data: String(clock()) });
      while (!closed) {
        // A poke that arrives while writing sets `pending` and is sent on the next turn, never lost.
        if (!pending)
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 25_000).unref();
          });
        if (closed) break;
        if (pending) {
          pending = false;
          await stream.writeSSE({ event: 'poke', data: String(clock()) });
        } else await stream.writeSSE({ event: 'ping', data: '' });
      }
    } finally {
      unsubscribe();
    }
  });
}
