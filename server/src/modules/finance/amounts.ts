import { AppError } from '../../platform/errors.js';
import { AmountError, parseAmount } from './rules/money.js';

/** An amount from a person or a file, or the problem that tells them what to fix. */
export function amountOrProblem(input: string | number, options: { allowZero?: boolean } = {}): number {
  try {
    return parseAmount(input, options);
  } catch (error) {
    if (error instanceof AmountError) throw new AppError(422, `amount-${error.problem}`, { amount: error.given });
    throw error;
  }
}
