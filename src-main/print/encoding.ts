import iconv from 'iconv-lite';
import type { EncodingName, PrinterProfile } from '../../src-shared/print/profiles.js';

const ICONV: Record<EncodingName, string> = { cp866: 'cp866', win1251: 'win1251', rk1048: 'rk1048' };
/** Try the pages every Cyrillic printer has first; KZ-1048 only where the text needs it. */
const PREFERENCE: EncodingName[] = ['cp866', 'win1251', 'rk1048'];

export const encodeText = (text: string, enc: EncodingName): Buffer => iconv.encode(text, ICONV[enc]);
export const decodeText = (bytes: Buffer, enc: EncodingName): string => iconv.decode(bytes, ICONV[enc]);

/** The first of the profile's code pages that carries every character of `text` unchanged, or null. */
export function pickEncoding(text: string, profile: PrinterProfile): EncodingName | null {
  for (const enc of PREFERENCE) {
    if (profile.codePages[enc] === undefined) continue;
    if (decodeText(encodeText(text, enc), enc) === text) return enc;
  }
  return null;
}
