/**
 * How a text travels as SMS (3GPP TS 23.038 / 23.040): in the GSM 7-bit alphabet when every character is in it
 * (160 a message, 153 a part of a longer one), otherwise in UCS-2 — every Cyrillic text, Kyrgyz ң ө ү and Kazakh
 * ә ғ қ ң ө ұ ү һ і included — 70 a message, 67 a part (the other 6 bytes carry the concatenation header).
 */
const GSM7 = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
/** Characters of the GSM extension table: two septets each (escape + code). */
const GSM7_EXT = new Set('^{}\\[~]|€\f');

export type SmsEncoding = 'gsm7' | 'ucs2';
export interface SmsParts {
  encoding: SmsEncoding;
  /** The text cut where the network cuts it: one part, or the parts of a concatenated message in order. */
  parts: string[];
}

export function smsParts(text: string): SmsParts {
  const chars = [...text];
  if (chars.every((c) => GSM7.has(c) || GSM7_EXT.has(c))) {
    const septets = (c: string) => (GSM7_EXT.has(c) ? 2 : 1);
    const total = chars.reduce((n, c) => n + septets(c), 0);
    return { encoding: 'gsm7', parts: total <= 160 ? [text] : cut(chars, 153, septets) };
  }
  // UCS-2 counts 16-bit units: a character outside the BMP (an emoji) takes two and is never split between parts.
  const units = (c: string) => c.length;
  const total = chars.reduce((n, c) => n + units(c), 0);
  return { encoding: 'ucs2', parts: total <= 70 ? [text] : cut(chars, 67, units) };
}

function cut(chars: string[], size: number, weight: (c: string) => number): string[] {
  const parts: string[] = [];
  let part = '';
  let used = 0;
  for (const c of chars) {
    if (used + weight(c) > size) {
      parts.push(part);
      part = '';
      used = 0;
    }
    part += c;
    used += weight(c);
  }
  if (part) parts.push(part);
  return parts;
}
