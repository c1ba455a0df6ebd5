import { calculateQRReferenceChecksum, calculateSCORReferenceChecksum, isQRReferenceValid, isSCORReferenceValid } from 'swissqrbill/utils';

/**
 * Payment references that carry the invoice's year and number, so that a bank credit finds its
 * invoice without a lookup table: a Swiss QR reference (26 digits and a mod-10 check digit) for
 * QR-IBAN accounts, an ISO 11649 creditor reference ('RF' + check digits) for SEPA invoices.
 */

function payload(year: number, number: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new Error(`Invoice year out of range: ${year}`);
  if (!Number.isInteger(number) || number < 1 || number > 9_999_999_999) throw new Error(`Invoice number out of range: ${number}`);
  return `${year}${String(number).padStart(10, '0')}`;
}

export function qrReference(year: number, number: number): string {
  const base = payload(year, number).padStart(26, '0');
  return `${base}${calculateQRReferenceChecksum(base)}`;
}

export function creditorReference(year: number, number: number): string {
  const base = payload(year, number);
  return `RF${calculateSCORReferenceChecksum(base)}${base}`;
}

export function referenceFor(country: 'CH' | 'DE', year: number, number: number): string {
  return country === 'CH' ? qrReference(year, number) : creditorReference(year, number);
}

/** As the bank or a person gives it: spaces removed, upper case. */
export function normaliseReference(reference: string): string {
  return reference.replace(/\s+/g, '').toUpperCase();
}

/** A reference MigraFlow could have issued: a valid QR or RF reference (check digits right). */
export function isValidReference(reference: string): boolean {
  const normalised = normaliseReference(reference);
  if (/^\d{27}$/.test(normalised)) return isQRReferenceValid(normalised);
  if (/^RF\d{2}[A-Z0-9]{1,21}$/.test(normalised)) return isSCORReferenceValid(normalised);
  return false;
}

/** The invoice number in print: '2026-0000000123' is unwieldy, '2026-000123' reads well. */
export function invoiceNumberText(year: number, number: number): string {
  return `${year}-${String(number).padStart(6, '0')}`;
}
