import { describe, expect, it } from 'vitest';
import { quietUntil } from '../../sync-server/messages/night.js';
import { e164, masked } from '../../sync-server/messages/recipients.js';
import { smsParts } from '../../sync-server/messages/sms-parts.js';
import { codeText, messageText, shortName } from '../../sync-server/messages/texts.js';
import { MESSAGE_KINDS } from '../../src-shared/domain/patient-message.js';
import { PROFILES } from '../../src-shared/policy/profiles.js';

/** Issue 20, messages to patients: how a text travels as SMS, the night, the numbers as registrars type them. */
describe('SMS parts (3GPP TS 23.038/23.040)', () => {
  it('Cyrillic goes as UCS-2: 70 characters in one message, 67 a part beyond', () => {
    expect(smsParts('ж'.repeat(70))).toEqual({ encoding: 'ucs2', parts: ['ж'.repeat(70)] });
    const long = smsParts('ө'.repeat(71));
    expect(long.encoding).toBe('ucs2');
    expect(long.parts.map((p) => p.length)).toEqual([67, 4]);
    expect(long.parts.join('')).toBe('ө'.repeat(71));
  });
  it('Latin text goes in the GSM alphabet: 160, then 153 a part; an extension character counts twice', () => {
    expect(smsParts('a'.repeat(160)).parts).toHaveLength(1);
    expect(smsParts('a'.repeat(161)).parts.map((p) => p.length)).toEqual([153, 8]);
    expect(smsParts(`${'a'.repeat(159)}€`).parts).toHaveLength(2);
  });
  it('never cuts a character in two (an emoji is two UCS-2 units)', () => {
    const text = `${'я'.repeat(66)}😀конец`;
    const { parts } = smsParts(text);
    expect(parts[0]).toBe('я'.repeat(66));
    expect(parts.join('')).toBe(text);
  });
});

describe('the night (PolicyProfile.messages, our choice: 21:00–09:00 local)', () => {
  const quiet = PROFILES.KG.messages.quietHours;
  it('holds a message booked at 23:00 in Bishkek until 09:00 the next morning, and one at 05:00 until 09:00 that day', () => {
    expect(quietUntil(Date.parse('2026-11-23T17:00:00Z'), 'Asia/Bishkek', quiet)).toBe(Date.parse('2026-11-24T03:00:00Z'));
    expect(quietUntil(Date.parse('2026-11-23T23:00:00Z'), 'Asia/Bishkek', quiet)).toBe(Date.parse('2026-11-24T03:00:00Z'));
  });
  it('lets the day through, from 09:00 to 20:59', () => {
    expect(quietUntil(Date.parse('2026-11-23T03:00:00Z'), 'Asia/Bishkek', quiet)).toBeNull();
    expect(quietUntil(Date.parse('2026-11-23T14:59:00Z'), 'Asia/Bishkek', quiet)).toBeNull();
  });
});

describe('numbers as registrars type them', () => {
  it('KG: +996 in any spelling', () => {
    for (const p of ['+996 555 123 456', '0555 123456', '555123456', '996555123456']) expect(e164(p, 'KG')).toBe('+996555123456');
    expect(e164('12345', 'KG')).toBeNull();
  });
  it('KZ and RU: 8 or 7 or ten digits', () => {
    for (const p of ['8 701 123 45 67', '+7 (701) 123-45-67', '7011234567']) expect(e164(p, 'KZ')).toBe('+77011234567');
  });
  it('the card shows where a message went without the number itself', () => {
    expect(masked('+996555123456')).toBe('+996•••••456');
    expect(masked('aigul@example.kg')).toBe('a•••@example.kg');
  });
});

describe('the texts, in ru, ky and kk', () => {
  const facts = {
    clinic: 'ЦСМ №1 Ленинского р-на',
    phone: '+996 312 62-00-00',
    date: '24.11',
    time: '09:30',
    specialty: 'семейный врач',
    doctor: shortName('Калысбеков Ислан Калысбекович'),
    cabinet: '12',
    ticket: 'K1-000123',
  };
  it('names the time, the doctor, the cabinet and the clinic, never the patient, in at most three SMS parts', () => {
    expect(facts.doctor).toBe('Калысбеков И.К.');
    for (const lang of ['ru', 'ky', 'kk'] as const) {
      for (const kind of MESSAGE_KINDS.filter((k) => k !== 'code')) {
        const text = messageText(lang, kind, facts);
        expect(text).toContain('09:30');
        expect(text).toContain('24.11');
        expect(smsParts(text).parts.length, `${lang} ${kind}: ${text}`).toBeLessThanOrEqual(3);
      }
      expect(messageText(lang, 'change', facts)).toContain(facts.phone);
      expect(smsParts(codeText(lang, '4821')).parts).toHaveLength(1);
    }
    expect(messageText('ky', 'confirmation', facts)).toContain('жазылдыңыз');
    expect(messageText('kk', 'cancellation', facts)).toContain('болдырылмады');
  });
});
