import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
// German is the default and the fallback: always in the main bundle. The other three languages are
// loaded when chosen, so that a phone on a slow line does not fetch three translations it never shows.
import de from './de.json';
import type en from './en.json';
import type fr from './fr.json';
import type it from './it.json';

export const LANGUAGES = ['de', 'fr', 'it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'de';

/** Each language's own name, shown in the language switch whatever the UI language. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  de: 'Deutsch',
  fr: 'Français',
  it: 'Italiano',
  en: 'English',
};

// Compile-time guarantee that the four translation files have exactly the same keys
// (JSON imports are typed as string leaves, so mutual assignability means same key sets).
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type Translation = typeof de;
export type TranslationFilesMatch = [
  Assert<SameShape<Translation, typeof fr>>,
  Assert<SameShape<Translation, typeof it>>,
  Assert<SameShape<Translation, typeof en>>,
];

const LOADERS: Record<Exclude<Language, 'de'>, () => Promise<{ default: Translation }>> = {
  fr: () => import('./fr.json'),
  it: () => import('./it.json'),
  en: () => import('./en.json'),
};

/** Fetches a language's texts once (a separate file of the build). */
async function ensureLoaded(language: Language): Promise<void> {
  if (language === 'de' || i18next.hasResourceBundle(language, 'translation')) return;
  const texts = await LOADERS[language]();
  i18next.addResourceBundle(language, 'translation', texts.default);
}

const STORAGE_KEY = 'migraflow.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function readStoredLanguage(): Language | undefined {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : undefined;
  } catch {
    return undefined; // storage disabled (private mode, policy)
  }
}

function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but the switch still works for this page.
  }
}

/** Stored choice, else the first supported browser language, else German. */
export function detectLanguage(): Language {
  const stored = readStoredLanguage();
  if (stored) return stored;
  const preferred = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}

/** The active UI language (always one of the four). */
export function currentLanguage(): Language {
  const lang = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(lang) ? lang : DEFAULT_LANGUAGE;
}

/** Locale for dates, numbers and country names. The offices are Swiss-first (de-CH: 31.12.2022). */
const INTL_LOCALES: Record<Language, string> = {
  de: 'de-CH',
  fr: 'fr-CH',
  it: 'it-CH',
  en: 'en-CH',
};

export function intlLocale(language: Language = currentLanguage()): string {
  return INTL_LOCALES[language];
}

function applyToDocument(language: Language): void {
  document.documentElement.lang = language;
}

/** Changes the UI language, remembers the choice and updates <html lang>. */
export async function changeLanguage(language: Language): Promise<void> {
  storeLanguage(language);
  await ensureLoaded(language);
  await i18next.changeLanguage(language);
}

/** Starts i18next in the detected language; resolves once its texts are there (before the first render). */
export async function initI18n(): Promise<typeof i18next> {
  const language = detectLanguage();
  applyToDocument(language);
  i18next.on('languageChanged', (lng) => {
    if (isLanguage(lng)) applyToDocument(lng);
  });
  await i18next.use(initReactI18next).init({
    resources: { de: { translation: de } },
    lng: 'de',
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  await ensureLoaded(language);
  await i18next.changeLanguage(language);
  return i18next;
}
