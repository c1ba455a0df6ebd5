import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import { readCatalogue } from './catalogue.js';
import { immigrationGroup, type AdmissionReason, type StatisticsGroup } from './rules/admission.js';
import { defaultValidity, lastDayOf, lStayStart, type ValidityRule } from './rules/validity.js';

/** One permit of a bulk load (data profiles, benchmarks), in the order granted. */
export interface BulkPermit {
  personId: string;
  nationality: string;
  category: string;
  reason: AdmissionReason;
  validFrom: string;
  validUntil: string | null;
  endedOn: string | null;
  endReason: 'revoked' | 'category-changed' | 'departure' | 'death' | 'expired' | null;
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Inserts permits computed with the same rules as a caseworker's grant (L stay, control date,
 * key-figure group), in multi-row statements, then their 'granted' and 'category-changed' events
 * with two set-based statements. `permits` must be grouped by person in the order granted.
 */
export async function insertPermitsBulk(trx: Trx, tenantId: string, country: 'CH' | 'DE', permits: BulkPermit[]): Promise<void> {
  const catalogue = new Map(readCatalogue(country).map((entry) => [entry.code, entry]));
  const earlierOf = new Map<string, { statisticsGroup: StatisticsGroup; validFrom: string; lastDay: string | null; category: string; lStay: string | null }[]>();
  const rows = permits.map((permit) => {
    const entry = catalogue.get(permit.category);
    if (!entry) throw new Error(`unknown permit category ${permit.category}`);
    const earlier = earlierOf.get(permit.personId) ?? [];
    const lStay = permit.category === 'L'
      ? lStayStart(earlier.filter((p) => p.category === 'L').map((p) => ({ validFrom: p.validFrom, lastDay: p.lastDay, lStayStart: p.lStay })), permit.validFrom)
      : null;
    const group = entry.isMain ? immigrationGroup(entry.statisticsGroup, permit.reason, earlier.filter((p) => p.validFrom < permit.validFrom), dayBefore(permit.validFrom)) : null;
    earlier.push({ statisticsGroup: entry.statisticsGroup, validFrom: permit.validFrom, lastDay: lastDayOf({ validUntil: permit.validUntil, endedOn: permit.endedOn }), category: permit.category, lStay });
    earlierOf.set(permit.personId, earlier);
    return {
      tenant_id: tenantId,
      person_id: permit.personId,
      category: permit.category,
      is_main: entry.isMain,
      admission_reason: permit.reason,
      valid_from: permit.validFrom,
      valid_until: permit.validUntil,
      control_date: defaultValidity(entry.validity as ValidityRule, permit.nationality, permit.validFrom).controlDate,
      ended_on: permit.endedOn,
      end_reason: permit.endReason,
      l_stay_start: lStay,
      immigration_group: group,
    };
  });
  for (let start = 0; start < rows.length; start += 1000) {
    await trx.insertInto('permits').values(rows.slice(start, start + 1000)).execute();
  }
  const personIds = [...new Set(permits.map((p) => p.personId))];
  for (let start = 0; start < personIds.length; start += 5000) {
    const ids = personIds.slice(start, start + 5000);
    await sql`INSERT INTO permit_events (tenant_id, permit_id, event, event_date, recorded_by)
      SELECT tenant_id, id, 'granted', valid_from, 'bulk-load' FROM permits WHERE person_id IN (${sql.join(ids)})`.execute(trx);
    await sql`INSERT INTO permit_events (tenant_id, permit_id, event, event_date, recorded_by)
      SELECT tenant_id, id, CASE end_reason WHEN 'category-changed' THEN 'category-changed' WHEN 'departure' THEN 'ended-departure' WHEN 'death' THEN 'ended-death' ELSE 'revoked' END, ended_on, 'bulk-load'
      FROM permits WHERE person_id IN (${sql.join(ids)}) AND ended_on IS NOT NULL AND end_reason <> 'expired'`.execute(trx);
  }
}

/** A permit exactly as another MigraFlow office recorded it (from an exchange base delivery). */
export interface RecordedPermit {
  category: string;
  admissionReason: AdmissionReason;
  validFrom: string;
  validUntil: string | null;
  controlDate: string | null;
  endedOn: string | null;
  endReason: 'revoked' | 'category-changed' | 'departure' | 'death' | 'expired' | 'naturalised' | null;
  conditions: string | null;
  cardNumber: string | null;
  lStayStart: string | null;
  immigrationGroup: 'permanent' | 'non-permanent' | 'asylum' | null;
}

/**
 * Restores a person's permit history as recorded elsewhere, field by field (the key-figure group
 * included: it was decided when the permit was granted, by the rules of that day). Unknown
 * categories are refused by the foreign key to the office's catalogue.
 */
export async function restorePermits(trx: Trx, tenantId: string, personId: string, permits: readonly RecordedPermit[], recordedBy: string): Promise<void> {
  if (permits.length === 0) return;
  const mainCodes = new Set((await trx.selectFrom('permit_categories').select('code').where('tenant_id', '=', tenantId).where('is_main', '=', true).execute()).map((row) => row.code));
  const inserted = await trx
    .insertInto('permits')
    .values(
      permits.map((permit) => ({
        tenant_id: tenantId,
        person_id: personId,
        category: permit.category,
        is_main: mainCodes.has(permit.category),
        admission_reason: permit.admissionReason,
        valid_from: permit.validFrom,
        valid_until: permit.validUntil,
        control_date: permit.controlDate,
        ended_on: permit.endedOn,
        end_reason: permit.endReason,
        conditions: permit.conditions,
        card_number: permit.cardNumber,
        l_stay_start: permit.lStayStart,
        immigration_group: permit.immigrationGroup,
      })),
    )
    .returning(['id', 'valid_from'])
    .execute();
  await trx
    .insertInto('permit_events')
    .values(inserted.map((row) => ({ tenant_id: tenantId, permit_id: row.id, event: 'granted' as const, event_date: row.valid_from, recorded_by: recordedBy })))
    .execute();
}

/** The permits of many persons at once (exports), oldest first per person. */
export async function permitRowsOfPersons(db: Db | Trx, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return db.selectFrom('permits').selectAll().where('person_id', 'in', personIds).orderBy('person_id').orderBy('valid_from').orderBy('created_at').execute();
}

/** The office's permit category for an eCH-0006 code ('0201' and '02' both name B); null when none. */
export async function categoryOfEchCode(db: Db | Trx, tenantId: string, echCode: string): Promise<{ code: string; isMain: boolean } | null> {
  const row = await db.selectFrom('permit_categories').select(['code', 'is_main']).where('tenant_id', '=', tenantId).where('ech_code', '=', echCode.slice(0, 2)).where('active', '=', true).executeTakeFirst();
  return row ? { code: row.code, isMain: row.is_main } : null;
}

/** The eCH-0006 code of each of the office's categories (for messages out). */
export async function echCodesOfCategories(db: Db | Trx, tenantId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('permit_categories').select(['code', 'ech_code']).where('tenant_id', '=', tenantId).execute();
  return new Map(rows.filter((row) => row.ech_code !== null).map((row) => [row.code, row.ech_code as string]));
}
