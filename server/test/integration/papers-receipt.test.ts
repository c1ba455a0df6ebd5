import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPapersReceipt, swissDate } from '../../src/modules/register/papers-receipt.js';

const receipt = {
  officeName: 'Amt für Migration Luzern',
  municipalityName: 'Kriens',
  receiptNumber: 42,
  dateOfIssue: '2026-02-03',
  officialName: 'Kovačević-Nguyễn',
  firstNames: 'Đorđe Lan',
  dateOfBirth: '1980-00-00',
  civilStatus: 'married',
  placeOfOrigin: '— (Staatsangehörigkeit RS)',
  address: 'Schachenstrasse 7, 6010 Kriens',
  papers: [
    { designation: 'Pasoš Srbija Nr. 012345678', validUntil: '2030-12-31' },
    { designation: 'Familienausweis', validUntil: null },
  ],
  feeChf: '45.00',
};

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-pdf-'));
  try {
    writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('papers receipt PDF (NG § 10)', () => {
  it('holds exactly the § 10 fields, with names in any Latin script', async () => {
    const text = pdfText(await renderPapersReceipt(receipt));
    for (const expected of [
      'Schriftenempfangsschein',
      'Nr. 42',
      'Tag der Ausstellung 03.02.2026',
      'Name und Vorname Kovačević-Nguyễn Đorđe Lan',
      'Geburtsdatum 1980',
      'Familienstand verheiratet',
      'Heimatort — (Staatsangehörigkeit RS)',
      'Genaue Wohnortsangabe Schachenstrasse 7, 6010 Kriens',
      'Pasoš Srbija Nr. 012345678, gültig bis 31.12.2030',
      'Familienausweis, ohne Ablaufdatum',
      'Erhobene Gebühr CHF 45.00',
    ]) {
      expect(text.replace(/\s+/g, ' ')).toContain(expected);
    }
  });

  it('is deterministic: the same receipt gives the same bytes', async () => {
    const first = await renderPapersReceipt(receipt);
    const second = await renderPapersReceipt(receipt);
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');
    expect(second.equals(first)).toBe(true);
  });

  it('writes partly unknown dates the Swiss way', () => {
    expect(swissDate('2026-02-03')).toBe('03.02.2026');
    expect(swissDate('1980-05-00')).toBe('05.1980');
    expect(swissDate('1980-00-00')).toBe('1980');
  });
});
