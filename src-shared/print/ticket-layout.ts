import type { Ticket, VisitReason } from '../domain/appointment.js';
import { localName } from '../i18n/index.js';

export type TicketLang = 'ru' | 'ky' | 'kk';

/**
 * 004 App. 3 items 6–7: child or adult, and the reason for the visit, as the paper ticket
 * has them (ASCII hyphens: every printer code page has them).
 */
const FORM: Record<TicketLang, { child: string; adult: string; reason: string } & Record<VisitReason, string>> = {
  ru: {
    child: 'Ребёнок (0-14 лет)',
    adult: 'Взрослый (от 15 лет)',
    reason: 'повод',
    illness: 'заболевание',
    checkup: 'проф. осмотр',
    vaccination: 'прививка',
    certificate: 'за справкой',
    other: 'другое',
  },
  ky: {
    child: 'Бала (0-14 жаш)',
    adult: 'Чоң киши (15 жаштан)',
    reason: 'себеби',
    illness: 'оору',
    checkup: 'алдын алуу кароосу',
    vaccination: 'эмдөө',
    certificate: 'маалымкат үчүн',
    other: 'башка',
  },
  kk: {
    child: 'Бала (0-14 жас)',
    adult: 'Ересек (15 жастан)',
    reason: 'себебі',
    illness: 'ауру',
    checkup: 'профилактикалық тексеру',
    vaccination: 'екпе',
    certificate: 'анықтама үшін',
    other: 'басқа',
  },
};

/** The ticket's own words in the three languages it prints in (the UI has ru and ky). */
const LABELS: Record<TicketLang, Record<'title' | 'queue' | 'specialty' | 'doctor' | 'cabinet' | 'floor' | 'date' | 'time' | 'patient' | 'issued' | 'copy' | 'tentative' | 'tentativeNote', string>> = {
  ru: {
    title: 'ТАЛОН НА ПРИЁМ',
    queue: 'Очередь',
    specialty: 'Специальность',
    doctor: 'Врач',
    cabinet: 'Кабинет',
    floor: 'этаж',
    date: 'Дата',
    time: 'Время',
    patient: 'ПИН',
    issued: 'Выдан',
    copy: 'КОПИЯ',
    tentative: 'ПРЕДВАРИТЕЛЬНАЯ ЗАПИСЬ',
    tentativeNote: 'Запись подтвердится после связи с сервером',
  },
  ky: {
    title: 'КАБЫЛ АЛУУГА ТАЛОН',
    queue: 'Кезек',
    specialty: 'Адистик',
    doctor: 'Дарыгер',
    cabinet: 'Кабинет',
    floor: 'кабат',
    date: 'Күнү',
    time: 'Убактысы',
    patient: 'ПИН',
    issued: 'Берилди',
    copy: 'КӨЧҮРМӨ',
    tentative: 'АЛДЫН АЛА ЖАЗЫЛУУ',
    tentativeNote: 'Жазылуу сервер менен байланышкандан кийин ырасталат',
  },
  kk: {
    title: 'ҚАБЫЛДАУҒА ТАЛОН',
    queue: 'Кезек',
    specialty: 'Мамандық',
    doctor: 'Дәрігер',
    cabinet: 'Кабинет',
    floor: 'қабат',
    date: 'Күні',
    time: 'Уақыты',
    patient: 'ЖСН',
    issued: 'Берілді',
    copy: 'КӨШІРМЕ',
    tentative: 'АЛДЫН АЛА ЖАЗЫЛУ',
    tentativeNote: 'Жазылу сервермен байланыстан кейін расталады',
  },
};

export interface TicketPrintOptions {
  lang: TicketLang;
  copy: boolean;
  tentative: boolean;
}

export interface TicketLine {
  text: string;
  align: 'left' | 'center';
  bold: boolean;
  big: boolean;
}

const line = (text: string, o: Partial<Omit<TicketLine, 'text'>> = {}): TicketLine => ({ text, align: o.align ?? 'left', bold: o.bold ?? false, big: o.big ?? false });
const dmy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/** Word-wrap to the printer's columns (big text takes two columns per letter). */
export function wrap(text: string, columns: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + word.length > columns) {
      out.push(cur);
      cur = '';
    }
    let w = word;
    while (w.length > columns) {
      out.push(w.slice(0, columns));
      w = w.slice(columns);
    }
    cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out.length ? out : [''];
}

/**
 * R14: the ticket's lines, in print order, already wrapped to `columns`. Both
 * renderers (printer text and raster image) draw exactly these lines, and the
 * tests decode printed bytes back to them.
 */
export function ticketLines(t: Ticket, opts: TicketPrintOptions, columns: number, issuedLocal: string): TicketLine[] {
  const L = LABELS[opts.lang];
  const spec = localName(t.specialty, opts.lang);
  const lines: TicketLine[] = [];
  const add = (text: string, o: Partial<Omit<TicketLine, 'text'>> = {}) => {
    for (const w of wrap(text, o.big ? Math.floor(columns / 2) : columns)) lines.push(line(w, o));
  };
  if (opts.copy) add(`*** ${L.copy} ***`, { align: 'center', bold: true });
  if (opts.tentative) add(L.tentative, { align: 'center', bold: true });
  add(L.title, { align: 'center', bold: true });
  add(t.organization, { align: 'center' });
  add(t.department, { align: 'center' });
  add(t.address, { align: 'center' });
  add('-'.repeat(columns));
  add(`${L.queue} ${t.queueNumber}`, { align: 'center', bold: true, big: true });
  add(`${L.specialty}: ${spec}`);
  add(`${L.doctor}: ${t.doctorName}`);
  add(`${L.cabinet} ${t.cabinet}, ${t.floor} ${L.floor}`);
  add(`${L.date}: ${dmy(t.date)} ${L.time}: ${t.time}`, { bold: true });
  add(`${L.patient}: ${t.patientIdMasked}`);
  const F = FORM[opts.lang];
  add(`${F[t.ageGroup]}, ${F.reason}: ${F[t.visitReason]}`);
  add(`${L.issued}: ${issuedLocal}`);
  if (opts.tentative) add(L.tentativeNote, { align: 'center' });
  return lines;
}

/** What the Code128 carries: the ticket code, ASCII only (node-thermal-printer's length bug; docs/printing.md, QR codes and barcodes). */
export const barcodePayload = (t: Pick<Ticket, 'code'>): string => t.code;
/** What the QR carries: code, visit time and cabinet, ASCII. */
export const qrPayload = (t: Pick<Ticket, 'code' | 'date' | 'time' | 'cabinet'>): string => `KEZEK|${t.code}|${t.date}T${t.time}|${t.cabinet.replace(/[^\x20-\x7e]/g, '')}`;

/** A scanner types either payload; both lead to the ticket code, or null for anything that is not a ticket. */
export function ticketCodeFromScan(raw: string): string | null {
  const s = raw.trim();
  const qr = /^KEZEK\|([A-Z]{1,4}\d{6,8})\|/.exec(s);
  if (qr) return qr[1]!;
  return /^[A-Z]{1,4}\d{6,8}$/.test(s) ? s : null;
}
