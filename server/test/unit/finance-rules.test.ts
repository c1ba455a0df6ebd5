import fc from 'fast-check';
import { isQRReferenceValid, isSCORReferenceValid } from 'swissqrbill/utils';
import { describe, expect, it } from 'vitest';
import { readShippedCaseTypes } from '../../src/modules/cases/case-type-files.js';
import { feeScheduleOf } from '../../src/modules/finance/fee-schedule.js';
import { AGE_BANDS, ageBand, receivableAges, type AgeBand, type Receivable } from '../../src/modules/finance/rules/account.js';
import { assessDeposit, DEPOSIT_FAMILY_MINOR, DEPOSIT_SINGLE_MINOR, instalmentPlan, mayDecideWaiver, settleDeposit, type DepositFacts } from '../../src/modules/finance/rules/deposit.js';
import { adjustFee, FeeAdjustmentError, feeForStep, FeeScheduleError, parseFeeSchedule, versionOn, type AdjustmentProblem, type FeeSchedule } from '../../src/modules/finance/rules/fees.js';
import { FINE_MAXIMUM_MINOR, fineProblem, type ReminderFact } from '../../src/modules/finance/rules/fines.js';
import { matchCredit, type Credit, type InvoiceBalance } from '../../src/modules/finance/rules/matching.js';
import { AmountError, formatMinor, MAX_AMOUNT_MINOR, parseAmount, type AmountProblem } from '../../src/modules/finance/rules/money.js';
import { creditorReference, isValidReference, normaliseReference, qrReference } from '../../src/modules/finance/rules/references.js';

// --- helpers -------------------------------------------------------------------------------------

/** The problem parseAmount reports, or null when it accepts the input. */
function amountProblem(input: string | number, options: { allowZero?: boolean } = {}): AmountProblem | null {
  try {
    parseAmount(input, options);
    return null;
  } catch (error) {
    if (error instanceof AmountError) return error.problem;
    throw error;
  }
}

function adjustmentProblem(run: () => unknown): AdjustmentProblem | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof FeeAdjustmentError) return error.problem;
    throw error;
  }
}

/** The problems parseFeeSchedule reports (empty when it accepts the file). */
function scheduleProblems(json: unknown): string[] {
  try {
    parseFeeSchedule(json, 'test.json');
    return [];
  } catch (error) {
    if (error instanceof FeeScheduleError) return error.problems;
    throw error;
  }
}

/** A calendar date n days after an ISO date, computed in UTC without date-fns. */
function plusDays(iso: string, days: number): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Swiss QR reference check digit (recursive mod 10, SIX IG QR-bill), written out independently. */
function qrCheckDigit(digits: string): number {
  const table = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
  let carry = 0;
  for (const digit of digits) carry = table[(carry + Number(digit)) % 10] ?? Number.NaN;
  return (10 - carry) % 10;
}

/** ISO 11649: the first four characters moved to the end, letters as 10..35, mod 97 must be 1. */
function iso11649Holds(reference: string): boolean {
  const moved = `${reference.slice(4)}${reference.slice(0, 4)}`;
  const numeric = [...moved].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  return BigInt(numeric) % 97n === 1n;
}

const NAMES = { de: 'Gebühr', fr: 'Émolument', it: 'Emolumento', en: 'Fee' };

function item(code: string, amount: string, federalMaximum?: string): Record<string, unknown> {
  return { code, names: NAMES, legalBasis: `Basis of ${code}`, amount, ...(federalMaximum === undefined ? {} : { federalMaximum }) };
}

function version(validFrom: string, items: Record<string, unknown>[], charges: { caseType: string; transition: string; items: string[] }[]): Record<string, unknown> {
  return { validFrom, source: `Tariff of ${validFrom}`, items, charges };
}

/** A two-version schedule: the permit fee goes from 80.00 to 95.00 on 2025-07-01. */
function twoVersions(): Record<string, unknown> & { versions: Record<string, unknown>[] } {
  return {
    country: 'CH',
    currency: 'CHF',
    versions: [
      version('2024-01-01', [item('permit', '80.00', '95.00'), item('card', '20.00', '22.00')], [{ caseType: 'first-permit-quota', transition: 'grant', items: ['permit', 'card'] }]),
      version('2025-07-01', [item('permit', '95.00', '95.00'), item('card', '22.00', '22.00')], [{ caseType: 'first-permit-quota', transition: 'grant', items: ['permit', 'card'] }]),
    ],
  };
}

const ch = feeScheduleOf('CH');
const de = feeScheduleOf('DE');

// --- money ---------------------------------------------------------------------------------------

describe('amounts in minor units', () => {
  it('reads whole francs, one and two decimals exactly', () => {
    expect(parseAmount('95')).toBe(9500);
    expect(parseAmount('95.5')).toBe(9550);
    expect(parseAmount('95.50')).toBe(9550);
    expect(parseAmount('0.29')).toBe(29);
    expect(parseAmount('0.01')).toBe(1);
    expect(parseAmount('1234567.1')).toBe(123_456_710);
    expect(parseAmount(' 95.5 ')).toBe(9550);
  });

  it('reads JSON numbers without floating-point drift', () => {
    expect(parseAmount(95)).toBe(9500);
    expect(parseAmount(95.5)).toBe(9550);
    expect(parseAmount(0.29)).toBe(29);
    expect(parseAmount(1234567.1)).toBe(123_456_710);
    expect(parseAmount(1.15)).toBe(115);
  });

  it('refuses more than two decimals', () => {
    expect(amountProblem(95.005)).toBe('too-many-decimals');
    expect(amountProblem('12.345')).toBe('too-many-decimals');
    expect(amountProblem('12.340')).toBe('too-many-decimals');
    expect(amountProblem(1e-7)).toBe('too-many-decimals');
  });

  it('refuses a positive JSON number too small to show in two decimals, also where zero is allowed', () => {
    // 1e-21 is not zero; it has more than two decimals. numberText's toFixed(20) rounds it to '0'.
    expect(amountProblem(1e-21, { allowZero: true })).toBe('too-many-decimals');
  });

  it('refuses negative amounts, zero unless allowed', () => {
    expect(amountProblem('-5')).toBe('negative');
    expect(amountProblem(-5)).toBe('negative');
    expect(amountProblem('-0.01')).toBe('negative');
    expect(amountProblem('0')).toBe('zero');
    expect(amountProblem('0.00')).toBe('zero');
    expect(amountProblem(0)).toBe('zero');
    expect(parseAmount('0', { allowZero: true })).toBe(0);
    expect(parseAmount('0.00', { allowZero: true })).toBe(0);
    expect(parseAmount(0, { allowZero: true })).toBe(0);
    expect(amountProblem('-5', { allowZero: true })).toBe('negative');
  });

  it('refuses what is not a number', () => {
    for (const input of ['abc', '1e3', '', '   ', '95.', '.5', '+5', '9 5', '1.2.3', 'CHF 95', '95.-']) expect(amountProblem(input), input).toBe('not-a-number');
    expect(amountProblem(Number.NaN)).toBe('not-a-number');
    expect(amountProblem(Number.POSITIVE_INFINITY)).toBe('not-a-number');
  });

  it('refuses amounts above CHF 10 million, the maximum itself is accepted', () => {
    expect(MAX_AMOUNT_MINOR).toBe(1_000_000_000);
    expect(parseAmount('10000000')).toBe(MAX_AMOUNT_MINOR);
    expect(parseAmount('10000000.00')).toBe(MAX_AMOUNT_MINOR);
    expect(amountProblem('10000000.01')).toBe('too-large');
    expect(amountProblem('99999999999999999999999')).toBe('too-large');
    expect(amountProblem(10_000_000.01)).toBe('too-large');
    expect(amountProblem(1e20)).toBe('too-large');
  });

  it('calls a JSON number in exponent form above the limit too large (1e21, the case numberText exists for)', () => {
    expect(amountProblem(1e21)).toBe('too-large');
  });

  it('formats minor units with two decimals, negatives with a leading minus', () => {
    expect(formatMinor(9550)).toBe('95.50');
    expect(formatMinor(9500)).toBe('95.00');
    expect(formatMinor(5)).toBe('0.05');
    expect(formatMinor(0)).toBe('0.00');
    expect(formatMinor(123_456_710)).toBe('1234567.10');
    expect(formatMinor(-1)).toBe('-0.01');
    expect(formatMinor(-9550)).toBe('-95.50');
    expect(formatMinor(-100)).toBe('-1.00');
  });

  it('reads back every amount it formats (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_AMOUNT_MINOR }), (minor) => {
        expect(parseAmount(formatMinor(minor), { allowZero: true })).toBe(minor);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_AMOUNT_MINOR }), (minor) => {
        expect(formatMinor(-minor)).toBe(`-${formatMinor(minor)}`);
        expect(amountProblem(formatMinor(-minor))).toBe('negative');
      }),
    );
  });
});

// --- references ----------------------------------------------------------------------------------

describe('payment references', () => {
  it('makes a 27-digit QR reference with a valid check digit', () => {
    const reference = qrReference(2026, 123);
    expect(reference).toMatch(/^\d{27}$/);
    expect(isQRReferenceValid(reference)).toBe(true);
    expect(Number(reference.slice(26))).toBe(qrCheckDigit(reference.slice(0, 26)));
    expect(reference.slice(0, 26)).toContain('20260000000123');
  });

  it('makes an RF creditor reference valid under ISO 11649 and at most 25 characters', () => {
    const reference = creditorReference(2026, 123);
    expect(reference.startsWith('RF')).toBe(true);
    expect(reference).toMatch(/^RF\d{2}[A-Z0-9]+$/);
    expect(reference.length).toBeLessThanOrEqual(25);
    expect(isSCORReferenceValid(reference)).toBe(true);
    expect(iso11649Holds(reference)).toBe(true);
    expect(reference.slice(4)).toContain('20260000000123');
  });

  it('makes valid, distinct references for every year and number (property)', () => {
    const invoice = fc.record({ year: fc.integer({ min: 2000, max: 9999 }), number: fc.integer({ min: 1, max: 9_999_999_999 }) });
    fc.assert(
      fc.property(invoice, ({ year, number }) => {
        const qr = qrReference(year, number);
        const rf = creditorReference(year, number);
        expect(qr).toMatch(/^\d{27}$/);
        expect(isQRReferenceValid(qr)).toBe(true);
        expect(Number(qr.slice(26))).toBe(qrCheckDigit(qr.slice(0, 26)));
        expect(rf.length).toBeLessThanOrEqual(25);
        expect(isSCORReferenceValid(rf)).toBe(true);
        expect(iso11649Holds(rf)).toBe(true);
        expect(isValidReference(qr)).toBe(true);
        expect(isValidReference(rf)).toBe(true);
        const carried = `${year}${String(number).padStart(10, '0')}`;
        expect(qr).toContain(carried);
        expect(rf).toContain(carried);
      }),
    );
    fc.assert(
      fc.property(invoice, invoice, (a, b) => {
        fc.pre(a.year !== b.year || a.number !== b.number);
        expect(qrReference(a.year, a.number)).not.toBe(qrReference(b.year, b.number));
        expect(creditorReference(a.year, a.number)).not.toBe(creditorReference(b.year, b.number));
      }),
    );
  });

  it('keeps the same number apart in different years, and neighbouring numbers apart', () => {
    expect(qrReference(2026, 1)).not.toBe(qrReference(2027, 1));
    expect(qrReference(2026, 1)).not.toBe(qrReference(2026, 2));
    expect(creditorReference(2026, 1)).not.toBe(creditorReference(2027, 1));
    expect(creditorReference(2026, 1)).not.toBe(creditorReference(2026, 2));
    // Year 2026 number 10 must not collide with year 2026 number 1 followed by a 0 or similar.
    expect(qrReference(2026, 10)).not.toBe(qrReference(2026, 1));
  });

  it('refuses an invoice year or number out of range', () => {
    for (const year of [1999, 10000, 2026.5, Number.NaN]) {
      expect(() => qrReference(year, 1), String(year)).toThrow(/year/);
      expect(() => creditorReference(year, 1), String(year)).toThrow(/year/);
    }
    for (const number of [0, -1, 1.5, 10_000_000_000, Number.NaN]) {
      expect(() => qrReference(2026, number), String(number)).toThrow(/number/);
      expect(() => creditorReference(2026, number), String(number)).toThrow(/number/);
    }
    expect(qrReference(2000, 1)).toMatch(/^\d{27}$/);
    expect(creditorReference(9999, 9_999_999_999).length).toBeLessThanOrEqual(25);
  });

  it('normalises a reference as a bank or a person writes it', () => {
    expect(normaliseReference(' rf18 5390 0754 7034 ')).toBe('RF18539007547034');
    expect(normaliseReference('21 00000 00003 13947 14300 09017')).toBe('210000000003139471430009017');
    const rf = creditorReference(2026, 42);
    const spaced = rf.toLowerCase().replace(/(.{4})/g, '$1 ');
    expect(isValidReference(spaced)).toBe(true);
    const qr = qrReference(2026, 42);
    expect(isValidReference(`${qr.slice(0, 2)} ${qr.slice(2, 7)} ${qr.slice(7)}`)).toBe(true);
  });

  it('rejects a reference with any single digit changed', () => {
    for (const reference of [qrReference(2026, 4711), creditorReference(2026, 4711)]) {
      const first = reference.startsWith('RF') ? 2 : 0;
      for (let index = first; index < reference.length; index += 1) {
        const digit = Number(reference[index]);
        for (let shift = 1; shift < 10; shift += 1) {
          const changed = `${reference.slice(0, index)}${(digit + shift) % 10}${reference.slice(index + 1)}`;
          expect(isValidReference(changed), changed).toBe(false);
        }
      }
    }
  });

  it('rejects what is no reference at all', () => {
    for (const reference of ['', 'RF', 'RF18', '12345', 'ABCDEFGHIJKLMNOPQRSTUVWXYZA', `${qrReference(2026, 1)}0`, 'XX18539007547034']) {
      expect(isValidReference(reference), reference).toBe(false);
    }
  });
});

// --- fees ----------------------------------------------------------------------------------------

describe('shipped fee schedules', () => {
  it('parse and declare their country and currency', () => {
    expect(ch.country).toBe('CH');
    expect(ch.currency).toBe('CHF');
    expect(de.country).toBe('DE');
    expect(de.currency).toBe('EUR');
    expect(ch.versions.length).toBeGreaterThan(0);
    expect(de.versions.length).toBeGreaterThan(0);
  });

  it.each([
    ['CH', ch],
    ['DE', de],
  ] as const)('%s: every charge names a shipped case type and one of its transitions', (country, schedule) => {
    const types = readShippedCaseTypes(country);
    const missing: string[] = [];
    let charges = 0;
    for (const v of schedule.versions) {
      for (const charge of v.charges) {
        charges += 1;
        const type = types.find((t) => t.slug === charge.caseType);
        if (!type) missing.push(`${v.validFrom}: case type ${charge.caseType}`);
        else if (!type.transitions.some((t) => t.id === charge.transition)) missing.push(`${v.validFrom}: ${charge.caseType}/${charge.transition}`);
      }
    }
    expect(charges).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('charges no Swiss item above its federal maximum', () => {
    for (const v of ch.versions) {
      for (const i of v.items) {
        if (i.federalMaximum === undefined) continue;
        expect(parseAmount(i.amount, { allowZero: true }), i.code).toBeLessThanOrEqual(parseAmount(i.federalMaximum));
      }
    }
  });

  it('gives every Swiss item citing GebV-AIG Art. 8 Abs. 1–3 the maximum of that letter (research §2.3)', () => {
    const maxima: Record<string, number> = {
      '1a': 95, '1b': 95, '1c': 95, '1d': 95, '1e': 75, '1f': 65, '1g': 65, '1h': 40, '1i': 25, '1j': 30, '1k': 25, '1l': 40, '1m': 40,
      '2a': 22, '2b': 10,
      '3a': 20, '3b': 15,
    };
    let checked = 0;
    for (const v of ch.versions) {
      for (const i of v.items) {
        const cited = /^GebV-AIG Art\. 8 Abs\. ([123]) lit\. ([a-m])$/.exec(i.legalBasis);
        if (!cited) continue;
        checked += 1;
        const maximum = maxima[`${cited[1]}${cited[2]}`];
        expect(maximum, i.legalBasis).toBeDefined();
        expect(i.federalMaximum, i.code).toBe(`${maximum}.00`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('charges a permit extension 75 + 22 = CHF 97 with the two GebV-AIG lines', () => {
    const fee = feeForStep(ch, 'permit-extension', 'extend', '2026-03-15');
    expect(fee.totalMinor).toBe(9700);
    expect(fee.validFrom).toBe('2021-11-05');
    expect(fee.lines.map((l) => [l.code, l.amountMinor, l.legalBasis])).toEqual([
      ['permit-extension', 7500, 'GebV-AIG Art. 8 Abs. 1 lit. e'],
      ['card-biometric', 2200, 'GebV-AIG Art. 8 Abs. 2 lit. a'],
    ]);
    expect(fee.lines.every((l) => l.names.de !== '' && l.names.fr !== '' && l.names.it !== '' && l.names.en !== '')).toBe(true);
  });

  it('charges a first permit for a third-country national 95 + 22 + 20 = CHF 137 (the worked example)', () => {
    const fee = feeForStep(ch, 'first-permit-quota', 'grant', '2026-03-15');
    expect(fee.totalMinor).toBe(13_700);
    expect(fee.lines.map((l) => l.amountMinor)).toEqual([9500, 2200, 2000]);
    expect(fee.lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(fee.totalMinor);
  });

  it('charges a German residence permit extension EUR 93', () => {
    expect(feeForStep(de, 'aufenthaltserlaubnis-extension', 'extend', '2024-03-01').totalMinor).toBe(9300);
  });

  it('charges nothing for a step the schedule does not list', () => {
    expect(feeForStep(ch, 'permit-extension', 'start-review', '2026-03-15')).toEqual({ validFrom: '2021-11-05', lines: [], totalMinor: 0 });
    expect(feeForStep(ch, 'no-such-type', 'grant', '2026-03-15')).toMatchObject({ lines: [], totalMinor: 0 });
    // A Swiss case type's transition under the German schedule: nothing.
    expect(feeForStep(de, 'permit-extension', 'extend', '2026-03-15')).toMatchObject({ lines: [], totalMinor: 0 });
  });

  it('charges nothing before the first version applies, from its first day on it does', () => {
    expect(feeForStep(ch, 'permit-extension', 'extend', '2021-11-04')).toEqual({ validFrom: null, lines: [], totalMinor: 0 });
    expect(feeForStep(ch, 'permit-extension', 'extend', '2021-11-05').totalMinor).toBe(9700);
    expect(versionOn(ch, '2021-11-04')).toBeNull();
  });
});

describe('fee schedule versions', () => {
  const schedule: FeeSchedule = parseFeeSchedule(twoVersions(), 'two.json');

  it('picks the version valid on the day', () => {
    expect(versionOn(schedule, '2023-12-31')).toBeNull();
    expect(versionOn(schedule, '2024-01-01')?.validFrom).toBe('2024-01-01');
    expect(versionOn(schedule, '2025-06-30')?.validFrom).toBe('2024-01-01');
    expect(versionOn(schedule, '2025-07-01')?.validFrom).toBe('2025-07-01');
    expect(versionOn(schedule, '2099-01-01')?.validFrom).toBe('2025-07-01');
  });

  it('charges a step at the tariff of the day', () => {
    expect(feeForStep(schedule, 'first-permit-quota', 'grant', '2025-06-30')).toMatchObject({ validFrom: '2024-01-01', totalMinor: 10_000 });
    expect(feeForStep(schedule, 'first-permit-quota', 'grant', '2025-07-01')).toMatchObject({ validFrom: '2025-07-01', totalMinor: 11_700 });
    expect(feeForStep(schedule, 'first-permit-quota', 'grant', '2023-12-31')).toEqual({ validFrom: null, lines: [], totalMinor: 0 });
  });
});

describe('fee schedule checks', () => {
  it('accepts the well-formed two-version schedule', () => {
    expect(scheduleProblems(twoVersions())).toEqual([]);
  });

  it('refuses a charge of an unknown item', () => {
    const json = twoVersions();
    json.versions[1] = version('2025-07-01', [item('permit', '95.00')], [{ caseType: 'first-permit-quota', transition: 'grant', items: ['permit', 'card'] }]);
    const problems = scheduleProblems(json);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/unknown item card/);
  });

  it('refuses an item code that appears twice', () => {
    const json = twoVersions();
    json.versions[0] = version('2024-01-01', [item('permit', '80.00'), item('permit', '70.00')], []);
    expect(scheduleProblems(json).join('\n')).toMatch(/permit appears twice/);
  });

  it('refuses a step charged twice', () => {
    const json = twoVersions();
    const grant = { caseType: 'first-permit-quota', transition: 'grant', items: ['permit'] };
    json.versions[0] = version('2024-01-01', [item('permit', '80.00')], [grant, grant]);
    expect(scheduleProblems(json).join('\n')).toMatch(/charged twice/);
  });

  it('refuses an amount above the federal maximum, the maximum itself is fine', () => {
    const json = twoVersions();
    json.versions[1] = version('2025-07-01', [item('permit', '95.01', '95.00')], []);
    expect(scheduleProblems(json).join('\n')).toMatch(/above the federal maximum/);
    json.versions[1] = version('2025-07-01', [item('permit', '95.00', '95.00')], []);
    expect(scheduleProblems(json)).toEqual([]);
  });

  it('refuses versions out of date order, or two on the same day', () => {
    const json = twoVersions();
    json.versions.reverse();
    expect(scheduleProblems(json).join('\n')).toMatch(/in order of their dates/);
    const same = twoVersions();
    (same.versions[1] as { validFrom: string }).validFrom = '2024-01-01';
    expect(scheduleProblems(same).join('\n')).toMatch(/in order of their dates/);
  });

  it('refuses an amount with three decimals or none (schema)', () => {
    for (const amount of ['95.000', '95', '95.5', '-95.00']) {
      const json = twoVersions();
      json.versions[1] = version('2025-07-01', [item('permit', amount)], []);
      expect(scheduleProblems(json).length, amount).toBeGreaterThan(0);
    }
  });

  it('refuses an item name missing a language (schema)', () => {
    const json = twoVersions();
    const { it: _it, ...withoutItalian } = NAMES;
    json.versions[1] = version('2025-07-01', [{ ...item('permit', '95.00'), names: withoutItalian }], []);
    expect(scheduleProblems(json).length).toBeGreaterThan(0);
  });

  it('refuses other shapes (schema)', () => {
    expect(scheduleProblems({ ...twoVersions(), versions: [] }).length).toBeGreaterThan(0);
    expect(scheduleProblems({ ...twoVersions(), country: 'AT' }).length).toBeGreaterThan(0);
    expect(scheduleProblems({ ...twoVersions(), extra: true }).length).toBeGreaterThan(0);
    expect(scheduleProblems(null).length).toBeGreaterThan(0);
  });
});

describe('fee reductions and waivers', () => {
  const fee = feeForStep(ch, 'first-permit-quota', 'grant', '2026-03-15');

  it('leaves the fee as it is without an adjustment', () => {
    expect(adjustFee(fee, undefined)).toEqual({ ...fee, reason: null });
  });

  it('shows a reduction as a negative line with the reason; the total is the charge', () => {
    const adjusted = adjustFee(fee, { chargeMinor: 5000, reason: '  Hardship, low income  ' });
    expect(adjusted.totalMinor).toBe(5000);
    expect(adjusted.reason).toBe('Hardship, low income');
    expect(adjusted.validFrom).toBe(fee.validFrom);
    expect(adjusted.lines.slice(0, fee.lines.length)).toEqual(fee.lines);
    expect(adjusted.lines).toHaveLength(fee.lines.length + 1);
    expect(adjusted.lines.at(-1)).toMatchObject({ code: 'reduction', amountMinor: -8700, legalBasis: 'Hardship, low income' });
    expect(adjusted.lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(5000);
  });

  it('waives the fee with a charge of 0', () => {
    const adjusted = adjustFee(fee, { chargeMinor: 0, reason: 'Social assistance' });
    expect(adjusted.totalMinor).toBe(0);
    expect(adjusted.lines.at(-1)).toMatchObject({ code: 'waiver', amountMinor: -13_700, legalBasis: 'Social assistance' });
    expect(adjusted.lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(0);
  });

  it('adds up to the charge for any reduction (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: fee.totalMinor - 1 }), (chargeMinor) => {
        const adjusted = adjustFee(fee, { chargeMinor, reason: 'r' });
        expect(adjusted.totalMinor).toBe(chargeMinor);
        expect(adjusted.lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(chargeMinor);
        expect(adjusted.lines.at(-1)?.amountMinor).toBeLessThan(0);
      }),
    );
  });

  it('refuses an adjustment without a reason, at or above the tariff, or negative', () => {
    expect(adjustmentProblem(() => adjustFee(fee, { chargeMinor: 5000, reason: '' }))).toBe('reason-missing');
    expect(adjustmentProblem(() => adjustFee(fee, { chargeMinor: 5000, reason: '   ' }))).toBe('reason-missing');
    expect(adjustmentProblem(() => adjustFee(fee, { chargeMinor: 13_700, reason: 'same' }))).toBe('not-a-reduction');
    expect(adjustmentProblem(() => adjustFee(fee, { chargeMinor: 20_000, reason: 'more' }))).toBe('not-a-reduction');
    expect(adjustmentProblem(() => adjustFee(fee, { chargeMinor: -1, reason: 'less than nothing' }))).toBe('not-a-reduction');
    expect(adjustmentProblem(() => adjustFee(fee, { chargeMinor: 13_699, reason: 'one Rappen' }))).toBeNull();
  });
});

// --- deposit -------------------------------------------------------------------------------------

describe('deposit (NG § 15a)', () => {
  const facts = (overrides: Partial<DepositFacts>): DepositFacts => ({ permitCategory: 'B', hasRecognisedValidPassport: false, selfSupporting: false, householdSize: 1, ...overrides });

  it('is CHF 3,000 for a single person and CHF 5,000 for a family', () => {
    expect(DEPOSIT_SINGLE_MINOR).toBe(300_000);
    expect(DEPOSIT_FAMILY_MINOR).toBe(500_000);
  });

  it.each(['B', 'C'])('is owed for %s without a valid passport', (permitCategory) => {
    expect(assessDeposit(facts({ permitCategory, householdSize: 1 }))).toEqual({ owed: true, basis: 'no-valid-passport', household: 'single', amountMinor: 300_000 });
    expect(assessDeposit(facts({ permitCategory, householdSize: 2 }))).toEqual({ owed: true, basis: 'no-valid-passport', household: 'family', amountMinor: 500_000 });
    expect(assessDeposit(facts({ permitCategory, householdSize: 5 }))).toMatchObject({ owed: true, household: 'family', amountMinor: 500_000 });
  });

  it.each(['B', 'C'])('is not owed for %s with a valid passport', (permitCategory) => {
    expect(assessDeposit(facts({ permitCategory, hasRecognisedValidPassport: true }))).toEqual({ owed: false, reason: 'has-valid-passport' });
    expect(assessDeposit(facts({ permitCategory, hasRecognisedValidPassport: true, householdSize: 3 }))).toEqual({ owed: false, reason: 'has-valid-passport' });
  });

  it.each([false, true])('is owed by a self-supporting provisionally admitted person (F), passport %s', (hasRecognisedValidPassport) => {
    expect(assessDeposit(facts({ permitCategory: 'F', selfSupporting: true, hasRecognisedValidPassport }))).toEqual({ owed: true, basis: 'provisionally-admitted-self-supporting', household: 'single', amountMinor: 300_000 });
    expect(assessDeposit(facts({ permitCategory: 'F', selfSupporting: true, hasRecognisedValidPassport, householdSize: 4 }))).toMatchObject({ owed: true, household: 'family', amountMinor: 500_000 });
  });

  it('is not owed by F on social assistance', () => {
    expect(assessDeposit(facts({ permitCategory: 'F', selfSupporting: false }))).toEqual({ owed: false, reason: 'not-self-supporting' });
  });

  it.each(['L', 'N', 'G'])('does not concern %s', (permitCategory) => {
    expect(assessDeposit(facts({ permitCategory, hasRecognisedValidPassport: false, selfSupporting: true }))).toEqual({ owed: false, reason: 'category-not-concerned' });
  });
});

describe('deposit instalments', () => {
  it('add up to the deposit exactly, equal but for the first, which carries the rest (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 24 }), (amount, count) => {
        const plan = instalmentPlan(amount, count, '2026-01-15');
        expect(plan).toHaveLength(count);
        expect(plan.map((i) => i.number)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
        expect(plan.reduce((sum, i) => sum + i.amountMinor, 0)).toBe(amount);
        const [first, ...others] = plan;
        const base = Math.floor(amount / count);
        for (const other of others) expect(other.amountMinor).toBe(base);
        expect(first?.amountMinor).toBe(base + (amount - base * count));
        expect((first?.amountMinor ?? 0) - base).toBeLessThan(count);
        for (const i of plan) expect(Number.isInteger(i.amountMinor)).toBe(true);
      }),
    );
  });

  it('puts the odd Rappen on the first instalment', () => {
    expect(instalmentPlan(300_000, 7, '2026-01-15').map((i) => i.amountMinor)).toEqual([42_858, 42_857, 42_857, 42_857, 42_857, 42_857, 42_857]);
    expect(instalmentPlan(500_000, 1, '2026-01-15')).toEqual([{ number: 1, dueOn: '2026-01-15', amountMinor: 500_000 }]);
  });

  it('falls due monthly; the 31st falls on the month’s last day when it has none', () => {
    expect(instalmentPlan(300_000, 4, '2026-01-31').map((i) => i.dueOn)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(instalmentPlan(300_000, 2, '2028-01-31').map((i) => i.dueOn)).toEqual(['2028-01-31', '2028-02-29']);
    expect(instalmentPlan(300_000, 3, '2026-11-15').map((i) => i.dueOn)).toEqual(['2026-11-15', '2026-12-15', '2027-01-15']);
    expect(instalmentPlan(300_000, 24, '2026-03-01').at(-1)?.dueOn).toBe('2028-02-01');
  });

  it('refuses 0, more than 24 or a fraction of instalments', () => {
    for (const count of [0, -1, 25, 1.5, Number.NaN]) expect(() => instalmentPlan(300_000, count, '2026-01-15'), String(count)).toThrow(RangeError);
  });
});

describe('deposit waiver and settlement', () => {
  it('needs a second person to decide a waiver', () => {
    expect(mayDecideWaiver('user-1', 'user-1')).toBe(false);
    expect(mayDecideWaiver(null, 'user-1')).toBe(false);
    expect(mayDecideWaiver('user-1', 'user-2')).toBe(true);
  });

  const claims = [
    { invoiceId: 'c', openMinor: 50_000, dueOn: '2026-03-01' },
    { invoiceId: 'a', openMinor: 100_000, dueOn: '2025-12-01' },
    { invoiceId: 'b', openMinor: 200_000, dueOn: '2026-01-15' },
  ];

  it('pays the oldest claims first, the last one in part, and releases nothing more', () => {
    expect(settleDeposit(250_000, claims)).toEqual({
      offsets: [
        { invoiceId: 'a', amountMinor: 100_000 },
        { invoiceId: 'b', amountMinor: 150_000 },
      ],
      releaseMinor: 0,
    });
  });

  it('releases what is left after all claims', () => {
    expect(settleDeposit(500_000, claims)).toEqual({
      offsets: [
        { invoiceId: 'a', amountMinor: 100_000 },
        { invoiceId: 'b', amountMinor: 200_000 },
        { invoiceId: 'c', amountMinor: 50_000 },
      ],
      releaseMinor: 150_000,
    });
  });

  it('releases everything without claims and does nothing with nothing held', () => {
    expect(settleDeposit(300_000, [])).toEqual({ offsets: [], releaseMinor: 300_000 });
    expect(settleDeposit(0, claims)).toEqual({ offsets: [], releaseMinor: 0 });
    expect(settleDeposit(0, [])).toEqual({ offsets: [], releaseMinor: 0 });
  });

  it('skips claims with nothing open and orders claims due the same day by invoice', () => {
    const sameDay = [
      { invoiceId: 'y', openMinor: 1000, dueOn: '2026-01-01' },
      { invoiceId: 'z', openMinor: 0, dueOn: '2025-01-01' },
      { invoiceId: 'x', openMinor: 1000, dueOn: '2026-01-01' },
    ];
    expect(settleDeposit(1500, sameDay)).toEqual({
      offsets: [
        { invoiceId: 'x', amountMinor: 1000 },
        { invoiceId: 'y', amountMinor: 500 },
      ],
      releaseMinor: 0,
    });
  });

  it('never offsets more than held or more than a claim asks (property)', () => {
    const claim = fc.record({ invoiceId: fc.uuid(), openMinor: fc.integer({ min: 0, max: 400_000 }), dueOn: fc.integer({ min: 0, max: 2000 }).map((n) => plusDays('2024-01-01', n)) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500_000 }), fc.array(claim, { maxLength: 8 }), (held, list) => {
        const { offsets, releaseMinor } = settleDeposit(held, list);
        expect(offsets.reduce((sum, o) => sum + o.amountMinor, 0) + releaseMinor).toBe(held);
        expect(releaseMinor).toBeGreaterThanOrEqual(0);
        const open = list.reduce((sum, c) => sum + c.openMinor, 0);
        expect(releaseMinor).toBe(Math.max(0, held - open));
        for (const offset of offsets) {
          const source = list.find((c) => c.invoiceId === offset.invoiceId);
          expect(offset.amountMinor).toBeGreaterThan(0);
          expect(offset.amountMinor).toBeLessThanOrEqual(source?.openMinor ?? 0);
        }
      }),
    );
  });
});

// --- fines ---------------------------------------------------------------------------------------

describe('fines (NG § 18)', () => {
  const lapsed: ReminderFact = { dueDate: '2026-05-10', status: 'open' };

  it('allows up to CHF 1,000 once the reminder’s deadline has passed unmet', () => {
    expect(FINE_MAXIMUM_MINOR).toBe(100_000);
    expect(fineProblem(100_000, lapsed, '2026-05-11')).toBeNull();
    expect(fineProblem(1, lapsed, '2026-05-11')).toBeNull();
    expect(fineProblem(25_000, lapsed, '2027-01-01')).toBeNull();
  });

  it('refuses more than CHF 1,000', () => {
    expect(fineProblem(100_001, lapsed, '2026-05-11')).toBe('fine-above-maximum');
  });

  it('refuses nothing or less', () => {
    expect(fineProblem(0, lapsed, '2026-05-11')).toBe('fine-not-positive');
    expect(fineProblem(-100, lapsed, '2026-05-11')).toBe('fine-not-positive');
  });

  it('refuses a fine without a reminder', () => {
    expect(fineProblem(50_000, null, '2026-05-11')).toBe('fine-without-reminder');
  });

  it('refuses a fine while the reminder still runs, also on its last day', () => {
    expect(fineProblem(50_000, lapsed, '2026-05-10')).toBe('fine-reminder-running');
    expect(fineProblem(50_000, lapsed, '2026-05-01')).toBe('fine-reminder-running');
  });

  it('refuses a fine when the person complied', () => {
    expect(fineProblem(50_000, { dueDate: '2026-05-10', status: 'met' }, '2026-05-11')).toBe('fine-reminder-met');
  });
});

// --- matching ------------------------------------------------------------------------------------

describe('matching a credit to its invoice', () => {
  const invoice = (overrides: Partial<InvoiceBalance> = {}): InvoiceBalance => ({ status: 'open', currency: 'CHF', amountMinor: 13_700, paidMinor: 0, ...overrides });
  const credit = (amountMinor: number, overrides: Partial<Credit> = {}): Credit => ({ amountMinor, currency: 'CHF', reversal: false, ...overrides });

  it('books an exact payment without clarification', () => {
    expect(matchCredit(credit(13_700), invoice())).toEqual({ bookMinor: 13_700, clarification: null });
  });

  it('books a smaller payment and marks it partial', () => {
    expect(matchCredit(credit(5000), invoice())).toEqual({ bookMinor: 5000, clarification: 'partial' });
  });

  it('books only the open part of an overpayment', () => {
    expect(matchCredit(credit(20_000), invoice())).toEqual({ bookMinor: 13_700, clarification: 'overpayment' });
  });

  it('computes the open part of a partly paid invoice', () => {
    const partly = invoice({ paidMinor: 5000 });
    expect(matchCredit(credit(8700), partly)).toEqual({ bookMinor: 8700, clarification: null });
    expect(matchCredit(credit(8000), partly)).toEqual({ bookMinor: 8000, clarification: 'partial' });
    expect(matchCredit(credit(13_700), partly)).toEqual({ bookMinor: 8700, clarification: 'overpayment' });
  });

  it.each(['paid', 'waived', 'cancelled'] as const)('books nothing to a %s invoice: duplicate', (status) => {
    expect(matchCredit(credit(13_700), invoice({ status, paidMinor: status === 'paid' ? 13_700 : 0 }))).toEqual({ bookMinor: 0, clarification: 'duplicate' });
  });

  it('treats an open invoice already paid in full as a duplicate', () => {
    expect(matchCredit(credit(100), invoice({ paidMinor: 13_700 }))).toEqual({ bookMinor: 0, clarification: 'duplicate' });
  });

  it('books nothing for an unknown reference, a foreign currency or a reversal', () => {
    expect(matchCredit(credit(13_700), null)).toEqual({ bookMinor: 0, clarification: 'unknown-reference' });
    expect(matchCredit(credit(13_700, { currency: 'EUR' }), invoice())).toEqual({ bookMinor: 0, clarification: 'currency' });
    expect(matchCredit(credit(13_700, { reversal: true }), invoice())).toEqual({ bookMinor: 0, clarification: 'reversal' });
    expect(matchCredit(credit(13_700, { reversal: true }), null)).toEqual({ bookMinor: 0, clarification: 'reversal' });
  });

  it('never books more than the invoice still asks (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (amount, total, paidShare) => {
        const paid = paidShare % total;
        const match = matchCredit(credit(amount), invoice({ amountMinor: total, paidMinor: paid }));
        expect(match.bookMinor).toBe(Math.min(amount, total - paid));
        expect(match.bookMinor).toBeLessThanOrEqual(amount);
      }),
    );
  });
});

// --- account -------------------------------------------------------------------------------------

describe('receivable ages', () => {
  const due = '2026-01-01';

  it.each([
    [-5, 'not-due'],
    [0, 'not-due'],
    [1, '1-30'],
    [30, '1-30'],
    [31, '31-90'],
    [90, '31-90'],
    [91, '91-180'],
    [180, '91-180'],
    [181, 'over-180'],
    [800, 'over-180'],
  ] as [number, AgeBand][])('puts %i days overdue in %s', (days, band) => {
    expect(ageBand(due, plusDays(due, days))).toBe(band);
  });

  it('counts calendar days across a month end and a leap day', () => {
    expect(plusDays('2028-02-28', 2)).toBe('2028-03-01');
    expect(ageBand('2028-02-28', '2028-03-29')).toBe('1-30');
    expect(ageBand('2028-02-28', '2028-03-30')).toBe('31-90');
  });

  it('sums counts and open amounts per band, with every band present', () => {
    const receivables: Receivable[] = [
      { kind: 'fee', openMinor: 9700, dueOn: '2026-06-01' },
      { kind: 'fine', openMinor: 50_000, dueOn: '2026-05-15' },
      { kind: 'fee', openMinor: 13_700, dueOn: '2026-05-01' },
      { kind: 'deposit', openMinor: 300_000, dueOn: '2026-03-01' },
      { kind: 'fee', openMinor: 2200, dueOn: '2025-06-01' },
      { kind: 'fee', openMinor: 1, dueOn: '2025-06-02' },
    ];
    const ages = receivableAges(receivables, '2026-06-01');
    expect(Object.keys(ages).sort()).toEqual([...AGE_BANDS].sort());
    expect(ages).toEqual({
      'not-due': { count: 1, openMinor: 9700 },
      '1-30': { count: 1, openMinor: 50_000 },
      '31-90': { count: 1, openMinor: 13_700 },
      '91-180': { count: 1, openMinor: 300_000 },
      'over-180': { count: 2, openMinor: 2201 },
    });
    const bands = Object.values(ages);
    expect(bands.reduce((sum, b) => sum + b.count, 0)).toBe(receivables.length);
    expect(bands.reduce((sum, b) => sum + b.openMinor, 0)).toBe(receivables.reduce((sum, r) => sum + r.openMinor, 0));
  });

  it('gives empty bands for no receivables', () => {
    const ages = receivableAges([], '2026-06-01');
    for (const band of AGE_BANDS) expect(ages[band]).toEqual({ count: 0, openMinor: 0 });
  });
});
