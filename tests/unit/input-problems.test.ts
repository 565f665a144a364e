import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Lang } from '../../src-shared/domain/enums.js';
import { contract } from '../../src-shared/rpc/contract.js';
import { badInputBody } from '../../src-shared/rpc/input-problems.js';

/** Issue 23 finding 4: a mistake is named — the field and what is wrong with it — in the UI's language, never "bad request" alone. */
const said = (lang: Lang, schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a refusal');
  return badInputBody(lang, r.error.issues).message;
};

describe('bad input is said field by field (issue 23 finding 4)', () => {
  it('a search of one character names the search field and its minimum', () => {
    expect(said('ru', contract['patients.find'].input, { query: '%' })).toBe('Неверные данные запроса: Поиск: не короче 2 знаков');
    expect(said('ky', contract['patients.find'].input, { query: '%' })).toContain('Издөө: 2 белгиден кыска эмес');
  });

  it('a staff password under 8 characters and a surname over the limit say their limits', () => {
    expect(said('ru', contract['auth.changePassword'].input, { current: 'x', next: 'short' })).toContain('Новый пароль: не короче 8 знаков');
    expect(said('kk', contract['patients.register'].input, { nationalId: '1', nationalIdKind: 'KG_PIN', fullName: 'Ж'.repeat(201), birthDate: '1990-01-01', sex: 'male' })).toContain(
      'Аты-жөні: 200 таңбадан ұзын емес',
    );
  });

  it('an empty form names what is missing (at most three fields)', () => {
    const m = said('ru', contract['setup.enroll'].input, {});
    expect(m).toMatch(/^Неверные данные запроса: .+: не заполнено/);
    expect(m.split('; ').length).toBeLessThanOrEqual(3);
  });
});
