import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import zhCN from '../locales/zh-CN.json';
import en from '../locales/en.json';

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'zh-CN';

const STORAGE_KEY = 'tide.lang';

// Both files must carry exactly the same keys: each assignment fails to compile when
// the other file lacks a key.
const enTranslation: typeof zhCN = en;
const zhTranslation: typeof en = zhCN;

export const resources = {
  'zh-CN': { translation: zhTranslation },
  en: { translation: enTranslation },
} as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

function readStoredLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be unavailable (private mode, blocked cookies): use the default.
  }
  return defaultLanguage;
}

function applyLanguage(lang: Language): void {
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang;
}

/** The current UI language, narrowed to the ones Tide ships. */
export function currentLanguage(): Language {
  const lang = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(lang) ? lang : defaultLanguage;
}

export async function changeLanguage(lang: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered across reloads, but the switch still applies now.
  }
  applyLanguage(lang);
  await i18next.changeLanguage(lang);
}

export function initI18n(): typeof i18next {
  const lang = readStoredLanguage();
  applyLanguage(lang);
  void i18next.use(initReactI18next).init({
    resources,
    lng: lang,
    fallbackLng: defaultLanguage,
    supportedLngs: languages,
    interpolation: { escapeValue: false },
    // Resources are bundled, so initialise synchronously: the first render is translated.
    initAsync: false,
  });
  return i18next;
}
