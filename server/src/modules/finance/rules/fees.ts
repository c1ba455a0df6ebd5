import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { parseAmount, sumMinor } from './money.js';

/**
 * The fee schedule is data: items with their legal basis and amount, and which items a step of a
 * case type charges. A new tariff is a new version with the date it applies from; a decision is
 * charged with the version valid on the day it is taken.
 */

const Text = Type.Object({ de: Type.String({ minLength: 1 }), fr: Type.String({ minLength: 1 }), it: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const Code = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' });
const Amount = Type.String({ pattern: '^\\d+\\.\\d{2}$' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

const FeeItem = Type.Object(
  {
    code: Code,
    names: Text,
    legalBasis: Type.String({ minLength: 1 }),
    amount: Amount,
    /** The federal maximum (GebV-AIG Art. 8) the cantonal amount must not exceed. */
    federalMaximum: Type.Optional(Amount),
  },
  { additionalProperties: false },
);

const Charge = Type.Object({ caseType: Code, transition: Code, items: Type.Array(Code, { minItems: 1 }) }, { additionalProperties: false });

const ScheduleVersion = Type.Object(
  { validFrom: IsoDate, source: Type.String({ minLength: 1 }), items: Type.Array(FeeItem, { minItems: 1 }), charges: Type.Array(Charge) },
  { additionalProperties: false },
);

const FeeScheduleFile = Type.Object(
  { country: Type.Union([Type.Literal('CH'), Type.Literal('DE')]), currency: Type.Union([Type.Literal('CHF'), Type.Literal('EUR')]), versions: Type.Array(ScheduleVersion, { minItems: 1 }) },
  { additionalProperties: false },
);

export type FeeSchedule = Static<typeof FeeScheduleFile>;
export type FeeScheduleVersion = Static<typeof ScheduleVersion>;
export type LocalisedText = Static<typeof Text>;

export class FeeScheduleError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** Checks a schedule file: shape, unique codes, known items, amounts within the federal maxima, ordered dates. */
export function parseFeeSchedule(json: unknown, source: string): FeeSchedule {
  if (!Value.Check(FeeScheduleFile, json)) {
    throw new FeeScheduleError([...Value.Errors(FeeScheduleFile, json)].slice(0, 5).map((e) => `${source}${e.instancePath}: ${e.message}`));
  }
  const problems: string[] = [];
  let previous = '';
  json.versions.forEach((version, index) => {
    const where = `${source} version ${index + 1} (valid from ${version.validFrom})`;
    if (version.validFrom <= previous) problems.push(`${where}: versions must be in order of their dates`);
    previous = version.validFrom;
    const codes = new Set<string>();
    for (const item of version.items) {
      if (codes.has(item.code)) problems.push(`${where}: item ${item.code} appears twice`);
      codes.add(item.code);
      if (item.federalMaximum !== undefined && parseAmount(item.amount, { allowZero: true }) > parseAmount(item.federalMaximum, { allowZero: true })) {
        problems.push(`${where}: item ${item.code} charges ${item.amount}, above the federal maximum ${item.federalMaximum}`);
      }
    }
    const steps = new Set<string>();
    for (const charge of version.charges) {
      const step = `${charge.caseType}/${charge.transition}`;
      if (steps.has(step)) problems.push(`${where}: ${step} is charged twice`);
      steps.add(step);
      for (const code of charge.items) if (!codes.has(code)) problems.push(`${where}: ${step} charges unknown item ${code}`);
    }
  });
  if (problems.length > 0) throw new FeeScheduleError(problems);
  return json;
}

/** The version in force on a day; null before the first one. */
export function versionOn(schedule: FeeSchedule, date: string): FeeScheduleVersion | null {
  let found: FeeScheduleVersion | null = null;
  for (const version of schedule.versions) if (version.validFrom <= date) found = version;
  return found;
}

export interface FeeLine {
  code: string;
  names: LocalisedText;
  legalBasis: string;
  amountMinor: number;
}

export interface ComputedFee {
  /** The tariff's start date, so that an invoice says which version it was charged under. */
  validFrom: string | null;
  lines: FeeLine[];
  totalMinor: number;
}

/** What a step of a case costs on a day: the items the schedule charges for it (none: free). */
export function feeForStep(schedule: FeeSchedule, caseType: string, transition: string, date: string): ComputedFee {
  const version = versionOn(schedule, date);
  const charge = version?.charges.find((c) => c.caseType === caseType && c.transition === transition);
  if (!version || !charge) return { validFrom: version?.validFrom ?? null, lines: [], totalMinor: 0 };
  const lines = charge.items.map((code) => {
    const item = version.items.find((i) => i.code === code);
    // parseFeeSchedule guarantees every charged code exists.
    if (!item) throw new Error(`Unknown fee item ${code}`);
    return { code: item.code, names: item.names, legalBasis: item.legalBasis, amountMinor: parseAmount(item.amount, { allowZero: true }) };
  });
  return { validFrom: version.validFrom, lines, totalMinor: sumMinor(lines.map((l) => l.amountMinor)) };
}

/** A caseworker's change to the computed fee: a lower amount or none at all, always with a reason. */
export interface FeeAdjustment {
  /** The amount to charge instead, in minor units; 0 waives the fee. */
  chargeMinor: number;
  reason: string;
}

export type AdjustmentProblem = 'reason-missing' | 'not-a-reduction';

export class FeeAdjustmentError extends Error {
  constructor(readonly problem: AdjustmentProblem) {
    super(problem);
  }
}

const REDUCTION_NAMES: LocalisedText = { de: 'Ermässigung', fr: 'Réduction', it: 'Riduzione', en: 'Reduction' };
const WAIVER_NAMES: LocalisedText = { de: 'Gebührenerlass', fr: 'Remise de l’émolument', it: 'Condono dell’emolumento', en: 'Fee waived' };

/**
 * Applies a reduction or waiver as a negative line, so that the invoice shows what the tariff asks
 * and what was let off, and why. Only lowering is possible; raising a fee above the tariff is not.
 */
export function adjustFee(fee: ComputedFee, adjustment: FeeAdjustment | undefined): ComputedFee & { reason: string | null } {
  if (!adjustment) return { ...fee, reason: null };
  const reason = adjustment.reason.trim();
  if (reason === '') throw new FeeAdjustmentError('reason-missing');
  if (adjustment.chargeMinor < 0 || adjustment.chargeMinor >= fee.totalMinor) throw new FeeAdjustmentError('not-a-reduction');
  const waived = adjustment.chargeMinor === 0;
  const line: FeeLine = { code: waived ? 'waiver' : 'reduction', names: waived ? WAIVER_NAMES : REDUCTION_NAMES, legalBasis: reason, amountMinor: adjustment.chargeMinor - fee.totalMinor };
  return { validFrom: fee.validFrom, lines: [...fee.lines, line], totalMinor: adjustment.chargeMinor, reason };
}
