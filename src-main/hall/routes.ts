import type { IncomingMessage, ServerResponse } from 'node:http';
import { lang as langSchema } from '../../src-shared/domain/enums.js';
import { callPhrase, signedHallHelp, signedHallRequest } from '../../src-shared/hall/calls.js';
import { translate } from '../../src-shared/i18n/index.js';
import { AppError, httpStatus } from '../../src-shared/rpc/errors.js';
import { readBody } from '../rpc/read-body.js';
import type { Hall } from './hall.js';
import type { Voice } from './voice.js';

/** What the hall's desk answers on the LAN under `/hall/…` (the page itself is the built UI's hall.html). */
export type HallHttp = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

const json = (res: ServerResponse, status: number, value: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(JSON.stringify(value));
};

/** `?cabinets=101,102` or `?floor=2`: the cabinets a screen shows; neither — the whole clinic. */
const cabinetsOf = (url: URL, hall: Hall): string[] | null => {
  const floor = url.searchParams.get('floor');
  if (floor !== null && /^-?\d{1,2}$/.test(floor.trim())) return hall.cabinetsOn(Number(floor));
  const list = (url.searchParams.get('cabinets') ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0 && c.length <= 20)
    .slice(0, 50);
  return list.length ? list : null;
};

/**
 * `GET /hall/state`, `GET /hall/events` (both with `?cabinets=` or `?floor=`) (Server-Sent Events: the whole state at once and after every change — a TV's
 * browser reconnects by itself), `GET /hall/voice/<call>/<lang>.wav`, and `POST /hall/requests` — a signed request of
 * a cabinet PC or another desk. The screen shows numbers and cabinets, never a name: no sign-in to read it.
 */
export function hallHttp(hall: Hall, voice: Voice): HallHttp {
  return async (req, res, url) => {
    const path = url.pathname;
    if (path === '/hall/requests' && req.method === 'POST') {
      // JSON only: a form another page posts is not even read (a request still needs its signature).
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return json(res, 415, { error: { code: 'unsupported_media_type' } });
      const text = await readBody(req, 8 * 1024);
      let body: unknown = null;
      try {
        body = text === null ? null : JSON.parse(text);
      } catch {}
      const call = signedHallRequest.safeParse(body);
      const help = signedHallHelp.safeParse(body);
      if (!call.success && !help.success) return json(res, 400, { error: { code: 'bad_input', message: translate('ru', 'errors.bad_input') } });
      try {
        if (help.success) {
          hall.help(help.data);
          return json(res, 200, { ok: true });
        }
        return json(res, 200, hall.answer(call.data!));
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        return json(res, httpStatus(e.code), { error: { code: e.code, params: e.params ?? {} } });
      }
    }
    if (req.method !== 'GET') return json(res, 404, { error: { code: 'unknown_method' } });
    if (path === '/hall/state') return json(res, 200, hall.state(cabinetsOf(url, hall)));
    if (path === '/hall/events') {
      const cabinets = cabinetsOf(url, hall);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      const push = () => res.write(`data: ${JSON.stringify(hall.state(cabinets))}\n\n`);
      push();
      const stop = hall.subscribe(push);
      const beat = setInterval(() => res.write(':\n\n'), 25_000);
      beat.unref();
      res.on('close', () => {
        clearInterval(beat);
        stop();
      });
      return;
    }
    const voiceAsk = /^\/hall\/voice\/([\w-]{1,80})\/(ru|ky|kk)\.wav$/.exec(path);
    if (voiceAsk) {
      const call = hall.call(voiceAsk[1]!);
      if (!call) return json(res, 404, { error: { code: 'not_found' } });
      const lang = langSchema.parse(voiceAsk[2]);
      const wav = await voice.speak(lang, callPhrase(lang, call.queueNumber, call.cabinet));
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(wav.length), 'cache-control': 'private, max-age=86400', 'x-content-type-options': 'nosniff' }).end(wav);
      return;
    }
    json(res, 404, { error: { code: 'not_found' } });
  };
}
