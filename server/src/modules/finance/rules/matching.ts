/**
 * What to do with money that arrives for a reference: book it to the invoice, or put it (or the
 * part that does not fit) on the clarification list. Nothing is dropped and nothing is booked
 * beyond what the invoice still asks.
 */

export type Clarification = 'partial' | 'overpayment' | 'unknown-reference' | 'duplicate' | 'reversal' | 'currency';

export interface InvoiceBalance {
  status: 'open' | 'paid' | 'waived' | 'cancelled';
  currency: string;
  amountMinor: number;
  paidMinor: number;
}

export interface Credit {
  amountMinor: number;
  currency: string;
  reversal: boolean;
}

export interface Match {
  bookMinor: number;
  clarification: Clarification | null;
}

export function matchCredit(credit: Credit, invoice: InvoiceBalance | null): Match {
  if (credit.reversal) return { bookMinor: 0, clarification: 'reversal' };
  if (!invoice) return { bookMinor: 0, clarification: 'unknown-reference' };
  if (invoice.currency !== credit.currency) return { bookMinor: 0, clarification: 'currency' };
  const open = invoice.status === 'open' ? invoice.amountMinor - invoice.paidMinor : 0;
  if (open <= 0) return { bookMinor: 0, clarification: 'duplicate' };
  if (credit.amountMinor < open) return { bookMinor: credit.amountMinor, clarification: 'partial' };
  if (credit.amountMinor > open) return { bookMinor: open, clarification: 'overpayment' };
  return { bookMinor: credit.amountMinor, clarification: null };
}
