import { describe, expect, it } from 'vitest';
import { checkNationalId, guessIdKind, maskNationalId } from '../../src-shared/ids/index.js';
import { checkKzIin } from '../../src-shared/ids/kz-iin.js';
import { checkRuOms, checkRuSnils } from '../../src-shared/ids/ru.js';
import { checkKgPin, makeKgPin } from '../../src-shared/ids/kg-pin.js';
import { PROFILES } from '../../src-shared/policy/profiles.js';

const TODAY = '2026-11-22';
const KG = PROFILES.KG;

describe('KG PIN (docs/national-ids.md, Kyrgyz PIN: 14 digits, sex digit, DDMMYYYY, no check digit)', () => {
  it('reads sex and birth date from a well-formed PIN', () => {
    const r = checkKgPin('21204199012345', KG.kgPinSexDigits, TODAY);
    expect(r).toMatchObject({ ok: true, sex: 'male', birthDate: '1990-04-12' });
    expect(checkKgPin('1 0101 2000 00001', KG.kgPinSexDigits, TODAY)).toMatchObject({ ok: true, sex: 'female', birthDate: '2000-01-01' });
  });
  it("000 fig. 4: the manual's sample PIN 20604199601785 is a man born 06.04.1996", () => {
    expect(checkKgPin('20604199601785', KG.kgPinSexDigits, TODAY)).toMatchObject({ ok: true, sex: 'male', birthDate: '1996-04-06' });
  });
  it('rejects wrong length, letters and an unknown sex digit', () => {
    expect(checkKgPin('2120419901234', KG.kgPinSexDigits, TODAY)).toMatchObject({ ok: false, error: 'id_format' });
    expect(checkKgPin('2120419901234A', KG.kgPinSexDigits, TODAY)).toMatchObject({ ok: false, error: 'id_format' });
    expect(checkKgPin('31204199012345', KG.kgPinSexDigits, TODAY)).toMatchObject({ ok: false, error: 'id_format' });
  });
  it('rejects an impossible or future birth date', () => {
    expect(checkKgPin('23104199012345', KG.kgPinSexDigits, TODAY)).toMatchObject({ ok: false, error: 'id_date' });
    expect(checkKgPin('20101203012345', KG.kgPinSexDigits, TODAY)).toMatchObject({ ok: false, error: 'id_date' });
  });
  it('never rejects on an unconfirmed check digit: any serial passes', () => {
    for (let serial = 0; serial < 50; serial++) {
      expect(checkKgPin(makeKgPin('2', '1985-07-03', serial), KG.kgPinSexDigits, TODAY).ok).toBe(true);
    }
  });
});

describe('KZ IIN (docs/national-ids.md, Kazakh IIN: mod-11 check digit with two weight sets)', () => {
  it('accepts the public samples', () => {
    expect(checkKzIin('061211600012', TODAY)).toMatchObject({ ok: true, birthDate: '2006-12-11', sex: 'female' });
    expect(checkKzIin('790303402568', TODAY)).toMatchObject({ ok: true, birthDate: '1979-03-03', sex: 'female' });
  });
  it('rejects a wrong check digit', () => {
    expect(checkKzIin('950101300038', TODAY)).toMatchObject({ ok: false, error: 'id_check_digit' });
    expect(checkKzIin('061211600013', TODAY)).toMatchObject({ ok: false, error: 'id_check_digit' });
  });
  it('rejects a bad century digit or date', () => {
    expect(checkKzIin('061211700012', TODAY)).toMatchObject({ ok: false, error: 'id_format' });
    expect(checkKzIin('061311600012', TODAY)).toMatchObject({ ok: false, error: 'id_date' });
  });
});

describe('RU SNILS (docs/national-ids.md, Russian SNILS: weights 9…1, mod 101)', () => {
  it('accepts the worked example 112-233-445 95', () => {
    expect(checkRuSnils('112-233-445 95')).toMatchObject({ ok: true, normalized: '11223344595' });
  });
  it('rejects a wrong control number, but not on numbers up to 001-001-998', () => {
    expect(checkRuSnils('112-233-445 96')).toMatchObject({ ok: false, error: 'id_check_digit' });
    expect(checkRuSnils('001-001-997 00')).toMatchObject({ ok: true });
  });
});

describe('RU OMS ЕНП (docs/national-ids.md, Russian OMS ЕНП: warn, never reject on the check digit)', () => {
  it('accepts the test vector and only warns on a mismatch', () => {
    expect(checkRuOms('7700000000000016')).toMatchObject({ ok: true, warnings: [] });
    expect(checkRuOms('7700000000000017')).toMatchObject({ ok: true, warnings: ['id_check_digit_unconfirmed'] });
    expect(checkRuOms('770000000000001')).toMatchObject({ ok: false, error: 'id_format' });
  });
});

describe('ID kind by profile', () => {
  it("guesses the kind only among the profile's kinds", () => {
    expect(guessIdKind('21204199012345', KG)).toBe('KG_PIN');
    expect(guessIdKind('061211600012', KG)).toBeNull();
    expect(guessIdKind('061211600012', PROFILES.KZ)).toBe('KZ_IIN');
    expect(guessIdKind('Асанов', KG)).toBeNull();
    expect(checkNationalId('RU_OMS', '7700000000000016', PROFILES['RU-SM'], TODAY).ok).toBe(true);
  });
  it('masks the middle of an ID for the ticket (R14)', () => {
    expect(maskNationalId('21204199012345')).toBe('2120*******345');
  });
});
