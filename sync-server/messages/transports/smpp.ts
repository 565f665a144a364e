import smpp, { type Pdu, type Session } from 'smpp';
import { smsParts } from '../sms-parts.js';
import type { OutgoingMessage, Transport } from './transport.js';
import { SendFailure } from './transport.js';

export interface SmppSettings {
  /** smpp://host:port (ssmpp:// for TLS). */
  url: string;
  systemId: string;
  password: string;
  /** The sender name or number the operator registered for the clinic. */
  sender: string;
  timeoutMs: number;
}

/** SMPP status codes that say the number itself is wrong: trying again cannot help. */
const PERMANENT = new Set([0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x33, 0x48, 0x49, 0x50, 0x51]);

/**
 * SMPP 3.4 to an operator's SMSC: one bound transceiver session, opened when the first message goes and again after
 * it drops. A long text goes as a concatenated message — UCS-2 for Cyrillic (data_coding 8), each part with the
 * 8-bit-reference UDH (05 00 03 ref total n) — which every handset joins back. SMPP cannot tell a repeated
 * submit_sm from a new one, so this transport is not idempotent: a send cut by a crash is not repeated (outbox.ts).
 */
export function smppTransport(s: SmppSettings): Transport {
  let session: Promise<Session> | null = null;
  let reference = Math.floor(Math.random() * 256);

  const bound = (): Promise<Session> => {
    session ??= new Promise<Session>((resolve, reject) => {
      const sess = smpp.connect({ url: s.url, auto_enquire_link_period: 30_000 });
      const fail = (why: string) => {
        session = null;
        sess.destroy();
        reject(new SendFailure(why, false));
      };
      const timer = setTimeout(() => fail('SMSC did not answer the bind'), s.timeoutMs);
      sess.on('error', (e: Error) => {
        clearTimeout(timer);
        fail(`SMSC not reached: ${e.message}`);
      });
      sess.on('close', () => {
        session = null;
      });
      sess.on('connect', () => {
        sess.bind_transceiver({ system_id: s.systemId, password: s.password }, (pdu: Pdu) => {
          clearTimeout(timer);
          if (pdu.command_status === 0) resolve(sess);
          else fail(`SMSC refused the bind (status ${pdu.command_status})`);
        });
      });
    });
    return session;
  };

  const submit = (sess: Session, fields: Record<string, unknown>) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SendFailure('SMSC did not answer submit_sm', false)), s.timeoutMs);
      sess.submit_sm(fields, (pdu: Pdu) => {
        clearTimeout(timer);
        if (pdu.command_status === 0) resolve(String(pdu.message_id ?? ''));
        else reject(new SendFailure(`SMSC refused the message (status 0x${pdu.command_status.toString(16)})`, PERMANENT.has(pdu.command_status)));
      });
    });

  return {
    name: 'smpp',
    channel: 'sms',
    idempotent: false,
    async send(m: OutgoingMessage) {
      const sess = await bound();
      const { encoding, parts } = smsParts(m.text);
      const common = {
        source_addr: s.sender,
        source_addr_ton: /^\+?\d+$/.test(s.sender) ? 1 : 5,
        destination_addr: m.to.replace(/^\+/, ''),
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        data_coding: encoding === 'ucs2' ? 8 : 0,
        registered_delivery: 1,
      };
      if (parts.length === 1) return { ref: await submit(sess, { ...common, short_message: parts[0] }) };
      reference = (reference + 1) % 256;
      const ids: string[] = [];
      for (const [i, part] of parts.entries()) {
        const udh = Buffer.from([0x05, 0x00, 0x03, reference, parts.length, i + 1]);
        ids.push(await submit(sess, { ...common, esm_class: 0x40, short_message: { udh, message: part } }));
      }
      return { ref: ids.join(',') };
    },
    async close() {
      const open = session;
      session = null;
      if (open) await open.then((sess) => new Promise<void>((r) => sess.close(() => r()))).catch(() => undefined);
    },
  };
}
