import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import type { ImmigrationCount, StockCount } from './rules/key-figures.js';

/**
 * Reporting reads the register's and permits' tables directly, read-only and set-based: one
 * aggregate query per figure instead of calls per person (see docs/decisions/0002).
 */

/** Persons registered in the office's area on `date`, by the main permit in force on that date. */
export function stockCountsQuery(tenantId: string, date: string) {
  return sql<{ category: string; long_stay: boolean; persons: number }>`
    SELECT pm.category, (pm.category = 'L' AND pm.l_stay_start <= (${date}::date - interval '12 months')::date) AS long_stay,
           -- One main permit is in force per person and date (the permits module refuses overlaps): count(*) counts persons.
           count(*)::int AS persons
    FROM permits pm
    WHERE pm.tenant_id = ${tenantId} AND pm.is_main
      AND pm.valid_from <= ${date}::date
      AND (pm.ended_on IS NULL OR pm.ended_on > ${date}::date)
      AND (pm.valid_until IS NULL OR pm.valid_until >= ${date}::date)
      AND EXISTS (
        SELECT 1 FROM residences r
        WHERE r.person_id = pm.person_id AND r.superseded_at IS NULL AND r.kind = 'main'
          AND r.arrival_date <= ${date}::date AND (r.departure_date IS NULL OR r.departure_date > ${date}::date))
    GROUP BY 1, 2`;
}

export async function stockCounts(db: Db, tenantId: string, date: string): Promise<StockCount[]> {
  const result = await stockCountsQuery(tenantId, date).execute(db);
  return result.rows.map((row) => ({ category: row.category, longStay: row.long_stay, persons: row.persons }));
}

/** Immigrations (first admissions decided when the permit was granted) that start in the period. */
export function immigrationCountsQuery(tenantId: string, from: string, to: string) {
  return sql<{ group: 'permanent' | 'non-permanent' | 'asylum'; reason: string; persons: number }>`
    SELECT immigration_group AS "group", admission_reason AS reason, count(*)::int AS persons
    FROM permits
    WHERE tenant_id = ${tenantId} AND immigration_group IS NOT NULL AND valid_from BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2`;
}

export async function immigrationCounts(db: Db, tenantId: string, from: string, to: string): Promise<ImmigrationCount[]> {
  return (await immigrationCountsQuery(tenantId, from, to).execute(db)).rows;
}

/**
 * Days from filing to decision of one case type's cases decided in [from, to): count and the
 * median, 75th and 90th percentile, computed by the database (percentile_cont) so that a large
 * office does not ship every row to the server.
 */
export async function processingTimeOf(db: Db | Trx, tenantId: string, typeSlug: string, from: string, to: string): Promise<{ cases: number; median: number | null; p75: number | null; p90: number | null }> {
  const result = await sql<{ cases: string | number; median: number | null; p75: number | null; p90: number | null }>`
    SELECT count(*) AS cases,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY days) AS p75,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
      FROM (SELECT (decided_at AT TIME ZONE 'UTC')::date - received_on AS days
              FROM cases
             WHERE tenant_id = ${tenantId} AND type_slug = ${typeSlug}
               AND decided_at >= ${from}::date AND decided_at < ${to}::date) decided`.execute(db);
  const row = result.rows[0];
  return { cases: Number(row?.cases ?? 0), median: row?.median ?? null, p75: row?.p75 ?? null, p90: row?.p90 ?? null };
}
