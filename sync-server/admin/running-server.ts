import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The embedded database (PGlite) belongs to one process: a second one opening the same folder
 * works on a copy the running server never sees (a code made that way was refused at enrollment).
 * So the running server leaves a note in its data folder — its port and a secret for this PC's
 * administrator — and the admin commands ask it instead of opening the database themselves.
 */
const note = z.object({ pid: z.number().int(), port: z.number().int(), secret: z.string().min(20) });
export type RunningServer = z.infer<typeof note>;

const file = (dataDir: string) => join(dataDir, 'server.json');

/** Written once the server listens; readable only by the user it runs as. Returns a remover for shutdown. */
export function announce(dataDir: string, port: number, secret: string): { remove: () => void } {
  writeFileSync(file(dataDir), JSON.stringify({ pid: process.pid, port, secret }), { mode: 0o600 });
  return { remove: () => rmSync(file(dataDir), { force: true }) };
}

/** The server running on this data folder, if one is (a note left by a killed server is ignored). */
export function runningServer(dataDir: string): RunningServer | null {
  if (!existsSync(file(dataDir))) return null;
  const parsed = note.safeParse(JSON.parse(readFileSync(file(dataDir), 'utf8')));
  if (!parsed.success) return null;
  try {
    process.kill(parsed.data.pid, 0);
    return parsed.data;
  } catch {
    return null;
  }
}
