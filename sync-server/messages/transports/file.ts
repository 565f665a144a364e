import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OutgoingMessage, Transport } from './transport.js';

/**
 * Development and tests: each message one NDJSON line in a file, nothing reaches a patient. Idempotent like a good
 * gateway: an id already in the file is not written again (so a resend after a crash is visible as not repeated).
 */
export function fileTransport(path: string, channel: 'sms' | 'email' = 'sms'): Transport {
  mkdirSync(dirname(path), { recursive: true });
  const sent = (id: string) => existsSync(path) && readFileSync(path, 'utf8').includes(`"id":${JSON.stringify(id)}`);
  return {
    name: 'file',
    channel,
    idempotent: true,
    async send(m: OutgoingMessage) {
      if (!sent(m.id)) appendFileSync(path, `${JSON.stringify({ id: m.id, channel, to: m.to, text: m.text, ...(m.subject ? { subject: m.subject } : {}), at: new Date().toISOString() })}\n`);
      return { ref: `file:${m.id}` };
    },
    async close() {},
  };
}
