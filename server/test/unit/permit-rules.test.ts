import { describe, expect, it } from 'vitest';
import { defaultValidity, exceedsMaximum, expiryNoticeDate, lastDayOf, lStayStart, nationalityGroup, overlaps, twelveMonthsReachedOn } from '../../src/modules/permits/rules/validity.js';
import { immigrationGroup } from '../../src/modules/permits/rules/admission.js';
import { layOutForeignPopulation, layOutImmigration } from '../../src/modules/reporting/rules/key-figures.js';

describe('permit validity', () => {
  const B = { euEftaMonths: 60, otherMonths: 12 };
  it('gives B five years to EU/EFTA nationals and one year to others', () => {
    expect(defaultValidity(B, 'PT', '2022-03-15')).toEqual({ validUntil: '2027-03-14', controlDate: null });
    expect(defaultValidity(B, 'NO', '2022-03-15').validUntil).toBe('2027-03-14');
    expect(defaultValidity(B, 'XK', '2022-03-15')).toEqual({ validUntil: '2023-03-14', controlDate: null });
    expect(nationalityGroup('ch')).toBe('other');
  });
  it('gives C no end but a card control date', () => {
    expect(defaultValidity({ unlimited: true, controlMonths: 60 }, 'DE', '2020-02-29')).toEqual({ validUntil: null, controlDate: '2025-02-28' });
  });
  it('limits L to twelve months', () => {
    const L = { euEftaMonths: 12, otherMonths: 12, maxMonths: 12 };
    expect(exceedsMaximum(L, '2022-01-01', '2022-12-31')).toBe(false);
    expect(exceedsMaximum(L, '2022-01-01', '2023-01-01')).toBe(true);
    expect(exceedsMaximum(L, '2022-01-01', null)).toBe(true);
    expect(exceedsMaximum(B, '2022-01-01', null)).toBe(false);
  });
  it('sends the expiry notice two months ahead', () => {
    expect(expiryNoticeDate('2026-04-30')).toBe('2026-02-28');
  });
});

describe('periods and the L stay', () => {
  it('knows the last day in force', () => {
    expect(lastDayOf({ validUntil: '2022-12-31', endedOn: null })).toBe('2022-12-31');
    expect(lastDayOf({ validUntil: '2022-12-31', endedOn: '2022-07-01' })).toBe('2022-06-30');
    expect(lastDayOf({ validUntil: null, endedOn: null })).toBeNull();
  });
  it('detects overlaps, touching periods do not overlap', () => {
    expect(overlaps({ validFrom: '2022-01-01', lastDay: '2022-06-30' }, { validFrom: '2022-07-01', lastDay: null })).toBe(false);
    expect(overlaps({ validFrom: '2022-01-01', lastDay: '2022-07-01' }, { validFrom: '2022-07-01', lastDay: null })).toBe(true);
    expect(overlaps({ validFrom: '2022-01-01', lastDay: null }, { validFrom: '2030-01-01', lastDay: '2030-02-01' })).toBe(true);
  });
  it('carries the L stay over consecutive permits and restarts it after a gap', () => {
    const first = { validFrom: '2021-03-01', lastDay: '2021-12-31', lStayStart: '2021-03-01' };
    expect(lStayStart([first], '2022-01-01')).toBe('2021-03-01');
    expect(lStayStart([first], '2022-01-03')).toBe('2022-01-03');
    expect(lStayStart([], '2022-05-05')).toBe('2022-05-05');
    expect(twelveMonthsReachedOn('2021-03-01')).toBe('2022-03-01');
  });
});

describe('immigration in the key figures', () => {
  it('counts the first permanent permit, also after L, N or F, but not B → C', () => {
    expect(immigrationGroup('permanent', 'eu-efta-employment', [], '2021-12-31')).toBe('permanent');
    expect(immigrationGroup('permanent', 'hardship', [{ statisticsGroup: 'asylum', lastDay: '2022-04-30' }], '2022-04-30')).toBe('permanent');
    expect(immigrationGroup('permanent', 'other', [{ statisticsGroup: 'permanent', lastDay: '2022-04-30' }], '2022-04-30')).toBeNull();
  });
  it('counts an L that starts a stay, not one that continues it', () => {
    expect(immigrationGroup('non-permanent', 'eu-efta-employment', [], '2022-01-01')).toBe('non-permanent');
    expect(immigrationGroup('non-permanent', 'eu-efta-employment', [{ statisticsGroup: 'non-permanent', lastDay: '2022-01-01' }], '2022-01-01')).toBeNull();
  });
  it('counts asylum applications only', () => {
    expect(immigrationGroup('asylum', 'asylum-secondary', [], '2022-01-01')).toBe('asylum');
    expect(immigrationGroup('asylum', 'provisional-admission', [], '2022-01-01')).toBeNull();
  });
});

describe('key figure tables', () => {
  it('lays out the stock like the published table', () => {
    const figures = layOutForeignPopulation('2022-12-31', [
      { category: 'C', longStay: false, persons: 5 },
      { category: 'B', longStay: false, persons: 3 },
      { category: 'L', longStay: true, persons: 2 },
      { category: 'L', longStay: false, persons: 7 },
      { category: 'F', longStay: false, persons: 4 },
      { category: 'S', longStay: false, persons: 1 },
    ]);
    expect(figures).toEqual({ date: '2022-12-31', permanent: { total: 10, C: 5, B: 3, L_over_12_months: 2 }, nonPermanent: { total: 7, L_up_to_12_months: 7 }, asylum: { total: 4, N: 0, F: 4 }, other: { S: 1, G: 0, Ci: 0 } });
  });
  it('maps reasons onto the immigration table, unknown reasons to "other"', () => {
    const figures = layOutImmigration('2022-01-01', '2022-12-31', [
      { group: 'permanent', reason: 'student', persons: 4 },
      { group: 'permanent', reason: 'protection', persons: 1 },
      { group: 'non-permanent', reason: 'quota-employment-non-eu', persons: 2 },
      { group: 'non-permanent', reason: 'family-eu-efta', persons: 3 },
      { group: 'asylum', reason: 'asylum-secondary', persons: 6 },
    ]);
    expect(figures.permanent).toMatchObject({ total: 5, students: 4, other: 1 });
    expect(figures.nonPermanent).toEqual({ total: 5, L_EU_EFTA_employment: 0, L_quota_non_EU: 2, other: 3 });
    expect(figures.asylum).toEqual({ total: 6, primary_applications: 0, secondary_applications: 6 });
  });
});
