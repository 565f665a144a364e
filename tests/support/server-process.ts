import { spawn, type ChildProcess } from 'node:child_process';

/** A real `npm run server` process on a random port, as production runs it. */
export interface ServerProcess {
  url: string;
  /** Graceful stop (SIGTERM). */
  stop: () => void;
  /** A crash: SIGKILL; resolves once the process is gone. */
  kill: () => Promise<void>;
}

/**
 * Starts one over `databaseUrl` (PostgreSQL) or, when it is not a URL, the PGlite data directory it names;
 * resolves once it logs "listening". Node itself runs the server (tsx as a loader, not its wrapper process),
 * so a signal reaches the process that holds the database. Extra environment (KEZEK_CLOCK_START, PORT…) in `env`.
 */
export function serverProcess(database: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const db = /^postgres(ql)?:\/\//.test(database) ? { DATABASE_URL: database } : { KEZEK_SERVER_DATA: database };
  return new Promise((resolve, reject) => {
    // KEZEK_SERVER_NODE_FLAGS (e.g. `--prof`) profiles the server in a benchmark: V8's log survives the SIGKILL at its end.
    const flags = process.env.KEZEK_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
    const child: ChildProcess = spawn(process.execPath, [...flags, '--import', 'tsx', 'sync-server/main.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...db, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"sync server listening"'));
      if (line) {
        resolve({
          url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`,
          stop: () => child.kill('SIGTERM'),
          kill: () =>
            new Promise((r) => {
              if (child.exitCode !== null || child.signalCode !== null) return r();
              child.once('exit', () => r());
              child.kill('SIGKILL');
            }),
        });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}
