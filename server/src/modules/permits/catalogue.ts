import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Trx } from '../../platform/db/transaction.js';
import type { StatisticsGroup } from './rules/admission.js';
import type { ValidityRule } from './rules/validity.js';

/** The shipped catalogues: `server/catalogues/permit-categories-<country>.json`. */
const CATALOGUES_DIR = fileURLToPath(new URL('../../../catalogues/', import.meta.url));

export interface CatalogueEntry {
  code: string;
  echCode: string | null;
  legalBasis: string;
  isMain: boolean;
  statisticsGroup: StatisticsGroup;
  names: Record<'de' | 'fr' | 'it' | 'en', string>;
  validity: ValidityRule;
  active?: boolean;
}

export function readCatalogue(country: 'CH' | 'DE'): CatalogueEntry[] {
  const file = `${CATALOGUES_DIR}/permit-categories-${country.toLowerCase()}.json`;
  return (JSON.parse(readFileSync(file, 'utf8')) as { categories: CatalogueEntry[] }).categories;
}

/** Gives a new tenant the permit catalogue of its country; the administrator may edit it later. */
export async function installPermitCatalogue(trx: Trx, tenantId: string, country: 'CH' | 'DE'): Promise<number> {
  const entries = readCatalogue(country);
  await trx
    .insertInto('permit_categories')
    .values(
      entries.map((entry) => ({
        tenant_id: tenantId,
        code: entry.code,
        ech_code: entry.echCode,
        legal_basis: entry.legalBasis,
        names: JSON.stringify(entry.names),
        is_main: entry.isMain,
        statistics_group: entry.statisticsGroup,
        validity: JSON.stringify(entry.validity),
        active: entry.active ?? true,
      })),
    )
    .onConflict((conflict) => conflict.columns(['tenant_id', 'code']).doNothing())
    .execute();
  return entries.length;
}
