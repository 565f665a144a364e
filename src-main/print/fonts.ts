import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * A packaged desk's dependencies live in app.asar, which only Node's own fs (patched by Electron)
 * can read; native code — resvg reading a font — needs the real file, which electron-builder keeps
 * beside it in app.asar.unpacked (asarUnpack in electron-builder.yml).
 */
export const unpackedPath = (path: string): string => path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');

// DejaVu ships with the app as an npm dependency, so raster tickets look the same on
// every desk and in CI (no system fonts), and it has every Kyrgyz and Kazakh letter.
const dir = unpackedPath(join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf'));
export const FONT_FILES = ['DejaVuSansCondensed.ttf', 'DejaVuSansCondensed-Bold.ttf', 'DejaVuSansMono.ttf'].map((f) => join(dir, f));
export const FONT_FAMILY = 'DejaVu Sans Condensed';
