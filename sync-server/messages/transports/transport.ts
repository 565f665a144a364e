/** One message as a transport sends it: the outbox's id travels along, so a far end that knows ids drops a repeat. */
export interface OutgoingMessage {
  /** `kezek-<outbox id>`: the same for every attempt. */
  id: string;
  /** E.164 for SMS (+996…), an address for e-mail. */
  to: string;
  text: string;
  /** E-mail only. */
  subject?: string;
}

/** Where messages leave the server: an SMS gateway (HTTP or SMPP), an SMTP server, or a file for development. */
export interface Transport {
  readonly name: 'file' | 'http' | 'smpp' | 'email';
  readonly channel: 'sms' | 'email';
  /**
   * The far end recognises a repeated id and keeps one message. Only then may the outbox send again a message whose
   * send was cut by a crash; otherwise it marks it `in_doubt` (sent at most once, the desk says so) — see outbox.ts.
   */
  readonly idempotent: boolean;
  /** Resolves with the far end's reference once it took the message; throws SendFailure. */
  send(m: OutgoingMessage): Promise<{ ref: string }>;
  close(): Promise<void>;
}

/** A send that did not happen: `permanent` when trying again cannot help (a number the gateway refuses). */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}
