// Electron wiring only: window, IPC transport, CSP, updates. Everything else lives
// in plain-Node modules that tests load without Electron (the Electron runtime itself cannot be installed on the build machines).
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session } from 'electron';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Desk } from '../desk.js';
import { DeskHost } from '../setup/host.js';
import { PROVISION_FILE } from '../setup/provisioning.js';
import type { SecretStore } from '../sync/secret-store.js';
import { enrollmentFor, parseStartOptions, type StartOptions } from '../cli/options.js';
import { safeStorageSecretStore } from './safe-storage-secret.js';
import { fractionDone } from '../sync/progress.js';
import { mkdirSync } from 'node:fs';
import { teeConsoleToFile } from '../log/file-log.js';
import { APP_ORIGIN, createIpcHandler } from '../rpc/ipc.js';
import { createHttpApp, listen, type RunningServer } from '../rpc/http.js';
import { allowedHosts, servesLan } from '../rpc/lan-hosts.js';
import { deskDataDir, type Maintenance, maintenanceOf, startErrorText, withCsp } from './shell.js';
import { nightlyBackup } from '../db/backup-schedule.js';
import { restoreDesk } from '../db/backup.js';
import { DeskAlreadyRunning } from '../db/instance-lock.js';
import { catchUpWithData, DeskUpdates } from '../update/desk-updates.js';
import { enrolledServerUrl, NewerDataError } from '../db/open.js';
import { runningHeaders } from '../version.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const rendererDir = app.isPackaged ? join(process.resourcesPath, 'renderer') : join(root, 'dist', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();
// Chromium's own widgets (the date fields) follow its locale, not the page: Russian gives the
// clinic's dd.mm.yyyy whatever language Windows was installed in (the UI itself switches ru/ky/kk).
app.commandLine.appendSwitch('lang', 'ru');

// Every argument after the executable (and the script, unpackaged), values included (`--data-dir D:\Kezek`):
// Chromium's own switches (--no-sandbox, --enable-logging…) and stray words come too, not ours to refuse.
const args = process.argv.slice(app.isPackaged ? 1 : 2);
// A bad option is said in the start-up window (start() throws it), never a silent exit.
let badArgs: unknown = null;
/** A kiosk's window closes only after the administrator's exit (kiosk.exit). */
let kioskMayClose = false;
let maintenance: Maintenance | null = null;
try {
  maintenance = maintenanceOf(args);
} catch (e) {
  badArgs = e;
}

/** The options and this PC's data folder. */
function configure(): { opts: StartOptions; dataDir: string } {
  if (badArgs) throw badArgs;
  const opts = parseStartOptions(args, process.env, { unknown: 'ignore' });
  const explicitDir = args.some((a) => a.startsWith('--data-dir')) || process.env.KEZEK_DATA_DIR !== undefined;
  const dataDir = explicitDir ? opts.dataDir : deskDataDir(process.platform, process.env, app.getPath('userData'));
  mkdirSync(dataDir, { recursive: true });
  teeConsoleToFile(join(dataDir, 'logs', 'kezek.log'));
  return { opts, dataDir };
}

// One Kezek per PC user session: a second start brings the open window forward instead of a
// second sync engine and print queue on the same database (the data directory is locked too).
// A backup runs beside the open desk (SQLite's online backup); a restore refuses it by the lock.
if (!maintenance && !app.requestSingleInstanceLock()) app.quit();

/** electron-updater's updater for this platform (loaded only where updates run: packaged). */
async function platformUpdater() {
  const { NsisUpdater, AppImageUpdater } = await import('electron-updater');
  return process.platform === 'win32' ? new NsisUpdater() : new AppImageUpdater();
}

/** A copy older than its data: say so in the window, fetch the release the server offers this PC, install it. */
async function catchUp(dataDir: string, secrets: SecretStore, win: BrowserWindow, e: NewerDataError): Promise<void> {
  const serverUrl = enrolledServerUrl(join(dataDir, 'kezek.sqlite'));
  if (!serverUrl || !app.isPackaged) throw e;
  win.setTitle('Kezek — обновление до версии данных этого ПК…');
  const version = await catchUpWithData({
    updater: await platformUpdater(),
    serverUrl,
    platform: process.platform === 'win32' ? 'win' : 'linux',
    headers: () => ({ authorization: `Bearer ${secrets.get() ?? ''}`, ...runningHeaders() }),
    log: (msg, err) => console.error(msg, err),
  });
  if (!version) throw e;
}

/** Updates come from the clinic's own sync server (its region's window, R23), never from the internet at large. */
function startUpdates(desk: Desk, secrets: SecretStore): void {
  const serverUrl = (desk.env.db.sqlite.prepare("SELECT value FROM meta WHERE key = 'server_url'").get() as { value: string } | undefined)?.value;
  if (!serverUrl || !app.isPackaged) return;
  void platformUpdater().then((updater) =>
    new DeskUpdates({
      updater,
      serverUrl,
      platform: process.platform === 'win32' ? 'win' : 'linux',
      headers: () => ({ authorization: `Bearer ${secrets.get() ?? ''}`, ...runningHeaders() }),
      clock: Date.now,
      timezone: desk.env.org.timezone,
      lastActivityAt: () => desk.sessions.lastActivityAt,
      log: (msg, err) => console.error(msg, err),
    }).start(),
  );
}

/**
 * `--host 0.0.0.0` (and `--lan-name`): this desk also serves its browser mode to the clinic's
 * Windows 7/8 PCs, which cannot run the desk themselves — once it has a clinic (the first-run
 * wizard stays on this PC). Only this PC's names and the given LAN names are answered.
 */
async function serveLan(opts: StartOptions, desk: Desk): Promise<RunningServer | null> {
  if (!servesLan(opts.host)) return null;
  try {
    // The hall's queue screen and the cabinet PCs' calls come over the same port (issue 21).
    const server = await listen(
      createHttpApp(desk.router, rendererDir, allowedHosts(opts.host, opts.lanNames), () => desk.hallHttp),
      opts.port,
      opts.host,
    );
    console.log(`Kezek serves the clinic's LAN on ${opts.host}:${opts.port} (${server.url})`);
    return server;
  } catch (e) {
    // The window works without it: the old PCs wait, the registrar does not.
    console.error(`cannot serve the LAN on ${opts.host}:${opts.port}`, e);
    return null;
  }
}

/**
 * `--backup [FILE]` (a nightly task in the Task Scheduler: no window, the result in the log and the
 * exit code) or `--restore FILE` (the IT person at the PC: the result in a window).
 */
async function runMaintenance(task: Maintenance, dataDir: string): Promise<void> {
  if (task.kind === 'backup') {
    const r = await nightlyBackup(dataDir, task.file, Date.now());
    console.log(`backup of ${dataDir} written to ${r.file} (${r.pages} pages)${r.removed.length ? `; ${r.removed.length} older backups removed` : ''}`);
    return;
  }
  let keptAs: string | null;
  try {
    ({ keptAs } = restoreDesk(dataDir, task.file));
  } catch (e) {
    // Not "use the open window" (the start-up wording): here the open window is what must close.
    if (e instanceof DeskAlreadyRunning) throw new Error(`Кезек открыт на этом компьютере (${e.dataDir}): закройте его окно и повторите восстановление.`, { cause: e });
    throw e;
  }
  const text = `Резервная копия восстановлена: ${task.file}.${keptAs ? `\nПрежняя база сохранена как ${keptAs}.` : ''}\nЗапустите Кезек: он сам догонит сервер.`;
  console.log(text);
  await dialog.showMessageBox({ type: 'info', title: 'Kezek', message: text });
}

async function start(): Promise<void> {
  const { opts, dataDir } = configure();
  if (maintenance) {
    await runMaintenance(maintenance, dataDir);
    app.exit(0);
    return;
  }
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    title: 'Kezek',
    // `--kiosk` (issue 21): full screen, no frame, no menu; the window cannot be left but by quitting Kezek.
    kiosk: opts.kiosk,
    autoHideMenuBar: opts.kiosk,
    webPreferences: { preload: join(dirname(fileURLToPath(import.meta.url)), 'preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  // A kiosk's window does not close from the keyboard (Alt+F4, Ctrl+W); only the administrator's exit quits it.
  if (opts.kiosk) win.on('close', (e) => (kioskMayClose ? undefined : e.preventDefault()));
  // A first start downloads the clinic before the desk opens: show how far it is (window title and taskbar bar).
  const secrets = await safeStorageSecretStore(dataDir);
  const enroll = enrollmentFor(opts);
  let lan: Promise<RunningServer | null> = Promise.resolve(null);
  const open = () =>
    DeskHost.open({
      dataDir,
      deviceName: opts.deviceName,
      demo: opts.demo,
      hallUrl: opts.hallDesk,
      ...(enroll ? { enroll } : {}),
      secrets,
      // A silent install: the deployment tool leaves the provisioning file beside the app or in its data folder.
      provisionPaths: [join(dirname(process.execPath), PROVISION_FILE), join(dataDir, PROVISION_FILE)],
      onBootstrapProgress: (done, total) => {
        const f = fractionDone(done, total);
        win.setProgressBar(f ?? 2); // 2 = indeterminate
        win.setTitle(`Kezek — загрузка клиники с сервера: ${f === null ? done : `${Math.round(f * 100)} %`}`);
      },
      onReady: (desk) => {
        win.setProgressBar(-1);
        win.setTitle('Kezek');
        startUpdates(desk, secrets);
        lan = serveLan(opts, desk);
        desk.sessions.kioskExit = () => {
          kioskMayClose = true;
          app.quit();
        };
        // The window is the desk's own UI (app://desk/, its frames checked on every call): it hears every notice.
        desk.changes.subscribe((topics) => {
          if (!win.isDestroyed()) win.webContents.send('kezek:changes', { topics });
        });
      },
    });
  let host: DeskHost;
  try {
    host = await open();
  } catch (e) {
    // Another Windows account's newer Kezek migrated the PC's data: this copy fetches that version and installs it.
    if (!(e instanceof NewerDataError)) throw e;
    await catchUp(dataDir, secrets, win, e);
    return;
  }

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  // Serve the built UI from app://desk/, never from file:// (no ambient file access). The CSP goes
  // on these responses themselves: webRequest header hooks do not see a custom protocol's.
  protocol.handle('app', async (req) => {
    const path = normalize(decodeURIComponent(new URL(req.url).pathname)).replace(/^([/\\])+/, '');
    const file = join(rendererDir, path === '' ? 'index.html' : path);
    if (!file.startsWith(rendererDir)) return new Response('forbidden', { status: 403 });
    return withCsp(await net.fetch(pathToFileURL(file).toString()));
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));

  // One channel; the handler checks the sender, the router everything else.
  ipcMain.handle('kezek:rpc', createIpcHandler(host.router));

  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(APP_ORIGIN)) e.preventDefault();
  });
  await win.loadURL(`${APP_ORIGIN}index.html`);
  app.on('before-quit', () => void lan.then((server) => server?.close()).then(() => host.close()));
}

app
  .whenReady()
  .then(start)
  .catch((e: unknown) => {
    // A desk PC has no console to read: say what stopped the start in a window, then exit.
    console.error(e);
    // A nightly backup that failed says so in the log and its exit code, not in a window nobody closes.
    if (maintenance?.kind !== 'backup') dialog.showErrorBox('Kezek', startErrorText(e));
    app.exit(1);
  });
app.on('window-all-closed', () => app.quit());
