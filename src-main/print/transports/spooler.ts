import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/rpc/errors.js';
import type { Transport } from './index.js';

/**
 * Windows: raw bytes through the spooler (OpenPrinter / StartDocPrinter "RAW" / WritePrinter)
 * from PowerShell, so the vendor driver stays installed and no native module is needed.
 * (The prebuilt spooler addons' Windows binaries are not on the npm registry these desks use.)
 */
const WINDOWS_RAW = `
$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @"
using System; using System.Runtime.InteropServices;
public static class KezekRaw {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)] public class DOCINFO { public string pDocName; public string pOutputFile; public string pDatatype; }
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)] public static extern bool OpenPrinter(string name, out IntPtr h, IntPtr d);
  [DllImport("winspool.drv", SetLastError = true)] public static extern bool ClosePrinter(IntPtr h);
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)] public static extern int StartDocPrinter(IntPtr h, int level, DOCINFO di);
  [DllImport("winspool.drv", SetLastError = true)] public static extern bool EndDocPrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] public static extern bool StartPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] public static extern bool EndPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] public static extern bool WritePrinter(IntPtr h, byte[] buf, int len, out int written);
  public static void Send(string printer, byte[] data) {
    IntPtr h; if (!OpenPrinter(printer, out h, IntPtr.Zero)) throw new Exception("NOPRINTER " + Marshal.GetLastWin32Error());
    try {
      var di = new DOCINFO { pDocName = "Kezek ticket", pDatatype = "RAW" };
      if (StartDocPrinter(h, 1, di) == 0) throw new Exception("STARTDOC " + Marshal.GetLastWin32Error());
      StartPagePrinter(h); int w; bool ok = WritePrinter(h, data, data.Length, out w); EndPagePrinter(h); EndDocPrinter(h);
      if (!ok || w != data.Length) throw new Exception("WRITE " + Marshal.GetLastWin32Error());
    } finally { ClosePrinter(h); }
  }
}
"@
[KezekRaw]::Send($env:KEZEK_PRINTER, [System.IO.File]::ReadAllBytes($env:KEZEK_FILE))
`;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 15_000, windowsHide: true }, (err, _stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : -1) : 0;
      resolve({ code, stderr: `${stderr}${err && code === -1 ? String(err.message) : ''}` });
    });
  });
}

/** The operating system's print queue with raw bytes: the Windows spooler, or a CUPS raw queue (`lp -o raw`). */
export function spoolerTransport(printerName: string, platform: NodeJS.Platform = process.platform): Transport {
  return {
    target: printerName,
    async send(bytes) {
      const dir = await mkdtemp(join(tmpdir(), 'kezek-print-'));
      const file = join(dir, 'job.bin');
      try {
        await writeFile(file, bytes);
        const r =
          platform === 'win32'
            ? await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_RAW], { ...process.env, KEZEK_PRINTER: printerName, KEZEK_FILE: file })
            : await run('lp', ['-d', printerName, '-o', 'raw', file], process.env);
        if (r.code === 0) return;
        const missing = /NOPRINTER|does not exist|Unknown destination|not found/i.test(r.stderr);
        throw new AppError(missing ? 'printer_path_missing' : 'printer_error', { target: printerName, detail: r.stderr.trim().slice(0, 200) || `exit ${r.code}` });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
