import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLetterDate, renderLetter, type LetterContent } from '../../src/modules/documents/letters/render.js';

const PDFTOTEXT = '/usr/bin/pdftotext';

/** Text of the PDF with whitespace collapsed, so layout line breaks do not matter. */
function pdfText(pdf: Buffer): string {
  // Fail, not skip: without poppler-utils these checks would silently prove nothing.
  if (!existsSync(PDFTOTEXT)) throw new Error(`${PDFTOTEXT} is missing; install poppler-utils to run the letter tests`);
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-letter-'));
  try {
    writeFileSync(path.join(dir, 'letter.pdf'), pdf);
    return execFileSync(PDFTOTEXT, ['-layout', path.join(dir, 'letter.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const verfuegung: LetterContent = {
  language: 'de',
  letterhead: {
    officeName: 'Amt für Migration',
    unitName: 'Abteilung Aufenthalt',
    addressLines: ['Fruttstrasse 15', '6002 Luzern'],
    phone: '041 228 77 80',
    email: 'migration@lu.ch',
    website: 'migration.lu.ch',
  },
  addressee: { name: 'Dragana Kovačević-Nguyễn', addressLines: ['Schachenstrasse 7', '6010 Kriens'] },
  place: 'Luzern',
  date: '2026-11-22',
  reference: '2026-000123',
  caseworker: 'Anna Muster',
  title: 'Verfügung',
  subject: 'Verlängerung der Aufenthaltsbewilligung B',
  paragraphs: [
    'Sie haben am 3. Oktober 2026 die Verlängerung Ihrer Aufenthaltsbewilligung beantragt. Die Voraussetzungen sind erfüllt.',
    '- gültiger Reisepass\n- Arbeitsvertrag\n- Mietvertrag',
  ],
  decision: {
    heading: 'Das Amt für Migration verfügt:',
    points: [
      'Die Aufenthaltsbewilligung B von Dragana Kovačević-Nguyễn wird bis zum 21. November 2027 verlängert.',
      'Die Gebühr beträgt CHF 95.00.',
      'Einer allfälligen Beschwerde wird die aufschiebende Wirkung entzogen.',
    ],
  },
  appealNotice: {
    heading: 'Rechtsmittelbelehrung',
    text: 'Gegen diesen Entscheid kann innert 30 Tagen seit Zustellung beim Justiz- und Sicherheitsdepartement des Kantons Luzern Verwaltungsbeschwerde erhoben werden.',
  },
  signature: { closing: 'Freundliche Grüsse', names: ['Amt für Migration', 'Anna Muster'] },
  footer: 'Referenz 2026-000123',
};

describe('official letter PDF', () => {
  it('prints a German decision with addressee, reference, date, operative part and appeal notice', async () => {
    const pdf = await renderLetter(verfuegung);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const expected of [
      'Dragana Kovačević-Nguyễn',
      '2026-000123',
      'Luzern, 22. November 2026',
      'Verfügung',
      'Verlängerung der Aufenthaltsbewilligung B',
      '• Arbeitsvertrag',
      'Rechtsmittelbelehrung',
      'Freundliche Grüsse',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/Seite 1 \/ \d/);
    const points = ['1. Die Aufenthaltsbewilligung B', '2. Die Gebühr beträgt CHF 95.00.', '3. Einer allfälligen Beschwerde'];
    const positions = points.map((point) => text.indexOf(point));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // The appeal notice follows the operative part, the signature follows the notice.
    expect(text.indexOf('Rechtsmittelbelehrung')).toBeGreaterThan(positions[2] ?? Infinity);
    expect(text.indexOf('Freundliche Grüsse')).toBeGreaterThan(text.indexOf('Rechtsmittelbelehrung'));
  });

  it('flows a long French letter onto further pages with a localised page counter', async () => {
    const pdf = await renderLetter({
      ...verfuegung,
      language: 'fr',
      addressee: { name: 'Ingrid Ølstad', addressLines: ['Rue de Lausanne 1', '1700 Fribourg'] },
      title: 'Demande de documents',
      subject: 'Documents manquants',
      paragraphs: Array.from({ length: 60 }, (_, index) => `Paragraphe ${index + 1} : nous vous prions de nous faire parvenir les documents manquants dans les meilleurs délais.`),
      decision: null,
      appealNotice: null,
      signature: { closing: 'Meilleures salutations', names: ['Office des migrations'] },
      footer: null,
    });
    const text = pdfText(pdf);
    expect(text).toContain('Ingrid Ølstad');
    expect(text).toContain('22 novembre 2026');
    expect(text).toMatch(/page 1 \/ [2-9]/);
    expect(text).toMatch(/page 2 \/ [2-9]/);
    expect(text).toContain('Paragraphe 60');
    expect(text).not.toContain('Seite');
  });

  it('is deterministic: the same content gives the same bytes', async () => {
    const first = await renderLetter(verfuegung);
    const second = await renderLetter(verfuegung);
    expect(second.equals(first)).toBe(true);
  });

  it('writes dates in the letter’s language and rejects impossible ones', () => {
    expect(formatLetterDate('2026-11-22', 'de')).toBe('22. November 2026');
    expect(formatLetterDate('2026-03-01', 'fr')).toBe('1er mars 2026');
    expect(formatLetterDate('2026-08-05', 'it')).toBe('5 agosto 2026');
    expect(formatLetterDate('2026-11-22', 'en')).toBe('22 November 2026');
    expect(() => formatLetterDate('2026-02-30', 'de')).toThrow(RangeError);
    expect(() => formatLetterDate('22.11.2026', 'de')).toThrow(RangeError);
  });
});
