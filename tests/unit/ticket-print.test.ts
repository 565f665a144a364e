import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../src-shared/domain/appointment.js';
import { findPrinterProfile } from '../../src-shared/print/profiles.js';
import { qrPayload, ticketCodeFromScan, ticketLines, type TicketLang } from '../../src-shared/print/ticket-layout.js';
import { renderTicket } from '../../src-main/print/render-ticket.js';
import { decodeEscPos } from '../support/escpos-decoder.js';
import { decodedToPng, rasterToPng } from '../support/raster-png.js';
import { readCode128, readQr } from '../support/symbols.js';

const base: Omit<Ticket, 'organization' | 'department' | 'address' | 'doctorName'> = {
  appointmentId: 'a1',
  code: 'GCS000123',
  queueNumber: 7,
  specialty: { ru: 'Семейный врач', ky: 'Үй-бүлөлүк дарыгер' },
  cabinet: '103',
  floor: 1,
  date: '2026-11-24',
  time: '09:40',
  patientName: 'x',
  patientIdMasked: '2120*******345',
  ageGroup: 'adult',
  visitReason: 'illness',
  issuedAt: 0,
  status: 'booked',
  tentative: false,
};
const KG: Ticket = { ...base, organization: 'ОЦСМ Ленинского района г. Бишкек', department: 'ГСВ №27', address: 'Фучика, 15', doctorName: 'Өмүрбекова Жылдыз Адилетовна' };
const KG_RU_ONLY: Ticket = { ...KG, doctorName: 'Иванова Ольга Сергеевна' };
const KZ: Ticket = {
  ...base,
  specialty: { ...base.specialty, kk: 'Отбасылық дәрігер' },
  organization: 'Қалалық емхана №5, Алматы',
  department: 'ЖТД учаскесі №3',
  address: 'Әуезов көшесі, 12',
  doctorName: 'Әлібекова Гүлнұр Қайратқызы',
};
const TICKETS: Record<TicketLang, Ticket> = { ru: KG_RU_ONLY, ky: KG, kk: KZ };
const ISSUED = '23.11.2026 14:05';

mkdirSync('test-results/tickets', { recursive: true });

describe('R14 ticket printing: every language on both widths decodes back exactly (text mode on KZ-1048 Epson)', () => {
  for (const profileId of ['epson-58', 'epson-80']) {
    for (const lang of ['ru', 'ky', 'kk'] as const) {
      it(`${lang} on ${profileId}`, () => {
        const profile = findPrinterProfile(profileId)!;
        const ticket = TICKETS[lang];
        const job = renderTicket(ticket, { lang, copy: false, tentative: false }, profile, ISSUED);
        expect(job.mode).toBe('text');
        const d = decodeEscPos(job.bytes, profile);
        expect(d.unknown).toEqual([]);
        const expected = ticketLines(ticket, { lang, copy: false, tentative: false }, profile.columns, ISSUED);
        expect(d.lines.filter((l) => l.text !== '').map((l) => ({ text: l.text, align: l.align, bold: l.bold, big: l.big }))).toEqual(
          expected.map((l) => ({ text: l.text, align: l.align, bold: l.bold, big: l.big })),
        );
        // Russian fits CP866; Kyrgyz and Kazakh letters need KZ-1048 (ESC t 53 on Epson).
        expect(d.codePages[0]).toBe(lang === 'ru' ? 17 : 53);
        expect(d.cuts).toBe(1);
        // The code page is selected again after the cut (the cut's ESC @ resets it).
        expect(d.codePages[d.codePages.length - 1]).toBe(d.codePages[0]);
        expect(readCode128(d.images[0]!)).toBe(ticket.code);
        expect(d.qr).toEqual([qrPayload(ticket)]);
        expect(job.lines.every((l) => l.text.length <= profile.columns)).toBe(true);
        writeFileSync(`test-results/tickets/${lang}-${profileId}.png`, decodedToPng(d, profile.widthDots));
      });
    }
  }
});

describe('R14 (004 App. 3 items 6-7): child or adult and the reason for the visit, as the paper ticket has them (issue 10)', () => {
  it('are printed and decode back in every language', () => {
    const profile = findPrinterProfile('epson-80')!;
    const cases: Array<[TicketLang, Ticket, string]> = [
      ['ru', { ...KG_RU_ONLY, ageGroup: 'child', visitReason: 'vaccination' }, 'Ребёнок (0-14 лет), повод: прививка'],
      ['ky', { ...KG, ageGroup: 'adult', visitReason: 'checkup' }, 'Чоң киши (15 жаштан), себеби: алдын алуу кароосу'],
      ['kk', { ...KZ, ageGroup: 'adult', visitReason: 'certificate' }, 'Ересек (15 жастан), себебі: анықтама үшін'],
    ];
    for (const [lang, ticket, line] of cases) {
      const d = decodeEscPos(renderTicket(ticket, { lang, copy: false, tentative: false }, profile, ISSUED).bytes, profile);
      expect(d.lines.map((l) => l.text)).toContain(line);
    }
  });
});

describe('raster fallback where the printer lacks the letters (Xprinter: CP866 and 1251 only)', () => {
  for (const profileId of ['xprinter-58', 'xprinter-80']) {
    it(`Kyrgyz and Kazakh tickets on ${profileId} are images with readable Code128 and QR`, () => {
      const profile = findPrinterProfile(profileId)!;
      for (const lang of ['ky', 'kk'] as const) {
        const ticket = TICKETS[lang];
        const job = renderTicket(ticket, { lang, copy: false, tentative: false }, profile, ISSUED);
        expect(job.mode).toBe('raster');
        const d = decodeEscPos(job.bytes, profile);
        expect(d.unknown).toEqual([]);
        expect(d.lines.filter((l) => l.text.trim() !== '')).toEqual([]);
        expect(d.images).toHaveLength(1);
        const img = d.images[0]!;
        expect(img.width).toBe(profile.widthDots);
        expect(readCode128(img)).toBe(ticket.code);
        expect(readQr(img)).toBe(qrPayload(ticket));
        // Every band is at most 128 rows: tall single images garble on these printers.
        const bandHeights: number[] = [];
        for (let i = 0; i < job.bytes.length - 7; i++) {
          if (job.bytes[i] === 0x1d && job.bytes[i + 1] === 0x76 && job.bytes[i + 2] === 0x30) bandHeights.push(job.bytes[i + 6]! + job.bytes[i + 7]! * 256);
        }
        expect(Math.max(...bandHeights)).toBeLessThanOrEqual(128);
        writeFileSync(`test-results/tickets/${lang}-${profileId}-raster.png`, rasterToPng(img));
      }
    });
  }
  it("a Russian-only ticket stays text on an Xprinter, in the vendor's own CP866 number", () => {
    const profile = findPrinterProfile('xprinter-58')!;
    const job = renderTicket(KG_RU_ONLY, { lang: 'ru', copy: false, tentative: false }, profile, ISSUED);
    const d = decodeEscPos(job.bytes, profile);
    expect(job.mode).toBe('text');
    expect(d.codePages[0]).toBe(17);
    expect(d.lines.some((l) => l.text === 'Врач: Иванова Ольга Сергеевна')).toBe(true);
    // No native QR on this profile: the QR is a raster.
    expect(d.qr).toEqual([]);
    expect(readQr(d.images[0]!)).toBe(qrPayload(KG_RU_ONLY));
  });
});

describe('copies and tentative bookings', () => {
  it("a reprint says COPY and a booking not yet confirmed by the server says TENTATIVE, in the ticket's language", () => {
    const profile = findPrinterProfile('epson-80')!;
    const d = decodeEscPos(renderTicket(KG, { lang: 'ky', copy: true, tentative: true }, profile, ISSUED).bytes, profile);
    expect(d.lines[0]).toMatchObject({ text: '*** КӨЧҮРМӨ ***', bold: true, align: 'center' });
    expect(d.lines.map((l) => l.text)).toContain('АЛДЫН АЛА ЖАЗЫЛУУ');
    writeFileSync('test-results/tickets/ky-copy-tentative-epson-80.png', decodedToPng(d, profile.widthDots));
  });
});

describe('scan payloads (R18)', () => {
  it('reads a ticket code from the Code128 or the QR text, and nothing else', () => {
    expect(ticketCodeFromScan('GCS000123')).toBe('GCS000123');
    expect(ticketCodeFromScan(qrPayload(KG))).toBe('GCS000123');
    expect(ticketCodeFromScan('21204199012345')).toBeNull();
    expect(ticketCodeFromScan('Асанов')).toBeNull();
    expect(ticketCodeFromScan('https://example.com')).toBeNull();
  });
});

describe('the specialty on the ticket speaks the ticket’s language (issue 23 finding 6)', () => {
  it('Kazakh where the directory has it, Russian where it does not', () => {
    const text = (t: Ticket, lang: TicketLang) =>
      ticketLines(t, { lang, copy: false, tentative: false }, 48, ISSUED)
        .map((l) => l.text)
        .join('\n');
    expect(text(KZ, 'kk')).toContain('Отбасылық дәрігер');
    expect(text(KG, 'kk')).toContain('Семейный врач');
    expect(text(KG, 'ky')).toContain('Үй-бүлөлүк дарыгер');
  });
});
