import { spawn, type ChildProcess } from 'node:child_process';

/** A real `npm run server` process on a random port, as production runs it. */
export interface ServerProcess { url: string; stop: () => void }

/** Starts one over `databaseUrl`; resolves once it logs "listening". Extra environment (KEZEK_CLOCK_START…) in `env`. */
export function serverProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('node_modules/.bin/tsx', ['sync-server/main.ts'], { env: { ...process.env, ...env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"sync server listening"'));
      if (line) resolve({ url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, stop: () => child.kill('SIGTERM') });
    });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}
