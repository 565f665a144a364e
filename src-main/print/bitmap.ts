/** A 1-bit image, row-major, one byte per pixel (1 = black) — simple to slice, stitch and test. */
export interface Bitmap {
  width: number;
  height: number;
  bits: Uint8Array;
}

/** Black where the pixel is dark and opaque enough (no dithering: tickets are text and bars). */
export function thresholdRgba(rgba: Uint8Array | Buffer, width: number, height: number): Bitmap {
  const bits = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const a = rgba[i * 4 + 3]!;
    const lum = 0.2126 * rgba[i * 4]! + 0.7152 * rgba[i * 4 + 1]! + 0.0722 * rgba[i * 4 + 2]!;
    // Transparent counts as paper.
    bits[i] = a > 127 && lum < 128 ? 1 : 0;
  }
  return { width, height, bits };
}

/**
 * ESC/POS raster (`GS v 0`) in bands of at most `bandRows` rows: tall single
 * images print garbled on many printers (node-thermal-printer #130, #103).
 */
export function rasterBands(img: Bitmap, bandRows = 128): Buffer {
  const bytesPerRow = Math.ceil(img.width / 8);
  const parts: Buffer[] = [];
  for (let top = 0; top < img.height; top += bandRows) {
    const rows = Math.min(bandRows, img.height - top);
    const data = Buffer.alloc(bytesPerRow * rows);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < img.width; x++) {
        if (img.bits[(top + y) * img.width + x]) data[y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
      }
    }
    parts.push(Buffer.from([0x1d, 0x76, 0x30, 0x00, bytesPerRow & 0xff, bytesPerRow >> 8, rows & 0xff, rows >> 8]), data);
  }
  return Buffer.concat(parts);
}
