import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { calculateQRReferenceChecksum, calculateSCORReferenceChecksum } from 'swissqrbill/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epcQrPayload, renderInvoicePdf, type InvoiceDocument, type InvoiceLanguage } from '../../src/modules/finance/invoice-pdf.js';
import { readQrCode } from '../support/qr.js';

const run = promisify(execFile);
const PDFTOTEXT = '/usr/bin/pdftotext';
const PDFTOPPM = '/usr/bin/pdftoppm';

let workDir = '';
beforeAll(async () => {
  // Fail, not skip: without poppler-utils these checks would silently prove nothing.
  for (const tool of [PDFTOTEXT, PDFTOPPM]) if (!existsSync(tool)) throw new Error(`${tool} is missing; install poppler-utils to run the invoice tests`);
  workDir = await mkdtemp(path.join(tmpdir(), 'mf-invoice-'));
});
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

let fileCounter = 0;
async function writePdf(pdf: Buffer): Promise<string> {
  fileCounter += 1;
  const file = path.join(workDir, `invoice-${fileCounter}.pdf`);
  await writeFile(file, pdf);
  return file;
}

/** Text of the PDF with whitespace (no-break spaces included) collapsed, so layout line breaks do not matter. */
async function pdfText(pdf: Buffer): Promise<string> {
  const { stdout } = await run(PDFTOTEXT, ['-layout', await writePdf(pdf), '-'], { encoding: 'utf8' });
  return stdout.replace(/\s+/g, ' ');
}

async function pageCount(pdf: Buffer): Promise<number> {
  const { stdout } = await run(PDFTOTEXT, [await writePdf(pdf), '-'], { encoding: 'utf8' });
  return stdout.split('\f').filter((page) => page.trim().length > 0).length;
}

const qrReferenceBase = '00000000000202600000001230';
const QR_REFERENCE = `${qrReferenceBase}${calculateQRReferenceChecksum(qrReferenceBase)}`;
const RF_REFERENCE = `RF${calculateSCORReferenceChecksum('20260000000123')}20260000000123`;

const swissInvoice: InvoiceDocument = {
  country: 'CH',
  language: 'de',
  number: '2026-000123',
  issuedOn: '2026-11-22',
  dueOn: '2026-12-22',
  creditor: {
    office: 'Amt für Migration des Kantons Luzern',
    name: 'Kanton Luzern Amt für Migration',
    street: 'Fruttstrasse',
    buildingNumber: '15',
    postalCode: '6002',
    town: 'Luzern',
    country: 'CH',
    account: 'CH44 3199 9123 0008 8901 2',
  },
  debtor: { name: 'Dragana Kovačević-Nguyễn', street: 'Schachenstrasse', buildingNumber: '7', postalCode: '6010', town: 'Kriens', country: 'CH' },
  reference: QR_REFERENCE,
  currency: 'CHF',
  subject: 'Gebühr Verlängerung Aufenthaltsbewilligung B – Fall 2026-00042',
  lines: [
    { text: 'Verlängerung der Aufenthaltsbewilligung B', legalBasis: 'Art. 8 Abs. 1 lit. a GebV-AIG', amountMinor: 9500 },
    { text: 'Ausländerausweis (biometrisch)', legalBasis: 'Art. 8 Abs. 1 lit. c GebV-AIG', amountMinor: 2200 },
    { text: 'Kantonale Bearbeitungsgebühr', legalBasis: '§ 4 Gebührentarif Migration', amountMinor: 2000 },
  ],
  totalMinor: 13_700,
};

const germanInvoice: InvoiceDocument = {
  country: 'DE',
  language: 'de',
  number: '2026-000123',
  issuedOn: '2026-11-22',
  dueOn: '2026-12-06',
  creditor: {
    office: 'Ausländerbehörde der Stadt Köln',
    name: 'Stadtkasse Köln',
    street: 'Willy-Brandt-Platz',
    buildingNumber: '3',
    postalCode: '50679',
    town: 'Köln',
    country: 'DE',
    account: 'DE89 3704 0044 0532 0130 00',
    bic: 'COBADEFFXXX',
  },
  debtor: { name: 'Amir Haddad', street: 'Venloer Straße', buildingNumber: '241', postalCode: '50823', town: 'Köln', country: 'DE' },
  reference: RF_REFERENCE,
  currency: 'EUR',
  subject: 'Gebühr Erteilung Aufenthaltserlaubnis – Vorgang 2026-00042',
  lines: [
    { text: 'Erteilung einer Aufenthaltserlaubnis', legalBasis: '§ 45 Abs. 1 Nr. 1 AufenthV', amountMinor: 100_000 },
    { text: 'Elektronischer Aufenthaltstitel', legalBasis: '§ 45c AufenthV', amountMinor: 23_450 },
    { text: 'Ermäßigung für Minderjährige', legalBasis: '§ 50 Abs. 1 AufenthV', amountMinor: -50_000 },
  ],
  totalMinor: 73_450,
};

/** The Swiss Payment Code's elements by name (Swiss Implementation Guidelines QR-bill, version 2.x). */
function parseSwissPaymentCode(payload: string) {
  const lines = payload.split(/\r?\n/);
  return {
    lines,
    header: lines.slice(0, 3),
    iban: lines[3],
    creditor: { addressType: lines[4], name: lines[5], street: lines[6], buildingNumber: lines[7], postalCode: lines[8], town: lines[9], country: lines[10] },
    amount: lines[18],
    currency: lines[19],
    debtor: { addressType: lines[20], name: lines[21], street: lines[22], buildingNumber: lines[23], postalCode: lines[24], town: lines[25], country: lines[26] },
    referenceType: lines[27],
    reference: lines[28],
    message: lines[29],
    trailer: lines[30],
  };
}

describe('Swiss invoice with QR-bill', () => {
  it('carries a QR code that a scanner reads as the invoice’s Swiss Payment Code', async () => {
    const pdf = await renderInvoicePdf(swissInvoice);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pageCount(pdf)).toBe(1);
    const code = parseSwissPaymentCode(await readQrCode(pdf, 1));
    expect(code.header).toEqual(['SPC', '0200', '1']);
    expect(code.iban).toBe('CH4431999123000889012');
    expect(code.creditor).toEqual({ addressType: 'S', name: 'Kanton Luzern Amt für Migration', street: 'Fruttstrasse', buildingNumber: '15', postalCode: '6002', town: 'Luzern', country: 'CH' });
    expect(code.amount).toBe('137.00');
    expect(code.currency).toBe('CHF');
    // Letters outside the QR-bill character set and Helvetica are reduced to their base letters.
    expect(code.debtor).toEqual({ addressType: 'S', name: 'Dragana Kovacevic-Nguyen', street: 'Schachenstrasse', buildingNumber: '7', postalCode: '6010', town: 'Kriens', country: 'CH' });
    expect(code.referenceType).toBe('QRR');
    expect(code.reference).toBe(QR_REFERENCE);
    expect(code.message).toBe('Rechnung 2026-000123');
    expect(code.trailer).toBe('EPD');
  });

  it('prints letterhead, addressee, lines, total, payment terms and the payment part in German', async () => {
    const text = await pdfText(await renderInvoicePdf({ ...swissInvoice, beneficiary: 'Einwohnergemeinde Kriens', notes: ['Diese Rechnung ist Teil der Verfügung vom 22. November 2026.'] }));
    for (const expected of [
      'Amt für Migration des Kantons Luzern',
      'Dragana Kovačević-Nguyễn',
      'Rechnung',
      'Rechnungsnummer',
      '2026-000123',
      'Rechnungsdatum',
      '22. November 2026',
      'Zahlbar bis',
      '22. Dezember 2026',
      'Gebühr Verlängerung Aufenthaltsbewilligung B – Fall 2026-00042',
      'Rechtsgrundlage: Art. 8 Abs. 1 lit. a GebV-AIG',
      '95.00',
      'Gesamtbetrag CHF 137.00',
      'Bitte bezahlen Sie den Gesamtbetrag von CHF 137.00 bis 22. Dezember 2026.',
      'Der Betrag wird weitergeleitet an: Einwohnergemeinde Kriens.',
      'Diese Rechnung ist Teil der Verfügung',
      'Empfangsschein',
      'Zahlteil',
      'CH44 3199 9123 0008 8901 2',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(`${QR_REFERENCE.slice(0, 2)} ${QR_REFERENCE.slice(2, 7)} ${QR_REFERENCE.slice(7, 12)}`);
    expect(text).toMatch(/Seite 1 \/ [12]/);
  });

  it('writes Swiss thousands separators', async () => {
    const big: InvoiceDocument = { ...swissInvoice, lines: [{ text: 'Sicherheitsleistung', legalBasis: 'NG § 15a', amountMinor: 300_000 }], totalMinor: 300_000 };
    expect(await pdfText(await renderInvoicePdf(big))).toContain('CHF 3’000.00');
    expect(await pdfText(await renderInvoicePdf({ ...big, language: 'fr' }))).toContain('CHF 3 000.00');
  });

  const languages: Array<[InvoiceLanguage, string[]]> = [
    ['de', ['Rechnung', 'Zahlbar bis', 'Gesamtbetrag', 'Bitte bezahlen Sie', 'Empfangsschein', 'Zahlteil', 'Konto / Zahlbar an']],
    ['fr', ['Facture', 'Payable jusqu’au', 'Total', 'Veuillez payer', '22 décembre 2026', 'Récépissé', 'Section paiement', 'Compte / Payable à']],
    ['it', ['Fattura', 'Pagabile entro il', 'Totale', 'Vi preghiamo di pagare', '22 dicembre 2026', 'Ricevuta', 'Sezione pagamento', 'Conto / Pagabile a']],
    ['en', ['Invoice', 'Due date', 'Total', 'Please pay', '22 December 2026', 'Receipt', 'Payment part', 'Account / Payable to']],
  ];
  it.each(languages)('is in the addressee’s language (%s), payment part included', async (language, expected) => {
    const text = await pdfText(await renderInvoicePdf({ ...swissInvoice, language }));
    for (const label of expected) expect(text).toContain(label);
    const others = languages.filter(([other]) => other !== language).map(([, labels]) => labels[0] ?? '');
    for (const title of others) expect(text).not.toContain(title);
  });

  it('prints a reduction as a negative line and bills the reduced total', async () => {
    const reduced: InvoiceDocument = {
      ...swissInvoice,
      lines: [...swissInvoice.lines, { text: 'Reduktion wegen Härtefall', legalBasis: 'Art. 3 GebV-AIG', amountMinor: -3700 }],
      totalMinor: 10_000,
    };
    const pdf = await renderInvoicePdf(reduced);
    const text = await pdfText(pdf);
    expect(text).toContain('Reduktion wegen Härtefall');
    expect(text).toContain('−37.00');
    expect(text).toContain('Gesamtbetrag CHF 100.00');
    expect(parseSwissPaymentCode(await readQrCode(pdf, await pageCount(pdf))).amount).toBe('100.00');
  });

  it('moves the payment part to a new A4 page when 40 lines fill the first pages, and the code still reads', async () => {
    const lines = Array.from({ length: 40 }, (_, index) => ({ text: `Position ${index + 1}: Beglaubigte Kopie`, legalBasis: `Tarif Ziff. ${index + 1}`, amountMinor: 500 }));
    const pdf = await renderInvoicePdf({ ...swissInvoice, debtor: null, lines, totalMinor: 20_000 });
    const pages = await pageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = await pdfText(pdf);
    expect(text).toContain('Position 40: Beglaubigte Kopie');
    expect(text).toContain(`Seite ${pages} / ${pages}`);
    // Without a debtor the payment part leaves a box for name and address.
    expect(text).toContain('Zahlbar durch (Name/Adresse)');
    const code = parseSwissPaymentCode(await readQrCode(pdf, pages));
    expect(code.amount).toBe('200.00');
    expect(code.reference).toBe(QR_REFERENCE);
    expect(code.debtor.addressType).toBe('');
    // Every page is A4: the payment part is not put on a page of its own size.
    const { stdout } = await run('/usr/bin/pdfinfo', ['-l', String(pages), await writePdf(pdf)], { encoding: 'utf8' });
    const sizes = stdout.split('\n').filter((line) => /^Page\s+\d+ size:/.test(line));
    expect(sizes).toHaveLength(pages);
    for (const size of sizes) expect(size).toContain('595.28 x 841.89');
  });

  it('titles a reminder by its level, in the payment part’s message too', async () => {
    const pdf = await renderInvoicePdf({ ...swissInvoice, reminderLevel: 2 });
    const text = await pdfText(pdf);
    expect(text).toContain('2. Mahnung');
    expect(parseSwissPaymentCode(await readQrCode(pdf, await pageCount(pdf))).message).toBe('2. Mahnung 2026-000123');
    expect(await pdfText(await renderInvoicePdf({ ...swissInvoice, language: 'fr', reminderLevel: 1 }))).toContain('1er rappel');
  });

  it('is deterministic: the same invoice gives the same bytes', async () => {
    const first = await renderInvoicePdf(swissInvoice);
    const second = await renderInvoicePdf(swissInvoice);
    expect(second.equals(first)).toBe(true);
  });
});

describe('German invoice with GiroCode', () => {
  it('carries an EPC QR code with IBAN, amount and RF reference', async () => {
    const pdf = await renderInvoicePdf(germanInvoice);
    const lines = (await readQrCode(pdf, 1)).split('\n');
    expect(lines.slice(0, 4)).toEqual(['BCD', '002', '1', 'SCT']);
    expect(lines[4]).toBe('COBADEFFXXX');
    expect(lines[5]).toBe('Stadtkasse Köln');
    expect(lines[6]).toBe('DE89370400440532013000');
    expect(lines[7]).toBe('EUR734.50');
    expect(lines[9]).toBe(RF_REFERENCE);
    expect(lines[10]).toBe('');
    expect(lines[11]).toBe('Rechnung 2026-000123');
  });

  it('prints the payment box with grouped IBAN, BIC, amount and reference in German formats', async () => {
    const text = await pdfText(await renderInvoicePdf(germanInvoice));
    for (const expected of [
      'Ausländerbehörde der Stadt Köln',
      'Rechnung',
      '1.000,00',
      '−500,00',
      'Ermäßigung für Minderjährige',
      'Gesamtbetrag 734,50 €',
      'Bitte bezahlen Sie den Gesamtbetrag von 734,50 € bis 6. Dezember 2026.',
      'Zahlungsinformationen',
      'Empfänger Stadtkasse Köln',
      'IBAN DE89 3704 0044 0532 0130 00',
      'BIC COBADEFFXXX',
      'Betrag 734,50 €',
      `Verwendungszweck ${RF_REFERENCE.slice(0, 4)} ${RF_REFERENCE.slice(4, 8)}`,
      'GiroCode',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Zahlteil');
  });

  it('works without BIC and in French', async () => {
    const { bic: _bic, ...creditor } = germanInvoice.creditor;
    const pdf = await renderInvoicePdf({ ...germanInvoice, language: 'fr', creditor });
    const text = await pdfText(pdf);
    expect(text).toContain('Facture');
    expect(text).toContain('Informations de paiement');
    expect(text).toContain('734,50 €');
    const lines = (await readQrCode(pdf, 1)).split('\n');
    expect(lines[4]).toBe('');
    expect(lines[7]).toBe('EUR734.50');
    expect(lines[11]).toBe('Facture 2026-000123');
  });
});

describe('invalid invoices are refused', () => {
  const cases: Array<[string, InvoiceDocument, RegExp]> = [
    ['a Swiss account that is not a QR-IBAN', { ...swissInvoice, creditor: { ...swissInvoice.creditor, account: 'CH93 0076 2011 6238 5295 7' } }, /not a QR-IBAN/],
    ['a QR reference with a wrong check digit', { ...swissInvoice, reference: `${qrReferenceBase}${(Number(calculateQRReferenceChecksum(qrReferenceBase)) + 1) % 10}` }, /not a valid QR reference/],
    ['an RF reference on a Swiss invoice', { ...swissInvoice, reference: RF_REFERENCE }, /not a valid QR reference/],
    ['a German RF reference with wrong check digits', { ...germanInvoice, reference: `RF${String((Number(RF_REFERENCE.slice(2, 4)) % 90) + 3).padStart(2, '0')}${RF_REFERENCE.slice(4)}` }, /not a valid ISO 11649/],
    ['a QR reference on a German invoice', { ...germanInvoice, reference: QR_REFERENCE }, /not a valid ISO 11649/],
    ['a zero total', { ...swissInvoice, lines: [{ text: 'Erlass', legalBasis: '-', amountMinor: 0 }], totalMinor: 0 }, /positive whole number/],
    ['a negative total', { ...swissInvoice, lines: [{ text: 'Gutschrift', legalBasis: '-', amountMinor: -500 }], totalMinor: -500 }, /positive whole number/],
    ['a total in fractions of a Rappen', { ...swissInvoice, totalMinor: 13_700.5 }, /positive whole number/],
    ['a total that is not the sum of the lines', { ...swissInvoice, totalMinor: 13_800 }, /does not equal the sum/],
    ['a line in fractions of a cent', { ...germanInvoice, lines: [{ text: 'Gebühr', legalBasis: '§ 45 AufenthV', amountMinor: 100.5 }], totalMinor: 100.5 }, /not a whole number/],
    ['a Swiss invoice in EUR', { ...swissInvoice, currency: 'EUR' }, /in CHF/],
    ['a German account that is not a valid IBAN', { ...germanInvoice, creditor: { ...germanInvoice.creditor, account: 'DE89 3704 0044 0532 0130 01' } }, /not a valid IBAN/],
    ['an impossible due date', { ...swissInvoice, dueOn: '2026-02-30' }, /dueOn is not a date/],
  ];
  it.each(cases)('%s', async (_name, invoice, message) => {
    const rendering = renderInvoicePdf(invoice);
    await expect(rendering).rejects.toThrow(message);
    await expect(rendering).rejects.toBeInstanceOf(Error);
  });
});

describe('epcQrPayload', () => {
  it('lays out the EPC069-12 version 002 lines', () => {
    expect(epcQrPayload({ bic: 'cobadeffxxx', name: 'Stadtkasse Köln', iban: 'DE89 3704 0044 0532 0130 00', amountMinor: 1230, reference: RF_REFERENCE, text: 'Rechnung 2026-000123' })).toBe(
      ['BCD', '002', '1', 'SCT', 'COBADEFFXXX', 'Stadtkasse Köln', 'DE89370400440532013000', 'EUR12.30', '', RF_REFERENCE, '', 'Rechnung 2026-000123'].join('\n'),
    );
  });

  it('leaves the BIC empty and drops empty trailing elements', () => {
    expect(epcQrPayload({ name: 'Stadtkasse Köln', iban: 'DE89370400440532013000', amountMinor: 5, reference: RF_REFERENCE.toLowerCase() })).toBe(
      ['BCD', '002', '1', 'SCT', '', 'Stadtkasse Köln', 'DE89370400440532013000', 'EUR0.05', '', RF_REFERENCE].join('\n'),
    );
  });

  it('refuses what a bank would refuse', () => {
    const valid = { name: 'Stadtkasse Köln', iban: 'DE89370400440532013000', amountMinor: 1230, reference: RF_REFERENCE };
    expect(() => epcQrPayload({ ...valid, iban: 'DE89370400440532013001' })).toThrow(/IBAN/);
    expect(() => epcQrPayload({ ...valid, bic: 'COBA' })).toThrow(/BIC/);
    expect(() => epcQrPayload({ ...valid, amountMinor: 0 })).toThrow(/amount/);
    expect(() => epcQrPayload({ ...valid, amountMinor: 12.5 })).toThrow(/amount/);
    expect(() => epcQrPayload({ ...valid, reference: 'RF00123' })).toThrow(/creditor reference/);
    expect(() => epcQrPayload({ ...valid, name: 'x'.repeat(71) })).toThrow(/name/);
    expect(() => epcQrPayload({ ...valid, text: 'x'.repeat(71) })).toThrow(/text/);
  });
});
