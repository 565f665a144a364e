import { z } from 'zod';
import { emailTransport } from './transports/email.js';
import { fileTransport } from './transports/file.js';
import { httpTransport } from './transports/http.js';
import { smppTransport } from './transports/smpp.js';
import type { Transport } from './transports/transport.js';

export interface Transports {
  sms: Transport | null;
  email: Transport | null;
}

const flag = z.enum(['0', '1']).transform((v) => v === '1');
const env = z.object({
  KEZEK_SMS: z.enum(['file', 'http', 'smpp', 'off']).default('file'),
  KEZEK_SMS_FILE: z.string().min(1).optional(),
  KEZEK_SMS_SENDER: z.string().min(1).max(16).default('Kezek'),
  KEZEK_SMS_HTTP_URL: z.url().optional(),
  KEZEK_SMS_HTTP_BODY: z.string().default('{"id":"{{id}}","to":"{{to}}","text":"{{text}}","sender":"{{sender}}"}'),
  KEZEK_SMS_HTTP_CONTENT_TYPE: z.string().default('application/json'),
  KEZEK_SMS_HTTP_HEADERS: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'a JSON object of header names and values' });
        return z.NEVER;
      }
    }),
  KEZEK_SMS_HTTP_IDEMPOTENT: flag.default(false),
  KEZEK_SMS_SMPP_URL: z
    .string()
    .regex(/^s?smpp:\/\/[^/]+$/, 'smpp://host:port')
    .optional(),
  KEZEK_SMS_SMPP_SYSTEM_ID: z.string().max(16).default(''),
  KEZEK_SMS_SMPP_PASSWORD: z.string().max(9).default(''),
  KEZEK_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'smtp://user:password@host:port')
    .optional(),
  KEZEK_MAIL_FROM: z.string().default('Kezek <kezek@localhost>'),
});

/**
 * The message transports from the server's environment (README, "Messages to patients"). Unset, SMS go to the
 * NDJSON file beside the data (development: nothing reaches a patient); a mistake in the settings stops the start
 * with the variable's name.
 */
export function transportsFromEnv(vars: NodeJS.ProcessEnv, dataDir: string): Transports {
  const parsed = env.safeParse(vars);
  if (!parsed.success) throw new Error(`message settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const s = parsed.data;
  const need = (name: keyof typeof s) => {
    const v = s[name];
    if (v === undefined) throw new Error(`message settings: KEZEK_SMS=${s.KEZEK_SMS} needs ${name}`);
    return v as string;
  };
  const sms =
    s.KEZEK_SMS === 'off'
      ? null
      : s.KEZEK_SMS === 'file'
        ? fileTransport(s.KEZEK_SMS_FILE ?? `${dataDir}/messages.ndjson`)
        : s.KEZEK_SMS === 'http'
          ? httpTransport({
              url: need('KEZEK_SMS_HTTP_URL'),
              bodyTemplate: s.KEZEK_SMS_HTTP_BODY,
              contentType: s.KEZEK_SMS_HTTP_CONTENT_TYPE,
              headers: s.KEZEK_SMS_HTTP_HEADERS,
              sender: s.KEZEK_SMS_SENDER,
              idempotent: s.KEZEK_SMS_HTTP_IDEMPOTENT,
              timeoutMs: 15_000,
            })
          : smppTransport({ url: need('KEZEK_SMS_SMPP_URL'), systemId: s.KEZEK_SMS_SMPP_SYSTEM_ID, password: s.KEZEK_SMS_SMPP_PASSWORD, sender: s.KEZEK_SMS_SENDER, timeoutMs: 15_000 });
  const email = s.KEZEK_SMTP_URL ? emailTransport({ smtpUrl: s.KEZEK_SMTP_URL, from: s.KEZEK_MAIL_FROM }) : null;
  return { sms, email };
}
