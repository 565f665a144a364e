import { useI18n } from '../lib/i18n.js';

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <fieldset className="lang" aria-label={t('ui.language')}>
      <button type="button" className={lang === 'ru' ? 'chip on' : 'chip'} onClick={() => setLang('ru')}>
        РУС
      </button>
      <button type="button" className={lang === 'ky' ? 'chip on' : 'chip'} onClick={() => setLang('ky')}>
        КЫР
      </button>
      <button type="button" className={lang === 'kk' ? 'chip on' : 'chip'} onClick={() => setLang('kk')}>
        ҚАЗ
      </button>
    </fieldset>
  );
}
