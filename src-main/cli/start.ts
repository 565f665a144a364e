import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeskHost } from '../setup/host.js';
import { PROVISION_FILE } from '../setup/provisioning.js';
import { progressLine } from '../sync/progress.js';
import { createHttpApp, listen } from '../rpc/http.js';
import { allowedHosts } from '../rpc/lan-hosts.js';
import { clockFor, electronLaunch, enrollmentFor, parseStartOptions } from './options.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Electron can only open a window where its binary was installed and a display
 * exists; everywhere else (build machines, a server, a cabinet PC using a
 * browser) the same services run headless and serve the UI over HTTP.
 */
function electronBinary(): string | null {
  const bin = join(root, 'node_modules', 'electron', 'dist', process.platform === 'win32' ? 'electron.exe' : 'electron');
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  return existsSync(bin) && hasDisplay ? bin : null;
}

async function main(): Promise<void> {
  const opts = parseStartOptions(process.argv.slice(2));
  delete process.env.KEZEK_PASSWORD; // read once; child processes need not inherit it
  if (process.env.KEZEK_INSECURE_FAST_KDF === '1') console.warn('kezek: KEZEK_INSECURE_FAST_KDF=1 — passwords and signing keys are sealed with a test-only scrypt cost; never use it in a clinic');
  const electron = opts.browser ? null : electronBinary();
  if (electron) {
    // The main process runs from its build: make it from the sources first, so `npm start` never runs a stale one.
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
    const launch = electronLaunch(root, process.argv.slice(2), opts.password);
    const child = spawn(electron, launch.args, { stdio: 'inherit', env: { ...process.env, ...launch.env } });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  const enroll = enrollmentFor(opts);
  const host = await DeskHost.open({
    dataDir: opts.dataDir,
    clock: clockFor(opts),
    deviceName: opts.deviceName,
    demo: opts.demo,
    hallUrl: opts.hallDesk,
    ...(enroll ? { enroll } : {}),
    provisionPaths: [join(opts.dataDir, PROVISION_FILE)],
    onBootstrapProgress: (done, total) => process.stdout.write(`\rDownloading the clinic from the sync server ${progressLine(done, total)}`),
  });
  const server = await listen(
    createHttpApp(host.router, join(root, 'dist', 'renderer'), allowedHosts(opts.host, opts.lanNames), () => host.desk?.hallHttp ?? null),
    opts.port,
    opts.host,
  );
  const fresh = host.desk ? '' : ' — first run: the wizard asks for the clinic (or the demo)';
  console.log(`Kezek desk (browser mode) — open ${server.url}  [data: ${opts.dataDir}${opts.clockStart ? `, clock from ${opts.clockStart}` : ''}]${fresh}`);
  const stop = async () => {
    // An open browser tab keeps connections alive: do not let it hold the exit past 5 s.
    setTimeout(() => process.exit(0), 5000).unref();
    await server.close();
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
