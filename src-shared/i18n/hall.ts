import type { Lang } from '../domain/enums.js';

/** The hall's queue screen (issue 21), shown in every language it speaks at once (Kyrgyz and Russian side by side). */
export const HALL_TEXT: Record<Lang, { called: string; cabinet: string; next: string; liveQueue: string; none: string; sound: string; lost: string }> = {
  ru: {
    called: 'Вызов',
    cabinet: 'Кабинет',
    next: 'Следующие',
    liveQueue: 'Живая очередь',
    none: 'Пока никого не вызывали',
    sound: 'Нажмите, чтобы включить звук вызова',
    lost: 'Нет связи с регистратурой — экран покажет вызовы, как только она вернётся',
  },
  ky: {
    called: 'Чакыруу',
    cabinet: 'Кабинет',
    next: 'Кийинки',
    liveQueue: 'Тирүү кезек',
    none: 'Азырынча эч ким чакырылган жок',
    sound: 'Чакыруунун үнүн күйгүзүү үчүн басыңыз',
    lost: 'Каттоо бөлүмү менен байланыш жок — ал кайтканда экран чакырууларды көрсөтөт',
  },
  kk: {
    called: 'Шақыру',
    cabinet: 'Кабинет',
    next: 'Келесі',
    liveQueue: 'Тірі кезек',
    none: 'Әзірге ешкім шақырылған жоқ',
    sound: 'Шақыру дыбысын қосу үшін басыңыз',
    lost: 'Тіркеу бөлімімен байланыс жоқ — ол қайтқанда экран шақыруларды көрсетеді',
  },
};

/** One label in each of the screen's languages, the country's own first: "Чакыруу · Вызов". */
export const hallLabel = (langs: readonly Lang[], key: keyof (typeof HALL_TEXT)['ru']): string => [...new Set(langs.map((l) => HALL_TEXT[l][key]))].join(' · ');
