import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

// PDF's built-in Helvetica knows only Western European letters; names such as Kovačević or
// Nguyễn need an embedded Unicode font. Noto Sans (SIL Open Font License) covers Latin, Cyrillic,
// Greek and Vietnamese.
const resolveFont = createRequire(import.meta.url);
const FONT_REGULAR = resolveFont.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf');
const FONT_BOLD = resolveFont.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf');

/**
 * A PDF document with the fonts 'Regular' and 'Bold' registered, and the bytes it will produce
 * once `doc.end()` is called. Fixed info dates in `options` keep the output deterministic.
 */
export function createPdf(options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument(options);
  doc.registerFont('Regular', FONT_REGULAR);
  doc.registerFont('Bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

/** Points per millimetre. */
export const MM = 72 / 25.4;

/**
 * The office's letter layout (DIN 5008 form B): margins, and the address field 45 mm from the top
 * and 20 mm from the left edge, so that it shows in a C5/C6 window envelope. Letters and invoices
 * share it.
 */
export const LETTER = {
  marginLeft: 25 * MM,
  marginRight: 20 * MM,
  marginTop: 20 * MM,
  marginBottom: 25 * MM,
  addressTop: 45 * MM,
  addressWidth: 75 * MM,
  addressFieldBottom: 90 * MM,
  letterheadTop: 15 * MM,
  letterheadRightColumn: 125 * MM,
} as const;
