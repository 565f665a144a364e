import { describe, expect, it } from 'vitest';
import { callPhrase, hallRequest, hallVoices, nextToCall } from '../../src-shared/hall/calls.js';

describe('the hall screen’s rules (issue 21)', () => {
  it('next: who came on time, by appointed time, before the live queue (R12: 001 §2; 004 §3.4.1 — late patients are seen between the booked ones)', () => {
    const w = (id: string, startUtc: number, liveQueue = false) => ({ appointmentId: id, startUtc, liveQueue });
    expect(nextToCall([])).toBeNull();
    expect(nextToCall([w('late', 100, true), w('b', 300), w('a', 200)])?.appointmentId).toBe('a');
    expect(nextToCall([w('late2', 50, true), w('late1', 40, true)])?.appointmentId).toBe('late1');
  });

  it('speaks the country’s language first, then Russian; Kazakh in Kazakhstan; Russian alone in Russia', () => {
    expect(hallVoices('KG')).toEqual(['ky', 'ru']);
    expect(hallVoices('KZ')).toEqual(['kk', 'ru']);
    expect(hallVoices('RU-MO')).toEqual(['ru']);
  });

  it('says the number and the cabinet, never anything else of the call', () => {
    expect(callPhrase('ru', 7, '3а')).toBe('Номер 7, пройдите в кабинет 3а.');
    expect(callPhrase('kk', 7, '205')).toBe('7 нөмір, 205 кабинетке кіріңіз.');
    // A cabinet's marks that espeak would spell out are dropped.
    expect(callPhrase('ky', 12, '№105 <b>')).toBe('12-кезек, 105 b-кабинетке кириңиз.');
  });

  it('a request names a booking unless it asks for the next one', () => {
    const base = { id: 'r', orgId: 'o', deviceId: 'd', doctorId: 'doc', queueNumber: null, cabinet: null, liveQueue: false, at: 1, userId: 'u' };
    expect(hallRequest.safeParse({ ...base, action: 'next', appointmentId: null }).success).toBe(true);
    expect(hallRequest.safeParse({ ...base, action: 'next', appointmentId: 'a' }).success).toBe(false);
    expect(hallRequest.safeParse({ ...base, action: 'recall', appointmentId: null }).success).toBe(false);
    expect(hallRequest.safeParse({ ...base, action: 'call', appointmentId: 'a', extra: 1 }).success).toBe(false);
  });
});
