import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CamtError, SUPPORTED_CAMT, readCamt, type CamtProblem } from '../../src/modules/finance/rules/camt.js';
import { QR_IBAN, buildCamt053, buildCamt054 } from '../support/camt.js';

const fixtureBytes = (name: string) => readFileSync(new URL(`../fixtures/camt/${name}`, import.meta.url));
const ech0020 = readFileSync(new URL('../fixtures/ech0020/move-out.xml', import.meta.url), 'utf8');

/** The CamtError readCamt throws for `input` (fails the test when it reads instead). */
function failure(input: Buffer | string): CamtError {
  try {
    readCamt(input);
  } catch (error) {
    if (error instanceof CamtError) return error;
    throw error;
  }
  throw new Error('readCamt read the input instead of refusing it');
}

function expectProblem(input: Buffer | string, problem: CamtProblem, detail: string | RegExp): CamtError {
  const error = failure(input);
  expect(error.problem).toBe(problem);
  if (typeof detail === 'string') expect(error.detail).toContain(detail);
  else expect(error.detail).toMatch(detail);
  return error;
}

/** A one-credit notification, for tests that change one thing in it. */
const single = (amount = '100.00') => buildCamt054({ entries: [{ amount, reference: '210000000000000002026004213', debtorName: 'Anna Muster', acctSvcrRef: 'REF-1' }] });

/** The same document with every element in the prefix `prefix` (as some bank platforms write it). */
function prefixed(xml: string, prefix: string): string {
  return xml.replace(/<(\/?)(?=[A-Za-z])/g, `<$1${prefix}:`).replace(/xmlns="/, `xmlns:${prefix}="`);
}

const HASH = /^hash:[0-9a-f]{64}$/;

describe('readCamt: the fixtures', () => {
  it('reads a Swiss camt.054.001.08: the batch split into its three QR credits, the single credit, the debit counted', () => {
    const statement = readCamt(fixtureBytes('camt054-001-08-swiss.xml'));
    expect(statement).toMatchObject({ kind: 'camt.054', version: '001.08', messageId: '20260302375204000006131', createdAt: '2026-03-02T18:42:07.183+01:00', accounts: [QR_IBAN], debitsSkipped: 1 });
    expect(statement.entries).toEqual([
      {
        key: 'acct:260302CH0A1B2C3D-0001',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        amountMinor: 15000,
        currency: 'CHF',
        reference: '210000000000000002026004213',
        debtorName: 'Anna Muster-Gerber',
        debtorIban: 'CH9300762011623852957',
        remittanceText: 'Gesuch 2026-0042 Familiennachzug',
        endToEndId: 'E2E-2026-0302-GERBER',
        reversal: false,
        position: 'Ntfctn 1 › Ntry 1 › TxDtls 1',
      },
      {
        key: 'acct:260302CH0A1B2C3D-0002',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        amountMinor: 9550,
        currency: 'CHF',
        reference: '210000000000000002026005876',
        debtorName: 'Ahmet Yılmaz & Elif Yılmaz',
        debtorIban: 'CH5604835012345678009',
        remittanceText: null,
        endToEndId: null,
        reversal: false,
        position: 'Ntfctn 1 › Ntry 1 › TxDtls 2',
      },
      {
        key: 'acct:260302CH0A1B2C3D-0003',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        amountMinor: 123405,
        currency: 'CHF',
        reference: '210000000000000002026010331',
        debtorName: 'Treuhand Rigi AG',
        debtorIban: null,
        remittanceText: null,
        endToEndId: null,
        reversal: false,
        position: 'Ntfctn 1 › Ntry 1 › TxDtls 3',
      },
      {
        key: 'acct:260302CH0E5F6G7H',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-03',
        amountMinor: 25000,
        currency: 'CHF',
        reference: '210000000000000002026001190',
        debtorName: 'João Silva Pereira',
        debtorIban: 'CH2900788000012345678',
        remittanceText: null,
        endToEndId: null,
        reversal: false,
        position: 'Ntfctn 1 › Ntry 2 › TxDtls 1',
      },
    ]);
    // The batch's parts add up to the booked total.
    expect(statement.entries.slice(0, 3).reduce((sum, entry) => sum + entry.amountMinor, 0)).toBe(147955);
  });

  it('reads a camt.053.001.04 statement: RF reference normalised, unstructured text joined, reversal flagged', () => {
    const statement = readCamt(fixtureBytes('camt053-001-04-statement.xml'));
    expect(statement).toMatchObject({ kind: 'camt.053', version: '001.04', messageId: 'STMT-20260303-004711', createdAt: '2026-03-03T05:30:12', accounts: [QR_IBAN], debitsSkipped: 0 });
    const [scor, unstructured, reversal] = statement.entries;
    expect(statement.entries).toHaveLength(3);
    expect(scor).toEqual({
      key: 'acct:ZV20260302/000418',
      bookingDate: '2026-03-02',
      valueDate: '2026-03-02',
      amountMinor: 42000,
      currency: 'CHF',
      reference: 'RF28MIGRA20260042',
      debtorName: 'Kovačević Ivana',
      debtorIban: 'CH3908704016075473007',
      remittanceText: null,
      endToEndId: 'MF-RE-2026-0042',
      reversal: false,
      position: 'Stmt 1 › Ntry 1 › TxDtls 1',
    });
    // Booked with a DtTm: its date part; no AcctSvcrRef anywhere: a hash key.
    expect(unstructured).toMatchObject({
      bookingDate: '2026-03-02',
      amountMinor: 11000,
      reference: null,
      debtorName: 'Nguyen Thi Lan',
      remittanceText: 'Gebuehr Verlaengerung Bewilligung B Dossier 2026-0587 <Nguyen>',
      endToEndId: null,
      reversal: false,
      position: 'Stmt 1 › Ntry 2 › TxDtls 1',
    });
    expect(unstructured?.key).toMatch(HASH);
    expect(reversal).toMatchObject({ key: 'acct:ZV20260302/000433', amountMinor: 8000, valueDate: '2026-02-27', reversal: true, debtorName: null, remittanceText: 'Rueckzahlung Kostenvorschuss 2025-1193' });
  });

  it('refuses a pain.001 payment order as not camt, naming its root and namespace', () => {
    const error = expectProblem(fixtureBytes('pain001-001-09.xml'), 'not-camt', '<Document>');
    expect(error.detail).toContain("'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09'");
  });

  it('refuses an amount with three decimals, naming the entry', () => {
    const error = expectProblem(fixtureBytes('camt054-amount-three-decimals.xml'), 'malformed', 'Ntfctn 1 › Ntry 2: amount 95.005 has more than two decimals');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain('95.005');
  });

  it('refuses an e-banking CSV export as not XML, with the parser’s message and line', () => {
    const error = expectProblem(fixtureBytes('e-banking-export.csv'), 'not-xml', /not well-formed XML: char 'B' is not expected/);
    expect(error.line).toBe(1);
  });
});

describe('readCamt: what is not a camt file', () => {
  it('refuses a DOCTYPE before parsing (entity expansion)', () => {
    const xml = single().replace('<Document', '<!DOCTYPE Document [<!ENTITY boom "boom">]>\n<Document');
    expectProblem(xml, 'not-xml', 'DOCTYPE');
  });

  it('reports where a document stops being well-formed', () => {
    const xml = single().replace('</GrpHdr>', '</GroupHeader>');
    const line = xml.split('\n').findIndex((text) => text.includes('</GroupHeader>')) + 1;
    const error = expectProblem(xml, 'not-xml', "Expected closing tag 'GrpHdr'");
    expect(error.line).toBe(line);
  });

  it.each([
    ['an empty file', ''],
    ['plain text', 'Kontoauszug März 2026'],
    ['two top-level elements', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"/><Document/>'],
  ])('refuses %s as not XML', (_what, input) => {
    expect(failure(input).problem).toBe('not-xml');
  });

  it('refuses bytes that are not UTF-8 when no other encoding is declared', () => {
    const bytes = Buffer.concat([Buffer.from(single().slice(0, 200)), Buffer.from([0xff, 0xfe, 0xc3])]);
    expectProblem(bytes, 'not-xml', 'utf-8');
  });

  it('refuses an eCH-0020 delivery, naming its prefixed root and namespace', () => {
    const error = expectProblem(ech0020, 'not-camt', '<eCH-0020:delivery>');
    expect(error.detail).toContain("'http://www.ech.ch/xmlns/eCH-0020/3'");
  });

  it('refuses a Document without namespace, and camt messages other than 053/054', () => {
    expectProblem('<Document><BkToCstmrStmt/></Document>', 'not-camt', 'without a namespace');
    expectProblem(single().replace('camt.054.001.08', 'camt.052.001.08'), 'not-camt', 'camt.052.001.08');
  });

  it('refuses a camt element that is not the root Document', () => {
    expectProblem('<BkToCstmrStmt xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>', 'not-camt', '<BkToCstmrStmt>');
  });

  it.each(['camt.054.001.01', 'camt.054.001.09', 'camt.053.001.10', 'camt.053.001.13'])('refuses %s as an unsupported version, listing the supported ones', (message) => {
    const [, kind, version] = /^(camt\.05\d)\.(\d{3}\.\d{2})$/.exec(message) ?? [];
    const xml = (kind === 'camt.053' ? buildCamt053 : buildCamt054)({ entries: [{ amount: '1.00' }] }).replace(`${kind}.001.08`, `${kind}.${version}`);
    const error = expectProblem(xml, 'unsupported-version', `${message} is not supported`);
    for (const supported of SUPPORTED_CAMT) expect(error.detail).toContain(supported);
  });

  it('supports camt.053 and camt.054, versions 001.02 to 001.08', () => {
    expect([...SUPPORTED_CAMT].sort()).toEqual(['053', '054'].flatMap((kind) => ['02', '03', '04', '05', '06', '07', '08'].map((version) => `camt.${kind}.001.${version}`)));
    for (const message of SUPPORTED_CAMT) {
      const kind = message.slice(0, 8);
      const xml = (kind === 'camt.053' ? buildCamt053 : buildCamt054)({ version: '001.04', entries: [{ amount: '1.00' }] }).replace(`${kind}.001.04`, message);
      expect(readCamt(xml)).toMatchObject({ kind, version: message.slice(9) });
    }
  });
});

describe('readCamt: malformed camt', () => {
  it('needs the message id', () => {
    expectProblem(single().replace(/<MsgId>.*<\/MsgId>/, ''), 'malformed', 'GrpHdr/MsgId');
    expectProblem(single().replace(/<MsgId>.*<\/MsgId>/, '<MsgId> </MsgId>'), 'malformed', 'GrpHdr/MsgId');
  });

  it('needs the message body and at least one block', () => {
    expectProblem(single().replace(/BkToCstmrDbtCdtNtfctn>/g, 'BkToCstmrStmt>'), 'malformed', '<BkToCstmrDbtCdtNtfctn> is missing');
    expectProblem(single().replace(/<Ntfctn>[\s\S]*<\/Ntfctn>/, ''), 'malformed', 'no <Ntfctn>');
  });

  it('needs an amount, its currency and a credit/debit indicator on every entry', () => {
    const withoutEntryAmount = single().replace(/(<Ntry>\s*)<Amt Ccy="CHF">100.00<\/Amt>/, '$1');
    expectProblem(withoutEntryAmount, 'malformed', 'Ntfctn 1 › Ntry 1: the entry has no amount');
    expectProblem(single().replace('<Amt Ccy="CHF">100.00</Amt>', '<Amt>100.00</Amt>'), 'malformed', 'Ntfctn 1 › Ntry 1: amount 100.00 has no currency');
    expectProblem(single().replace('<Amt Ccy="CHF">100.00</Amt>', '<Amt Ccy="Franken">100.00</Amt>'), 'malformed', "'Franken' is not an ISO 4217 code");
    expectProblem(single().replace(/<CdtDbtInd>CRDT<\/CdtDbtInd>/g, ''), 'malformed', 'Ntfctn 1 › Ntry 1: the entry has no credit/debit indicator');
    expectProblem(single().replace(/<CdtDbtInd>CRDT<\/CdtDbtInd>/, '<CdtDbtInd>CREDIT</CdtDbtInd>'), 'malformed', "'CREDIT' is neither CRDT nor DBIT");
  });

  it.each([
    ['12.345', 'has more than two decimals'],
    ['0.001', 'has more than two decimals'],
    ['0.00', 'is zero'],
    ['0', 'is zero'],
    ['-5.00', 'is negative'],
    ['12,50', 'is not a plain decimal number'],
    ['1e3', 'is not a plain decimal number'],
    ["1'250.00", 'is not a plain decimal number'],
    ['CHF 5', 'is not a plain decimal number'],
    ['', 'is not a plain decimal number'],
    ['99999999999999999.99', 'is too large'],
  ])('refuses the amount %j: %s', (amount, problem) => {
    const error = expectProblem(buildCamt054({ entries: [{ amount: '1.00' }, { amount }] }), 'malformed', `Ntfctn 1 › Ntry 2: amount `);
    expect(error.detail).toContain(amount);
    expect(error.detail).toContain(problem);
  });

  it('checks a transaction’s own amount and names the transaction', () => {
    const xml = buildCamt054({ entries: [{ amount: '30.00', batch: [{ amount: '10.00' }, { amount: '20.005' }] }] });
    expectProblem(xml, 'malformed', 'Ntfctn 1 › Ntry 1 › TxDtls 2: amount 20.005 has more than two decimals');
  });

  it('refuses a transaction of a batch without an amount (the entry’s would be the total)', () => {
    const xml = buildCamt054({ entries: [{ amount: '30.00', batch: [{ amount: '10.00' }, { amount: '20.00' }] }] }).replace('<Amt Ccy="CHF">20.00</Amt>', '');
    expectProblem(xml, 'malformed', 'Ntfctn 1 › Ntry 1 › TxDtls 2: the transaction has no amount');
  });

  it('refuses a date that is not one', () => {
    expectProblem(buildCamt054({ entries: [{ amount: '1.00', bookingDate: '2026-02-30' }] }), 'malformed', "Ntfctn 1 › Ntry 1: booking date '2026-02-30' is not a date");
    expectProblem(buildCamt054({ entries: [{ amount: '1.00', valueDate: '02.03.2026' }] }), 'malformed', 'value date');
  });
});

describe('readCamt: amounts to minor units', () => {
  it.each([
    ['0.29', 29],
    ['0.57', 57],
    ['1.00', 100],
    ['5.', 500],
    ['1234567.1', 123456710],
    ['19.99', 1999],
    ['100', 10000],
    ['007.50', 750],
    ['12.340', 1234],
    ['0.01', 1],
  ])('reads %s as %i minor units, by string arithmetic', (amount, minor) => {
    expect(readCamt(buildCamt054({ entries: [{ amount }] })).entries[0]?.amountMinor).toBe(minor);
  });

  it('reads any integer number of cents written as a decimal back identically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 15 }), fc.constantFrom('full', 'short'), (minor, style) => {
        const cents = minor % 100;
        // 'short' writes what a decimal allows to leave out: 12.30 as 12.3, 12.00 as 12.
        const fraction = style === 'full' ? `.${String(cents).padStart(2, '0')}` : cents === 0 ? '' : cents % 10 === 0 ? `.${cents / 10}` : `.${String(cents).padStart(2, '0')}`;
        const amount = `${Math.floor(minor / 100)}${fraction}`;
        const [tx053] = readCamt(buildCamt053({ version: '001.04', entries: [{ amount }] })).entries;
        const [tx054] = readCamt(buildCamt054({ entries: [{ amount: '1.00', batch: [{ amount }, { amount: '0.01' }] }] })).entries;
        return tx053?.amountMinor === minor && tx054?.amountMinor === minor;
      }),
      { numRuns: 200 },
    );
  });
});

describe('readCamt: entries and transactions', () => {
  it('splits a batch entry into one CamtEntry per TxDtls, keyed by their own AcctSvcrRef or the entry’s with #n', () => {
    const xml = buildCamt054({
      entries: [
        {
          amount: '60.00',
          acctSvcrRef: 'BATCH-7',
          batch: [
            { amount: '10.00', reference: '210000000000000002026004213', debtorName: 'Anna Muster' },
            { amount: '20.00', reference: 'RF28MIGRA20260042', debtorName: 'Ahmet Yılmaz', acctSvcrRef: 'TX-2' },
            { amount: '30.00', debtorName: 'Lan Nguyen' },
          ],
        },
      ],
    });
    const { entries } = readCamt(xml);
    expect(entries.map(({ key, amountMinor, reference, debtorName, position }) => ({ key, amountMinor, reference, debtorName, position }))).toEqual([
      { key: 'acct:BATCH-7#1', amountMinor: 1000, reference: '210000000000000002026004213', debtorName: 'Anna Muster', position: 'Ntfctn 1 › Ntry 1 › TxDtls 1' },
      { key: 'acct:TX-2', amountMinor: 2000, reference: 'RF28MIGRA20260042', debtorName: 'Ahmet Yılmaz', position: 'Ntfctn 1 › Ntry 1 › TxDtls 2' },
      { key: 'acct:BATCH-7#3', amountMinor: 3000, reference: null, debtorName: 'Lan Nguyen', position: 'Ntfctn 1 › Ntry 1 › TxDtls 3' },
    ]);
  });

  it('reads the 001.04 batch layout (AmtDtls/TxAmt, Dbtr/Nm) the same way', () => {
    const options = { entries: [{ amount: '30.00', batch: [{ amount: '10.00', debtorName: 'A' }, { amount: '20.00', debtorName: 'B' }] }] };
    const v04 = readCamt(buildCamt053({ ...options, version: '001.04' })).entries;
    const v08 = readCamt(buildCamt053(options)).entries;
    expect(v04.map((entry) => [entry.amountMinor, entry.debtorName])).toEqual([
      [1000, 'A'],
      [2000, 'B'],
    ]);
    expect(v04).toEqual(v08);
  });

  it('gives an entry without TxDtls one CamtEntry, positioned at the entry', () => {
    const xml = buildCamt054({ entries: [{ amount: '42.00', acctSvcrRef: 'E-1' }] }).replace(/<NtryDtls>[\s\S]*?<\/NtryDtls>/, '');
    expect(readCamt(xml).entries).toEqual([
      { key: 'acct:E-1', bookingDate: '2026-03-02', valueDate: '2026-03-02', amountMinor: 4200, currency: 'CHF', reference: null, debtorName: null, debtorIban: null, remittanceText: null, endToEndId: null, reversal: false, position: 'Ntfctn 1 › Ntry 1' },
    ]);
  });

  it('lets a lone TxDtls without amount take the entry’s', () => {
    const xml = buildCamt053({ entries: [{ amount: '42.00', debtorName: 'Anna' }] }).replace(/(<TxDtls>.*?)<Amt Ccy="CHF">42.00<\/Amt><CdtDbtInd>CRDT<\/CdtDbtInd>/, '$1');
    expect(readCamt(xml).entries.map((entry) => [entry.amountMinor, entry.debtorName])).toEqual([[4200, 'Anna']]);
  });

  it('skips debits and counts them, in statements and notifications', () => {
    const entries = [{ amount: '10.00' }, { amount: '99.00', credit: false }, { amount: '5.00', credit: false, batch: [{ amount: '2.00' }, { amount: '3.00' }] }, { amount: '20.00' }];
    for (const build of [buildCamt053, buildCamt054]) {
      const statement = readCamt(build({ entries }));
      expect(statement.entries.map((entry) => [entry.amountMinor, entry.position.replace(/^\w+ 1 › /, '')])).toEqual([
        [1000, 'Ntry 1 › TxDtls 1'],
        [2000, 'Ntry 4 › TxDtls 1'],
      ]);
      expect(statement.debitsSkipped).toBe(3);
    }
  });

  it('takes the transaction’s credit/debit indicator over the entry’s', () => {
    // A netted entry: credited as a whole, but one of its transactions is a debit (and vice versa).
    const netted = buildCamt054({ entries: [{ amount: '7.00', batch: [{ amount: '10.00' }, { amount: '3.00' }] }] }).replace('<Amt Ccy="CHF">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>', '<Amt Ccy="CHF">3.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>');
    const read = readCamt(netted);
    expect(read.entries.map((entry) => entry.amountMinor)).toEqual([1000]);
    expect(read.debitsSkipped).toBe(1);

    const debitEntry = buildCamt054({ entries: [{ amount: '4.00', credit: false }] }).replace(/(<TxDtls>.*?)<CdtDbtInd>DBIT<\/CdtDbtInd>/, '$1<CdtDbtInd>CRDT</CdtDbtInd>');
    expect(readCamt(debitEntry)).toMatchObject({ debitsSkipped: 0, entries: [{ amountMinor: 400 }] });

    // Without its own indicator (as in 001.04), a transaction follows its entry.
    expect(readCamt(buildCamt053({ version: '001.04', entries: [{ amount: '4.00', credit: false, batch: [{ amount: '1.00' }, { amount: '3.00' }] }] }))).toMatchObject({ debitsSkipped: 2, entries: [] });
  });

  it('flags reversals (RvslInd true or 1)', () => {
    for (const value of ['true', '1']) {
      const xml = single().replace('<CdtDbtInd>CRDT</CdtDbtInd>', `<CdtDbtInd>CRDT</CdtDbtInd><RvslInd>${value}</RvslInd>`);
      expect(readCamt(xml).entries[0]?.reversal).toBe(true);
    }
    expect(readCamt(single().replace('<CdtDbtInd>CRDT</CdtDbtInd>', '<CdtDbtInd>CRDT</CdtDbtInd><RvslInd>false</RvslInd>')).entries[0]?.reversal).toBe(false);
  });

  it('normalises references (spaces, case), keeps the end-to-end id unless NOTPROVIDED, escapes nothing twice', () => {
    const xml = buildCamt054({ entries: [{ amount: '1.00', reference: 'rf28 migr a202 6004 2', debtorName: 'Müller & Söhne <GmbH>', text: 'Gebühr "B" & Co' }] });
    expect(readCamt(xml).entries[0]).toMatchObject({ reference: 'RF28MIGRA20260042', debtorName: 'Müller & Söhne <GmbH>', remittanceText: 'Gebühr "B" & Co', endToEndId: null });
    const withEndToEnd = xml.replace('<EndToEndId>NOTPROVIDED</EndToEndId>', '<EndToEndId>MF-2026-0042</EndToEndId>');
    expect(readCamt(withEndToEnd).entries[0]?.endToEndId).toBe('MF-2026-0042');
  });

  it('joins several Ustrd lines, then the QR-bill additional information', () => {
    const xml = buildCamt054({ entries: [{ amount: '1.00', reference: '210000000000000002026004213', text: 'Zeile 1' }] })
      .replace('<Ustrd>Zeile 1</Ustrd>', '<Ustrd>Zeile 1</Ustrd><Ustrd>  Zeile 2 </Ustrd>')
      .replace('</CdtrRefInf>', '</CdtrRefInf><AddtlRmtInf>Gesuch 2026-0042</AddtlRmtInf>');
    expect(readCamt(xml).entries[0]?.remittanceText).toBe('Zeile 1 Zeile 2 Gesuch 2026-0042');
  });

  it('reads several blocks, listing each account once and positioning entries in their block', () => {
    const first = buildCamt054({ entries: [{ amount: '1.00' }] });
    const second = buildCamt054({ iban: 'CH93 0076 2011 6238 5295 7', entries: [{ amount: '2.00' }, { amount: '3.00' }] });
    const third = buildCamt054({ entries: [{ amount: '4.00' }] });
    const block = (xml: string) => /<Ntfctn>[\s\S]*<\/Ntfctn>/.exec(xml)?.[0] ?? '';
    const xml = first.replace('</Ntfctn>', `</Ntfctn>${block(second)}${block(third)}`);
    const statement = readCamt(xml);
    expect(statement.accounts).toEqual([QR_IBAN, 'CH9300762011623852957']);
    expect(statement.entries.map((entry) => entry.position)).toEqual(['Ntfctn 1 › Ntry 1 › TxDtls 1', 'Ntfctn 2 › Ntry 1 › TxDtls 1', 'Ntfctn 2 › Ntry 2 › TxDtls 1', 'Ntfctn 3 › Ntry 1 › TxDtls 1']);
  });

  it('reads TxDtls from several NtryDtls of one entry in order', () => {
    const xml = buildCamt054({ entries: [{ amount: '30.00', acctSvcrRef: 'E', batch: [{ amount: '10.00' }, { amount: '20.00' }] }] }).replace(/(<TxDtls>.*?<\/TxDtls>)/, '$1</NtryDtls><NtryDtls>');
    expect(readCamt(xml).entries.map((entry) => [entry.key, entry.amountMinor])).toEqual([
      ['acct:E#1', 1000],
      ['acct:E#2', 2000],
    ]);
  });
});

describe('readCamt: keys for de-duplication', () => {
  const payment = { amount: '150.00', reference: '210000000000000002026004213', debtorName: 'Anna Muster', bookingDate: '2026-03-02', valueDate: '2026-03-03', text: 'Gesuch 42' };

  it('gives the same transaction the bank’s key in a camt.053 and a camt.054', () => {
    const fromNotification = readCamt(buildCamt054({ entries: [{ ...payment, acctSvcrRef: 'ZKB-4711' }] })).entries[0];
    const fromStatement = readCamt(buildCamt053({ version: '001.04', entries: [{ amount: '5.00', credit: false }, { ...payment, acctSvcrRef: 'ZKB-4711' }] })).entries[0];
    expect(fromNotification?.key).toBe('acct:ZKB-4711');
    expect(fromStatement?.key).toBe(fromNotification?.key);
  });

  it('gives the same transaction without bank reference the same hash key in both, a different payment another', () => {
    const key = (xml: string) => readCamt(xml).entries[0]?.key;
    const notification = key(buildCamt054({ entries: [payment] }));
    expect(notification).toMatch(HASH);
    expect(key(buildCamt053({ version: '001.04', messageId: 'OTHER', entries: [payment] }))).toBe(notification);
    // The amount counts in minor units: how it was written does not.
    expect(key(buildCamt054({ entries: [{ ...payment, amount: '150' }] }))).toBe(notification);
    for (const change of [{ amount: '150.01' }, { reference: '210000000000000002026005876' }, { debtorName: 'Anna Muster-Gerber' }, { bookingDate: '2026-03-03' }, { valueDate: '2026-03-04' }, { text: 'Gesuch 43' }]) {
      expect(key(buildCamt054({ entries: [{ ...payment, ...change }] }))).not.toBe(notification);
    }
    expect(key(buildCamt054({ iban: 'CH9300762011623852957', entries: [payment] }))).not.toBe(notification);
    expect(key(buildCamt054({ currency: 'EUR', entries: [payment] }))).not.toBe(notification);
  });

  it('keeps two identical payments without bank reference in one file apart', () => {
    const keys = readCamt(buildCamt054({ entries: [payment, payment, payment] })).entries.map((entry) => entry.key);
    const plain = keys[0] ?? '';
    expect(plain).toMatch(HASH);
    expect(keys).toEqual([plain, `${plain}#2`, `${plain}#3`]);
  });

  it('prefers the transaction’s AcctSvcrRef over the entry’s', () => {
    const xml = buildCamt054({ entries: [{ ...payment, acctSvcrRef: 'ENTRY' }] }).replace('<Refs>', '<Refs><AcctSvcrRef>TX</AcctSvcrRef>');
    expect(readCamt(xml).entries[0]?.key).toBe('acct:TX');
  });
});

describe('readCamt: encodings and namespaces', () => {
  const expected = readCamt(single());

  it('reads a document whose elements carry a namespace prefix', () => {
    const xml = prefixed(single(), 'ns2');
    expect(xml).toContain('<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"');
    expect(readCamt(xml)).toEqual(expected);
  });

  it('decides by the root’s own prefix, not by a default namespace beside it', () => {
    const xml = prefixed(single(), 'camt').replace('<camt:Document ', '<camt:Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09" ');
    expect(readCamt(xml)).toEqual(expected);
    const wrong = prefixed(single(), 'camt').replace('xmlns:camt="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"', 'xmlns:camt="urn:example:other" xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"');
    expectProblem(wrong, 'not-camt', "<camt:Document> in the namespace 'urn:example:other'");
  });

  it('reads input with a UTF-8 byte order mark, as bytes and as a string', () => {
    expect(readCamt(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(single())]))).toEqual(expected);
    expect(readCamt(`\uFEFF${single()}`)).toEqual(expected);
  });

  it('reads UTF-16 with a byte order mark and a declared ISO-8859-1 encoding', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(single().replace('UTF-8', 'UTF-16'), 'utf16le')]);
    expect(readCamt(utf16)).toEqual(expected);
    const latin1 = Buffer.from(buildCamt054({ entries: [{ amount: '1.00', debtorName: 'Jürg Müller' }] }).replace('UTF-8', 'ISO-8859-1'), 'latin1');
    expect(readCamt(latin1).entries[0]?.debtorName).toBe('Jürg Müller');
  });

  it('decodes character references', () => {
    const xml = buildCamt054({ entries: [{ amount: '1.00', debtorName: 'NAME' }] }).replace('NAME', 'J&#252;rg &#x4D;&#252;ller');
    expect(readCamt(xml).entries[0]?.debtorName).toBe('Jürg Müller');
  });
});

describe('the camt test builder', () => {
  it('writes 001.08 and 001.04 status and debtor layouts', () => {
    const v08 = buildCamt054({ entries: [{ amount: '1.00', debtorName: 'A' }] });
    const v04 = buildCamt054({ version: '001.04', entries: [{ amount: '1.00', debtorName: 'A' }] });
    expect(v08).toContain('<Sts><Cd>BOOK</Cd></Sts>');
    expect(v08).toContain('<Dbtr><Pty><Nm>A</Nm></Pty></Dbtr>');
    expect(v04).toContain('<Sts>BOOK</Sts>');
    expect(v04).toContain('<Dbtr><Nm>A</Nm></Dbtr>');
    expect(v04).toContain('<AmtDtls><TxAmt><Amt Ccy="CHF">1.00</Amt></TxAmt></AmtDtls>');
  });

  it('types references: QRR for QR references, SCOR for RF', () => {
    const xml = buildCamt054({ entries: [{ amount: '1.00', reference: '210000000000000002026004213' }, { amount: '1.00', reference: 'RF28MIGRA20260042' }] });
    expect(xml).toContain('<Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>210000000000000002026004213</Ref>');
    expect(xml).toContain('<Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF28MIGRA20260042</Ref>');
  });

  it('balances the statement exactly', () => {
    const xml = buildCamt053({ entries: [{ amount: '0.10' }, { amount: '0.20' }, { amount: '1000.05', credit: false }] });
    expect(xml).toContain('<Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">10000.00</Amt>');
    expect(xml).toContain('<Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">9000.25</Amt>');
  });
});
