import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, languageNames, languages, setLanguage, type Language } from '../i18n/i18n';

/**
 * The interface's language, in the header; the choice is remembered in this browser, and `onChange` may do more
 * with it (store it in the signed-in person's account).
 */
export function LanguageSwitch({ onChange = setLanguage }: { onChange?: (language: Language) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="language-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('Language')}
      </label>
      <select
        id={id}
        className="select-header"
        value={currentLanguage()}
        onChange={(event) => onChange(event.target.value as Language)}
      >
        {languages.map((language) => (
          // Each language named in itself, so that someone who cannot read the current one still finds theirs.
          <option key={language} value={language} lang={language}>
            {languageNames[language]}
          </option>
        ))}
      </select>
    </div>
  );
}
