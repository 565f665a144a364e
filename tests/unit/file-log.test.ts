import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { teeConsoleToFile } from '../../src-main/log/file-log.js';

const dir = mkdtempSync(join(tmpdir(), 'kezek-log-'));
let restore: () => void = () => undefined;
afterEach(() => {
  restore();
  rmSync(dir, { recursive: true, force: true });
});

describe("the installed desk's log file (issue 12: where the logs are)", () => {
  it('writes what the desk says, one timestamped line each, errors with their stack, and still prints it', () => {
    const printed = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const file = join(dir, 'logs', 'kezek.log');
    restore = teeConsoleToFile(file, { clock: () => Date.parse('2026-11-26T03:00:00Z') });
    console.log('sync: pushed %d ops', 3);
    console.error('cannot serve the LAN on 0.0.0.0:5780', new Error('listen EADDRINUSE'));
    restore();
    printed.mockRestore();
    const lines = readFileSync(file, 'utf8');
    expect(lines).toContain('2026-11-26T03:00:00.000Z info sync: pushed 3 ops\n');
    expect(lines).toMatch(/2026-11-26T03:00:00\.000Z error cannot serve the LAN on 0\.0\.0\.0:5780 Error: listen EADDRINUSE\n {4,}at /);
    console.log('after restore');
    expect(readFileSync(file, 'utf8')).not.toContain('after restore');
  });

  it('keeps at most two files: past the limit the log moves to kezek.log.1 and starts again', () => {
    const file = join(dir, 'kezek.log');
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    restore = teeConsoleToFile(file, { maxBytes: 1000 });
    for (let i = 0; i < 100; i++) console.log(`line ${i} ${'x'.repeat(40)}`);
    restore();
    quiet.mockRestore();
    expect(readFileSync(file, 'utf8').length).toBeLessThan(1100);
    expect(readFileSync(`${file}.1`, 'utf8').length).toBeLessThan(1100);
    expect(existsSync(`${file}.2`)).toBe(false);
    expect(readFileSync(file, 'utf8')).toContain('line 99');
  });
});
