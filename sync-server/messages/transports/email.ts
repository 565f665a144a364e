import nodemailer from 'nodemailer';
import type { OutgoingMessage, Transport } from './transport.js';
import { SendFailure } from './transport.js';

/**
 * E-mail through the clinic's or the region's SMTP server (nodemailer), to patients who gave an address on the
 * patient page. SMTP cannot tell a repeat either: not idempotent. A 5xx reply (no such mailbox) is permanent.
 */
export function emailTransport(s: { smtpUrl: string; from: string }): Transport {
  const mailer = nodemailer.createTransport(s.smtpUrl);
  return {
    name: 'email',
    channel: 'email',
    idempotent: false,
    async send(m: OutgoingMessage) {
      try {
        const info = await mailer.sendMail({ from: s.from, to: m.to, subject: m.subject ?? m.text.slice(0, 60), text: m.text, messageId: `<${m.id}@kezek>` });
        return { ref: info.messageId };
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        throw new SendFailure(`SMTP: ${(e as Error).message.slice(0, 200)}`, code !== undefined && code >= 500);
      }
    },
    async close() {
      mailer.close();
    },
  };
}
