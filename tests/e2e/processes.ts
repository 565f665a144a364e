import { spawn, type ChildProcess } from 'node:child_process';

/** A child process of ours (server, desk) that the test waits on by what it prints. */
export class Proc {
  out = '';
  readonly child: ChildProcess;
  constructor(cmd: string, args: string[], env: Record<string, string> = {}) {
    this.child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => {
      this.out += d.toString();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.out += d.toString();
    });
  }
  waitFor(re: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      const check = () => {
        const m = this.out.match(re);
        if (m) return resolve(m);
        if (this.child.exitCode !== null) return reject(new Error(`exited ${this.child.exitCode}:\n${this.out}`));
        if (Date.now() - t0 > timeoutMs) return reject(new Error(`timed out waiting for ${re}:\n${this.out}`));
        setTimeout(check, 100);
      };
      check();
    });
  }
  done(): Promise<number> {
    return new Promise((resolve) => (this.child.exitCode !== null ? resolve(this.child.exitCode) : this.child.on('exit', (c) => resolve(c ?? 0))));
  }
  /** SIGTERM (graceful), then SIGKILL if it has not exited within 10 s. */
  kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const hard = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.on('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }
}

/** A TypeScript entry point in this Node, in one process (no tsx wrapper in between): a SIGKILL kills the program itself. */
export const tsx = (script: string, args: string[], env: Record<string, string> = {}) => new Proc(process.execPath, ['--import', 'tsx', script, ...args], env);
