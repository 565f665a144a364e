import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeskAlreadyRunning } from '../../src-main/db/instance-lock.js';
import { openDesk } from '../../src-main/desk.js';
import { closedPort } from '../support/virtual-printer.js';
import { SMALL_CLINIC } from '../support/desk.js';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kezek-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) for (const f of [d, `${d}.ticket-mark`]) rmSync(f, { recursive: true, force: true });
});

/** A browser-mode desk process; resolves with its output once it serves, or once it exits. */
function deskProcess(dir: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/start.ts', '--browser', '--demo', '--data-dir', dir, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<{ serving: boolean; out: string; code: number | null }>((resolve) => {
    const seen = (d: Buffer) => {
      out += d.toString();
      if (/open http/.test(out)) resolve({ serving: true, out, code: null });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => resolve({ serving: false, out, code }));
  });
  return { child, ready };
}

describe('one desk per data directory (issue 12: two instances would run two sync engines and two print queues on one database)', () => {
  it('in one process: a second open of the same directory is refused until the first is closed', async () => {
    const dir = newDir();
    const first = await openDesk({ dataDir: dir, demo: SMALL_CLINIC, autoSync: false });
    await expect(openDesk({ dataDir: dir, demo: SMALL_CLINIC, autoSync: false })).rejects.toBeInstanceOf(DeskAlreadyRunning);
    await first.close();
    const again = await openDesk({ dataDir: dir, demo: SMALL_CLINIC, autoSync: false });
    await again.close();
  });

  it('across processes: a second desk exits with a clear message; after the first is SIGKILLed the lock is gone and a new desk starts', async () => {
    const dir = newDir();
    const a = deskProcess(dir, await closedPort());
    expect((await a.ready).serving).toBe(true);
    const b = deskProcess(dir, await closedPort());
    const second = await b.ready;
    expect(second).toMatchObject({ serving: false });
    expect(second.code).not.toBe(0);
    expect(second.out).toContain('already running');
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    const c = deskProcess(dir, await closedPort());
    expect((await c.ready).serving).toBe(true);
    c.child.kill('SIGTERM');
    await new Promise((r) => c.child.once('exit', r));
  });
});
