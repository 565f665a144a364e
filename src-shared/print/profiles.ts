import { z } from 'zod';

/** The encodings a ticket's text can be sent in; names are iconv-lite's. */
export const encodingName = z.enum(['cp866', 'win1251', 'rk1048']);
export type EncodingName = z.infer<typeof encodingName>;

/**
 * A printer model as data: paper width in dots, text columns of font A, the
 * vendor's own `ESC t n` number for each code page it has (the numbers differ by
 * vendor — docs/printing.md, Code pages), and whether it understands `GS ( k` QR codes.
 */
export interface PrinterProfile {
  id: string;
  name: string;
  paperMm: 58 | 80;
  widthDots: number;
  columns: number;
  codePages: Partial<Record<EncodingName, number>>;
  nativeQr: boolean;
  /** Send `FS .` to leave the Chinese double-byte mode some clones start in. */
  cancelKanji: boolean;
}

const p = (x: PrinterProfile) => x;

export const PRINTER_PROFILES: readonly PrinterProfile[] = [
  p({ id: 'epson-80', name: 'Epson TM-T20/T88 (80 мм)', paperMm: 80, widthDots: 576, columns: 48, codePages: { cp866: 17, win1251: 46, rk1048: 53 }, nativeQr: true, cancelKanji: false }),
  p({ id: 'epson-58', name: 'Epson TM-m10/T20 в режиме 58 мм', paperMm: 58, widthDots: 384, columns: 32, codePages: { cp866: 17, win1251: 46, rk1048: 53 }, nativeQr: true, cancelKanji: false }),
  p({ id: 'xprinter-80', name: 'Xprinter XP-80 / XP-N160', paperMm: 80, widthDots: 576, columns: 48, codePages: { cp866: 17, win1251: 23 }, nativeQr: false, cancelKanji: true }),
  p({ id: 'xprinter-58', name: 'Xprinter XP-58', paperMm: 58, widthDots: 384, columns: 32, codePages: { cp866: 17, win1251: 23 }, nativeQr: false, cancelKanji: true }),
  p({ id: 'pos5890-58', name: 'Zjiang POS-5890 и другие 58 мм', paperMm: 58, widthDots: 384, columns: 32, codePages: { cp866: 17, win1251: 73 }, nativeQr: false, cancelKanji: true }),
  p({ id: 'rongta-80', name: 'Rongta RP326/RP332', paperMm: 80, widthDots: 576, columns: 48, codePages: { win1251: 6, cp866: 7 }, nativeQr: true, cancelKanji: true }),
  p({ id: 'goojprt-58', name: 'Goojprt / MPT 58 мм', paperMm: 58, widthDots: 384, columns: 32, codePages: { win1251: 6, cp866: 7 }, nativeQr: false, cancelKanji: true }),
];

export function findPrinterProfile(id: string): PrinterProfile | undefined {
  return PRINTER_PROFILES.find((x) => x.id === id);
}
