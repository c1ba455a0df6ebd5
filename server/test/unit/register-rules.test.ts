import { describe, expect, it } from 'vitest';
import { registrationDeadline } from '../../src/modules/register/rules/deadlines.js';
import { planChange, versionOn, HistoryError, type VersionRow } from '../../src/modules/register/rules/history.js';
import { parseSearchQuery, isEmptyQuery } from '../../src/modules/register/rules/search-query.js';

describe('registration deadlines (NG §§ 3, 5, 7, 8)', () => {
  it.each([
    ['settled', '2026-01-20', 'deposit-papers', '2026-02-03'],
    ['stay', '2026-12-25', 'register-stay', '2027-01-08'],
    ['guest', '2026-12-31', 'guest-exemption-ends', '2027-02-28'],
    ['private-lodging', '2026-02-25', 'report-private-lodging', '2026-03-07'],
    ['weekly-commuter', '2026-01-31', 'proof-of-residence', '2026-02-28'],
    ['self-employed', '2024-01-31', 'proof-of-residence', '2024-02-29'],
  ] as const)('%s arriving %s → %s due %s', (type, arrival, kind, due) => {
    expect(registrationDeadline(type, arrival)).toMatchObject({ kind, dueDate: due });
  });
});

describe('valid-time history', () => {
  const rows: VersionRow<{ name: string; call: string | null }>[] = [
    { id: 'a', validFrom: '1990-01-01', validTo: '2020-01-01', data: { name: 'Gonçalves', call: null } },
    { id: 'b', validFrom: '2020-01-01', validTo: null, data: { name: 'Gonçalves', call: 'Ana' } },
  ];
  const rename = { name: 'Meier' };

  it('finds the version valid on a date', () => {
    expect(versionOn(rows, '2019-12-31')?.id).toBe('a');
    expect(versionOn(rows, '2020-01-01')?.id).toBe('b');
    expect(versionOn(rows, '1989-12-31')).toBeNull();
  });

  it('cuts the version valid on the change date and carries the change into later versions', () => {
    const plan = planChange(rows, '2015-06-01', rename, false);
    expect(plan.supersede).toEqual(['a', 'b']);
    expect(plan.insert).toEqual([
      { validFrom: '1990-01-01', validTo: '2015-06-01', data: { name: 'Gonçalves', call: null }, reason: 'change' },
      { validFrom: '2015-06-01', validTo: '2020-01-01', data: { name: 'Meier', call: null }, reason: 'change' },
      { validFrom: '2020-01-01', validTo: null, data: { name: 'Meier', call: 'Ana' }, reason: 'change' },
    ]);
  });

  it('replaces a version whose start is the change date without a zero-length piece', () => {
    const plan = planChange(rows, '2020-01-01', rename, false);
    expect(plan.supersede).toEqual(['b']);
    expect(plan.insert).toEqual([{ validFrom: '2020-01-01', validTo: null, data: { name: 'Meier', call: 'Ana' }, reason: 'change' }]);
  });

  it('corrects the version valid on the date for its whole period, and later ones that carried the error', () => {
    const plan = planChange(rows, '2000-05-05', rename, true);
    expect(plan).toEqual({
      supersede: ['a', 'b'],
      insert: [
        { validFrom: '1990-01-01', validTo: '2020-01-01', data: { name: 'Meier', call: null }, reason: 'correction' },
        { validFrom: '2020-01-01', validTo: null, data: { name: 'Meier', call: 'Ana' }, reason: 'correction' },
      ],
    });
    const changedLater: VersionRow<{ name: string; call: string | null }>[] = [rows[0]!, { ...rows[1]!, data: { name: 'Other', call: 'Ana' } }];
    expect(planChange(changedLater, '2000-05-05', rename, true).supersede).toEqual(['a']);
  });

  it('refuses a change before the first version', () => {
    expect(() => planChange(rows, '1980-01-01', rename, false)).toThrow(HistoryError);
  });
});

describe('search query parsing', () => {
  it('splits names, dates, years, AHVN13 and document numbers', () => {
    expect(parseSearchQuery('Müller 12.3.1985')).toEqual({ nameTokens: ['Müller'], dateOfBirth: '1985-03-12', birthYear: null, ahvn13: null, documentNumbers: [] });
    expect(parseSearchQuery('756.9217.0769.85')).toMatchObject({ ahvn13: '7569217076985', nameTokens: [] });
    expect(parseSearchQuery('kovacevic 1985 X1234567')).toMatchObject({ nameTokens: ['kovacevic'], birthYear: '1985', documentNumbers: ['X1234567'] });
    expect(parseSearchQuery('1985-02-30 Ana')).toMatchObject({ dateOfBirth: '1985-02-30', nameTokens: ['Ana'] });
    expect(parseSearchQuery('31.13.1985').dateOfBirth).toBeNull();
  });

  it('treats a query without anything searchable as empty', () => {
    expect(isEmptyQuery(parseSearchQuery('  '))).toBe(true);
    expect(isEmptyQuery(parseSearchQuery('!!'))).toBe(true);
    expect(isEmptyQuery(parseSearchQuery('Al'))).toBe(false);
  });
});
