/**
 * camt.053 statements and camt.054 notifications for tests, shaped like the files Swiss banks send
 * (SPS): one account, booked entries, a TxDtls per payment, QR or RF references. Versions 001.08 and
 * 001.04 differ where the reader must cope: Sts as code vs <Cd>, the transaction amount in Amt vs
 * AmtDtls/TxAmt, the debtor as Dbtr/Pty/Nm vs Dbtr/Nm.
 */

export type CamtVersion = '001.08' | '001.04';

export interface CamtTransactionOptions {
  amount: string;
  /** 27 digits: a QR reference (QRR); 'RF…': an ISO 11649 creditor reference (SCOR). */
  reference?: string;
  debtorName?: string;
  acctSvcrRef?: string;
}

export interface CamtEntryOptions extends CamtTransactionOptions {
  bookingDate?: string;
  valueDate?: string;
  /** Default true; false books a debit. */
  credit?: boolean;
  /** Unstructured remittance information (RmtInf/Ustrd). */
  text?: string;
  /** One Ntry holding several TxDtls (a collective credit); `amount` is then the entry's total. */
  batch?: CamtTransactionOptions[];
}

export interface CamtOptions {
  version?: CamtVersion;
  messageId?: string;
  iban?: string;
  currency?: string;
  entries: CamtEntryOptions[];
}

/** The Swiss QR-IBAN of the fixtures (CH44 3199 9123 0008 8901 2). */
export const QR_IBAN = 'CH4431999123000889012';
export const DEFAULT_DATE = '2026-03-02';

export function buildCamt054(options: CamtOptions): string {
  return build('camt.054', options);
}

export function buildCamt053(options: CamtOptions): string {
  return build('camt.053', options);
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Decimal string to cents without floats (the balances must add up exactly); 0 for the invalid amounts tests write. */
function cents(amount: string): bigint {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(amount);
  if (match === null) return 0n;
  const value = BigInt(match[2] || '0') * 100n + BigInt((match[3] ?? '').padEnd(2, '0').slice(0, 2));
  return match[1] === '-' ? -value : value;
}

function decimal(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const absolute = value < 0n ? -value : value;
  return `${sign}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
}

function build(kind: 'camt.053' | 'camt.054', options: CamtOptions): string {
  const version = options.version ?? '001.08';
  const v08 = version === '001.08';
  const messageId = options.messageId ?? `${kind === 'camt.053' ? 'STMT' : 'NTFC'}-20260302-0001`;
  const iban = options.iban ?? QR_IBAN;
  const ccy = options.currency ?? 'CHF';
  const created = `${DEFAULT_DATE}T06:15:00`;
  const amount = (value: string) => `<Amt Ccy="${escapeXml(ccy)}">${escapeXml(value)}</Amt>`;
  const dates = options.entries.map((entry) => entry.bookingDate ?? DEFAULT_DATE).sort();
  const from = dates[0] ?? DEFAULT_DATE;
  const to = dates[dates.length - 1] ?? DEFAULT_DATE;

  const reference = (value: string | undefined) => {
    if (value === undefined) return '';
    const scor = value.toUpperCase().startsWith('RF');
    const type = scor ? '<Cd>SCOR</Cd>' : '<Prtry>QRR</Prtry>';
    return `<Strd><CdtrRefInf><Tp><CdOrPrtry>${type}</CdOrPrtry></Tp><Ref>${escapeXml(value)}</Ref></CdtrRefInf></Strd>`;
  };
  const debtor = (name: string | undefined) => {
    if (name === undefined) return '';
    const party = v08 ? `<Pty><Nm>${escapeXml(name)}</Nm></Pty>` : `<Nm>${escapeXml(name)}</Nm>`;
    return `<RltdPties><Dbtr>${party}</Dbtr></RltdPties>`;
  };
  const transaction = (tx: CamtTransactionOptions, indicator: string, text: string | undefined, withTxReference: boolean) => {
    const refs = `<Refs>${withTxReference && tx.acctSvcrRef !== undefined ? `<AcctSvcrRef>${escapeXml(tx.acctSvcrRef)}</AcctSvcrRef>` : ''}<EndToEndId>NOTPROVIDED</EndToEndId></Refs>`;
    const money = v08 ? `${amount(tx.amount)}<CdtDbtInd>${indicator}</CdtDbtInd>` : `<AmtDtls><TxAmt>${amount(tx.amount)}</TxAmt></AmtDtls>`;
    const remittance = text === undefined && tx.reference === undefined ? '' : `<RmtInf>${text === undefined ? '' : `<Ustrd>${escapeXml(text)}</Ustrd>`}${reference(tx.reference)}</RmtInf>`;
    return `\n          <TxDtls>${refs}${money}${debtor(tx.debtorName)}${remittance}</TxDtls>`;
  };

  let balance = 1_000_000n;
  const opening = balance;
  const entries = options.entries.map((entry) => {
    const credit = entry.credit ?? true;
    const indicator = credit ? 'CRDT' : 'DBIT';
    balance += credit ? cents(entry.amount) : -cents(entry.amount);
    const status = v08 ? '<Sts><Cd>BOOK</Cd></Sts>' : '<Sts>BOOK</Sts>';
    // Swiss banks book reference payments (QR, RF) as VCOM, other transfers as domestic (DMCT).
    const structured = entry.batch !== undefined || entry.reference !== undefined;
    const family = credit && structured ? 'VCOM' : 'DMCT';
    const domainFamily = credit ? 'RCDT' : 'ICDT';
    const batch = entry.batch;
    const details =
      batch === undefined
        ? `<NtryDtls>${transaction(entry, indicator, entry.text, false)}\n        </NtryDtls>`
        : `<NtryDtls>\n          <Btch><NbOfTxs>${batch.length}</NbOfTxs><TtlAmt Ccy="${escapeXml(ccy)}">${escapeXml(entry.amount)}</TtlAmt><CdtDbtInd>${indicator}</CdtDbtInd></Btch>${batch.map((tx) => transaction(tx, indicator, undefined, true)).join('')}\n        </NtryDtls>`;
    return `
      <Ntry>
        ${amount(entry.amount)}
        <CdtDbtInd>${indicator}</CdtDbtInd>
        ${status}
        <BookgDt><Dt>${escapeXml(entry.bookingDate ?? DEFAULT_DATE)}</Dt></BookgDt>
        <ValDt><Dt>${escapeXml(entry.valueDate ?? entry.bookingDate ?? DEFAULT_DATE)}</Dt></ValDt>${entry.acctSvcrRef !== undefined ? `\n        <AcctSvcrRef>${escapeXml(entry.acctSvcrRef)}</AcctSvcrRef>` : ''}
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${domainFamily}</Cd><SubFmlyCd>${family}</SubFmlyCd></Fmly></Domn></BkTxCd>
        ${details}
      </Ntry>`;
  });

  const account = `
      <Acct><Id><IBAN>${escapeXml(iban)}</IBAN></Id><Ccy>${escapeXml(ccy)}</Ccy><Ownr><Nm>Amt für Migration</Nm></Ownr></Acct>`;
  const balances =
    kind === 'camt.053'
      ? ['OPBD', 'CLBD']
          .map((code, index) => {
            const value = index === 0 ? opening : balance;
            const sign = value < 0n ? 'DBIT' : 'CRDT';
            const absolute = value < 0n ? -value : value;
            const day = index === 0 ? from : to;
            return `
      <Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp>${amount(decimal(absolute))}<CdtDbtInd>${sign}</CdtDbtInd><Dt><Dt>${escapeXml(day)}</Dt></Dt></Bal>`;
          })
          .join('')
      : '';
  const block = kind === 'camt.053' ? 'Stmt' : 'Ntfctn';
  const body = kind === 'camt.053' ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn';
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${kind}.${version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <${body}>
    <GrpHdr>
      <MsgId>${escapeXml(messageId)}</MsgId>
      <CreDtTm>${created}</CreDtTm>
    </GrpHdr>
    <${block}>
      <Id>${escapeXml(messageId)}-1</Id>
      <CreDtTm>${created}</CreDtTm>${
        kind === 'camt.053' ? `\n      <FrToDt><FrDtTm>${escapeXml(from)}T00:00:00</FrDtTm><ToDtTm>${escapeXml(to)}T23:59:59</ToDtTm></FrToDt>` : ''
      }${account}${balances}${entries.join('')}
    </${block}>
  </${body}>
</Document>
`;
}
