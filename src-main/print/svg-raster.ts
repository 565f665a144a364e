import { Resvg } from '@resvg/resvg-js';
import { thresholdRgba, type Bitmap } from './bitmap.js';
import { FONT_FAMILY, FONT_FILES } from './fonts.js';

/** SVG → 1-bit bitmap at exactly `width` pixels, with the bundled fonts only. */
export function svgToBitmap(svg: string, width: number): Bitmap {
  const r = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: 'white',
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    shapeRendering: 1,
    textRendering: 1,
  });
  const img = r.render();
  return thresholdRgba(img.pixels, img.width, img.height);
}

export const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
