import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, isLanguage, languages } from '../lib/i18n.ts';

/** 中文 / English; the choice is remembered in this browser. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' | 'large' }) {
  const { t, i18n } = useTranslation();
  // Re-render on language change is driven by useTranslation; read the narrowed value.
  const value = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : currentLanguage();
  return (
    <Segmented
      size={size}
      data-testid="lang-switch"
      aria-label={t('lang.label')}
      value={value}
      options={languages.map((lang) => ({
        value: lang,
        label: <span data-testid={`lang-${lang}`}>{t(`lang.${lang}`)}</span>,
      }))}
      onChange={(next) => {
        if (isLanguage(next)) void changeLanguage(next);
      }}
    />
  );
}
