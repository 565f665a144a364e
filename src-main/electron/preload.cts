// Sandboxed preload (CommonJS, as Electron requires): two functions, no raw ipcRenderer.
import electron = require('electron');

electron.contextBridge.exposeInMainWorld('kezek', {
  rpc: (method: string, input: unknown, token: string | null, lang: string) => electron.ipcRenderer.invoke('kezek:rpc', method, input, token, lang),
  // The desk's change notices (issue 23 finding 12); returns how to stop hearing them.
  onChanges: (listener: (notice: unknown) => void) => {
    const heard = (_e: unknown, notice: unknown) => listener(notice);
    electron.ipcRenderer.on('kezek:changes', heard);
    return () => {
      electron.ipcRenderer.off('kezek:changes', heard);
    };
  },
});
