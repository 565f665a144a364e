// A stand-in for the Electron runtime, which cannot be downloaded on these machines (docs/speed-and-toolchain.md, "Toolchain
// choice"). It implements the part of Electron's main-process API that Kezek's main process uses, and
// shows "the window" over loopback HTTP: a GET is answered by the app:// protocol handler the main
// process registered (as Chromium would load the page), a POST /__ipc/<channel> is an ipcRenderer.invoke
// from the app's own page (as the preload script makes it). Nothing here is Kezek's code.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');

const env = process.env;
process.resourcesPath = env.KEZEK_STANDIN_RESOURCES;
const ipcHandlers = new Map();
const protocolHandlers = new Map();
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

const app = {
  isPackaged: true,
  getPath: (name) => path.join(env.KEZEK_STANDIN_HOME, name),
  getVersion: () => JSON.parse(fs.readFileSync(path.join(env.KEZEK_STANDIN_RESOURCES, 'app', 'package.json'), 'utf8')).version,
  commandLine: { appendSwitch: () => undefined },
  enableSandbox: () => undefined,
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  on: () => app,
  quit: () => process.exit(0),
  exit: (code) => process.exit(code),
};

class BrowserWindow {
  constructor(options = {}) {
    this.options = options;
    this.destroyed = false;
    // What the main process sends the window (the desk's change notices): said on stdout, as the window would get it.
    this.webContents = { setWindowOpenHandler: () => undefined, on: () => undefined, send: (channel, payload) => console.log(`stand-in window hears ${channel} ${JSON.stringify(payload)}`) };
  }
  isDestroyed() {
    return this.destroyed;
  }
  on() {
    return this;
  }
  setProgressBar() {}
  setTitle(title) {
    this.title = title;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  async loadURL(url) {
    console.log(`stand-in window loads ${url}`);
  }
}

const net = {
  async fetch(url) {
    if (!url.startsWith('file:')) return fetch(url);
    const file = fileURLToPath(url);
    if (!fs.existsSync(file)) return new Response('not found', { status: 404 });
    return new Response(fs.readFileSync(file), { headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' } });
  },
};

exports.app = app;
exports.BrowserWindow = BrowserWindow;
exports.dialog = {
  showErrorBox: (title, text) => console.error(`[dialog] ${title}: ${text}`),
  showMessageBox: async ({ title, message }) => {
    console.log(`[dialog] ${title}: ${message}`);
    return { response: 0 };
  },
};
exports.ipcMain = { handle: (channel, fn) => ipcHandlers.set(channel, fn) };
exports.protocol = { registerSchemesAsPrivileged: () => undefined, handle: (scheme, fn) => protocolHandlers.set(scheme, fn) };
exports.net = net;
exports.session = { defaultSession: { setPermissionRequestHandler: () => undefined } };
exports.safeStorage = { isAsyncEncryptionAvailable: async () => false, getSelectedStorageBackend: () => 'basic_text' };
exports.shell = { openExternal: async () => undefined };

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'POST' && req.url.startsWith('/__ipc/')) {
      const handler = ipcHandlers.get(decodeURIComponent(req.url.slice('/__ipc/'.length)));
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const args = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const out = handler ? await handler({ senderFrame: { url: 'app://desk/index.html' } }, ...args) : { ok: false, status: 404 };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      return;
    }
    const handle = protocolHandlers.get('app');
    if (!handle) return void res.writeHead(503).end('no app:// handler yet');
    const r = await handle(new Request(`app://desk${req.url}`));
    res.writeHead(r.status, Object.fromEntries(r.headers.entries())).end(Buffer.from(await r.arrayBuffer()));
  } catch (e) {
    res.writeHead(500).end(String(e));
  }
});
server.listen(Number(env.KEZEK_STANDIN_PORT), '127.0.0.1', () => console.log(`stand-in window at http://127.0.0.1:${server.address().port}/`));
