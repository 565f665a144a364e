import iconv from 'iconv-lite';
import type { PrinterProfile } from '../../src-shared/print/profiles.js';

/** A decoded 1-bit raster: width × height, one byte per pixel (1 = black). */
export interface Raster {
  width: number;
  height: number;
  bits: Uint8Array;
}
export interface DecodedLine {
  text: string;
  align: 'left' | 'center' | 'right';
  bold: boolean;
  big: boolean;
}
export type Block = { kind: 'line'; line: DecodedLine } | { kind: 'image'; image: Raster } | { kind: 'qr'; data: string } | { kind: 'barcode'; data: string } | { kind: 'cut' };

export interface Decoded {
  blocks: Block[];
  lines: DecodedLine[];
  images: Raster[];
  qr: string[];
  cuts: number;
  /** Every `ESC t n` in order. */
  codePages: number[];
  /** Commands this decoder does not know: a test failure, since we only emit what we mean to. */
  unknown: string[];
}

const ICONV: Record<string, string> = { cp866: 'cp866', win1251: 'win1251', rk1048: 'rk1048' };

/**
 * Turns the ESC/POS bytes Kezek sends back into what a printer would put on
 * paper: text lines in the active code page (as the profile numbers them),
 * raster images (consecutive `GS v 0` bands stitched), native QR payloads, cuts.
 * Written from the Epson ESC/POS command reference, independently of the renderer.
 */
export function decodeEscPos(buf: Buffer, profile: PrinterProfile): Decoded {
  const pageToEnc = new Map(Object.entries(profile.codePages).map(([enc, n]) => [n, ICONV[enc]!]));
  const out: Decoded = { blocks: [], lines: [], images: [], qr: [], cuts: 0, codePages: [], unknown: [] };
  let enc = 'cp437';
  let align: DecodedLine['align'] = 'left';
  let bold = false;
  let big = false;
  let text: number[] = [];
  let qrStore = '';
  let lastWasImage = false;

  const flush = (force: boolean) => {
    if (text.length === 0 && !force) return;
    const line = { text: iconv.decode(Buffer.from(text), enc), align, bold, big };
    out.lines.push(line);
    out.blocks.push({ kind: 'line', line });
    text = [];
    lastWasImage = false;
  };
  const reset = () => {
    enc = 'cp437';
    align = 'left';
    bold = false;
    big = false;
  };

  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b === 0x0a) {
      flush(true);
      i++;
      continue;
    }
    if (b === 0x1b) {
      const c = buf[i + 1];
      if (c === 0x40) {
        reset();
        i += 2;
        continue;
      }
      if (c === 0x74) {
        const n = buf[i + 2]!;
        out.codePages.push(n);
        enc = pageToEnc.get(n) ?? 'latin1';
        if (!pageToEnc.has(n)) out.unknown.push(`ESC t ${n} (page not in profile)`);
        i += 3;
        continue;
      }
      if (c === 0x61) {
        align = (['left', 'center', 'right'] as const)[buf[i + 2]! % 3]!;
        i += 3;
        continue;
      }
      if (c === 0x45) {
        bold = buf[i + 2] === 1;
        i += 3;
        continue;
      }
      if (c === 0x21) {
        big = (buf[i + 2]! & 0x30) === 0x30;
        i += 3;
        continue;
      }
      if (c === 0x64) {
        i += 3;
        continue;
      } // feed n lines
      out.unknown.push(`ESC ${c?.toString(16)}`);
      i += 2;
      continue;
    }
    if (b === 0x1c && buf[i + 1] === 0x2e) {
      i += 2;
      continue;
    } // FS . cancel Kanji
    if (b === 0x1d) {
      const c = buf[i + 1];
      if (c === 0x56) {
        const m = buf[i + 2]!;
        i += m === 65 || m === 66 ? 4 : 3;
        out.cuts++;
        out.blocks.push({ kind: 'cut' });
        lastWasImage = false;
        continue;
      }
      if (c === 0x76 && buf[i + 2] === 0x30) {
        const bytesPerRow = buf[i + 4]! + buf[i + 5]! * 256;
        const rows = buf[i + 6]! + buf[i + 7]! * 256;
        const data = buf.subarray(i + 8, i + 8 + bytesPerRow * rows);
        const width = bytesPerRow * 8;
        const bits = new Uint8Array(width * rows);
        for (let y = 0; y < rows; y++) for (let x = 0; x < width; x++) bits[y * width + x] = (data[y * bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
        const band: Raster = { width, height: rows, bits };
        const prev = out.images[out.images.length - 1];
        if (lastWasImage && prev && prev.width === width) {
          // Bands of one picture: stitch them back together.
          const joined = new Uint8Array(prev.bits.length + bits.length);
          joined.set(prev.bits);
          joined.set(bits, prev.bits.length);
          const merged = { width, height: prev.height + rows, bits: joined };
          out.images[out.images.length - 1] = merged;
          const blk = out.blocks[out.blocks.length - 1];
          if (blk?.kind === 'image') blk.image = merged;
        } else {
          out.images.push(band);
          out.blocks.push({ kind: 'image', image: band });
        }
        lastWasImage = true;
        i += 8 + bytesPerRow * rows;
        continue;
      }
      if (c === 0x28 && buf[i + 2] === 0x6b) {
        const len = buf[i + 3]! + buf[i + 4]! * 256;
        const cn = buf[i + 5];
        const fn = buf[i + 6];
        if (cn === 0x31 && fn === 0x50) qrStore = buf.subarray(i + 8, i + 5 + len).toString('latin1');
        if (cn === 0x31 && fn === 0x51) {
          out.qr.push(qrStore);
          out.blocks.push({ kind: 'qr', data: qrStore });
          lastWasImage = false;
        }
        i += 5 + len;
        continue;
      }
      if (c === 0x48 || c === 0x66 || c === 0x77 || c === 0x68) {
        i += 3;
        continue;
      } // barcode HRI / size settings
      out.unknown.push(`GS ${c?.toString(16)}`);
      i += 2;
      continue;
    }
    if (b < 0x20) {
      out.unknown.push(`ctrl ${b.toString(16)}`);
      i++;
      continue;
    }
    text.push(b);
    i++;
  }
  flush(false);
  return out;
}
