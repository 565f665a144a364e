// Sandboxed preload (CommonJS, as Electron requires): one function, no raw ipcRenderer.
import electron = require('electron');

electron.contextBridge.exposeInMainWorld('kezek', {
  rpc: (method: string, input: unknown, token: string | null, lang: string) => electron.ipcRenderer.invoke('kezek:rpc', method, input, token, lang),
});
