/**
 * Which database errors are the database's passing trouble, not the op's fault.
 * A transient error is answered "try again" (HTTP 503) and never quarantines an op:
 * the same op succeeds once the connection, the lock or the server is back.
 */

/** SQLSTATE classes and codes that say "not now": connection lost, server shutting down or starting, lock or serialization contention, resources. */
const TRANSIENT_CLASSES = ['08', '53', '57', '58'];
const TRANSIENT_CODES = new Set(['40001', '40P01', '55P03', '55006']);
/** What node-postgres and Node say when the socket itself went away (no SQLSTATE then). */
const TRANSIENT_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Client was closed|Cannot use a pool after calling end/i;

const sqlState = (e: unknown): string | null => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
};

export function isTransient(e: unknown): boolean {
  // drizzle wraps driver errors: look at the cause chain too.
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = sqlState(x);
    if (code && (TRANSIENT_CODES.has(code) || TRANSIENT_CLASSES.includes(code.slice(0, 2)))) return true;
    if (TRANSIENT_MESSAGES.test(String((x as { message?: unknown }).message ?? x))) return true;
  }
  return false;
}

/**
 * A short, safe name for a deterministic failure, for the quarantine task a device
 * and the clinic see: the SQLSTATE or the error's class name — never the message,
 * which can carry SQL text and values (those go to the server's log only).
 */
export function failureCode(e: unknown): string {
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = sqlState(x);
    if (code) return `sqlstate_${code}`;
  }
  return e instanceof Error ? e.name.replace(/[^A-Za-z]/g, '').slice(0, 40) || 'Error' : 'Error';
}

/** The server cannot reach its database right now: answered 503 with Retry-After, the device retries. */
export class Unavailable extends Error {
  constructor(readonly underlying: unknown) {
    super('database unavailable');
  }
}
