import { createPdf, LETTER, MM } from '../../../platform/pdf.js';

export interface Letterhead {
  officeName: string;
  unitName?: string | null;
  addressLines: string[];
  phone?: string | null;
  email?: string | null;
  website?: string | null;
}

/** Everything printed on an official letter; the texts arrive already filled in and translated. */
export interface LetterContent {
  language: 'de' | 'fr' | 'it' | 'en';
  letterhead: Letterhead;
  addressee: { name: string; addressLines: string[] };
  /** Place of issue, e.g. 'Luzern'. */
  place: string;
  /** ISO yyyy-mm-dd; printed in long form in the letter's language. */
  date: string;
  /** Case reference, e.g. '2026-000123'. */
  reference: string;
  caseworker?: string | null;
  title: string;
  subject: string;
  /** Body paragraphs. A paragraph starting with '- ' is a bullet list, one bullet per line. */
  paragraphs: string[];
  /** Operative part (Dispositiv); the points are numbered 1., 2., … when printed. */
  decision?: { heading: string; points: string[] } | null;
  /** Instructions on appeal (Rechtsmittelbelehrung), printed in a framed box. */
  appealNotice?: { heading: string; text: string } | null;
  signature: { closing: string; names: string[] };
  /** Small print at the bottom of every page; the localised "page x / y" is always added. */
  footer?: string | null;
}

type Language = LetterContent['language'];

const MONTHS: Record<Language, readonly string[]> = {
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  it: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const LABELS: Record<Language, { reference: string; contact: string; phone: string; page: string }> = {
  de: { reference: 'Referenz', contact: 'Kontakt', phone: 'Telefon', page: 'Seite' },
  fr: { reference: 'Référence', contact: 'Contact', phone: 'Téléphone', page: 'page' },
  it: { reference: 'Riferimento', contact: 'Contatto', phone: 'Telefono', page: 'pagina' },
  en: { reference: 'Reference', contact: 'Contact', phone: 'Phone', page: 'page' },
};

function parseIsoDate(iso: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  // Round-tripping through Date rejects 2026-02-30 and the like, which the regex lets through.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!match || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Not an ISO date (yyyy-mm-dd): ${iso}`);
  }
  return { year, month, day };
}

/**
 * 2026-11-22 → '22. November 2026' (de), '22 novembre 2026' (fr, it), '22 November 2026' (en).
 * Hand-written month names rather than Intl, so the output does not depend on the ICU build.
 */
export function formatLetterDate(iso: string, language: Language): string {
  const { year, month, day } = parseIsoDate(iso);
  const monthName = MONTHS[language][month - 1] ?? '';
  switch (language) {
    case 'de':
      return `${day}. ${monthName} ${year}`;
    case 'fr':
      return `${day === 1 ? '1er' : day} ${monthName} ${year}`;
    case 'it':
      return `${day === 1 ? '1°' : day} ${monthName} ${year}`;
    case 'en':
      return `${day} ${monthName} ${year}`;
  }
}

const FOOTER_TOP_FROM_BOTTOM = 14 * MM;

const BODY_SIZE = 10.5;
const BODY = { lineGap: 3.5, paragraphGap: 0 } as const;
const PARAGRAPH_SPACING = 8;
const HANGING_INDENT = 18;
const GREY = '#444444';

/**
 * Renders an official letter as A4 PDF. Deterministic: the same content gives the same bytes,
 * because the only varying inputs pdfkit uses (creation date, file ID derived from the info
 * dictionary) are fixed from the content.
 */
export async function renderLetter(content: LetterContent): Promise<Buffer> {
  const labels = LABELS[content.language];
  const dateText = formatLetterDate(content.date, content.language);
  const issued = new Date(`${content.date}T12:00:00Z`);
  const { doc, done } = createPdf({
    size: 'A4',
    margins: { top: LETTER.marginTop, bottom: LETTER.marginBottom, left: LETTER.marginLeft, right: LETTER.marginRight },
    // The page counter needs the total, known only once all pages exist.
    bufferPages: true,
    lang: content.language,
    displayTitle: true,
    info: {
      Title: `${content.title} ${content.reference}`,
      Author: content.letterhead.officeName,
      Subject: content.subject,
      CreationDate: issued,
      ModDate: issued,
    },
  });

  const left = LETTER.marginLeft;
  const width = doc.page.width - LETTER.marginLeft - LETTER.marginRight;
  const bottom = (): number => doc.page.height - doc.page.margins.bottom;
  /** Starts a new page unless `height` points still fit, so blocks are not torn apart. */
  const keepTogether = (height: number): void => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const body = (font: 'Regular' | 'Bold' = 'Regular'): PDFKit.PDFDocument => doc.font(font).fontSize(BODY_SIZE).fillColor('#000000');
  const lineHeight = (): number => doc.currentLineHeight(true) + BODY.lineGap;

  // Letterhead: office on the left, contact details in a small right-hand column.
  const head = content.letterhead;
  doc.font('Bold').fontSize(13).fillColor('#000000').text(head.officeName, left, LETTER.letterheadTop, { width: LETTER.letterheadRightColumn - left - 6 * MM });
  if (head.unitName) doc.font('Regular').fontSize(10).text(head.unitName, { width: LETTER.letterheadRightColumn - left - 6 * MM });
  const contactLines = [
    ...head.addressLines,
    ...(head.phone ? [`${labels.phone} ${head.phone}`] : []),
    ...(head.email ? [head.email] : []),
    ...(head.website ? [head.website] : []),
  ];
  doc.font('Regular').fontSize(8.5).fillColor(GREY).text(contactLines.join('\n'), LETTER.letterheadRightColumn, LETTER.letterheadTop + 2, {
    width: doc.page.width - LETTER.marginRight - LETTER.letterheadRightColumn,
    lineGap: 1,
  });

  // Return address on one line at the top of the window, so the post can send undeliverable mail back.
  const returnAddress = [head.officeName, ...head.addressLines].join(', ');
  doc.font('Regular').fontSize(7).fillColor(GREY).text(returnAddress, left, LETTER.addressTop, { width: LETTER.addressWidth, height: 9, ellipsis: true });
  doc.moveTo(left, LETTER.addressTop + 10).lineTo(left + LETTER.addressWidth, LETTER.addressTop + 10).lineWidth(0.4).strokeColor(GREY).stroke();
  doc.font('Regular').fontSize(11).fillColor('#000000').text([content.addressee.name, ...content.addressee.addressLines].join('\n'), left, LETTER.addressTop + 16, {
    width: LETTER.addressWidth,
    lineGap: 1,
  });

  // Place and date, then reference and contact, below the address field.
  doc.y = Math.max(doc.y + 6 * MM, LETTER.addressFieldBottom);
  body().text(`${content.place}, ${dateText}`, left, doc.y, { width, align: 'right' });
  doc.moveDown(0.6);
  const referenceLine = [`${labels.reference}: ${content.reference}`, ...(content.caseworker ? [`${labels.contact}: ${content.caseworker}`] : [])].join('   ·   ');
  doc.font('Regular').fontSize(9).fillColor(GREY).text(referenceLine, left, doc.y, { width });
  doc.moveDown(1.6);

  doc.font('Bold').fontSize(17).fillColor('#000000').text(content.title, left, doc.y, { width });
  doc.moveDown(0.3);
  body('Bold').text(content.subject, left, doc.y, { width, ...BODY });
  doc.y += PARAGRAPH_SPACING * 1.5;

  /** A line-by-line list with a hanging indent, so wrapped lines align with the text, not the marker. */
  const hangingList = (markers: string[], items: string[]): void => {
    items.forEach((item, index) => {
      body();
      const itemHeight = doc.heightOfString(item, { width: width - HANGING_INDENT, ...BODY });
      // Keep the marker with at least two lines of its text (or the whole item when shorter).
      keepTogether(Math.min(itemHeight, 2 * lineHeight()));
      const y = doc.y;
      doc.text(markers[index] ?? '', left, y, { width: HANGING_INDENT, lineBreak: false });
      doc.text(item, left + HANGING_INDENT, y, { width: width - HANGING_INDENT, ...BODY });
      doc.y += PARAGRAPH_SPACING / 2;
    });
    doc.x = left;
  };

  for (const paragraph of content.paragraphs) {
    if (paragraph.startsWith('- ')) {
      const items = paragraph
        .split('\n')
        .map((line) => line.replace(/^-\s+/, '').trim())
        .filter((line) => line.length > 0);
      hangingList(items.map(() => '•'), items);
      doc.y += PARAGRAPH_SPACING / 2;
    } else {
      body();
      keepTogether(2 * lineHeight());
      doc.text(paragraph, left, doc.y, { width, ...BODY });
      doc.y += PARAGRAPH_SPACING;
    }
  }

  if (content.decision && content.decision.points.length > 0) {
    doc.y += PARAGRAPH_SPACING;
    body('Bold');
    keepTogether(3 * lineHeight());
    doc.text(content.decision.heading, left, doc.y, { width, ...BODY });
    doc.y += PARAGRAPH_SPACING / 2;
    hangingList(content.decision.points.map((_, index) => `${index + 1}.`), content.decision.points);
    doc.y += PARAGRAPH_SPACING;
  }

  if (content.appealNotice) {
    const padding = 10;
    const innerWidth = width - 2 * padding;
    const noticeText = { width: innerWidth, lineGap: 2.5 };
    doc.font('Bold').fontSize(10);
    const headingHeight = doc.heightOfString(content.appealNotice.heading, noticeText);
    doc.font('Regular').fontSize(9.5);
    const textHeight = doc.heightOfString(content.appealNotice.text, noticeText);
    const boxHeight = padding + headingHeight + 4 + textHeight + padding;
    doc.y += PARAGRAPH_SPACING;
    const fullPage = doc.page.height - doc.page.margins.top - doc.page.margins.bottom;
    // A frame cannot span a page break; a notice longer than a whole page is printed unframed.
    const framed = boxHeight <= fullPage;
    if (framed) keepTogether(boxHeight);
    else keepTogether(headingHeight + 3 * lineHeight());
    const top = doc.y;
    if (framed) doc.rect(left, top, width, boxHeight).lineWidth(0.8).strokeColor('#000000').stroke();
    doc.font('Bold').fontSize(10).fillColor('#000000').text(content.appealNotice.heading, left + padding, top + (framed ? padding : 0), noticeText);
    doc.y += 4;
    doc.font('Regular').fontSize(9.5).text(content.appealNotice.text, left + padding, doc.y, noticeText);
    doc.y = framed ? top + boxHeight : doc.y;
    doc.y += PARAGRAPH_SPACING;
  }

  // Closing and signature stay together: a page holding only a signature could be put behind any text.
  doc.y += PARAGRAPH_SPACING;
  body();
  keepTogether((1 + content.signature.names.length) * lineHeight() + PARAGRAPH_SPACING * 2);
  doc.text(content.signature.closing, left, doc.y, { width, ...BODY });
  doc.y += PARAGRAPH_SPACING * 2;
  content.signature.names.forEach((name) => doc.text(name, left, doc.y, { width, ...BODY }));

  // Footer on every page, written last because "page x / y" needs the page count.
  const { start, count } = doc.bufferedPageRange();
  const counterWidth = 35 * MM;
  for (let index = 0; index < count; index += 1) {
    doc.switchToPage(start + index);
    // Writing below the bottom margin would make pdfkit add a page; lift the margin meanwhile.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - FOOTER_TOP_FROM_BOTTOM;
    doc.font('Regular').fontSize(8).fillColor(GREY);
    if (content.footer) doc.text(content.footer, left, y, { width: width - counterWidth, height: 10, ellipsis: true });
    doc.text(`${labels.page} ${index + 1} / ${count}`, left + width - counterWidth, y, { width: counterWidth, align: 'right', lineBreak: false });
    doc.page.margins.bottom = savedBottom;
  }

  doc.end();
  return done;
}
