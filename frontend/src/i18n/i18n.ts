import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fr from './fr.json';

export const languages = ['en', 'fr'] as const;
export type Language = (typeof languages)[number];
export const languageNames: Record<Language, string> = { en: 'English', fr: 'Français' };

const storageKey = 'taskflow.language';

function isLanguage(value: unknown): value is Language {
  return languages.includes(value as Language);
}

/** The language chosen in the header before, else the first of the browser's languages we speak, else English. */
export function preferredLanguage(): Language {
  try {
    const stored = localStorage.getItem(storageKey);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage refused (a privacy mode): the browser's languages still tell.
  }
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of tags) {
    const primary = tag?.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

// Keys are the English text itself ("natural" keys): English needs a catalog only for plural forms, and French
// lists every key (src/i18n/i18n.test.ts fails on a missing one).
void i18n.use(initReactI18next).init({
  lng: preferredLanguage(),
  fallbackLng: 'en',
  supportedLngs: languages,
  resources: { en: { translation: en }, fr: { translation: fr } },
  keySeparator: false,
  nsSeparator: false,
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  returnEmptyString: false,
});

function applyToDocument(language: string): void {
  document.documentElement.lang = language;
}
applyToDocument(i18n.language);
i18n.on('languageChanged', applyToDocument);

/** Switches the interface's language and remembers it for the next visit. */
export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Not remembered, but switched for this visit.
  }
  void i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** A timestamp in the person's time zone and language, the same way on every screen. */
export function formatDateTime(iso: string): string {
  const language = currentLanguage();
  let format = dateTimeFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    dateTimeFormats.set(language, format);
  }
  return format.format(new Date(iso));
}

/** A count as the person's language writes it ("1,234" in English, "1 234" in French). */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(currentLanguage()).format(value);
}

export default i18n;
