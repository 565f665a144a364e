import Database from 'better-sqlite3';
import { expect, type Browser, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DirectoryFile } from '../../src-shared/sync/directory-file.js';
import { closedPort } from '../support/virtual-printer.js';
import { tsx, type Proc } from './processes.js';

export interface DeskProc {
  name: string;
  dir: string;
  url: string;
}

/**
 * A real clinic for end-to-end tests: the demo clinic exported (or the clinic file given) and imported into a sync server
 * process (PGlite in `root`), and desk processes in browser mode enrolled with it one after
 * another (each with its leases taken before the next starts), each through `serverFor`'s address if given (a link
 * the test can cut). `startServer` brings the server
 * (back) up on the same port; the caller kills what `procs` holds.
 */
export async function startClinic(
  root: string,
  clock: string,
  deskNames: string[],
  procs: Proc[],
  opts: { serverFor?: (desk: string, serverUrl: string) => Promise<string>; clinic?: { file: DirectoryFile; orgId: string } } = {},
) {
  const orgId = opts.clinic?.orgId ?? 'org-bishkek-lenin';
  if (opts.clinic) writeFileSync(join(root, 'clinic.json'), JSON.stringify(opts.clinic.file));
  else expect(await tsx('src-main/cli/export-directory.ts', ['--data-dir', join(root, 'demo'), join(root, 'clinic.json')]).done()).toBe(0);
  const serverEnv = { KEZEK_SERVER_DATA: join(root, 'server'), KEZEK_CLOCK_START: clock };
  expect(await tsx('sync-server/main.ts', ['import', join(root, 'clinic.json')], serverEnv).done()).toBe(0);
  const port = await closedPort();
  const startServer = async () => {
    const p = tsx('sync-server/main.ts', ['serve'], { ...serverEnv, PORT: String(port), HOST: '127.0.0.1' });
    procs.push(p);
    await p.waitFor(/sync server listening/);
    return p;
  };
  const code = async () => {
    const p = tsx('sync-server/main.ts', ['enroll-code', orgId], serverEnv);
    await p.done();
    return p.out.match(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/)![0];
  };
  // PGlite takes one process at a time: the codes are made before the server starts.
  const codes: string[] = [];
  for (const _ of deskNames) codes.push(await code());
  const server = await startServer();
  const desks: DeskProc[] = [];
  for (const [i, name] of deskNames.entries()) {
    const dir = join(root, `desk-${name}`);
    const deskPort = await closedPort();
    const serverUrl = (await opts.serverFor?.(name, `http://127.0.0.1:${port}`)) ?? `http://127.0.0.1:${port}`;
    const p = tsx(
      'src-main/cli/start.ts',
      ['--browser', '--data-dir', dir, '--port', String(deskPort), '--clock-start', clock, '--server', serverUrl, '--enroll-code', codes[i]!, '--device-name', `Регистратура ${name}`],
      { KEZEK_PASSWORD: 'desk-pass' },
    );
    procs.push(p);
    await p.waitFor(/open (http:\/\/127\.0\.0\.1:\d+)/);
    await expect.poll(() => readDesk(dir, (db) => db.prepare("SELECT count(*) AS n FROM meta WHERE key = 'lease_renewed_at'").get()), { timeout: 20_000 }).toEqual({ n: 1 });
    desks.push({ name, dir, url: `http://127.0.0.1:${deskPort}` });
  }
  return { server, startServer, desks, serverUrl: `http://127.0.0.1:${port}`, serverEnv };
}

/** A read-only look into a running desk's replica (WAL lets us read beside it). */
export function readDesk<T>(dir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dir, 'kezek.sqlite'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A page at 1366×768 signed in at the desk as `username` (the clinic's accounts carry the installer's password). */
export async function openDeskPage(browser: Browser, desk: DeskProc, username = 'registrar'): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' })).newPage();
  await page.goto(desk.url);
  await page.getByLabel('Пользователь').fill(username);
  await page.getByLabel('Пароль').fill('desk-pass');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sync-state')).toContainText('В сети', { timeout: 20_000 });
  return page;
}
