import ntp from 'node-thermal-printer';
import type { Ticket } from '../../src-shared/domain/appointment.js';
import type { EncodingName, PrinterProfile } from '../../src-shared/print/profiles.js';
import { barcodePayload, qrPayload, ticketLines, type TicketLine, type TicketPrintOptions } from '../../src-shared/print/ticket-layout.js';
import { rasterBands, type Bitmap } from './bitmap.js';
import { symbolBitmap } from './codes.js';
import { encodeText, pickEncoding } from './encoding.js';
import { escapeXml, svgToBitmap } from './svg-raster.js';
import { FONT_FAMILY } from './fonts.js';

export type RenderMode = 'text' | 'raster';
export interface RenderedJob {
  bytes: Buffer;
  mode: RenderMode;
  encoding: EncodingName | null;
  lines: TicketLine[];
}

const FS_CANCEL_KANJI = Buffer.from([0x1c, 0x2e]);
const selectCodePage = (n: number) => Buffer.from([0x1b, 0x74, n]);

/** node-thermal-printer as a pure command builder: no interface, read back with getBuffer(). */
export function builder(profile: PrinterProfile) {
  return new ntp.printer({ type: ntp.types.EPSON, width: profile.columns, interface: '' });
}
type Builder = ReturnType<typeof builder>;

/** Start of every job: reset, leave Chinese mode where the clone needs it, select the page. */
export function startJob(p: Builder, profile: PrinterProfile, page: number): void {
  p.add(Buffer.from([0x1b, 0x40]));
  if (profile.cancelKanji) p.add(FS_CANCEL_KANJI);
  p.add(selectCodePage(page));
}

/** Cut, then select the page again: the cut's ESC @ resets it for whatever follows. */
export function endJob(p: Builder, page: number): void {
  p.cut();
  p.add(selectCodePage(page));
}

/** Lines as printer text in one code page, with their alignment, weight and size. */
export function writeLines(p: Builder, lines: TicketLine[], encoding: EncodingName): void {
  for (const l of lines) {
    if (l.align === 'center') p.alignCenter();
    else p.alignLeft();
    p.bold(l.bold);
    if (l.big) p.setTextQuadArea();
    p.add(encodeText(l.text, encoding));
    p.newLine();
    if (l.big) p.setTextNormal();
  }
  p.bold(false);
  p.alignLeft();
}

/** The page to select: the text's own, or any the printer has when everything is an image. */
export const pageFor = (profile: PrinterProfile, encoding: EncodingName | null): number =>
  encoding ? profile.codePages[encoding]! : (profile.codePages.cp866 ?? Object.values(profile.codePages)[0]!);

/** Any list of lines (day lists): text where the letters fit, an image otherwise. */
export function renderLines(lines: TicketLine[], profile: PrinterProfile): Buffer {
  const encoding = pickEncoding(lines.map((l) => l.text).join('\n'), profile);
  const page = pageFor(profile, encoding);
  const p = builder(profile);
  startJob(p, profile, page);
  if (encoding) writeLines(p, lines, encoding);
  else p.add(rasterBands(linesBitmap(lines, profile)));
  endJob(p, page);
  return p.getBuffer();
}

/** Pad a bitmap to the paper width with the symbol in the middle (ESC a does not move rasters on every clone). */
function centered(img: Bitmap, width: number): Bitmap {
  if (img.width >= width) return img;
  const left = Math.floor((width - img.width) / 2);
  const bits = new Uint8Array(width * img.height);
  for (let y = 0; y < img.height; y++) bits.set(img.bits.subarray(y * img.width, (y + 1) * img.width), y * width + left);
  return { width, height: img.height, bits };
}

function stack(parts: Bitmap[], width: number, gap: number): Bitmap {
  const height = parts.reduce((h, p) => h + p.height + gap, 0);
  const bits = new Uint8Array(width * height);
  let y = 0;
  for (const p of parts.map((x) => centered(x, width))) {
    bits.set(p.bits, y * width);
    y += p.height + gap;
  }
  return { width, height, bits };
}

/** The ticket's lines drawn with the bundled font, at the paper's width, as one image. */
export function linesBitmap(lines: TicketLine[], profile: PrinterProfile): Bitmap {
  const w = profile.widthDots;
  // Font A of these printers is 12 dots a column; DejaVu Sans Condensed at 1.75× that fits the same columns.
  const size = Math.round((w / profile.columns) * 1.75);
  let y = 0;
  const texts = lines.map((l) => {
    const fs = l.big ? size * 2 : size;
    y += Math.round(fs * 1.25);
    const x = l.align === 'center' ? w / 2 : 2;
    // A rule of dashes is drawn as a line: in a proportional font it would stop short.
    if (/^-+$/.test(l.text)) return `<line x1="0" x2="${w}" y1="${y - fs / 2}" y2="${y - fs / 2}" stroke="black" stroke-width="2" stroke-dasharray="8 4"/>`;
    return `<text x="${x}" y="${y - Math.round(fs * 0.25)}" font-size="${fs}" font-family="${FONT_FAMILY}" font-weight="${l.bold ? 'bold' : 'normal'}" text-anchor="${l.align === 'center' ? 'middle' : 'start'}">${escapeXml(l.text)}</text>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${y + 4}" viewBox="0 0 ${w} ${y + 4}">${texts.join('')}</svg>`;
  return svgToBitmap(svg, w);
}

/**
 * Ticket → ESC/POS bytes. Text mode when every character fits one of the
 * printer's code pages (fast, small, sharp); otherwise — e.g. Kyrgyz Ң Ө Ү on a
 * printer without KZ-1048 — the text is drawn to a raster image. Barcode and QR
 * are bwip-js rasters (QR native where the profile says the printer has it).
 */
export function renderTicket(ticket: Ticket, opts: TicketPrintOptions, profile: PrinterProfile, issuedLocal: string, force?: RenderMode): RenderedJob {
  const lines = ticketLines(ticket, opts, profile.columns, issuedLocal);
  const encoding = force === 'raster' ? null : pickEncoding(lines.map((l) => l.text).join('\n'), profile);
  const mode: RenderMode = encoding ? 'text' : 'raster';
  if (force === 'text' && !encoding) throw new Error(`profile ${profile.id} has no code page for this ticket's text`);
  const p = builder(profile);
  const page = pageFor(profile, encoding);
  startJob(p, profile, page);

  const barcode = symbolBitmap('code128', barcodePayload(ticket), Math.min(profile.widthDots - 16, 360));
  const qrText = qrPayload(ticket);
  if (mode === 'text') {
    writeLines(p, lines, encoding!);
    p.add(rasterBands(centered(barcode, profile.widthDots)));
    if (profile.nativeQr) {
      p.alignCenter();
      p.printQR(qrText, { cellSize: 6, correction: 'M', model: 2 });
      p.alignLeft();
    } else {
      p.add(rasterBands(centered(symbolBitmap('qrcode', qrText, Math.floor(profile.widthDots / 2)), profile.widthDots)));
    }
  } else {
    const qr = symbolBitmap('qrcode', qrText, Math.floor(profile.widthDots / 2));
    p.add(rasterBands(stack([linesBitmap(lines, profile), barcode, qr], profile.widthDots, 8)));
  }
  endJob(p, page);
  return { bytes: p.getBuffer(), mode, encoding, lines };
}
