import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../../src/platform/errors.js';
import {
  csvField,
  csvRecord,
  decodeAuditCursor,
  describeFilter,
  encodeAuditCursor,
  escapeLike,
  parseAction,
  parseActor,
  parseAuditFilter,
  parseInstant,
} from '../../src/modules/access/audit-viewer.js';
import { parseCsv } from '../support/csv.js';

function statusOf(work: () => unknown): number | null {
  try {
    work();
    return null;
  } catch (error) {
    return error instanceof AppError ? error.status : -1;
  }
}

describe('CSV fields (RFC 4180)', () => {
  it('quotes only where needed and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
    expect(csvField('Müller, Zoë – 北京')).toBe('"Müller, Zoë – 北京"');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+41')).toBe("'+41");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-1)).toBe('-1');
  });

  it('reads back as the same fields, whatever the text', () => {
    const safe = fc.string({ unit: 'binary' }).filter((text) => !/^[=+\-@\t\r]/.test(text));
    fc.assert(
      fc.property(fc.array(fc.array(safe, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = rows.map((row) => csvRecord(row)).join('');
        // A record of one empty field is an empty line; the reader sees one empty field too.
        expect(parseCsv(text)).toEqual(rows);
      }),
      { seed: 4180, numRuns: 300 },
    );
  });
});

describe('audit cursor', () => {
  it('round-trips', () => {
    const cursor = { at: '2024-05-01T12:34:56.123456Z', id: 987654 };
    expect(decodeAuditCursor(encodeAuditCursor(cursor))).toEqual(cursor);
  });

  it('refuses anything this server did not hand out with 400', () => {
    const bad = [
      '',
      'not-base64!!',
      Buffer.from('null').toString('base64url'),
      Buffer.from('[]').toString('base64url'),
      Buffer.from('{"t":"2024-05-01T12:34:56.123456Z"}').toString('base64url'),
      Buffer.from('{"t":"2024-05-01T12:34:56Z","i":1}').toString('base64url'),
      Buffer.from('{"t":"2024-13-01T12:34:56.123456Z","i":1}').toString('base64url'),
      Buffer.from('{"t":"0000-01-01T00:00:00.000000Z","i":1}').toString('base64url'),
      Buffer.from('{"t":"2024-05-01T12:34:56.123456Z","i":0}').toString('base64url'),
      Buffer.from('{"t":"2024-05-01T12:34:56.123456Z","i":1.5}').toString('base64url'),
      Buffer.from('{"t":"2024-05-01T12:34:56.123456Z","i":"1"}').toString('base64url'),
      Buffer.from('{"t":"2024-05-01T12:34:56.123456Z","i":1e300}').toString('base64url'),
    ];
    for (const value of bad) expect(statusOf(() => decodeAuditCursor(value)), value).toBe(400);
  });

  it('never throws anything but a 400 problem on random input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((json) => Buffer.from(json).toString('base64url'))), (value) => {
        const status = statusOf(() => decodeAuditCursor(value));
        expect(status === null || status === 400).toBe(true);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('audit filters', () => {
  it('tells an action from a prefix', () => {
    expect(parseAction('person.read')).toEqual({ kind: 'exact', value: 'person.read' });
    expect(parseAction('person.')).toEqual({ kind: 'prefix', value: 'person.' });
    expect(parseAction('person*')).toEqual({ kind: 'prefix', value: 'person' });
  });

  it('tells an actor id from a name', () => {
    expect(parseActor('5B0E5C4E-9D3A-4F7B-8A51-3C2D1E0F9A8B')).toEqual({ kind: 'id', id: '5b0e5c4e-9d3a-4f7b-8a51-3c2d1e0f9a8b' });
    expect(parseActor(' token:Partner ')).toEqual({ kind: 'name', name: 'token:Partner' });
  });

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('a_b%c\\d')).toBe('a\\_b\\%c\\\\d');
  });

  it('normalises instants to UTC and refuses what the database cannot hold', () => {
    expect(parseInstant('2024-05-01T12:00:00+02:00')).toBe('2024-05-01T10:00:00.000Z');
    expect(parseInstant('2024-05-01T12:00Z')).toBe('2024-05-01T12:00:00.000Z');
    expect(parseInstant('2024-05-01')).toBeNull();
    expect(parseInstant('0000-01-01T00:00:00Z')).toBeNull();
    expect(parseInstant('2024-02-31T00:00:00Z')).not.toBeNull(); // JavaScript rolls it into March; harmless for a filter
    expect(parseInstant('yesterday')).toBeNull();
    expect(parseInstant('2024-05-01T25:00:00Z')).toBeNull();
  });

  it('parses a full filter and refuses a reversed range', () => {
    expect(parseAuditFilter({ person: '5B0E5C4E-9D3A-4F7B-8A51-3C2D1E0F9A8B', user: 'jane', action: 'case.', from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' })).toEqual({
      personId: '5b0e5c4e-9d3a-4f7b-8a51-3c2d1e0f9a8b',
      actor: { kind: 'name', name: 'jane' },
      action: { kind: 'prefix', value: 'case.' },
      from: '2024-01-01T00:00:00.000Z',
      to: '2024-02-01T00:00:00.000Z',
    });
    expect(parseAuditFilter({ action: '*' }).action).toBeNull();
    expect(statusOf(() => parseAuditFilter({ from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }))).toBe(400);
    expect(statusOf(() => parseAuditFilter({ from: 'soon' }))).toBe(400);
    expect(statusOf(() => parseAuditFilter({ person: 'not-a-uuid' }))).toBe(400);
  });

  it('records only the filters that were set', () => {
    expect(describeFilter({ user: 'jane', action: '', from: undefined })).toEqual({ user: 'jane' });
  });
});
