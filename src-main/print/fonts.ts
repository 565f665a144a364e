import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// DejaVu ships with the app as an npm dependency, so raster tickets look the same on
// every desk and in CI (no system fonts), and it has every Kyrgyz and Kazakh letter.
const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_FILES = ['DejaVuSansCondensed.ttf', 'DejaVuSansCondensed-Bold.ttf', 'DejaVuSansMono.ttf'].map((f) => join(dir, f));
export const FONT_FAMILY = 'DejaVu Sans Condensed';
