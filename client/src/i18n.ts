import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import vi from './locales/vi.json';

export const languages = ['vi', 'en'] as const;
const stored = localStorage.getItem('language');

void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng: stored === 'en' ? 'en' : 'vi',
  fallbackLng: 'vi',
  interpolation: { escapeValue: false },
});

export function setLanguage(language: (typeof languages)[number]): void {
  localStorage.setItem('language', language);
  void i18n.changeLanguage(language);
}

export default i18n;
