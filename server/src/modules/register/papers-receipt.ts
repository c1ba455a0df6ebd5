import { createPdf } from '../../platform/pdf.js';


/** The fields NG § 10 prescribes for the papers receipt (Schriftenempfangsschein), and nothing else personal. */
export interface PapersReceipt {
  officeName: string;
  municipalityName: string;
  receiptNumber: number;
  dateOfIssue: string;
  officialName: string;
  firstNames: string;
  dateOfBirth: string;
  civilStatus: string;
  placeOfOrigin: string;
  address: string;
  papers: { designation: string; validUntil: string | null }[];
  feeChf: string;
}

const CIVIL_STATUS_DE: Record<string, string> = {
  single: 'ledig',
  married: 'verheiratet',
  widowed: 'verwitwet',
  divorced: 'geschieden',
  'registered-partnership': 'in eingetragener Partnerschaft',
  'dissolved-partnership': 'aufgelöste Partnerschaft',
  unknown: 'unbekannt',
};

/** 2026-03-01 → 01.03.2026; partly unknown eCH dates keep what is known (1980-00-00 → 1980). */
export function swissDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  if (month === '00') return year ?? iso;
  if (day === '00') return `${month}.${year}`;
  return `${day}.${month}.${year}`;
}

export function civilStatusGerman(status: string): string {
  return CIVIL_STATUS_DE[status] ?? status;
}

/** Renders the receipt as a one-page A4 PDF. Deterministic: the same receipt gives the same bytes. */
export function renderPapersReceipt(receipt: PapersReceipt): Promise<Buffer> {
  const issued = new Date(`${receipt.dateOfIssue}T12:00:00Z`);
  const { doc, done } = createPdf({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 64, right: 64 },
    info: { Title: `Schriftenempfangsschein Nr. ${receipt.receiptNumber}`, Author: receipt.officeName, Subject: 'Schriftenempfangsschein (NG § 10)', CreationDate: issued, ModDate: issued },
  });

  doc.font('Regular').fontSize(9).fillColor('#444').text(`${receipt.officeName} · Einwohnerkontrolle ${receipt.municipalityName}`);
  doc.moveDown(2);
  doc.font('Bold').fontSize(18).fillColor('#000').text('Schriftenempfangsschein');
  doc.font('Regular').fontSize(10).text(`Nr. ${receipt.receiptNumber} · gemäss § 10 des Gesetzes über die Niederlassung und den Aufenthalt (NG, SRL Nr. 5)`);
  doc.moveDown(1.5);

  const rows: [string, string][] = [
    ['Tag der Ausstellung', swissDate(receipt.dateOfIssue)],
    ['Name und Vorname', `${receipt.officialName} ${receipt.firstNames}`],
    ['Geburtsdatum', swissDate(receipt.dateOfBirth)],
    ['Familienstand', civilStatusGerman(receipt.civilStatus)],
    ['Heimatort', receipt.placeOfOrigin],
    ['Genaue Wohnortsangabe', receipt.address],
    ...receipt.papers.map((paper, index): [string, string] => [
      index === 0 ? 'Ausweispapiere' : '',
      `${paper.designation}${paper.validUntil ? `, gültig bis ${swissDate(paper.validUntil)}` : ', ohne Ablaufdatum'}`,
    ]),
    ['Erhobene Gebühr', `CHF ${receipt.feeChf}`],
  ];
  const labelWidth = 160;
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('Bold').fontSize(11).text(label, doc.page.margins.left, y, { width: labelWidth });
    doc.font('Regular').fontSize(11).text(value, doc.page.margins.left + labelWidth, y, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right - labelWidth });
    doc.moveDown(0.6);
  }
  doc.moveDown(2);
  doc.fontSize(9).fillColor('#444').text(
    'Dieser Schein gilt als Ausweis über die gesetzliche Regelung der Niederlassung, sofern ihn die Gemeinde nicht binnen Monatsfrist widerruft (NG § 10). ' +
      'Beim Wegzug werden die Ausweisschriften gegen Rückgabe dieses Scheins kostenlos ausgehändigt (NG § 14).',
    doc.page.margins.left,
    doc.y,
  );
  doc.end();
  return done;
}
