// The part of the `smpp` package (node-smpp, SMPP 3.4/5.0) Kezek uses; the package ships no types.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    response(fields?: Record<string, unknown>): Pdu;
  }
  export interface Session extends EventEmitter {
    bind_transceiver(fields: Record<string, unknown>, cb: (pdu: Pdu) => void): void;
    submit_sm(fields: Record<string, unknown>, cb: (pdu: Pdu) => void): void;
    send(pdu: Pdu): void;
    pause(): void;
    resume(): void;
    close(cb?: () => void): void;
    destroy(cb?: () => void): void;
  }
  export interface Server extends EventEmitter {
    listen(port: number, host?: string, cb?: () => void): void;
    address(): { port: number };
    close(cb?: () => void): void;
  }
  export function connect(options: { url: string; auto_enquire_link_period?: number; connectTimeout?: number }, cb?: () => void): Session;
  export function createServer(options: Record<string, unknown>, onSession: (session: Session) => void): Server;
  export const ESME_ROK: number;
  export const ESME_RBINDFAIL: number;
  export const ESME_RINVDSTADR: number;
  /** Node's ESM sees the CommonJS module as its default export. */
  const smpp: { connect: typeof connect; createServer: typeof createServer; ESME_ROK: number; ESME_RBINDFAIL: number; ESME_RINVDSTADR: number };
  export default smpp;
}
