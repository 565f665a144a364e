import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { lang as langSchema, type Lang } from '../../src-shared/domain/enums.js';
import { translate } from '../../src-shared/i18n/index.js';
import type { Router } from './router.js';

import { CSP } from './csp.js';

export { CSP };

const MAX_BODY = 64 * 1024;

/** The names a desk answers to on this PC; `--host 0.0.0.0` adds the PC's own names and addresses (see start.ts). */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'];

/** The host name of a Host header (`[::1]:5780` → `::1`, `Desk-1:5780` → `desk-1`). */
export function hostName(header: string | undefined): string {
  const h = (header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  return h.replace(/:\d+$/, '');
}

/**
 * Browser-mode transport: `POST /rpc/<method>` with a JSON body, the session token
 * as `Authorization: Bearer …`, the UI language as `X-Kezek-Lang`; the built UI on `/`.
 */
export function createHttpApp(router: Router, staticDir: string | null, allowedHosts: readonly string[] = LOOPBACK_HOSTS): Hono {
  const app = new Hono();
  const hosts = new Set(allowedHosts.map((h) => h.toLowerCase()));
  const langOf = (h: string | undefined): Lang => langSchema.safeParse(h).data ?? 'ru';
  const fail = (code: 'bad_input' | 'bad_host' | 'cross_origin' | 'unsupported_media_type', lang: Lang, status: 400 | 403 | 413 | 415, issue: string) =>
    new Response(JSON.stringify({ error: { code, message: translate(lang, `errors.${code}`), issues: [issue] } }), {
      status,
      headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' },
    });

  // DNS rebinding: a web page whose name resolves to 127.0.0.1 reaches this port, but its requests carry its own name in Host.
  // Only this PC's own names are served; a page of another origin may not call the desk either (Origin, Sec-Fetch-Site).
  app.use('*', async (c, next) => {
    const lang = langOf(c.req.header('x-kezek-lang'));
    const host = hostName(c.req.header('host'));
    if (!hosts.has(host)) return fail('bad_host', lang, 403, `host ${host || '(none)'} is not this desk`);
    if (c.req.path.startsWith('/rpc/')) {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== `http://${c.req.header('host')}`) return fail('cross_origin', lang, 403, `origin ${origin}`);
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin' && site !== 'none') return fail('cross_origin', lang, 403, `sec-fetch-site ${site}`);
    }
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  });

  app.post('/rpc/:method', bodyLimit({ maxSize: MAX_BODY, onError: (c) => fail('bad_input', langOf(c.req.header('x-kezek-lang')), 413, `body over ${MAX_BODY} bytes`) }), async (c) => {
    const lang = langOf(c.req.header('x-kezek-lang'));
    // JSON only: a form or a text/plain "simple request" from another page cannot reach the router.
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return fail('unsupported_media_type', lang, 415, 'content-type must be application/json');
    let body: unknown;
    try {
      const text = await c.req.text();
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return fail('bad_input', lang, 400, 'body is not JSON');
    }
    const token = c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    const r = await router.call(c.req.param('method'), body, { token, lang, address: getConnInfo(c).remote.address ?? 'unknown' });
    return r.ok ? c.json({ data: r.data }) : c.json({ error: r.error }, r.status as 400);
  });
  app.all('/rpc/*', (c) => c.json({ error: { code: 'unknown_method', message: translate(langOf(c.req.header('x-kezek-lang')), 'errors.unknown_method') } }, 404));

  if (staticDir && existsSync(join(staticDir, 'index.html'))) {
    const index = readFileSync(join(staticDir, 'index.html'), 'utf8');
    app.use('*', async (c, next) => {
      await next();
      c.header('Content-Security-Policy', CSP);
    });
    app.use('/assets/*', serveStatic({ root: staticDir }));
    app.use('/favicon.svg', serveStatic({ root: staticDir }));
    // Single-page app: every other GET is the UI.
    app.get('*', (c) => c.html(index));
  }
  return app;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function listen(app: Hono, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
        resolve({
          url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}`,
          // Idle keep-alive connections (an open browser tab) would hold close() forever: drop them.
          close: () =>
            new Promise((r) => {
              server.close(() => r());
              (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      });
      server.on('error', reject);
    } catch (e) {
      reject(e);
    }
  });
}
