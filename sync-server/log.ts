/** Structured logs: one JSON object per line on stdout, for journald / any log shipper. */
export type Logger = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export const jsonLogger =
  (out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger =>
  (level, msg, fields = {}) =>
    out(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }));

export const silentLogger: Logger = () => undefined;
