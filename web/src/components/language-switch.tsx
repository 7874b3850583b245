import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n/index.ts';

const NAMES: Record<Language, string> = { en: 'English', ru: 'Русский' };

/** Two buttons, English and Русский, each named in its own language; the current one is pressed. */
export function LanguageSwitch(): JSX.Element {
  const { t, i18n } = useTranslation('common');
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of toggle buttons in the header, not a form part: a fieldset would need a legend and form styling
    <div className="lang-switch" role="group" aria-label={t('language')}>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={i18n.language === l} onClick={() => setLanguage(l)}>
          {NAMES[l]}
        </button>
      ))}
    </div>
  );
}
