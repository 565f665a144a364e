import type { Lang } from '../../src-shared/domain/enums.js';
import type { MessageKind } from '../../src-shared/domain/patient-message.js';

/** The facts a message names, already in the patient's language and the clinic's local time. */
export interface MessageFacts {
  clinic: string;
  /** The registry's phone: where to call back. */
  phone: string;
  /** dd.mm and HH:MM, local. */
  date: string;
  time: string;
  specialty: string;
  /** Surname and initials: the SMS stays short. */
  doctor: string;
  cabinet: string;
  ticket: string | null;
  /** Until when an offered time is held (HH:MM, local): the waiting list's offer. */
  until?: string;
}

type Texts = Record<Exclude<MessageKind, 'code'>, (f: MessageFacts) => string> & { code: (code: string) => string };

/**
 * Short enough for two Cyrillic SMS parts with a usual clinic name (tests/unit/patient-messages.test.ts counts them).
 * No patient name: a phone shared in a family or a wrong number learns nothing but a time.
 */
const TEXTS: Record<Lang, Texts> = {
  ru: {
    confirmation: (f) => `Вы записаны: ${f.date} ${f.time}, ${f.specialty} ${f.doctor}, каб. ${f.cabinet}. ${f.clinic}.${f.ticket ? ` Талон ${f.ticket}.` : ''}`,
    moved: (f) => `Запись перенесена: ${f.date} ${f.time}, ${f.specialty} ${f.doctor}, каб. ${f.cabinet}. ${f.clinic}.`,
    cancellation: (f) => `Запись ${f.date} ${f.time} (${f.specialty}) отменена. ${f.clinic}.`,
    change: (f) => `Приём ${f.date} ${f.time} (${f.specialty} ${f.doctor}) не состоится. Регистратура предложит другое время, тел. ${f.phone}.`,
    reminder: (f) => `Напоминаем: завтра ${f.date} в ${f.time} ${f.specialty} ${f.doctor}, каб. ${f.cabinet}. ${f.clinic}. Отмена: ${f.phone}.`,
    code: (code) => `Код для входа: ${code}. Никому его не сообщайте.`,
    offer: (f) => `Освободилось время: ${f.date} ${f.time}, ${f.specialty} ${f.doctor}, каб. ${f.cabinet}. Записаться: позвоните до ${f.until} по тел. ${f.phone}. ${f.clinic}.`,
  },
  ky: {
    confirmation: (f) => `Сиз жазылдыңыз: ${f.date} ${f.time}, ${f.specialty} ${f.doctor}, ${f.cabinet}-каб. ${f.clinic}.${f.ticket ? ` Талон ${f.ticket}.` : ''}`,
    moved: (f) => `Жазылуу которулду: ${f.date} ${f.time}, ${f.specialty} ${f.doctor}, ${f.cabinet}-каб. ${f.clinic}.`,
    cancellation: (f) => `${f.date} ${f.time} (${f.specialty}) жазылуу жокко чыгарылды. ${f.clinic}.`,
    change: (f) => `${f.date} ${f.time} (${f.specialty} ${f.doctor}) кабыл алуу болбойт. Каттоо бөлүмү башка убакыт сунуштайт, тел. ${f.phone}.`,
    reminder: (f) => `Эскертүү: эртең ${f.date} саат ${f.time} ${f.specialty} ${f.doctor}, ${f.cabinet}-каб. ${f.clinic}. Жокко чыгаруу: ${f.phone}.`,
    code: (code) => `Кирүү коду: ${code}. Аны эч кимге айтпаңыз.`,
    offer: (f) => `Убакыт бошоду: ${f.date} ${f.time}, ${f.specialty} ${f.doctor}, ${f.cabinet}-каб. Жазылуу үчүн саат ${f.until} чейин чалыңыз: ${f.phone}. ${f.clinic}.`,
  },
  kk: {
    confirmation: (f) => `Сіз жазылдыңыз: ${f.date} ${f.time}, ${f.specialty} ${f.doctor}, ${f.cabinet} каб. ${f.clinic}.${f.ticket ? ` Талон ${f.ticket}.` : ''}`,
    moved: (f) => `Жазылу ауыстырылды: ${f.date} ${f.time}, ${f.specialty} ${f.doctor}, ${f.cabinet} каб. ${f.clinic}.`,
    cancellation: (f) => `${f.date} ${f.time} (${f.specialty}) жазылу болдырылмады. ${f.clinic}.`,
    change: (f) => `${f.date} ${f.time} (${f.specialty} ${f.doctor}) қабылдау болмайды. Тіркеу бөлімі басқа уақыт ұсынады, тел. ${f.phone}.`,
    reminder: (f) => `Еске салу: ертең ${f.date} сағат ${f.time} ${f.specialty} ${f.doctor}, ${f.cabinet} каб. ${f.clinic}. Болдырмау: ${f.phone}.`,
    code: (code) => `Кіру коды: ${code}. Оны ешкімге айтпаңыз.`,
    offer: (f) => `Уақыт босады: ${f.date} ${f.time}, ${f.specialty} ${f.doctor}, ${f.cabinet} каб. Жазылу үшін сағат ${f.until} дейін қоңырау шалыңыз: ${f.phone}. ${f.clinic}.`,
  },
};

export function messageText(lang: Lang, kind: Exclude<MessageKind, 'code'>, facts: MessageFacts): string {
  return TEXTS[lang][kind](facts);
}

export const codeText = (lang: Lang, code: string): string => TEXTS[lang].code(code);

/** «Калысбеков Ислан Калысбекович» → «Калысбеков И.К.». */
export function shortName(fullName: string): string {
  const [surname, ...rest] = fullName.trim().split(/\s+/);
  return [surname, rest.map((n) => `${n[0]}.`).join('')].filter(Boolean).join(' ');
}
