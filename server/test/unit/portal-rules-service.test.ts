import { describe, expect, it } from 'vitest';
import { expectedDecision, percentile, MIN_CASES_FOR_EXPECTATION } from '../../src/modules/reporting/index.js';
import { birthDateMatches, humanCode, normaliseHumanCode } from '../../src/modules/portal/rules.js';
import { checkAnswers, FormFileError, parseFormFile, relativeOf } from '../../src/modules/portal/application-rules.js';

describe('percentile (linear, as percentile_cont)', () => {
  it('interpolates between neighbours and handles the ends', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([10, 20, 30, 40], 0.75)).toBeCloseTo(32.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(percentile([3, 5], 0)).toBe(3);
    expect(percentile([3, 5], 1)).toBe(5);
  });
});

describe('expected decision', () => {
  const time = { cases: 40, medianDays: 21, p75Days: 30, p90Days: 44.2 };

  it('adds the median and the 90th percentile to the filing date, rounding up to whole days', () => {
    expect(expectedDecision('2026-11-01', time, '2026-11-05')).toEqual({ likelyBy: '2026-11-22', latestBy: '2026-12-16', basedOnCases: 40 });
  });

  it('never promises a date in the past: a late case is expected from today', () => {
    expect(expectedDecision('2026-09-01', time, '2026-11-05')).toEqual({ likelyBy: '2026-11-05', latestBy: '2026-11-05', basedOnCases: 40 });
  });

  it('says nothing on too few decided cases or none', () => {
    expect(expectedDecision('2026-11-01', { ...time, cases: MIN_CASES_FOR_EXPECTATION - 1 }, '2026-11-05')).toBeNull();
    expect(expectedDecision('2026-11-01', null, '2026-11-05')).toBeNull();
  });
});

describe('codes people type', () => {
  it('draws 12 characters of the unambiguous alphabet in groups of four', () => {
    let next = 0;
    const code = humanCode((below) => next++ % below);
    expect(code).toBe('ABCD-EFGH-JKMN');
    expect(humanCode(() => 29)).toBe('9999-9999-9999');
  });

  it('reads what a person typed: case, spaces and dashes do not matter; lookalikes and wrong lengths are refused', () => {
    expect(normaliseHumanCode(' abcd efgh-jkmn ')).toBe('ABCD-EFGH-JKMN');
    expect(normaliseHumanCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
    expect(normaliseHumanCode('ABCD-EFGH-JKM0')).toBeNull();
    expect(normaliseHumanCode('ABCD-EFGH-JKM')).toBeNull();
    expect(normaliseHumanCode('ABCD-EFGH-JKMNP')).toBeNull();
  });
});

describe('a form whose case is for a relative abroad', () => {
  const text = (value: string) => ({ de: value, fr: value, it: value, en: value });
  const choice = (id: string, values: string[]) => ({ id, type: 'choice' as const, label: text(id), required: true, options: values.map((value) => ({ value, label: text(value) })) });
  const form = (questions: object[]) => ({
    forms: [
      {
        slug: 'family',
        version: 1,
        caseType: 'family-reunification',
        names: text('Family'),
        summary: text('Family'),
        caseFor: { relative: { officialName: 'name', firstNames: 'first', dateOfBirth: 'born', nationality: 'country', sex: 'sex', kind: 'kind' } },
        steps: [{ id: 'who', title: text('Who'), kind: 'questions', questions }],
      },
    ],
  });
  const questions = [
    choice('kind', ['spouse', 'child']),
    { id: 'name', type: 'text', label: text('Name'), required: true },
    { id: 'first', type: 'text', label: text('First'), required: true },
    { id: 'born', type: 'date', label: text('Born'), required: true },
    choice('sex', ['f', 'm']),
    { id: 'country', type: 'country', label: text('Country'), required: true },
  ];

  it('reads the relative from the answers', () => {
    const [parsed] = parseFormFile(form(questions), 'test');
    expect(relativeOf(parsed!, { kind: 'child', name: ' Krasniqi ', first: 'Era', born: '2015-01-02', sex: 'f', country: 'XK' })).toEqual({ officialName: 'Krasniqi', firstNames: 'Era', dateOfBirth: '2015-01-02', nationality: 'XK', sex: 'f', kind: 'child' });
    expect(checkAnswers(parsed!, { country: 'Kosovo' }, false)).toEqual([{ field: 'answers.country', message: 'not-a-country' }]);
  });

  it('refuses a mapping to a missing, optional or ill-typed question, and choices the register does not know', () => {
    expect(() => parseFormFile(form(questions.filter((q) => (q as { id: string }).id !== 'born')), 'test')).toThrow(FormFileError);
    expect(() => parseFormFile(form(questions.map((q) => ((q as { id: string }).id === 'country' ? { ...q, type: 'text' } : q))), 'test')).toThrow(/nationality/);
    expect(() => parseFormFile(form(questions.map((q) => ((q as { id: string }).id === 'name' ? { ...q, required: false } : q))), 'test')).toThrow(/officialName/);
    expect(() => parseFormFile(form([choice('kind', ['spouse', 'cousin']), ...questions.slice(1)]), 'test')).toThrow(/may only offer/);
  });
});

describe('the date of birth that confirms a link code', () => {
  it('must agree with the register in every part the register knows', () => {
    expect(birthDateMatches('1990-03-15', '1990-03-15')).toBe(true);
    expect(birthDateMatches('1990-03-15', '1990-03-16')).toBe(false);
    expect(birthDateMatches('1980-05-00', '1980-05-23')).toBe(true);
    expect(birthDateMatches('1980-05-00', '1980-06-23')).toBe(false);
    expect(birthDateMatches('1980-00-00', '1980-12-01')).toBe(true);
    expect(birthDateMatches('1980-00-00', '1981-12-01')).toBe(false);
  });
});
