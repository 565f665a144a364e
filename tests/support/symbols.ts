import { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } from '@zxing/library';
import jsQRImport from 'jsqr';
import type { Raster } from './escpos-decoder.js';
import { rasterToRgba } from './raster-png.js';

// jsqr is CommonJS with an ES-style default export: under Node's ESM interop the function sits on `.default`.
const jsQR = ((jsQRImport as unknown as { default?: unknown }).default ?? jsQRImport) as (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null;

/** Read a Code128 barcode from a raster with ZXing (a real barcode reader, not our encoder). */
export function readCode128(r: Raster): string | null {
  const rgba = rasterToRgba(r);
  // ZXing wants one luminance byte per pixel here.
  const lum = new Uint8ClampedArray(r.width * r.height);
  for (let i = 0; i < lum.length; i++) lum[i] = rgba[i * 4]!;
  const reader = new MultiFormatReader();
  reader.setHints(
    new Map<DecodeHintType, unknown>([
      [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
      [DecodeHintType.TRY_HARDER, true],
    ]),
  );
  try {
    return reader.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, r.width, r.height)))).getText();
  } catch {
    return null;
  }
}

/** Read a QR code from a raster with jsQR. */
export function readQr(r: Raster): string | null {
  // A quiet zone helps the finder when the QR touches the band's edge.
  const pad = 16;
  const w = r.width + 2 * pad;
  const h = r.height + 2 * pad;
  const bits = new Uint8Array(w * h);
  for (let y = 0; y < r.height; y++) bits.set(r.bits.subarray(y * r.width, (y + 1) * r.width), (y + pad) * w + pad);
  return jsQR(rasterToRgba({ width: w, height: h, bits }), w, h)?.data ?? null;
}
