import { AppError } from '../../platform/errors.js';
import type { Db, Trx } from '../../platform/db/transaction.js';
import { municipalitiesOfTenant, storeTenancyReports } from '../register/index.js';
import { quarantine, sha256, storeAndApply, type Identified, type InboxOutcome, type IncomingMessage, type Office, type QuarantineReason } from './inbox.js';
import { decodeUtf8, parseTenancyCsv } from './rules/tenancy-csv.js';

/**
 * Landlords', hosts', employers' and collective households' reports (NG § 17) as CSV files: the
 * same path as an eCH message — checked, then stored whole in one transaction, or kept in
 * quarantine with the problems and their lines. The same file twice is one message (its hash).
 */

export type PreparedReports = { ok: true; event: { type: string; count: number }; apply: (trx: Trx) => Promise<string[]> } | { ok: false; reason: QuarantineReason };

export function prepareTenancyReports(bytes: Uint8Array, office: Office): PreparedReports {
  const text = decodeUtf8(bytes);
  if (text === null) return { ok: false, reason: { code: 'exchange-invalid-report-file', params: { count: 1, line: 1, problem: 'the file is not UTF-8 text (save it as "CSV UTF-8")' }, details: [{ message: 'not UTF-8', line: 1, path: null }] } };
  const parsed = parseTenancyCsv(text);
  if (!parsed.ok) {
    const first = parsed.problems[0]!;
    return { ok: false, reason: { code: 'exchange-invalid-report-file', params: { count: parsed.problems.length, line: first.line, problem: first.message }, details: parsed.problems.slice(0, 50).map((p) => ({ message: p.message, line: p.line, path: null })) } };
  }
  return {
    ok: true,
    event: { type: 'tenancyReport', count: parsed.rows.length },
    apply: async (trx) => {
      const municipalities = new Map((await municipalitiesOfTenant(trx, office.id)).map((m) => [m.bfs, m.name]));
      const foreign = parsed.rows.find((row) => !municipalities.has(row.municipalityBfs));
      if (foreign) throw new AppError(422, 'exchange-foreign-municipality', { municipality: `line ${foreign.line}`, bfs: foreign.municipalityBfs });
      await storeTenancyReports(trx, office.id, parsed.rows);
      return [];
    },
  };
}

export async function receiveTenancyReports(db: Db, message: IncomingMessage): Promise<InboxOutcome> {
  const identified: Identified = { standard: 'tenancy-csv', senderId: message.partner?.participant_id ?? 'unknown', messageId: `sha256:${sha256(message.bytes)}` };
  const prepared = prepareTenancyReports(message.bytes, message.office);
  if (!prepared.ok) return quarantine(db, message, identified, prepared.reason, null);
  return storeAndApply(db, message, identified, prepared.event, prepared.apply);
}
