import type { Sex } from '../../src-shared/domain/enums.js';
import type { Rng } from './random.js';

// Kyrgyz and Russian names as the register holds them (including Ң, Ө, Ү).
const KY_SURNAMES = [
  'Асанов',
  'Усенов',
  'Токтогулов',
  'Жээнбеков',
  'Сыдыков',
  'Өмүрбеков',
  'Түлөбердиев',
  'Маңкеев',
  'Үсөнбаев',
  'Ормонов',
  'Калысбеков',
  'Турсуналиев',
  'Бекмуратов',
  'Абдыкадыров',
  'Шамшиев',
  'Мамытов',
  'Кадыров',
  'Чыңгышев',
  'Нурланов',
  'Айтматов',
  'Өскөнбаев',
  'Жумабеков',
  'Сатыбалдиев',
  'Керимбеков',
  'Эшимбеков',
  'Бөкөнбаев',
  'Маматов',
  'Орозбеков',
  'Дүйшөнбиев',
  'Таңатаров',
];
const KY_MALE = ['Азамат', 'Бакыт', 'Нурлан', 'Эрлан', 'Улан', 'Темирлан', 'Айбек', 'Чыңгыз', 'Өмүр', 'Үмөт', 'Ислан', 'Талант', 'Эмил', 'Адилет', 'Бекболот', 'Нурсултан', 'Жоомарт', 'Марат'];
const KY_FEMALE = ['Айгүл', 'Айжан', 'Гүлнара', 'Нургүл', 'Жылдыз', 'Айпери', 'Чолпон', 'Бермет', 'Мээрим', 'Үмүт', 'Венера', 'Гүлзат', 'Асель', 'Бегимай', 'Нуриза', 'Аида', 'Элнура', 'Сезим'];
const RU_SURNAMES = ['Иванов', 'Петров', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов', 'Новиков', 'Морозов', 'Волков', 'Фёдоров', 'Ким', 'Пак', 'Шевченко'];
const RU_MALE = ['Сергей', 'Андрей', 'Алексей', 'Дмитрий', 'Михаил', 'Николай', 'Владимир', 'Игорь', 'Артём', 'Павел'];
const RU_FEMALE = ['Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Светлана', 'Анна', 'Мария', 'Юлия', 'Людмила'];

const feminine = (surname: string) => (/(ов|ев|ёв|ин)$/.test(surname) ? `${surname}а` : surname);
const STEM_EXCEPTIONS: Record<string, string> = { Михаил: 'Михайлов', Павел: 'Павлов' };
/** Russian-style patronymic, as Kyrgyz documents write it too (seed 000 fig. 4: «Калысбеков Ислан Калысбекович»). */
export function patronymic(father: string, sex: Sex): string {
  const stem = STEM_EXCEPTIONS[father] ?? (father.endsWith('ий') ? `${father.slice(0, -2)}иев` : /[йь]$/.test(father) ? `${father.slice(0, -1)}ев` : `${father}ов`);
  return sex === 'male' ? `${stem}ич` : `${stem}на`;
}

export function personName(rng: Rng, sex: Sex): string {
  const kyrgyz = rng.chance(0.75);
  const surname = rng.pick(kyrgyz ? KY_SURNAMES : RU_SURNAMES);
  const given = rng.pick(kyrgyz ? (sex === 'male' ? KY_MALE : KY_FEMALE) : sex === 'male' ? RU_MALE : RU_FEMALE);
  const father = rng.pick(kyrgyz ? KY_MALE : RU_MALE);
  return `${sex === 'male' ? surname : feminine(surname)} ${given} ${patronymic(father, sex)}`;
}

const STREETS = ['Фучика', 'Ахунбаева', 'Жибек Жолу', 'Чуй', 'Манаса', 'Токтогула', 'Льва Толстого', 'Айтматова', 'Ибраимова', 'Үмөталиева'];
export const address = (rng: Rng) => `г. Бишкек, ул. ${rng.pick(STREETS)}, ${rng.int(1, 180)}${rng.chance(0.5) ? `, кв. ${rng.int(1, 120)}` : ''}`;
export const phone = (rng: Rng) => `+996 ${rng.pick(['555', '700', '705', '770', '777', '550', '999'])} ${rng.int(100, 999)} ${rng.int(100, 999)}`;
