import { normaliseAhvn13 } from './ahvn13.js';

/** What a search box query asks for: name words, a date of birth, a year, an AHVN13, document numbers. */
export interface ParsedQuery {
  nameTokens: string[];
  dateOfBirth: string | null;
  birthYear: string | null;
  ahvn13: string | null;
  documentNumbers: string[];
}

const DOTTED_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(value: string): string {
  return value.padStart(2, '0');
}

function validDate(year: string, month: string, day: string): string | null {
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * Splits one search box into its parts. A caseworker types whatever is at hand: "Müller 12.3.1985",
 * "756.9217.0769.85", "X1234567", "1985 kovacevic".
 */
export function parseSearchQuery(raw: string): ParsedQuery {
  const parsed: ParsedQuery = { nameTokens: [], dateOfBirth: null, birthYear: null, ahvn13: null, documentNumbers: [] };
  const text = raw.normalize('NFC').trim();
  if (text === '') return parsed;
  const wholeAhvn = normaliseAhvn13(text.replace(/\s+/g, ''));
  if (wholeAhvn) return { ...parsed, ahvn13: wholeAhvn };

  for (const token of text.split(/[\s,;]+/).filter(Boolean)) {
    const dotted = DOTTED_DATE.exec(token);
    const isoDate = ISO_DATE.exec(token);
    if (dotted) {
      parsed.dateOfBirth = validDate(dotted[3]!, dotted[2]!, dotted[1]!) ?? parsed.dateOfBirth;
    } else if (isoDate) {
      parsed.dateOfBirth = validDate(isoDate[1]!, isoDate[2]!, isoDate[3]!) ?? parsed.dateOfBirth;
    } else if (/^(19|20)\d{2}$/.test(token)) {
      parsed.birthYear = token;
    } else if (normaliseAhvn13(token)) {
      parsed.ahvn13 = normaliseAhvn13(token);
    } else if (/\d/.test(token) && /^[A-Za-z0-9-]{5,20}$/.test(token)) {
      parsed.documentNumbers.push(token.toUpperCase());
    } else if (/\p{L}/u.test(token)) {
      parsed.nameTokens.push(token);
    }
  }
  return parsed;
}

export function isEmptyQuery(query: ParsedQuery): boolean {
  return query.nameTokens.length === 0 && !query.dateOfBirth && !query.birthYear && !query.ahvn13 && query.documentNumbers.length === 0;
}
