/**
 * Pure parts of the right-of-access report: which details of an audit row may be shown to the
 * person (their own case, permit, paper, document, invoice, deposit and share-code references — never another
 * person's data, a search text or a list of other hits), how an access is named, and how the portal's
 * mandates and application answers are shown.
 */

/** Audit detail keys that only ever point at the person's own records. */
export const ACCESS_DETAIL_KEYS = ['caseId', 'reference', 'permitId', 'paperId', 'documentId', 'invoiceId', 'depositId', 'shareCode', 'asOf', 'transition', 'format'] as const;

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
  return /\.(read|read-history|list|search|queue|duplicate-check|access-report|papers-receipt-printed|papers-journal|expiry-list|invoices-read|invoice-read|invoice-printed|deposits-read|case-read|application-read|messages-read|mandates-read|document-downloaded|share-code-viewed)$/.test(action) ? 'read' : 'changed';
}

/** The answers of an online application as stored (a jsonb object of texts); anything else is shown as text. */
export function applicationAnswers(value: unknown): Record<string, string> {
  const parsed = typeof value === 'string' ? safeParse(value) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const out: Record<string, string> = {};
  for (const [key, answer] of Object.entries(parsed as Record<string, unknown>)) {
    if (answer === null || answer === undefined) continue;
    out[key] = typeof answer === 'string' ? answer : JSON.stringify(answer);
  }
  return out;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
