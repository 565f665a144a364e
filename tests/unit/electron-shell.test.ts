import { describe, expect, it } from 'vitest';
import { electronLaunch, parseStartOptions } from '../../src-main/cli/options.js';
import { DeskAlreadyRunning } from '../../src-main/db/instance-lock.js';
import { deskDataDir, maintenanceOf, startErrorText, withCsp } from '../../src-main/electron/shell.js';
import { CSP } from '../../src-main/rpc/http.js';

describe('the Electron shell, without the runtime (issue 12)', () => {
  it('`npm start` hands Electron every option it was given, and the password only in the environment', () => {
    const argv = ['--data-dir', '/srv/desk', '--server', 'https://sync.example', '--enroll-code', 'ABCD-EFGH-JKLM', '--clock-start=2026-11-23T02:30:00Z'];
    const launch = electronLaunch('/app', argv, 'secret');
    expect(launch.args).toEqual(['/app/out/main/src-main/electron/main.js', ...argv]);
    expect(launch.args.join(' ')).not.toContain('secret');
    expect(launch.env).toEqual({ KEZEK_PASSWORD: 'secret' });
    expect(electronLaunch('/app', [], null).env).toEqual({});
  });

  it("inside Electron, Chromium's own switches are tolerated; on the command line an unknown option is still an error", () => {
    const argv = ['--no-sandbox', '--enable-logging', '--data-dir=/srv/desk', '--remote-debugging-port=9222'];
    expect(parseStartOptions(argv, {}, { unknown: 'ignore' }).dataDir).toBe('/srv/desk');
    expect(() => parseStartOptions(argv, {})).toThrow('unknown option --no-sandbox');
  });

  it('issue 19 finding 7: a flag where a value is expected is an error naming both (`--data-dir --demo` once made a folder named --demo)', () => {
    expect(() => parseStartOptions(['--data-dir', '--demo'], {})).toThrow('--data-dir needs a value, but the next word is the option --demo');
    expect(() => parseStartOptions(['--server'], {})).toThrow('--server needs a value');
    expect(() => parseStartOptions(['--data-dir', '--demo'], {}, { unknown: 'ignore' })).toThrow('--data-dir needs a value');
    expect(parseStartOptions(['--data-dir', '/srv/desk', '--demo'], {})).toMatchObject({ dataDir: '/srv/desk', demo: true });
  });

  it('the app:// responses carry the CSP header, body and status untouched', async () => {
    const r = withCsp(new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    expect(r.headers.get('content-security-policy')).toBe(CSP);
    expect(r.headers.get('content-type')).toBe('text/html');
    expect(await r.text()).toBe('<!doctype html>');
  });

  it('a start that fails says why in words, a second instance that the open window is to be used', () => {
    expect(startErrorText(new DeskAlreadyRunning('C:\\ProgramData\\Kezek'))).toContain('уже запущен');
    expect(startErrorText(new Error('enrollment_code_invalid'))).toContain('enrollment_code_invalid');
  });
  it('an installed Windows desk keeps one data folder for the PC, shared by its Windows accounts; elsewhere the user’s app folder', () => {
    expect(deskDataDir('win32', { ProgramData: 'C:\\ProgramData' }, 'C:\\Users\\aigul\\AppData\\Roaming\\Kezek')).toBe('C:\\ProgramData\\Kezek\\desk');
    expect(deskDataDir('win32', { ProgramData: 'D:\\PD' }, 'C:\\Users\\it\\AppData\\Roaming\\Kezek')).toBe('D:\\PD\\Kezek\\desk');
    expect(deskDataDir('linux', {}, '/home/aigul/.config/Kezek')).toBe('/home/aigul/.config/Kezek/desk');
  });

  it('`Kezek.exe --backup [FILE]` and `--restore FILE` are tasks instead of a window; a restore without its file is an error', () => {
    expect(maintenanceOf(['--data-dir', 'D:\\Kezek'])).toBeNull();
    expect(maintenanceOf(['--backup'])).toEqual({ kind: 'backup', file: null });
    expect(maintenanceOf(['--backup', 'E:\\b.sqlite', '--data-dir', 'D:\\K'])).toEqual({ kind: 'backup', file: 'E:\\b.sqlite' });
    expect(maintenanceOf(['--backup', '--data-dir', 'D:\\K'])).toEqual({ kind: 'backup', file: null });
    expect(maintenanceOf(['--restore=E:\\b.sqlite'])).toEqual({ kind: 'restore', file: 'E:\\b.sqlite' });
    expect(() => maintenanceOf(['--restore'])).toThrow('--restore needs the backup file');
  });
});
