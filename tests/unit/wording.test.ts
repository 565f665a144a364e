import { describe, expect, it } from 'vitest';
import { resources, translate } from '../../src-shared/i18n/index.js';
import type { Lang } from '../../src-shared/domain/enums.js';
import { enrollmentQr, parseEnrollmentQr } from '../../src-shared/sync/enrollment-code.js';

/**
 * Issue 23 finding 6: "cancel" (a booking the patient or clinic calls off) and "refuse" (the registry
 * turns a request down, R3) are two acts with two words in every language — a registrar who reads
 * one for the other confirms or refuses the wrong thing. Kazakh used «Бас тарту» for both.
 */
describe('cancelling and refusing read differently in ru, ky and kk', () => {
  for (const lang of ['ru', 'ky', 'kk'] as Lang[]) {
    it(lang, () => {
      const m = resources[lang] as unknown as { ui: Record<string, string>; registerResult: Record<string, string> };
      const stem = (s: string) => s.toLowerCase().split(/\s+/)[0]!.slice(0, 5);
      expect(stem(m.ui.cancelBooking!)).not.toBe(stem(m.ui.refuse!));
      expect(stem(m.registerResult.cancelled!)).not.toBe(stem(m.registerResult.refused!));
      expect(m.ui.cancelVisit).not.toBe(m.registerResult.refused);
    });
  }
});

/** Issue 23 finding 7: a date in a message reads as people write it (the card said «до 2026-12-31»). */
describe('dates in messages read dd.mm.yyyy in every language', () => {
  for (const lang of ['ru', 'ky', 'kk'] as Lang[]) {
    it(lang, () => {
      const text = translate(lang, 'errors.beyond_horizon', { horizonEnd: '2026-12-31' });
      expect(text).toContain('31.12.2026');
      expect(text).not.toContain('2026-12-31');
      // Numbers and other words pass through untouched.
      expect(translate(lang, 'ui.quotaBadge', { percent: 30, to: '01.02.2027' })).toContain('30');
    });
  }
});

/** Issue 23 finding 11: a QR scanned with the keyboard in the Russian or Kyrgyz layout types Cyrillic letters on the Latin keys: the wizard reads it all the same. */
describe('an enrollment QR typed in the ЙЦУКЕН layout', () => {
  it('reads back as the address and code it carries', () => {
    const qr = enrollmentQr('http://kezek.oblast.kg:5790', 'ABCD-EFGH-JKLM');
    // What the scanner's keys give with the Russian layout on: the same keys, other letters.
    expect(parseEnrollmentQr('ЛУЯУЛ-УТКЩДД реезЖ..луяулющидфыеюлпЖ5790 ФИСВ-УАПР-ОЛДЬ')).toEqual({ serverUrl: 'http://kezek.oblast.kg:5790', code: 'ABCD-EFGH-JKLM' });
    expect(parseEnrollmentQr(qr)).toEqual({ serverUrl: 'http://kezek.oblast.kg:5790', code: 'ABCD-EFGH-JKLM' });
    expect(parseEnrollmentQr('ЛУЯУЛ-УТКЩДД реезЖ..луяул')).toBeNull(); // not whole yet
  });
});
