import { describe, expect, it } from 'vitest';
import { expectedDecision, percentile, MIN_CASES_FOR_EXPECTATION } from '../../src/modules/reporting/index.js';
import { humanCode, normaliseHumanCode } from '../../src/modules/portal/rules.js';

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
