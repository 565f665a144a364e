import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../sync-server/db/connect.js';
import { serverProcess, type ServerProcess } from '../support/server-process.js';
import { seedOrgs } from '../support/sync-fixture.js';
import { closedPort } from '../support/virtual-printer.js';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);
const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const cli = (dataDir: string, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', ...args], { env: { ...process.env, KEZEK_SERVER_DATA: dataDir, DATABASE_URL: '' } });

describe('the server CLI next to a running server on the embedded database (issue 9: README truths)', () => {
  it('enroll-code and devices go through the running server, so the code it prints works at once; /admin refuses anyone without this PC’s secret', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kezek-cli-'));
    dirs.push(dataDir);
    const setup = await connect({ dataDir });
    await seedOrgs(setup.db);
    await setup.close();
    const server = await serverProcess(dataDir);
    servers.push(server);
    const code = (await cli(dataDir, 'enroll-code', 'org-a')).stdout.trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const enrolled = await fetch(`${server.url}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: 'Регистратура 1' }) });
    expect(enrolled.status).toBe(200);
    expect((await cli(dataDir, 'devices', 'org-a')).stdout).toContain('Регистратура 1');
    const sneaky = await fetch(`${server.url}/admin/enroll-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kezek-admin': 'guess' },
      body: JSON.stringify({ orgId: 'org-a' }),
    });
    expect(sneaky.status).toBe(403);
    await expect(cli(dataDir, 'import', join(dataDir, 'none.json'))).rejects.toThrow(/stop it for the import/);
    // A server process and three CLI runs, each a Node start: long on a machine busy with another test run.
  }, 90_000);

  it('SIGTERM to `npm run server` stops the server itself (not only npm), and it removes its note', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kezek-cli-'));
    dirs.push(dataDir);
    const port = await closedPort();
    const npm = spawn('npm', ['run', 'server'], { env: { ...process.env, KEZEK_SERVER_DATA: dataDir, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await waitFor(() => out.includes('sync server listening'), 60_000, 'the server to listen');
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    npm.kill('SIGTERM');
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null)) === null, 20_000, 'the server to stop');
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false);
  }, 90_000);

  it('backup and restore of the embedded database: not while the server runs; restore keeps the replaced folder, renews the history, refuses a damaged file (issue 12)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kezek-cli-'));
    dirs.push(dataDir);
    const file = join(dataDir, '..', `${basename(dataDir)}.tar.gz`);
    dirs.push(file);
    const org = async (): Promise<{ name: string; history: string }> => {
      const db = await connect({ dataDir });
      try {
        return (await db.hot('q', "SELECT name, history_id AS history FROM organizations WHERE id = 'org-a'", [])).at(0) as { name: string; history: string };
      } finally {
        await db.close();
      }
    };
    const setup = await connect({ dataDir });
    await seedOrgs(setup.db);
    await setup.close();
    const server = await serverProcess(dataDir);
    await expect(cli(dataDir, 'backup', file)).rejects.toThrow(/stop it for the backup/);
    await server.kill();
    await cli(dataDir, 'backup', file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await expect(cli(dataDir, 'backup', file)).rejects.toThrow(/exists already/);
    const backedUp = await org();

    // Work after the backup, then the restore takes it back.
    const later = await connect({ dataDir });
    await later.hot('u', "UPDATE organizations SET name = 'after the backup' WHERE id = 'org-a'", []);
    await later.close();
    writeFileSync(join(dataDir, '..', 'damaged.tar.gz'), 'not a backup');
    await expect(cli(dataDir, 'restore', join(dataDir, '..', 'damaged.tar.gz'))).rejects.toThrow();
    expect((await org()).name).toBe('after the backup');
    const restored = await cli(dataDir, 'restore', file);
    expect((await org()).name).toBe(backedUp.name);
    expect((await org()).history).not.toBe(backedUp.history);
    const keptAside = /"keptAside":"([^"]+)"/.exec(restored.stdout)?.[1];
    expect(keptAside && existsSync(join(keptAside, 'PG_VERSION'))).toBe(true);
    dirs.push(keptAside!, join(dataDir, '..', 'damaged.tar.gz'));
  }, 120_000);
});
