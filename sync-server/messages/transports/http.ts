import type { OutgoingMessage, Transport } from './transport.js';
import { SendFailure } from './transport.js';

export interface HttpGatewaySettings {
  url: string;
  /** The request body with {{id}}, {{to}}, {{text}}, {{sender}} put in (JSON-escaped when the body is JSON). */
  bodyTemplate: string;
  contentType: string;
  headers: Record<string, string>;
  sender: string;
  /** The gateway drops a repeated {{id}} (say so only when its documentation does). */
  idempotent: boolean;
  timeoutMs: number;
}

/**
 * A generic HTTP SMS gateway: most in the region (and the aggregators) take one POST with the number, the text and
 * the sender name; the body's shape is the settings' template. 2xx is taken; 4xx other than 408/429 will not get
 * better by trying again; anything else (5xx, a timeout, a refused connection) is tried again later.
 */
export function httpTransport(s: HttpGatewaySettings): Transport {
  const json = s.contentType.includes('json');
  const put = (v: string) => (json ? JSON.stringify(v).slice(1, -1) : encodeURIComponent(v));
  return {
    name: 'http',
    channel: 'sms',
    idempotent: s.idempotent,
    async send(m: OutgoingMessage) {
      const body = s.bodyTemplate.replace(/\{\{(id|to|text|sender)\}\}/g, (_, k: 'id' | 'to' | 'text' | 'sender') => put(k === 'sender' ? s.sender : m[k]));
      let res: Response;
      try {
        res = await fetch(s.url, {
          method: 'POST',
          headers: { 'content-type': s.contentType, 'idempotency-key': m.id, ...s.headers },
          body,
          signal: AbortSignal.timeout(s.timeoutMs),
        });
      } catch (e) {
        throw new SendFailure(`gateway not reached: ${String((e as Error).cause ?? e).slice(0, 200)}`, false);
      }
      const text = (await res.text().catch(() => '')).slice(0, 200);
      if (res.ok) return { ref: text || `http ${res.status}` };
      throw new SendFailure(`gateway answered ${res.status}: ${text}`, res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429);
    },
    async close() {},
  };
}
