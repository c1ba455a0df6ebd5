/**
 * camt.054 credit notifications for the finance benchmark, shaped like the files Swiss banks send
 * for a QR-IBAN account (SPS, version 001.08): one notification for the account, the month's QR-bill
 * payments as collective credits (one booking per day and batch, a TxDtls per payment with the
 * bank's own reference, the debtor and the QR reference). Plain string building; every value that
 * comes from data is escaped.
 */

export interface CamtCredit {
  /** The 27-digit QR reference the payer copied from the invoice. */
  reference: string;
  amountMinor: number;
  debtorName: string;
  /** Printed on the QR bill as additional information, e.g. "Rechnung 2026-000123". */
  note: string;
}

export interface CamtFile {
  messageId: string;
  /** The QR-IBAN the money arrived on. */
  iban: string;
  /** YYYY-MM: the payments are spread over the working days of this month. */
  month: string;
  credits: readonly CamtCredit[];
}

/** Payments per collective credit (Ntry): banks split a day's QR payments into batches. */
export const CREDITS_PER_BOOKING = 50;

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Minor units as the decimal a bank file carries: 12345 → "123.45". */
export function decimalOf(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor <= 0) throw new RangeError(`not a positive amount in minor units: ${minor}`);
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/** Monday to Friday of a month (YYYY-MM), as YYYY-MM-DD. */
export function workingDays(month: string): string[] {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const days: string[] = [];
  for (let day = new Date(Date.UTC(year, monthNumber - 1, 1)); day.getUTCMonth() === monthNumber - 1; day.setUTCDate(day.getUTCDate() + 1)) {
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

export function buildCamt054(file: CamtFile): string {
  const days = workingDays(file.month);
  const last = days[days.length - 1] ?? `${file.month}-28`;
  const created = `${last}T18:30:00`;
  const ccy = 'CHF';
  // Payments in order, spread evenly over the working days; each day's in batches.
  const perDay = new Map<string, { credit: CamtCredit; index: number }[]>();
  file.credits.forEach((credit, index) => {
    const day = days[Math.floor((index * days.length) / file.credits.length)] ?? last;
    const list = perDay.get(day) ?? [];
    list.push({ credit, index });
    perDay.set(day, list);
  });
  const parts: string[] = [];
  parts.push(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr>
      <MsgId>${escapeXml(file.messageId)}</MsgId>
      <CreDtTm>${created}</CreDtTm>
    </GrpHdr>
    <Ntfctn>
      <Id>${escapeXml(file.messageId)}-1</Id>
      <CreDtTm>${created}</CreDtTm>
      <Acct><Id><IBAN>${escapeXml(file.iban)}</IBAN></Id><Ccy>${ccy}</Ccy><Ownr><Nm>Amt für Migration</Nm></Ownr></Acct>`);
  let booking = 0;
  for (const [day, payments] of perDay) {
    for (let at = 0; at < payments.length; at += CREDITS_PER_BOOKING) {
      const batch = payments.slice(at, at + CREDITS_PER_BOOKING);
      booking += 1;
      const total = batch.reduce((sum, p) => sum + p.credit.amountMinor, 0);
      const entryReference = `${file.messageId}-B${booking}`;
      parts.push(`
      <Ntry>
        <Amt Ccy="${ccy}">${decimalOf(total)}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>${day}</Dt></BookgDt>
        <ValDt><Dt>${day}</Dt></ValDt>
        <AcctSvcrRef>${escapeXml(entryReference)}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>VCOM</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <Btch><NbOfTxs>${batch.length}</NbOfTxs><TtlAmt Ccy="${ccy}">${decimalOf(total)}</TtlAmt><CdtDbtInd>CRDT</CdtDbtInd></Btch>`);
      for (const { credit, index } of batch) {
        parts.push(`
          <TxDtls><Refs><AcctSvcrRef>${escapeXml(`${file.messageId}-T${index + 1}`)}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>` +
          `<Amt Ccy="${ccy}">${decimalOf(credit.amountMinor)}</Amt><CdtDbtInd>CRDT</CdtDbtInd>` +
          `<RltdPties><Dbtr><Pty><Nm>${escapeXml(credit.debtorName)}</Nm></Pty></Dbtr></RltdPties>` +
          `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>${escapeXml(credit.reference)}</Ref></CdtrRefInf>` +
          `<AddtlRmtInf>${escapeXml(credit.note)}</AddtlRmtInf></Strd></RmtInf></TxDtls>`);
      }
      parts.push(`
        </NtryDtls>
      </Ntry>`);
    }
  }
  parts.push(`
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
`);
  return parts.join('');
}
