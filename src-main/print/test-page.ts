import type { EncodingName, PrinterProfile } from '../../src-shared/print/profiles.js';
import { encodeText } from './encoding.js';
import { builder, startJob } from './render-ticket.js';

/** `ESC t n` numbers the printers we know use for Cyrillic pages (docs/printing.md, Code pages). */
const CANDIDATE_PAGES = [6, 7, 17, 23, 46, 53, 59, 73];
const ENCODINGS: EncodingName[] = ['cp866', 'win1251', 'rk1048'];
const SAMPLE = 'АБВ абв Ңң Өө Үү Әә Ққ Іі';

/**
 * A code-page test page: the same sample under every candidate `ESC t n` in each
 * encoding. The line whose letters come out right names the number and encoding
 * this printer uses; pick the profile that has them.
 */
export function renderTestPage(profile: PrinterProfile): Buffer {
  const p = builder(profile);
  startJob(p, profile, CANDIDATE_PAGES[0]!);
  p.bold(true);
  p.add(Buffer.from(`Kezek code page test - ${profile.id}`, 'ascii'));
  p.newLine();
  p.bold(false);
  for (const n of CANDIDATE_PAGES) {
    for (const enc of ENCODINGS) {
      p.add(Buffer.from([0x1b, 0x74, n]));
      p.add(Buffer.from(`${String(n).padStart(2)} ${enc.padEnd(7)} `, 'ascii'));
      p.add(encodeText(SAMPLE, enc));
      p.newLine();
    }
  }
  p.cut();
  return p.getBuffer();
}
