// Electron wiring only: window, IPC transport, CSP, updater. Everything else lives
// in plain-Node modules that tests load without Electron (DESIGN "Electron cannot run").
import { app, BrowserWindow, ipcMain, net, protocol, session } from 'electron';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDesk } from '../desk.js';
import { enrollmentFor, parseStartOptions } from '../cli/options.js';
import { safeStorageSecretStore } from './safe-storage-secret.js';
import { fractionDone } from '../sync/progress.js';
import { mkdirSync } from 'node:fs';
import { CSP } from '../rpc/http.js';
import { APP_ORIGIN, createIpcHandler } from '../rpc/ipc.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const rendererDir = app.isPackaged ? join(process.resourcesPath, 'renderer') : join(root, 'dist', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

async function start(): Promise<void> {
  const args = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => a.startsWith('--'));
  const opts = parseStartOptions(args);
  // Installed desks keep their data in the OS's per-user app folder unless told otherwise.
  const explicitDir = args.some((a) => a.startsWith('--data-dir'));
  const dataDir = explicitDir ? opts.dataDir : join(app.getPath('userData'), 'desk');
  mkdirSync(dataDir, { recursive: true });
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    title: 'Kezek',
    webPreferences: { preload: join(dirname(fileURLToPath(import.meta.url)), 'preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  // A first start downloads the clinic before the desk opens: show how far it is (window title and taskbar bar).
  const desk = await openDesk({
    dataDir,
    enroll: enrollmentFor(opts),
    secrets: await safeStorageSecretStore(dataDir),
    onBootstrapProgress: (done, total) => {
      const f = fractionDone(done, total);
      win.setProgressBar(f ?? 2); // 2 = indeterminate
      win.setTitle(`Kezek — загрузка клиники с сервера: ${f === null ? done : `${Math.round(f * 100)} %`}`);
    },
  });
  win.setProgressBar(-1);
  win.setTitle('Kezek');

  // Serve the built UI from app://desk/, never from file:// (no ambient file access).
  protocol.handle('app', (req) => {
    const path = normalize(decodeURIComponent(new URL(req.url).pathname)).replace(/^([/\\])+/, '');
    const file = join(rendererDir, path === '' ? 'index.html' : path);
    if (!file.startsWith(rendererDir)) return new Response('forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString());
  });
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));

  // One channel; the handler checks the sender, the router everything else.
  ipcMain.handle('kezek:rpc', createIpcHandler(desk.router));

  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(APP_ORIGIN)) e.preventDefault();
  });
  await win.loadURL(`${APP_ORIGIN}index.html`);
  app.on('before-quit', () => void desk.close());
}

app
  .whenReady()
  .then(start)
  .catch((e: unknown) => {
    console.error(e);
    app.exit(1);
  });
app.on('window-all-closed', () => app.quit());
