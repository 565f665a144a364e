import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { connect } from 'node:net';
import type { PrinterTransport } from '../../../src-shared/print/settings.js';
import { AppError } from '../../../src-shared/rpc/errors.js';
import { DEVICE_ROOTS, isPrinterPath } from './device-path.js';
import { spoolerTransport } from './spooler.js';

export { spoolerTransport };

/** Gets bytes to a printer; throws AppError with a printer_* code the desk can translate. */
export interface Transport {
  readonly target: string;
  send(bytes: Buffer): Promise<void>;
}

/**
 * Device file. Only a printer path (see isPrinterPath) is ever opened, without O_CREAT (a missing
 * /dev/usb/lp0 must be an error, not a new regular file), and written only if it is a device or a
 * pipe — never a regular file, a directory or a disk, whatever a link under /dev points to.
 */
export function fileTransport(path: string, roots: readonly string[] = DEVICE_ROOTS): Transport {
  return {
    target: path,
    async send(bytes) {
      if (!isPrinterPath(path, roots)) throw new AppError('printer_path_not_allowed', { target: path });
      let fh: FileHandle;
      try {
        fh = await open(path, constants.O_WRONLY | constants.O_NOCTTY);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new AppError(
          code === 'ENOENT' ? 'printer_path_missing' : code === 'EACCES' || code === 'EPERM' ? 'printer_no_access' : code === 'EISDIR' ? 'printer_path_not_allowed' : 'printer_error',
          { target: path, detail: code ?? '' },
        );
      }
      try {
        const st = await fh.stat();
        // Windows ports and shares report no device type we can rely on; there only a directory is refused.
        const windows = !path.startsWith('/');
        if (!(st.isCharacterDevice() || st.isFIFO() || st.isSocket() || (windows && !st.isDirectory()))) throw new AppError('printer_path_not_allowed', { target: path });
        await fh.write(bytes);
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw new AppError('printer_error', { target: path, detail: (e as NodeJS.ErrnoException).code ?? String(e) });
      } finally {
        await fh.close();
      }
    },
  };
}

/** Raw TCP (port 9100): connect, write, close, within a timeout. */
export function tcpTransport(host: string, port: number, timeoutMs = 3000): Transport {
  const target = `${host}:${port}`;
  return {
    target,
    send: (bytes) =>
      new Promise<void>((resolve, reject) => {
        const sock = connect({ host, port });
        const fail = (detail: string) => {
          sock.destroy();
          reject(new AppError('printer_unreachable', { target, detail }));
        };
        sock.setTimeout(timeoutMs, () => fail('timeout'));
        sock.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
        sock.once('connect', () => sock.end(bytes));
        sock.once('close', (hadError) => {
          if (!hadError) resolve();
        });
      }),
  };
}

/** Keeps what it was sent: for tests, and for trying the desk without a printer. */
export class CaptureTransport implements Transport {
  readonly target = 'capture';
  readonly jobs: Buffer[] = [];
  failNext: AppError | null = null;
  async send(bytes: Buffer): Promise<void> {
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
    this.jobs.push(Buffer.from(bytes));
  }
}

export function transportFor(t: PrinterTransport, deviceRoots: readonly string[] = DEVICE_ROOTS): Transport | null {
  switch (t.kind) {
    case 'none':
      return null;
    case 'file':
      return fileTransport(t.path, deviceRoots);
    case 'tcp':
      return tcpTransport(t.host, t.port);
    case 'spooler':
      return spoolerTransport(t.printerName);
  }
}
