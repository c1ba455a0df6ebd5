import type { TFunction } from 'i18next';
import { intlLocale, type Language } from '../i18n';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface FormattedDate {
  /** Text to show. */
  text: string;
  /** Machine-readable value for <time dateTime>, or undefined when wholly unknown. */
  dateTime: string | undefined;
}

/**
 * Formats a register date (YYYY-MM-DD) in the UI locale. Unknown parts are 00, as in eCH-0044
 * partially known dates: 1980-05-00 becomes "Mai 1980" and 1980-00-00 becomes "1980".
 */
export function formatRegisterDate(value: string, language: Language, t: TFunction): FormattedDate {
  const match = DATE_RE.exec(value);
  if (!match) return { text: value || t('date.unknown'), dateTime: undefined };
  const [, y = '', m = '', d = ''] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (year === 0) return { text: t('date.unknown'), dateTime: undefined };
  if (month < 1 || month > 12) return { text: y, dateTime: y };
  const locale = intlLocale(language);
  if (day < 1 || day > 31) {
    const text = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(year, month - 1, 1)),
    );
    return { text, dateTime: `${y}-${m}` };
  }
  const text = new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, month - 1, day)));
  return { text, dateTime: value };
}

/** A full date (YYYY-MM-DD) in the UI locale as plain text, e.g. for messages: 31.12.2022. */
export function formatDate(value: string, language: Language): string {
  const match = DATE_RE.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(intlLocale(language), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** A count in the UI locale (de-CH: 82'191). */
export function formatCount(value: number, language: Language): string {
  return new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 0 }).format(value);
}

const regionNames = new Map<string, Intl.DisplayNames>();

/** Country name of an ISO 3166 alpha-2 code in the UI language; XX unknown, XS stateless. */
export function formatNationality(code: string, language: Language, t: TFunction): string {
  const upper = code.trim().toUpperCase();
  if (upper === '' || upper === 'XX') return t('nationality.unknown');
  if (upper === 'XS') return t('nationality.stateless');
  const locale = intlLocale(language);
  let names = regionNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    regionNames.set(locale, names);
  }
  try {
    return names.of(upper) ?? upper;
  } catch {
    return upper; // not a well-formed region code
  }
}

/** AHVN13 (Swiss social security number) as printed: 756.1234.5678.97. */
export function formatAhvn13(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 13) return value;
  return `${digits.slice(0, 3)}.${digits.slice(3, 7)}.${digits.slice(7, 11)}.${digits.slice(11)}`;
}

/** Date and time of a timestamp (ISO 8601) in the UI locale: 31.12.2022, 14:05. */
export function formatTimestamp(value: string, language: Language): FormattedDate {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return { text: value, dateTime: undefined };
  const text = new Intl.DateTimeFormat(intlLocale(language), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
  return { text, dateTime: value };
}

/** A Swiss franc amount in the UI locale (de-CH: CHF 1’000.00); accepts "30.00" or 30. */
export function formatChf(value: string | number, language: Language): string {
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(amount)) return String(value);
  return new Intl.NumberFormat(intlLocale(language), {
    style: 'currency',
    currency: 'CHF',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount);
}

/** An amount in its currency in the UI locale (de-CH: CHF 1’000.00; EUR for German offices); accepts "30.00" or 30. */
export function formatMoney(value: string | number, currency: string, language: Language): string {
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(amount)) return String(value);
  try {
    return new Intl.NumberFormat(intlLocale(language), { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
  } catch {
    return `${currency} ${amount.toFixed(2)}`; // not a currency code Intl knows
  }
}

/** Today in the browser's time zone as YYYY-MM-DD (the value format of <input type=date>). */
export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(now.getFullYear())}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Adds days or months to a YYYY-MM-DD date (months clamp to the month's last day). */
export function addToIsoDate(value: string, amount: { days?: number; months?: number }): string | null {
  const match = DATE_RE.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  let date: Date;
  if (amount.months) {
    const target = new Date(Date.UTC(year, month - 1 + amount.months, 1));
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    date = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(day, lastDay)));
  } else {
    date = new Date(Date.UTC(year, month - 1, day));
  }
  if (amount.days) date = new Date(date.getTime() + amount.days * 86_400_000);
  return date.toISOString().slice(0, 10);
}
