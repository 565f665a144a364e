import { Resvg } from '@resvg/resvg-js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import type { Decoded, Raster } from './escpos-decoder.js';

const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** A raster as PNG bytes (black on white). */
export function rasterToPng(r: Raster): Buffer {
  const png = new PNG({ width: r.width, height: r.height });
  for (let i = 0; i < r.width * r.height; i++) {
    const v = r.bits[i] ? 0 : 255;
    png.data[i * 4] = v;
    png.data[i * 4 + 1] = v;
    png.data[i * 4 + 2] = v;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** RGBA of a raster, for barcode readers. */
export function rasterToRgba(r: Raster): Uint8ClampedArray {
  const out = new Uint8ClampedArray(r.width * r.height * 4);
  for (let i = 0; i < r.width * r.height; i++) {
    const v = r.bits[i] ? 0 : 255;
    out[i * 4] = v;
    out[i * 4 + 1] = v;
    out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return out;
}

const esc = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);

/**
 * The whole decoded ticket as the paper would look: text lines drawn in a
 * monospace font at the printer's 12-dot columns, images as they are.
 */
export function decodedToPng(d: Decoded, widthDots: number, columns = widthDots / 12): Buffer {
  // DejaVu Sans Mono advances 0.602 em: size the font so `columns` letters fill the paper like font A.
  const normal = Math.floor((widthDots / columns / 0.602) * 10) / 10;
  const parts: string[] = [];
  let y = 8;
  for (const b of d.blocks) {
    if (b.kind === 'line') {
      const size = b.line.big ? normal * 2 : normal;
      y += size + 4;
      const x = b.line.align === 'center' ? widthDots / 2 : 4;
      parts.push(
        `<text x="${x}" y="${y}" font-family="DejaVu Sans Mono" font-size="${size}" font-weight="${b.line.bold ? 'bold' : 'normal'}" text-anchor="${b.line.align === 'center' ? 'middle' : 'start'}">${esc(b.line.text)}</text>`,
      );
      y += 4;
    } else if (b.kind === 'image') {
      parts.push(`<image x="0" y="${y}" width="${b.image.width}" height="${b.image.height}" href="data:image/png;base64,${rasterToPng(b.image).toString('base64')}"/>`);
      y += b.image.height;
    } else if (b.kind === 'qr') {
      y += 24;
      parts.push(`<text x="${widthDots / 2}" y="${y}" font-family="DejaVu Sans Mono" font-size="14" text-anchor="middle">[QR ${esc(b.data)}]</text>`);
    } else if (b.kind === 'cut') {
      y += 12;
      parts.push(`<line x1="0" y1="${y}" x2="${widthDots}" y2="${y}" stroke="black" stroke-dasharray="6 6"/>`);
      y += 12;
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthDots}" height="${y + 8}"><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`;
  return new Resvg(svg, { font: { fontFiles: ['DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf'].map((f) => join(fontDir, f)), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans Mono' } })
    .render()
    .asPng();
}
