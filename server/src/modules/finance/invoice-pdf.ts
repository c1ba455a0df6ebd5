import QRCode from 'qrcode';
import { SwissQRBill } from 'swissqrbill/pdf';
import { isIBANValid, isQRIBAN, isQRReferenceValid, isSCORReferenceValid } from 'swissqrbill/utils';
import { createPdf, LETTER, MM } from '../../platform/pdf.js';
import { formatLetterDate } from '../documents/index.js';

/**
 * An invoice (fee, fine, deposit) as A4 PDF in the addressee's language: Swiss invoices carry the
 * QR-bill payment part (Swiss Payment Standards, swissqrbill), German invoices the account details
 * and an EPC069-12 QR code ("GiroCode") that banking apps read into a SEPA credit transfer.
 */

export type InvoiceLanguage = 'de' | 'fr' | 'it' | 'en';

export interface InvoiceParty {
  name: string;
  street: string;
  buildingNumber?: string;
  postalCode: string;
  town: string;
  /** ISO 3166 alpha-2. */
  country: string;
}

export interface InvoiceDocument {
  country: 'CH' | 'DE';
  /** The addressee's language: every label, title and the QR-bill part in it. */
  language: InvoiceLanguage;
  /** e.g. '2026-000123' */
  number: string;
  /** yyyy-mm-dd, printed in the language's date format. */
  issuedOn: string;
  dueOn: string;
  /** 0 or absent: the invoice itself; 1, 2, …: the first, second, … reminder, which changes the title. */
  reminderLevel?: number;
  /** CH: a QR-IBAN; DE: an IBAN. `office` is printed as the sender, `name` is the account holder. */
  creditor: InvoiceParty & { account: string; bic?: string; office: string };
  debtor: InvoiceParty | null;
  /** CH: 27-digit QR reference; DE: ISO 11649 creditor reference ('RF…'). */
  reference: string;
  currency: 'CHF' | 'EUR';
  /** Already in the language, e.g. 'Gebühr Verlängerung Aufenthaltsbewilligung B – Fall 2026-00042'. */
  subject: string;
  /** Amounts in minor units (Rappen, cents); a reduction is a line with a negative amount and its reason in `text`. */
  lines: Array<{ text: string; legalBasis: string; amountMinor: number }>;
  /** What is to be paid: the sum of the lines. */
  totalMinor: number;
  /** For fines: who receives the money (e.g. the municipality), printed as a sentence. */
  beneficiary?: string;
  /** Extra paragraphs, already in the language. */
  notes?: string[];
}

// ---------------------------------------------------------------------------------------------
// Texts

interface Texts {
  title: string;
  reminder: (level: number) => string;
  number: string;
  issuedOn: string;
  dueOn: string;
  description: string;
  amount: string;
  legalBasis: string;
  total: string;
  payBy: (amount: string, due: string) => string;
  useQrBill: string;
  quoteReference: (reference: string) => string;
  beneficiary: (name: string) => string;
  paymentDetails: string;
  payee: string;
  reference: string;
  scanHint: string;
  page: string;
}

const TEXTS: Record<InvoiceLanguage, Texts> = {
  de: {
    title: 'Rechnung',
    reminder: (level) => `${level}. Mahnung`,
    number: 'Rechnungsnummer',
    issuedOn: 'Rechnungsdatum',
    dueOn: 'Zahlbar bis',
    description: 'Bezeichnung',
    amount: 'Betrag',
    legalBasis: 'Rechtsgrundlage',
    total: 'Gesamtbetrag',
    payBy: (amount, due) => `Bitte bezahlen Sie den Gesamtbetrag von ${amount} bis ${due}.`,
    useQrBill: 'Verwenden Sie dafür bitte den QR-Zahlteil.',
    quoteReference: (reference) => `Geben Sie bei der Überweisung bitte die Referenz ${reference} an.`,
    beneficiary: (name) => `Der Betrag wird weitergeleitet an: ${name}`,
    paymentDetails: 'Zahlungsinformationen',
    payee: 'Empfänger',
    reference: 'Verwendungszweck',
    scanHint: 'Mit der Banking-App scannen',
    page: 'Seite',
  },
  fr: {
    title: 'Facture',
    reminder: (level) => (level === 1 ? '1er rappel' : `${level}e rappel`),
    number: 'Numéro de facture',
    issuedOn: 'Date de facturation',
    dueOn: 'Payable jusqu’au',
    description: 'Désignation',
    amount: 'Montant',
    legalBasis: 'Base légale',
    total: 'Total',
    payBy: (amount, due) => `Veuillez payer le montant total de ${amount} d’ici au ${due}.`,
    useQrBill: 'Veuillez utiliser pour cela la section paiement avec code QR.',
    quoteReference: (reference) => `Veuillez indiquer la référence ${reference} lors du virement.`,
    beneficiary: (name) => `Le montant est reversé à : ${name}`,
    paymentDetails: 'Informations de paiement',
    payee: 'Bénéficiaire',
    reference: 'Référence',
    scanHint: 'À scanner avec l’app bancaire',
    page: 'page',
  },
  it: {
    title: 'Fattura',
    reminder: (level) => `${level}° sollecito`,
    number: 'Numero di fattura',
    issuedOn: 'Data della fattura',
    dueOn: 'Pagabile entro il',
    description: 'Descrizione',
    amount: 'Importo',
    legalBasis: 'Base legale',
    total: 'Totale',
    payBy: (amount, due) => `Vi preghiamo di pagare l’importo totale di ${amount} entro il ${due}.`,
    useQrBill: 'Utilizzate a tale scopo la sezione pagamento con codice QR.',
    quoteReference: (reference) => `Vi preghiamo di indicare il riferimento ${reference} nel bonifico.`,
    beneficiary: (name) => `L’importo è riversato a: ${name}`,
    paymentDetails: 'Informazioni di pagamento',
    payee: 'Beneficiario',
    reference: 'Riferimento',
    scanHint: 'Scansionare con l’app bancaria',
    page: 'pagina',
  },
  en: {
    title: 'Invoice',
    reminder: (level) => `Reminder ${level}`,
    number: 'Invoice number',
    issuedOn: 'Invoice date',
    dueOn: 'Due date',
    description: 'Description',
    amount: 'Amount',
    legalBasis: 'Legal basis',
    total: 'Total',
    payBy: (amount, due) => `Please pay the total of ${amount} by ${due}.`,
    useQrBill: 'Please use the QR payment part for this.',
    quoteReference: (reference) => `Please quote the reference ${reference} with your transfer.`,
    beneficiary: (name) => `The amount is passed on to: ${name}`,
    paymentDetails: 'Payment details',
    payee: 'Payee',
    reference: 'Reference',
    scanHint: 'Scan with your banking app',
    page: 'page',
  },
};

const QR_BILL_LANGUAGE = { de: 'DE', fr: 'FR', it: 'IT', en: 'EN' } as const satisfies Record<InvoiceLanguage, string>;

// ---------------------------------------------------------------------------------------------
// Amounts, accounts and references

/**
 * 123450 → CH: '1’234.50' (fr: '1 234.50' with a narrow no-break space); DE: '1.234,50'
 * (fr: '1 234,50'). Integer arithmetic, no Intl, so the output does not depend on the ICU build.
 */
function formatAmount(minor: number, country: InvoiceDocument['country'], language: InvoiceLanguage): string {
  const group = language === 'fr' ? '\u202F' : country === 'CH' ? '’' : '.';
  const decimal = country === 'CH' ? '.' : ',';
  const abs = Math.abs(minor);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${minor < 0 ? '−' : ''}${whole}${decimal}${String(abs % 100).padStart(2, '0')}`;
}

/** 'CHF 1’234.50' in Switzerland, '1.234,50 €' in Germany; no-break spaces keep the amount on one line. */
function formatMoney(minor: number, country: InvoiceDocument['country'], language: InvoiceLanguage): string {
  const amount = formatAmount(minor, country, language);
  return country === 'CH' ? `CHF\u00A0${amount}` : `${amount}\u00A0€`;
}

const compact = (value: string): string => value.replace(/\s+/g, '').toUpperCase();
const inGroupsOfFour = (value: string): string => compact(value).replace(/(.{4})(?=.)/g, '$1 ');

const IBAN_SHAPE = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;
const BIC_SHAPE = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

function isIban(iban: string): boolean {
  return IBAN_SHAPE.test(iban) && isIBANValid(iban);
}

/** ISO 11649: 'RF', two check digits, 1–21 letters or digits (upper case, no spaces). */
function isRfReference(reference: string): boolean {
  return /^RF\d{2}[A-Z0-9]{1,21}$/.test(reference) && isSCORReferenceValid(reference);
}

/** 1234 → '12.34': the form payment codes use, from integers only. */
function decimalAmount(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// EPC QR code (GiroCode)

const EPC_MAX_BYTES = 331;
const EPC_MAX_AMOUNT_MINOR = 99_999_999_999;

/**
 * EPC069-12 (GiroCode) payload, version 002, SCT, for a German invoice: BIC optional, amount
 * 'EUR12.30', structured RF reference in the reference line. `text` (at most 70 characters) goes
 * into the last element, the "beneficiary to originator information" that banking apps show to the
 * payer: the standard allows either a structured reference or an unstructured remittance text,
 * never both, and the reference is what the bank reports back for matching.
 *
 * Lines: BCD, 002, 1 (UTF-8), SCT, BIC, name, IBAN, EUR amount, purpose (empty), reference,
 * remittance text (empty), information; empty elements at the end are left off.
 */
export function epcQrPayload(input: { bic?: string; name: string; iban: string; amountMinor: number; reference: string; text?: string }): string {
  const iban = compact(input.iban);
  if (!isIban(iban)) throw new Error(`GiroCode: not a valid IBAN: ${input.iban}`);
  const bic = input.bic === undefined ? '' : compact(input.bic);
  if (bic !== '' && !BIC_SHAPE.test(bic)) throw new Error(`GiroCode: not a valid BIC: ${input.bic}`);
  const name = input.name.replace(/\s+/g, ' ').trim();
  if (name.length === 0 || name.length > 70) throw new Error(`GiroCode: the payee's name must have 1 to 70 characters: '${name}'`);
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < 1 || input.amountMinor > EPC_MAX_AMOUNT_MINOR) {
    throw new Error(`GiroCode: the amount must be a whole number of cents from 1 to ${EPC_MAX_AMOUNT_MINOR}: ${input.amountMinor}`);
  }
  const reference = compact(input.reference);
  if (!isRfReference(reference)) throw new Error(`GiroCode: not a valid ISO 11649 creditor reference (RF…): ${input.reference}`);
  const text = (input.text ?? '').replace(/\s+/g, ' ').trim();
  if (text.length > 70) throw new Error(`GiroCode: the text may have at most 70 characters: '${text}'`);
  const elements = ['BCD', '002', '1', 'SCT', bic, name, iban, `EUR${decimalAmount(input.amountMinor)}`, '', reference, '', text];
  while (elements.at(-1) === '') elements.pop();
  const payload = elements.join('\n');
  if (Buffer.byteLength(payload, 'utf8') > EPC_MAX_BYTES) throw new Error(`GiroCode: the payload exceeds ${EPC_MAX_BYTES} bytes`);
  return payload;
}

// ---------------------------------------------------------------------------------------------
// Swiss QR-bill

/** Characters besides printable ASCII and Latin-1 that both the QR-bill character set and Helvetica (WinAnsi) have. */
const QR_BILL_EXTRA = new Set(['Š', 'š', 'Ž', 'ž', 'Œ', 'œ', 'Ÿ', '€']);
const QR_BILL_SUBSTITUTES: Record<string, string> = { '’': "'", '‘': "'", '‚': ',', '“': '"', '”': '"', '„': '"', '–': '-', '—': '-', '\u202F': ' ', ß: 'ss' };

function printableInQrBill(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || QR_BILL_EXTRA.has(char);
}

/**
 * The payment part is printed in Helvetica, a PDF standard font limited to the WinAnsi code page:
 * pdfkit garbles any other letter (č, ễ) and the text after it. The QR-bill character set is
 * Latin too. So names go into the payment part with letters outside both reduced to their base
 * letter (Kovačević → Kovacevic); what still does not fit becomes '?'. The QR code and the printed
 * payment part then say the same.
 */
function qrBillText(text: string): string {
  let result = '';
  for (const char of text.replace(/\s+/g, ' ').trim()) {
    if (printableInQrBill(char)) result += char;
    else if (QR_BILL_SUBSTITUTES[char] !== undefined) result += QR_BILL_SUBSTITUTES[char];
    else {
      const base = char.normalize('NFD').replace(/\p{M}/gu, '');
      result += base.length > 0 && [...base].every(printableInQrBill) ? base : '?';
    }
  }
  return result;
}

function qrBillAddress(party: InvoiceParty): { name: string; address: string; buildingNumber?: string; zip: string; city: string; country: string } {
  return {
    name: qrBillText(party.name),
    address: qrBillText(party.street),
    ...(party.buildingNumber ? { buildingNumber: qrBillText(party.buildingNumber) } : {}),
    zip: qrBillText(party.postalCode),
    city: qrBillText(party.town),
    country: party.country.toUpperCase(),
  };
}

/** 'Rechnung', or '2. Mahnung' for a second reminder. */
function titleOf(invoice: InvoiceDocument): string {
  const texts = TEXTS[invoice.language];
  const level = invoice.reminderLevel ?? 0;
  return level > 0 ? texts.reminder(level) : texts.title;
}

function swissQrBill(invoice: InvoiceDocument): SwissQRBill {
  try {
    return new SwissQRBill(
      {
        currency: 'CHF',
        amount: invoice.totalMinor / 100,
        creditor: { ...qrBillAddress(invoice.creditor), account: compact(invoice.creditor.account) },
        ...(invoice.debtor ? { debtor: qrBillAddress(invoice.debtor) } : {}),
        reference: compact(invoice.reference),
        message: qrBillText(`${titleOf(invoice)} ${invoice.number}`),
      },
      // Helvetica, the library's default, is one of the fonts the QR-bill standard allows (with Arial,
      // Frutiger and Liberation Sans); Noto Sans is not, so the payment part keeps it.
      { language: QR_BILL_LANGUAGE[invoice.language] },
    );
  } catch (error) {
    throw new Error(`Invoice ${invoice.number}: the QR-bill cannot be made: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

function validate(invoice: InvoiceDocument): void {
  const where = `Invoice ${invoice.number}`;
  const account = compact(invoice.creditor.account);
  const reference = compact(invoice.reference);
  if (invoice.country === 'CH') {
    if (invoice.currency !== 'CHF') throw new Error(`${where}: a Swiss invoice is in CHF, not ${invoice.currency}`);
    if (!/^(?:CH|LI)\d{7}[A-Z0-9]{12}$/.test(account) || !isIBANValid(account) || !isQRIBAN(account)) {
      throw new Error(`${where}: the creditor account ${invoice.creditor.account} is not a QR-IBAN (IID 30000–31999), which a QR reference needs`);
    }
    if (!/^\d{27}$/.test(reference) || !isQRReferenceValid(reference)) {
      throw new Error(`${where}: ${invoice.reference} is not a valid QR reference (27 digits, the last a mod-10 check digit)`);
    }
  } else {
    if (invoice.currency !== 'EUR') throw new Error(`${where}: a German invoice is in EUR, not ${invoice.currency}`);
    if (!isIban(account)) throw new Error(`${where}: the creditor account ${invoice.creditor.account} is not a valid IBAN`);
    if (invoice.creditor.bic !== undefined && !BIC_SHAPE.test(compact(invoice.creditor.bic))) throw new Error(`${where}: ${invoice.creditor.bic} is not a valid BIC`);
    if (!isRfReference(reference)) throw new Error(`${where}: ${invoice.reference} is not a valid ISO 11649 creditor reference (RF and two check digits)`);
  }
  if (invoice.reminderLevel !== undefined && (!Number.isSafeInteger(invoice.reminderLevel) || invoice.reminderLevel < 0)) {
    throw new Error(`${where}: the reminder level must be a whole number from 0, not ${invoice.reminderLevel}`);
  }
  if (invoice.lines.length === 0) throw new Error(`${where}: an invoice needs at least one line`);
  for (const [index, line] of invoice.lines.entries()) {
    if (!Number.isSafeInteger(line.amountMinor)) throw new Error(`${where}: line ${index + 1} has an amount that is not a whole number of minor units: ${line.amountMinor}`);
  }
  if (!Number.isSafeInteger(invoice.totalMinor) || invoice.totalMinor <= 0) {
    throw new Error(`${where}: the total must be a positive whole number of minor units, not ${invoice.totalMinor}`);
  }
  const sum = invoice.lines.reduce((total, line) => total + line.amountMinor, 0);
  if (sum !== invoice.totalMinor) throw new Error(`${where}: the total ${invoice.totalMinor} does not equal the sum of the lines ${sum}`);
  for (const [label, date] of [['issuedOn', invoice.issuedOn], ['dueOn', invoice.dueOn]] as const) {
    try {
      formatLetterDate(date, invoice.language);
    } catch {
      throw new Error(`${where}: ${label} is not a date (yyyy-mm-dd): ${date}`);
    }
  }
  for (const party of [invoice.creditor, ...(invoice.debtor ? [invoice.debtor] : [])]) {
    if (!/^[A-Z]{2}$/i.test(party.country)) throw new Error(`${where}: ${party.name}: the country must be an ISO alpha-2 code, not '${party.country}'`);
  }
}

// ---------------------------------------------------------------------------------------------
// Layout

const FOOTER_TOP_FROM_BOTTOM = 14 * MM;
/** Between the last line of text and the footer above the QR-bill payment part. */
const QR_BILL_CLEARANCE = 11 * MM;
const AMOUNT_COLUMN = 32 * MM;
const GIROCODE_SIZE = 36 * MM;
const GREY = '#444444';
const RULE = '#999999';
const BODY_SIZE = 10;
const BODY = { lineGap: 3, paragraphGap: 0 } as const;

function addressLines(party: InvoiceParty, language: InvoiceLanguage, home: InvoiceDocument['country']): string[] {
  const country = party.country.toUpperCase();
  const lines = [party.name, [party.street, party.buildingNumber].filter(Boolean).join(' '), `${party.postalCode} ${party.town}`];
  if (country !== home) {
    let name = country;
    try {
      name = new Intl.DisplayNames([language], { type: 'region' }).of(country) ?? country;
    } catch {
      // An unknown code is printed as it is.
    }
    lines.push(name.toUpperCase());
  }
  return lines;
}

/**
 * Renders the invoice as A4 PDF. Deterministic: the info dates are the issue date, so the same
 * invoice gives the same bytes. Throws an Error naming the problem when the account, reference or
 * amounts do not fit the country's payment scheme.
 */
export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  validate(invoice);
  const { country, language } = invoice;
  const texts = TEXTS[language];
  const title = titleOf(invoice);
  const qrBill = country === 'CH' ? swissQrBill(invoice) : null;
  const giroCode =
    country === 'DE'
      ? await QRCode.toBuffer(
          epcQrPayload({
            ...(invoice.creditor.bic ? { bic: invoice.creditor.bic } : {}),
            name: invoice.creditor.name,
            iban: invoice.creditor.account,
            amountMinor: invoice.totalMinor,
            reference: invoice.reference,
            text: `${title} ${invoice.number}`.slice(0, 70),
          }),
          { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 },
        )
      : null;

  const issued = new Date(`${invoice.issuedOn}T12:00:00Z`);
  const { doc, done } = createPdf({
    size: 'A4',
    margins: { top: LETTER.marginTop, bottom: LETTER.marginBottom, left: LETTER.marginLeft, right: LETTER.marginRight },
    // The page counter needs the total, known only once all pages exist.
    bufferPages: true,
    lang: language,
    displayTitle: true,
    info: { Title: `${title} ${invoice.number}`, Author: invoice.creditor.office, Subject: invoice.subject, CreationDate: issued, ModDate: issued },
  });

  const left = LETTER.marginLeft;
  const width = doc.page.width - LETTER.marginLeft - LETTER.marginRight;
  const right = left + width;
  const bottom = (): number => doc.page.height - doc.page.margins.bottom;
  const keepTogether = (height: number): boolean => {
    if (doc.y + height <= bottom()) return false;
    doc.addPage();
    return true;
  };
  const body = (font: 'Regular' | 'Bold' = 'Regular', size = BODY_SIZE): PDFKit.PDFDocument => doc.font(font).fontSize(size).fillColor('#000000');
  const money = (minor: number): string => formatMoney(minor, country, language);
  const dueText = formatLetterDate(invoice.dueOn, language);

  // Letterhead: the office, and the account holder when it is another body; address on the right.
  const creditor = invoice.creditor;
  doc.font('Bold').fontSize(13).fillColor('#000000').text(creditor.office, left, LETTER.letterheadTop, { width: LETTER.letterheadRightColumn - left - 6 * MM });
  if (creditor.name !== creditor.office) doc.font('Regular').fontSize(10).text(creditor.name, { width: LETTER.letterheadRightColumn - left - 6 * MM });
  const officeLines = addressLines(creditor, language, country).slice(1);
  doc.font('Regular').fontSize(8.5).fillColor(GREY).text(officeLines.join('\n'), LETTER.letterheadRightColumn, LETTER.letterheadTop + 2, {
    width: doc.page.width - LETTER.marginRight - LETTER.letterheadRightColumn,
    lineGap: 1,
  });

  // Address window: return address on one line, then the debtor.
  doc.font('Regular').fontSize(7).fillColor(GREY).text([creditor.office, ...officeLines].join(', '), left, LETTER.addressTop, { width: LETTER.addressWidth, height: 9, ellipsis: true });
  doc.moveTo(left, LETTER.addressTop + 10).lineTo(left + LETTER.addressWidth, LETTER.addressTop + 10).lineWidth(0.4).strokeColor(GREY).stroke();
  if (invoice.debtor) {
    doc.font('Regular').fontSize(11).fillColor('#000000').text(addressLines(invoice.debtor, language, country).join('\n'), left, LETTER.addressTop + 16, { width: LETTER.addressWidth, lineGap: 1 });
  }
  const addressBottom = doc.y;

  // Number and dates beside the address window, stacked label over value, so the body stays short
  // enough to leave room for the QR-bill payment part on the first page.
  let metaY = LETTER.addressTop + 16;
  const metaWidth = doc.page.width - LETTER.marginRight - LETTER.letterheadRightColumn;
  for (const [label, value] of [
    [texts.number, invoice.number],
    [texts.issuedOn, formatLetterDate(invoice.issuedOn, language)],
    [texts.dueOn, dueText],
  ] as const) {
    doc.font('Regular').fontSize(7.5).fillColor(GREY).text(label, LETTER.letterheadRightColumn, metaY, { width: metaWidth });
    doc.font('Regular').fontSize(10).fillColor('#000000').text(value, LETTER.letterheadRightColumn, doc.y, { width: metaWidth });
    metaY = doc.y + 5;
  }

  // Title and subject below the address field.
  doc.y = Math.max(addressBottom + 6 * MM, LETTER.addressFieldBottom);
  doc.font('Bold').fontSize(16).fillColor('#000000').text(title, left, doc.y, { width });
  doc.moveDown(0.2);
  body('Bold', 10.5).text(invoice.subject, left, doc.y, { width, ...BODY });
  doc.y += 4 * MM;

  // Lines: text with its legal basis in small type underneath, amount right-aligned.
  const textWidth = width - AMOUNT_COLUMN - 4 * MM;
  const tableHeader = (): void => {
    const y = doc.y;
    doc.font('Bold').fontSize(9).fillColor(GREY).text(texts.description, left, y, { width: textWidth, lineBreak: false });
    doc.text(`${texts.amount} ${invoice.currency}`, right - AMOUNT_COLUMN, y, { width: AMOUNT_COLUMN, align: 'right', lineBreak: false });
    doc.y = y + doc.currentLineHeight(true) + 3;
    doc.moveTo(left, doc.y).lineTo(right, doc.y).lineWidth(0.6).strokeColor('#000000').stroke();
    doc.y += 4;
  };
  tableHeader();
  const basisText = (basis: string): string => `${texts.legalBasis}: ${basis}`;
  for (const line of invoice.lines) {
    body();
    const textHeight = doc.heightOfString(line.text, { width: textWidth, lineGap: 1.5 });
    doc.font('Regular').fontSize(8);
    const basisHeight = line.legalBasis ? doc.heightOfString(basisText(line.legalBasis), { width: textWidth, lineGap: 1 }) + 1 : 0;
    if (keepTogether(textHeight + basisHeight + 8)) tableHeader();
    const y = doc.y;
    body().text(line.text, left, y, { width: textWidth, lineGap: 1.5 });
    if (line.legalBasis) doc.font('Regular').fontSize(8).fillColor(GREY).text(basisText(line.legalBasis), left, doc.y + 1, { width: textWidth, lineGap: 1 });
    const rowBottom = doc.y;
    body().text(formatAmount(line.amountMinor, country, language), right - AMOUNT_COLUMN, y, { width: AMOUNT_COLUMN, align: 'right', lineBreak: false });
    doc.y = rowBottom + 3;
    doc.moveTo(left, doc.y).lineTo(right, doc.y).lineWidth(0.3).strokeColor(RULE).stroke();
    doc.y += 4;
  }
  body('Bold', 11);
  keepTogether(doc.currentLineHeight(true) + 10);
  doc.moveTo(left, doc.y - 4).lineTo(right, doc.y - 4).lineWidth(0.8).strokeColor('#000000').stroke();
  const totalY = doc.y;
  doc.text(texts.total, left, totalY, { width: textWidth, lineBreak: false });
  doc.text(money(invoice.totalMinor), right - AMOUNT_COLUMN - 10 * MM, totalY, { width: AMOUNT_COLUMN + 10 * MM, align: 'right', lineBreak: false });
  doc.y = totalY + doc.currentLineHeight(true) + 6 * MM;

  // Payment terms, beneficiary, notes.
  const paragraph = (text: string): void => {
    body();
    keepTogether(2 * (doc.currentLineHeight(true) + BODY.lineGap));
    doc.text(text, left, doc.y, { width, ...BODY });
    doc.y += 2.5 * MM;
  };
  // The QR-bill carries its reference itself; a transfer needs it typed in.
  paragraph(`${texts.payBy(money(invoice.totalMinor), dueText)} ${country === 'CH' ? texts.useQrBill : texts.quoteReference(inGroupsOfFour(invoice.reference))}`);
  if (invoice.beneficiary) paragraph(`${texts.beneficiary(invoice.beneficiary.trim())}${/[.!?]$/.test(invoice.beneficiary.trim()) ? '' : '.'}`);
  for (const note of invoice.notes ?? []) paragraph(note);

  // DE: account details and GiroCode in a framed box.
  if (giroCode) {
    const padding = 4 * MM;
    const qrColumn = GIROCODE_SIZE + padding;
    const labelColumn = 32 * MM;
    const valueWidth = width - 2 * padding - qrColumn - labelColumn;
    const rows: Array<[string, string]> = [
      [texts.payee, creditor.name],
      ['IBAN', inGroupsOfFour(creditor.account)],
      ...(creditor.bic ? ([['BIC', compact(creditor.bic)]] as Array<[string, string]>) : []),
      [texts.amount, money(invoice.totalMinor)],
      [texts.reference, inGroupsOfFour(invoice.reference)],
    ];
    doc.font('Regular').fontSize(10);
    const rowsHeight = rows.reduce((total, [, value]) => total + doc.heightOfString(value, { width: valueWidth, lineGap: 2 }) + 3, 0);
    doc.font('Bold').fontSize(10.5);
    const headingHeight = doc.currentLineHeight(true) + 3 * MM;
    const qrHeight = GIROCODE_SIZE + 12;
    const boxHeight = padding + Math.max(headingHeight + rowsHeight, qrHeight) + padding;
    doc.y += 2 * MM;
    keepTogether(boxHeight);
    const top = doc.y;
    doc.rect(left, top, width, boxHeight).lineWidth(0.8).strokeColor('#000000').stroke();
    doc.font('Bold').fontSize(10.5).fillColor('#000000').text(texts.paymentDetails, left + padding, top + padding, { width: width - 2 * padding - qrColumn });
    doc.y = top + padding + headingHeight;
    for (const [label, value] of rows) {
      const y = doc.y;
      doc.font('Regular').fontSize(9).fillColor(GREY).text(label, left + padding, y + 1, { width: labelColumn, lineBreak: false });
      doc.font(label === texts.amount ? 'Bold' : 'Regular').fontSize(10).fillColor('#000000').text(value, left + padding + labelColumn, y, { width: valueWidth, lineGap: 2 });
      doc.y += 3;
    }
    const qrX = right - padding - GIROCODE_SIZE;
    doc.image(giroCode, qrX, top + padding, { width: GIROCODE_SIZE, height: GIROCODE_SIZE });
    doc.font('Bold').fontSize(8).fillColor('#000000').text('GiroCode', qrX, top + padding + GIROCODE_SIZE, { width: GIROCODE_SIZE, align: 'center', lineBreak: false });
    doc.font('Regular').fontSize(6.5).fillColor(GREY).text(texts.scanHint, qrX - 4 * MM, top + padding + GIROCODE_SIZE + 9, { width: GIROCODE_SIZE + 8 * MM, align: 'center', lineBreak: false });
    doc.y = top + boxHeight;
  }

  // CH: the payment part at the foot of the page, or of a new A4 page when the text reaches into it.
  // (swissqrbill would add a page of only 210 × 105 mm, which prints badly on A4 perforated paper.)
  let qrBillPage: number | null = null;
  if (qrBill) {
    const qrTop = (): number => doc.page.height - SwissQRBill.height;
    if (doc.y > qrTop() - QR_BILL_CLEARANCE || !SwissQRBill.isSpaceSufficient(doc, 0, qrTop())) doc.addPage();
    qrBillPage = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
    // The payment part writes below the bottom margin; pdfkit would otherwise break the page there.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    qrBill.attachTo(doc, 0, qrTop());
    doc.undash();
    doc.page.margins.bottom = savedBottom;
  }

  // Footer on every page: invoice number and "page x / y" (above the payment part where there is one).
  const { start, count } = doc.bufferedPageRange();
  const counterWidth = 35 * MM;
  for (let index = 0; index < count; index += 1) {
    doc.switchToPage(start + index);
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = start + index === qrBillPage ? doc.page.height - SwissQRBill.height - 7 * MM : doc.page.height - FOOTER_TOP_FROM_BOTTOM;
    doc.font('Regular').fontSize(8).fillColor(GREY);
    doc.text(`${title} ${invoice.number}`, left, y, { width: width - counterWidth, height: 10, ellipsis: true, lineBreak: false });
    doc.text(`${texts.page} ${index + 1} / ${count}`, right - counterWidth, y, { width: counterWidth, align: 'right', lineBreak: false });
    doc.page.margins.bottom = savedBottom;
  }

  doc.end();
  return done;
}
