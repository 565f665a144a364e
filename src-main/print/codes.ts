import bwipjs from 'bwip-js/node';
import type { Bitmap } from './bitmap.js';
import { svgToBitmap } from './svg-raster.js';

/** bwip-js SVG for a Code128 or QR symbol (ASCII payloads only). */
export function symbolSvg(kind: 'code128' | 'qrcode', text: string): string {
  return kind === 'code128' ? bwipjs.toSVG({ bcid: 'code128', text, scale: 2, height: 12, includetext: true, textxalign: 'center' }) : bwipjs.toSVG({ bcid: 'qrcode', text, scale: 4 });
}

/** A symbol as a 1-bit bitmap no wider than `maxWidth`, with whole-pixel modules so scanners read it. */
export function symbolBitmap(kind: 'code128' | 'qrcode', text: string, maxWidth: number): Bitmap {
  const svg = symbolSvg(kind, text);
  const w = Number(/viewBox="0 0 (\d+(?:\.\d+)?)/.exec(svg)?.[1] ?? maxWidth);
  // Integer scale of the symbol's own size: fractional scaling smears bars.
  const scale = Math.max(1, Math.floor(maxWidth / w));
  return svgToBitmap(svg, Math.min(maxWidth, Math.round(w * scale)));
}
