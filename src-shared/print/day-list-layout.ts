import type { DayLists } from '../rpc/views.js';
import { wrap, type TicketLang, type TicketLine } from './ticket-layout.js';

const L: Record<TicketLang, { list: string; cards: string; cabinet: string; none: string }> = {
  ru: { list: 'Список пациентов на', cards: 'Медицинские карты к выдаче на', cabinet: 'каб.', none: 'записей нет' },
  ky: { list: 'Бейтаптардын тизмеси', cards: 'Берилүүчү медициналык карталар', cabinet: 'каб.', none: 'жазылуу жок' },
  kk: { list: 'Науқастар тізімі', cards: 'Берілетін медициналық карталар', cabinet: 'каб.', none: 'жазылу жоқ' },
};
const dmy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
const line = (text: string, bold = false, align: 'left' | 'center' = 'left'): TicketLine => ({ text, bold, align, big: false });

/** R17: each doctor's list for the day, for the doctor and the stand. */
export function doctorListLines(d: DayLists, doctorId: string | null, lang: TicketLang, columns: number): TicketLine[] {
  const out: TicketLine[] = [];
  for (const doc of d.doctors.filter((x) => doctorId === null || x.doctorId === doctorId)) {
    out.push(line(`${L[lang].list} ${dmy(d.date)}`, true, 'center'));
    for (const w of wrap(doc.doctorName, columns)) out.push(line(w, true, 'center'));
    out.push(line(`${L[lang].cabinet} ${doc.cabinet}`, false, 'center'));
    out.push(line('-'.repeat(columns)));
    if (doc.appointments.length === 0) out.push(line(L[lang].none));
    for (const a of doc.appointments) {
      for (const w of wrap(`${a.time} ${String(a.queueNumber).padStart(2)}. ${a.patientName}`, columns)) out.push(line(w));
    }
    out.push(line(''));
  }
  return out;
}

/** R17: medical cards to pull from the archive, by patient name. */
export function cardListLines(d: DayLists, lang: TicketLang, columns: number): TicketLine[] {
  const out: TicketLine[] = [line(`${L[lang].cards} ${dmy(d.date)}`, true, 'center'), line('-'.repeat(columns))];
  if (d.cards.length === 0) out.push(line(L[lang].none));
  for (const c of d.cards) {
    for (const w of wrap(`${c.patientName} ${c.birthDate.slice(0, 4)}`, columns)) out.push(line(w));
    out.push(line(`  ${c.time} ${L[lang].cabinet} ${c.cabinet}`));
  }
  return out;
}
