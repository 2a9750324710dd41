import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import vi from './locales/vi.json';

export const languages = ['vi', 'en'] as const;
const stored = localStorage.getItem('language');

// resources are bundled, so init settles at once; a failure would only leave the keys untranslated
i18n
  .use(initReactI18next)
  .init({
    resources: { vi: { translation: vi }, en: { translation: en } },
    lng: stored === 'en' ? 'en' : 'vi',
    fallbackLng: 'vi',
    interpolation: { escapeValue: false },
  })
  .catch((error: unknown) => console.error('i18n could not start', error));

export function setLanguage(language: (typeof languages)[number]): void {
  localStorage.setItem('language', language);
  i18n.changeLanguage(language).catch((error: unknown) => console.error(`could not switch to ${language}`, error));
}

export default i18n;
