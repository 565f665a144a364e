import { describe, expect, it } from 'vitest';
import { resources, translate } from '../../src-shared/i18n/index.js';
import type { Lang } from '../../src-shared/domain/enums.js';

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
