import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { lang as langSchema, type Lang } from '../../src-shared/domain/enums.js';
import { translate } from '../../src-shared/i18n/index.js';
import type { Router } from './router.js';
import { readBody } from './read-body.js';
import type { HallHttp } from '../hall/routes.js';

import { CSP } from './csp.js';

export { CSP };

// Plain node:http, no web framework: the installed desk serves old PCs over the LAN (issue 12) and
// its package carries none of the sync server's HTTP stack.

const MAX_BODY = 64 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The names a desk answers to on this PC; `--host 0.0.0.0` adds the PC's own names and addresses (see lan-hosts.ts). */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'];

/** The host name of a Host header (`[::1]:5780` → `::1`, `Desk-1:5780` → `desk-1`). */
export function hostName(header: string | undefined): string {
  const h = (header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  return h.replace(/:\d+$/, '');
}

type ErrorCode = 'bad_input' | 'bad_host' | 'cross_origin' | 'unsupported_media_type' | 'unknown_method';

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, { 'x-content-type-options': 'nosniff', ...headers }).end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(value));
}

function fail(res: ServerResponse, code: ErrorCode, lang: Lang, status: number, issue?: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message: translate(lang, `errors.${code}`), ...(issue ? { issues: [issue] } : {}) } }, headers);
}

/** A path's text, or null for a malformed escape (`%E0%A4%A`) — answered, never thrown. */
function decoded(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** The built UI: a file of it, or index.html for every other path (a single-page app). Never a path outside it. */
function staticFiles(dir: string | null): ((path: string) => { body: Buffer; type: string }) | null {
  if (!dir || !existsSync(join(dir, 'index.html'))) return null;
  const index = readFileSync(join(dir, 'index.html'));
  const root = normalize(dir + sep);
  return (path) => {
    const file = normalize(join(root, decoded(path) ?? ''));
    if (file.startsWith(root) && file !== root && existsSync(file) && statSync(file).isFile()) return { body: readFileSync(file), type: TYPES[extname(file)] ?? 'application/octet-stream' };
    return { body: index, type: TYPES['.html']! };
  };
}

/**
 * Browser-mode transport: `POST /rpc/<method>` with a JSON body (and `POST /events`, the change notices), the session token
 * as `Authorization: Bearer …`, the UI language as `X-Kezek-Lang`; the built UI on `/`.
 */
export function createHttpApp(router: Router, staticDir: string | null, allowedHosts: readonly string[] = LOOPBACK_HOSTS, hall: () => HallHttp | null = () => null): RequestListener {
  const hosts = new Set(allowedHosts.map((h) => h.toLowerCase()));
  const files = staticFiles(staticDir);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const lang: Lang = langSchema.safeParse(req.headers['x-kezek-lang']).data ?? 'ru';
    const path = new URL(req.url ?? '/', 'http://desk').pathname;
    // DNS rebinding: a web page whose name resolves to 127.0.0.1 reaches this port, but its requests carry its own name in Host.
    // Only this PC's own names are served; a page of another origin may not call the desk either (Origin, Sec-Fetch-Site).
    const host = hostName(req.headers.host);
    if (!hosts.has(host)) return fail(res, 'bad_host', lang, 403, `host ${host || '(none)'} is not this desk`);

    if (path.startsWith('/rpc/') || path === '/events') {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}`) return fail(res, 'cross_origin', lang, 403, `origin ${origin}`);
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin' && site !== 'none') return fail(res, 'cross_origin', lang, 403, `sec-fetch-site ${String(site)}`);
      if (req.method !== 'POST') return fail(res, 'unknown_method', lang, 404);
      if (path === '/events') return follow(req, res, lang);
      // JSON only: a form or a text/plain "simple request" from another page cannot reach the router.
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return fail(res, 'unsupported_media_type', lang, 415, 'content-type must be application/json');
      const text = await readBody(req, MAX_BODY);
      // The rest of an oversized body is never read: close the connection rather than drain it.
      if (text === null) return fail(res, 'bad_input', lang, 413, `body over ${MAX_BODY} bytes`, { connection: 'close' });
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        return fail(res, 'bad_input', lang, 400, 'body is not JSON');
      }
      const token = req.headers.authorization?.replace(/^Bearer\s+/i, '');
      const r = await router.call(decoded(path.slice('/rpc/'.length)) ?? '', body, { token, lang, address: req.socket.remoteAddress ?? 'unknown' });
      return r.ok ? sendJson(res, 200, { data: r.data }) : sendJson(res, r.status, { error: r.error });
    }

    // The hall's queue screen (issue 21): its page, and what it and the cabinet PCs ask under /hall/.
    if (path.startsWith('/hall/')) {
      const h = hall();
      if (h) return h(req, res, new URL(req.url ?? '/', 'http://desk'));
      return send(res, 404, { 'content-type': 'text/plain' }, 'not found');
    }
    if (files && (req.method === 'GET' || req.method === 'HEAD')) {
      const f = files(path === '/hall' ? '/hall.html' : path);
      return send(res, 200, { 'content-type': f.type, 'content-security-policy': CSP }, req.method === 'HEAD' ? '' : f.body);
    }
    send(res, 404, { 'content-type': 'text/plain' }, 'not found');
  };

  /**
   * `POST /events`: the desk's change notices as NDJSON, one `{"topics":[…]}` line each, for as long as the window
   * keeps the request open (issue 23 finding 12). The first line `{"ready":true}` says it is listening — a window
   * reloads everything then, for what changed while it was not; a blank line every 25 s keeps a LAN PC's connection
   * from looking idle. A signed-in session only.
   */
  const follow = (req: IncomingMessage, res: ServerResponse, lang: Lang): void => {
    const token = req.headers.authorization?.replace(/^Bearer\s+/i, '');
    const stop = router.follow(token, (topics) => res.write(`${JSON.stringify({ topics })}\n`));
    if (!stop) {
      sendJson(res, 401, { error: { code: 'unauthenticated', message: translate(lang, 'errors.unauthenticated') } });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.write('{"ready":true}\n');
    const beat = setInterval(() => res.write('\n'), 25_000);
    beat.unref();
    res.on('close', () => {
      clearInterval(beat);
      stop();
    });
  };

  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('desk http', e);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: translate('ru', 'errors.internal') } });
      else res.destroy();
    });
  };
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function listen(handler: RequestListener, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer(handler);
    server.once('error', reject);
    server.listen(port, host, () => {
      const info = server.address() as AddressInfo;
      resolve({
        url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}`,
        // Idle keep-alive connections (an open browser tab) would hold close() forever: drop them.
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
