/**
 * Reads ISO 20022 bank-to-customer cash management messages (pure: no I/O): camt.053 statements
 * (BkToCstmrStmt) and camt.054 debit/credit notifications (BkToCstmrDbtCdtNtfctn), versions
 * 001.02 to 001.08. The Swiss Payment Standards (SPS) variants use the ISO namespaces and a subset
 * of the ISO structure, so they read the same way.
 *
 * Only incoming money matters to MigraFlow (fees and deposits paid by clients), so the reader yields
 * one CamtEntry per credited transaction and merely counts the debits. A bank reports one booking
 * (Ntry) that may hold several transactions (TxDtls), e.g. a collective credit of QR-bill payments;
 * each transaction is one payment to be matched, so each becomes its own CamtEntry.
 *
 * Files come from outside (an upload, a bank's drop folder), so nothing is trusted: a file that is
 * not XML, not camt, of another version or with an amount that cannot be booked exactly is refused
 * as a whole with a CamtError saying where, rather than read in part.
 */
import { createHash } from 'node:crypto';
import { isValid, parseISO } from 'date-fns';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { asList, children, elementNames, isNode, type XmlNode, type XmlValue } from '../../../platform/xml/tree.js';

export interface CamtEntry {
  /** Stable key for de-duplication across files: 'acct:' + the bank's AcctSvcrRef of the transaction (TxDtls/Refs/AcctSvcrRef), else of the entry (Ntry/AcctSvcrRef, suffixed '#<n>' when the entry holds several transactions); else 'hash:' + sha256 hex of account IBAN|booking date|value date|amount|currency|reference|debtor name|remittance text|EndToEndId. */
  key: string;
  bookingDate: string | null;
  valueDate: string | null;
  /** Integer minor units (cents, Rappen), always > 0. */
  amountMinor: number;
  currency: string;
  /** Structured creditor reference (RmtInf/Strd/CdtrRefInf/Ref): Swiss QR reference or ISO 11649 'RF..', spaces removed, upper case. */
  reference: string | null;
  debtorName: string | null;
  debtorIban: string | null;
  /** RmtInf/Ustrd joined with ' ', then any RmtInf/Strd/AddtlRmtInf (where the QR-bill "additional information" arrives). */
  remittanceText: string | null;
  /** Refs/EndToEndId; null when the payer gave none ('NOTPROVIDED'). */
  endToEndId: string | null;
  reversal: boolean;
  /** Where it is in the file, for a person: e.g. 'Ntfctn 1 › Ntry 3 › TxDtls 2' (1-based). */
  position: string;
}

export interface CamtStatement {
  kind: 'camt.053' | 'camt.054';
  /** e.g. '001.08' */
  version: string;
  messageId: string;
  createdAt: string | null;
  /** Distinct IBANs of the Stmt/Ntfctn blocks, in file order. */
  accounts: string[];
  /** Credited transactions only, in file order. */
  entries: CamtEntry[];
  debitsSkipped: number;
}

export type CamtProblem = 'not-xml' | 'not-camt' | 'unsupported-version' | 'malformed';

export class CamtError extends Error {
  constructor(
    readonly problem: CamtProblem,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(line === undefined ? detail : `${detail} (line ${line})`);
    this.name = 'CamtError';
  }
}

const KINDS = ['camt.053', 'camt.054'] as const;
const VERSIONS = ['001.02', '001.03', '001.04', '001.05', '001.06', '001.07', '001.08'] as const;

/** Message definitions the reader knows: camt.053 and camt.054, versions 001.02 to 001.08 (ISO and Swiss SPS). */
export const SUPPORTED_CAMT: readonly string[] = Object.freeze(KINDS.flatMap((kind) => VERSIONS.map((version) => `${kind}.${version}`)));

/** The message body and the repeated block under it, per message. */
const LAYOUT = {
  'camt.053': { body: 'BkToCstmrStmt', block: 'Stmt' },
  'camt.054': { body: 'BkToCstmrDbtCdtNtfctn', block: 'Ntfctn' },
} as const;

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.\d{3})\.(\d{3}\.\d{2})$/;


const parser = new XMLParser({
  // Prefixes are kept so that the root's namespace declaration can be found; localNames() drops them after.
  removeNSPrefix: false,
  parseTagValue: false,
  ignoreAttributes: false,
  // Character references (&#228;) are XML, but fast-xml-parser only decodes them with this on.
  htmlEntities: true,
});

export function readCamt(input: Buffer | string): CamtStatement {
  const xml = decode(input);
  // Bank files have no DTD; a DOCTYPE is only the door to entity expansion attacks.
  if (/<!DOCTYPE/i.test(xml)) throw new CamtError('not-xml', 'A DOCTYPE declaration is not allowed in a bank file.');
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) throw new CamtError('not-xml', `The file is not well-formed XML: ${wellFormed.err.msg}`, wellFormed.err.line);
  // parse() is typed any: the shape is the one described by XmlNode (parseTagValue off: all text is string).
  const document = parser.parse(xml) as XmlNode;
  const roots = elementNames(document);
  const rootName = roots[0];
  if (rootName === undefined) throw new CamtError('not-xml', 'The file holds no XML element.');
  const rootValue = document[rootName];
  // The validator lets several top-level elements through (the parser groups same-named ones); XML allows one.
  if (roots.length > 1 || Array.isArray(rootValue)) throw new CamtError('not-xml', 'The file holds several top-level elements; XML allows one.');
  const root = isNode(rootValue) ? rootValue : {};
  const prefix = rootName.includes(':') ? rootName.slice(0, rootName.indexOf(':')) : null;
  const namespaceValue = root[prefix === null ? '@_xmlns' : `@_xmlns:${prefix}`];
  const namespace = typeof namespaceValue === 'string' ? namespaceValue : null;
  const match = namespace === null ? null : NAMESPACE.exec(namespace);
  const kind = match?.[1];
  const version = match?.[2];
  if (localName(rootName) !== 'Document' || kind === undefined || version === undefined || !isKind(kind)) {
    const where = namespace === null ? 'without a namespace' : `in the namespace '${namespace}'`;
    throw new CamtError('not-camt', `The root element is <${rootName}> ${where}; a bank statement is a <Document> in a camt.053 or camt.054 namespace (urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx).`);
  }
  if (!SUPPORTED_CAMT.includes(`${kind}.${version}`)) {
    throw new CamtError('unsupported-version', `${kind}.${version} is not supported; MigraFlow reads ${SUPPORTED_CAMT.join(', ')}.`);
  }
  return new MessageReader(kind, version).read(localNames(root));
}

function isKind(kind: string): kind is CamtStatement['kind'] {
  return (KINDS as readonly string[]).includes(kind);
}

/**
 * Bytes to text: a BOM decides, else the encoding the XML declaration names, else UTF-8 (which the
 * SPS prescribes). Bytes that do not decode are not XML.
 */
function decode(input: Buffer | string): string {
  if (typeof input === 'string') return input.startsWith('\uFEFF') ? input.slice(1) : input;
  const [a, b, c] = [input[0], input[1], input[2]];
  let label = 'utf-8';
  if (a === 0xef && b === 0xbb && c === 0xbf) label = 'utf-8';
  else if (a === 0xff && b === 0xfe) label = 'utf-16le';
  else if (a === 0xfe && b === 0xff) label = 'utf-16be';
  else {
    const declared = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(input.subarray(0, 200).toString('latin1'));
    if (declared?.[1] !== undefined) label = declared[1].toLowerCase();
  }
  try {
    // TextDecoder drops the BOM itself (ignoreBOM is off by default).
    return new TextDecoder(label, { fatal: true }).decode(input);
  } catch {
    throw new CamtError('not-xml', `The file is not text in the encoding it declares (${label}).`);
  }
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** The same tree with namespace prefixes dropped from element names (senders choose their own prefixes). */
function localNames(node: XmlNode): XmlNode {
  const result: XmlNode = {};
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith('@_') || name.startsWith('#')) {
      result[name] = value;
      continue;
    }
    const local = localName(name);
    const converted = convert(value);
    const earlier = result[local];
    // Two prefixes for one local name (rare, but legal) would otherwise overwrite each other.
    result[local] = earlier === undefined ? converted : [...asList(earlier), ...asList(converted)];
  }
  return result;
}

function convert(value: XmlValue): XmlValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(convert);
  return localNames(value);
}

function child(node: XmlNode | null, name: string): XmlNode | null {
  return node === null ? null : (children(node, name)[0] ?? null);
}

/** The first child along a path of element names, or null. */
function at(node: XmlNode | null, ...path: string[]): XmlNode | null {
  let current = node;
  for (const name of path) current = child(current, name);
  return current;
}

/** The texts of a (repeated) element; an element with children has the text between them, if any. */
function texts(node: XmlNode | null, name: string): string[] {
  if (node === null) return [];
  const value = node[name];
  if (value === undefined) return [];
  return asList(value).map((item) => {
    if (typeof item === 'string') return item;
    if (isNode(item)) {
      const inner = item['#text'];
      return typeof inner === 'string' ? inner : '';
    }
    return '';
  });
}

/** An element's text, trimmed; null when the element is absent or empty (bank files pad, never mean ''). */
function text(node: XmlNode | null, name: string): string | null {
  const value = texts(node, name)[0]?.trim();
  return value === undefined || value === '' ? null : value;
}

function attribute(node: XmlNode, name: string): string | null {
  const value = node[`@_${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** IBANs are printed in groups of four; the account is the same without the spaces. */
function compact(value: string | null): string | null {
  if (value === null) return null;
  const result = value.replace(/\s+/g, '').toUpperCase();
  return result === '' ? null : result;
}

/** A transaction as read, before it is keyed. */
type Transaction = Omit<CamtEntry, 'key'> & { accountIban: string | null; bankReference: string | null };

class MessageReader {
  private readonly layout: (typeof LAYOUT)[CamtStatement['kind']];
  private debitsSkipped = 0;

  constructor(
    private readonly kind: CamtStatement['kind'],
    private readonly version: string,
  ) {
    this.layout = LAYOUT[kind];
  }

  read(document: XmlNode): CamtStatement {
    const body = child(document, this.layout.body);
    if (body === null) throw new CamtError('malformed', `<${this.layout.body}> is missing under <Document>; a ${this.kind} message has it.`);
    const header = child(body, 'GrpHdr');
    const messageId = text(header, 'MsgId');
    if (messageId === null) throw new CamtError('malformed', 'The group header has no message id (GrpHdr/MsgId).');
    const blocks = children(body, this.layout.block);
    if (blocks.length === 0) throw new CamtError('malformed', `The message holds no <${this.layout.block}>.`);

    const accounts: string[] = [];
    const transactions: Transaction[] = [];
    blocks.forEach((block, index) => {
      const where = `${this.layout.block} ${index + 1}`;
      const iban = compact(text(at(block, 'Acct', 'Id'), 'IBAN'));
      if (iban !== null && !accounts.includes(iban)) accounts.push(iban);
      children(block, 'Ntry').forEach((entry, entryIndex) => transactions.push(...this.entry(entry, `${where} › Ntry ${entryIndex + 1}`, iban)));
    });
    return {
      kind: this.kind,
      version: this.version,
      messageId,
      createdAt: text(header, 'CreDtTm'),
      accounts,
      entries: keyed(transactions),
      debitsSkipped: this.debitsSkipped,
    };
  }

  /** One booking: its credited transactions (the debits are counted). */
  private entry(entry: XmlNode, where: string, accountIban: string | null): Transaction[] {
    const amount = money(entry, where);
    if (amount === null) throw new CamtError('malformed', `${where}: the entry has no amount (Amt).`);
    const direction = creditDebit(entry, where);
    if (direction === null) throw new CamtError('malformed', `${where}: the entry has no credit/debit indicator (CdtDbtInd).`);
    const rvsl = text(entry, 'RvslInd');
    const common = {
      bookingDate: dateOf(child(entry, 'BookgDt'), `${where}: booking date`),
      valueDate: dateOf(child(entry, 'ValDt'), `${where}: value date`),
      reversal: rvsl === 'true' || rvsl === '1',
      accountIban,
    };
    const entryReference = text(entry, 'AcctSvcrRef');
    const details = children(entry, 'NtryDtls').flatMap((detail) => children(detail, 'TxDtls'));

    if (details.length === 0) {
      if (direction === 'DBIT') {
        this.debitsSkipped += 1;
        return [];
      }
      return [{ ...common, ...amount, position: where, bankReference: entryReference, reference: null, debtorName: null, debtorIban: null, remittanceText: null, endToEndId: null }];
    }

    const result: Transaction[] = [];
    details.forEach((tx, index) => {
      const position = `${where} › TxDtls ${index + 1}`;
      const own = money(tx, position) ?? money(at(tx, 'AmtDtls', 'TxAmt'), position);
      // Only a lone transaction may borrow the entry's amount: in a batch it would be the total.
      const txAmount = own ?? (details.length === 1 ? amount : null);
      if (txAmount === null) throw new CamtError('malformed', `${position}: the transaction has no amount (Amt or AmtDtls/TxAmt/Amt) and the entry holds ${details.length} transactions.`);
      // Banks net a batch in the entry; each transaction's own indicator says which way it went.
      if ((creditDebit(tx, position) ?? direction) === 'DBIT') {
        this.debitsSkipped += 1;
        return;
      }
      const txReference = text(child(tx, 'Refs'), 'AcctSvcrRef');
      const remittance = child(tx, 'RmtInf');
      const structured = children(remittance ?? {}, 'Strd');
      const parties = child(tx, 'RltdPties');
      const debtor = child(parties, 'Dbtr');
      const endToEnd = text(child(tx, 'Refs'), 'EndToEndId');
      const remittanceTexts = [...texts(remittance, 'Ustrd'), ...structured.flatMap((s) => texts(s, 'AddtlRmtInf'))].map((part) => part.trim()).filter((part) => part !== '');
      result.push({
        ...common,
        ...txAmount,
        position,
        bankReference: txReference ?? (entryReference === null ? null : details.length > 1 ? `${entryReference}#${index + 1}` : entryReference),
        reference: compact(structured.map((s) => text(child(s, 'CdtrRefInf'), 'Ref')).find((ref) => ref !== null) ?? null),
        // Up to 001.07 the debtor is a party (Dbtr/Nm); from 001.08 a choice of party or agent (Dbtr/Pty/Nm).
        debtorName: text(debtor, 'Nm') ?? text(child(debtor, 'Pty'), 'Nm'),
        debtorIban: compact(text(at(parties, 'DbtrAcct', 'Id'), 'IBAN')),
        remittanceText: remittanceTexts.length > 0 ? remittanceTexts.join(' ') : null,
        endToEndId: endToEnd === null || endToEnd.toUpperCase() === 'NOTPROVIDED' ? null : endToEnd,
      });
    });
    return result;
  }
}

function creditDebit(node: XmlNode, where: string): 'CRDT' | 'DBIT' | null {
  const value = text(node, 'CdtDbtInd');
  if (value === null || value === 'CRDT' || value === 'DBIT') return value;
  throw new CamtError('malformed', `${where}: the credit/debit indicator '${value}' is neither CRDT nor DBIT.`);
}

/** The <Amt Ccy="…"> of an element: null when absent, else its exact minor units and currency. */
function money(parent: XmlNode | null, where: string): { amountMinor: number; currency: string } | null {
  const node = child(parent, 'Amt');
  if (parent === null || node === null) return null;
  const value = texts(parent, 'Amt')[0] ?? '';
  const currency = attribute(node, 'Ccy');
  if (currency === null) throw new CamtError('malformed', `${where}: amount ${value.trim()} has no currency (Ccy).`);
  if (!/^[A-Z]{3}$/.test(currency)) throw new CamtError('malformed', `${where}: the currency '${currency}' is not an ISO 4217 code.`);
  return { amountMinor: minorUnits(value.trim(), where), currency };
}

/**
 * A decimal amount to integer minor units by moving the decimal point in the string: a float
 * product (0.29 * 100 = 28.999999999999996) would lose a Rappen. Digits past the second decimal
 * must be zeros, since a booking in minor units cannot hold them.
 */
function minorUnits(value: string, where: string): number {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (match === null || whole + fraction === '') throw new CamtError('malformed', `${where}: amount '${value}' is not a plain decimal number.`);
  if (fraction.slice(2).replace(/0/g, '') !== '') throw new CamtError('malformed', `${where}: amount ${value} has more than two decimals.`);
  const digits = `${whole}${fraction.padEnd(2, '0').slice(0, 2)}`.replace(/^0+/, '');
  if (digits === '') throw new CamtError('malformed', `${where}: amount ${value} is zero.`);
  if (match[1] === '-') throw new CamtError('malformed', `${where}: amount ${value} is negative.`);
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor)) throw new CamtError('malformed', `${where}: amount ${value} is too large.`);
  return minor;
}

/** A DateAndDateTimeChoice (Dt or DtTm) as YYYY-MM-DD; a time zone or time is dropped. */
function dateOf(node: XmlNode | null, what: string): string | null {
  const value = text(node, 'Dt') ?? text(node, 'DtTm');
  if (value === null) return null;
  const day = value.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !isValid(parseISO(day))) throw new CamtError('malformed', `${what} '${value}' is not a date.`);
  return day;
}

/**
 * Keys for the transactions: the bank's reference when it gave one, else a hash of what identifies
 * the payment. Two identical payments without bank reference in one file are still two payments,
 * so a repeated hash gets '#2', '#3'… (the first keeps the plain hash, which another file with that
 * payment also gives).
 */
function keyed(transactions: Transaction[]): CamtEntry[] {
  const seen = new Map<string, number>();
  return transactions.map(({ accountIban, bankReference, ...entry }) => {
    let key: string;
    if (bankReference !== null) key = `acct:${bankReference}`;
    else {
      const parts = [accountIban, entry.bookingDate, entry.valueDate, String(entry.amountMinor), entry.currency, entry.reference, entry.debtorName, entry.remittanceText, entry.endToEndId];
      const hash = `hash:${createHash('sha256')
        .update(parts.map((part) => part ?? '').join('|'))
        .digest('hex')}`;
      const count = (seen.get(hash) ?? 0) + 1;
      seen.set(hash, count);
      key = count === 1 ? hash : `${hash}#${count}`;
    }
    return {
      key,
      bookingDate: entry.bookingDate,
      valueDate: entry.valueDate,
      amountMinor: entry.amountMinor,
      currency: entry.currency,
      reference: entry.reference,
      debtorName: entry.debtorName,
      debtorIban: entry.debtorIban,
      remittanceText: entry.remittanceText,
      endToEndId: entry.endToEndId,
      reversal: entry.reversal,
      position: entry.position,
    };
  });
}
