/**
 * Pure parts of the right-of-access report: which details of an audit row may be shown to the
 * person (their own case, permit, paper, document, invoice and deposit references — never another person's data,
 * a search text or a list of other hits), and how an access is named.
 */

/** Audit detail keys that only ever point at the person's own records. */
export const ACCESS_DETAIL_KEYS = ['caseId', 'reference', 'permitId', 'paperId', 'documentId', 'invoiceId', 'depositId', 'asOf', 'transition', 'format'] as const;

export type AccessDetails = Partial<Record<(typeof ACCESS_DETAIL_KEYS)[number], string>>;

export function accessDetails(details: unknown): AccessDetails {
  if (typeof details !== 'object' || details === null) return {};
  const record = details as Record<string, unknown>;
  const out: AccessDetails = {};
  for (const key of ACCESS_DETAIL_KEYS) {
    const value = record[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = String(value);
  }
  return out;
}

/**
 * How the person's data was touched: 'listed' when they appeared among the results of a search or
 * list (the row's entity is not them), 'changed' for writes, 'read' otherwise.
 */
export function accessKind(action: string, listed: boolean): 'listed' | 'read' | 'changed' {
  if (listed) return 'listed';
  return /\.(read|read-history|list|search|queue|duplicate-check|access-report|papers-receipt-printed|papers-journal|expiry-list|invoices-read|invoice-read|invoice-printed|deposits-read)$/.test(action) ? 'read' : 'changed';
}
