import i18next, { type i18n } from 'i18next';
import { LOCALES, nouns, problemTexts, type Locale, type Noun, type ProblemCode } from './messages.js';

type Resources = Record<Locale, { translation: Record<string, unknown> }>;

function buildResources(): Resources {
  const resources = {} as Resources;
  for (const locale of LOCALES) {
    const problems: Record<string, { title: string; detail: string }> = {};
    for (const [code, text] of Object.entries(problemTexts)) {
      problems[code] = { title: text.title[locale], detail: text.detail[locale] };
    }
    const nounTexts: Record<string, string> = {};
    for (const [key, text] of Object.entries(nouns)) nounTexts[key] = text[locale];
    resources[locale] = { translation: { problems, nouns: nounTexts } };
  }
  return resources;
}

const instance: i18n = i18next.createInstance();
void instance.init({
  resources: buildResources(),
  lng: 'de',
  fallbackLng: 'en',
  initAsync: false,
  // Output goes into JSON, never into HTML, so no escaping here.
  interpolation: { escapeValue: false },
});

export type MessageParams = Record<string, string | number | Date>;

export function problemTitle(code: ProblemCode, locale: Locale): string {
  return instance.t(`problems.${code}.title`, { lng: locale });
}

export function problemDetail(code: ProblemCode, locale: Locale, params: MessageParams = {}): string {
  const localised: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    localised[key] = value instanceof Date ? formatDateTime(value, locale) : key === 'what' && typeof value === 'string' && value in nouns ? noun(value as Noun, locale) : value;
  }
  return instance.t(`problems.${code}.detail`, { lng: locale, ...localised });
}

export function noun(key: Noun, locale: Locale): string {
  return instance.t(`nouns.${key}`, { lng: locale });
}

const intlLocales: Record<Locale, string> = { de: 'de-CH', fr: 'fr-CH', it: 'it-CH', en: 'en-GB' };

export function formatDateTime(value: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocales[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Zurich' }).format(value);
}
