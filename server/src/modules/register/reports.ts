import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import * as repo from './repository.js';
import { scopeOf, today } from './service.js';
import { LUCERNE_MUNICIPALITIES } from './generator/index.js';

/** Landlords', hosts', employers' and collective households' reports (NG § 17) and the control list (§ 16). */

export interface TenancyReportInput {
  reporterKind: 'landlord' | 'host' | 'collective-household' | 'employer';
  reporterName: string;
  municipalityBfs: number;
  officialName: string;
  firstNames: string;
  dateOfBirth?: string | null;
  street?: string | null;
  houseNumber?: string | null;
  egid?: number | null;
  ewid?: number | null;
  leaseStart?: string | null;
  leaseEnd?: string | null;
  receivedOn?: string;
}

export async function recordTenancyReport(db: Db, context: RequestContext, input: TenancyReportInput): Promise<{ id: string }> {
  if (input.leaseStart && input.leaseEnd && input.leaseEnd < input.leaseStart) {
    throw new AppError(422, 'invalid-period', { start: input.leaseStart, end: input.leaseEnd });
  }
  return inTransaction(db, async (trx) => {
    const municipalities = await repo.municipalitiesOfTenant(trx, context.actor.tenantId);
    if (!municipalities.some((m) => m.bfs === input.municipalityBfs)) {
      throw new AppError(422, 'unknown-municipality', { bfs: input.municipalityBfs }, { fieldErrors: [{ field: 'municipalityBfs', message: 'unknown-municipality' }] });
    }
    const scope = await scopeOf(trx, context.actor);
    if (scope.municipalities !== null && !scope.municipalities.includes(input.municipalityBfs)) throw new AppError(403, 'not-your-municipality');
    const id = await repo.insertTenancyReport(trx, tenancyRow(context.actor.tenantId, input));
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'register.tenancy-report', entityType: 'tenancy-report', entityId: id, details: { reporterKind: input.reporterKind, municipalityBfs: input.municipalityBfs } });
    return { id };
  });
}

/** Many reports at once inside the caller's transaction (a landlord's file through the exchange inbox). */
export async function storeTenancyReports(trx: Trx, tenantId: string, reports: TenancyReportInput[]): Promise<void> {
  if (reports.length === 0) return;
  await trx.insertInto('tenancy_reports').values(reports.map((input) => tenancyRow(tenantId, input))).execute();
}

function tenancyRow(tenantId: string, input: TenancyReportInput) {
  return {
    tenant_id: tenantId,
    municipality_bfs: input.municipalityBfs,
    reporter_kind: input.reporterKind,
    reporter_name: input.reporterName,
    official_name: input.officialName,
    first_names: input.firstNames,
    date_of_birth: input.dateOfBirth ?? null,
    street: input.street ?? null,
    house_number: input.houseNumber ?? null,
    egid: input.egid ?? null,
    ewid: input.ewid ?? null,
    lease_start: input.leaseStart ?? null,
    lease_end: input.leaseEnd ?? null,
    received_on: input.receivedOn ?? today(),
  };
}

export async function reconciliationList(db: Db, context: RequestContext, asOf: string = today()) {
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const rows = await repo.reconciliation(trx, context.actor.tenantId, scope.municipalities, asOf);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'register.reconciliation', entityType: 'tenancy-report', details: { items: rows.length } });
    return rows.map((row) => ({
      kind: row.kind,
      reportId: row.report_id,
      reporterKind: row.reporter_kind,
      reporterName: row.reporter_name,
      officialName: row.official_name,
      firstNames: row.first_names,
      egid: row.egid,
      ewid: row.ewid,
      street: row.street,
      houseNumber: row.house_number,
      leaseStart: row.lease_start,
      leaseEnd: row.lease_end,
      personId: row.person_id,
      since: row.since,
    }));
  });
}

/** The office's municipalities a caller may register in, with their main postal code where known. */
export async function listMunicipalities(db: Db, context: RequestContext) {
  const municipalities = await repo.municipalitiesOfTenant(db, context.actor.tenantId);
  const scope = await scopeOf(db, context.actor);
  return municipalities
    .filter((m) => scope.municipalities === null || scope.municipalities.includes(m.bfs))
    .map((m) => ({ bfs: m.bfs, name: m.name, postalCode: LUCERNE_MUNICIPALITIES.find((known) => known.bfs === m.bfs)?.postalCode ?? null }));
}
