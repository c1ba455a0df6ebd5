import { isIBANValid, isQRIBAN } from 'swissqrbill/utils';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import { AppError, problems } from '../../platform/errors.js';
import { tenantFinance } from './invoices.js';
import * as repo from './repository.js';

export interface SettingsInput {
  officeName: string;
  creditorName: string;
  street: string;
  buildingNumber?: string | null;
  postalCode: string;
  town: string;
  country: string;
  account: string;
  bic?: string | null;
  paymentDays?: number;
}

export function settingsDto(row: repo.SettingsRow | null) {
  if (!row) return null;
  return { officeName: row.office_name, creditorName: row.creditor_name, street: row.street, buildingNumber: row.building_number, postalCode: row.postal_code, town: row.town, country: row.country, account: row.account, bic: row.bic, currency: row.currency, paymentDays: row.payment_days, version: row.version };
}

export async function readSettings(db: Db, context: RequestContext) {
  return settingsDto(await repo.settingsOf(db, context.actor.tenantId));
}

/**
 * The office as creditor. A Swiss office needs a QR-IBAN (its invoices carry QR references); a
 * German one an IBAN. The first save needs no version; later ones the one read (If-Match).
 */
export async function saveSettings(db: Db, context: RequestContext, expectedVersion: number | null, input: SettingsInput) {
  const account = input.account.replace(/\s+/g, '').toUpperCase();
  return inTransaction(db, async (trx) => {
    const finance = await tenantFinance(trx, context.actor.tenantId);
    if (finance.country === 'CH' ? !isQRIBAN(account) || !isIBANValid(account) : !isIBANValid(account)) throw new AppError(422, finance.country === 'CH' ? 'finance-qr-iban' : 'finance-iban', { account });
    const values = { office_name: input.officeName, creditor_name: input.creditorName, street: input.street, building_number: input.buildingNumber ?? null, postal_code: input.postalCode, town: input.town, country: input.country, account, bic: input.bic ?? null, payment_days: input.paymentDays ?? 30 };
    let row: repo.SettingsRow;
    if (!finance.settings) {
      row = await repo.own(trx).insertInto('finance_settings').values({ tenant_id: context.actor.tenantId, currency: finance.currency, ...values }).returningAll().executeTakeFirstOrThrow();
    } else {
      if (expectedVersion === null) throw problems.preconditionRequired();
      if (finance.settings.version !== expectedVersion) throw problems.versionConflict(finance.settings.version);
      row = await repo.own(trx).updateTable('finance_settings').set({ ...values, version: finance.settings.version + 1 }).where('tenant_id', '=', context.actor.tenantId).returningAll().executeTakeFirstOrThrow();
    }
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'finance.settings-saved', entityType: 'tenant', entityId: context.actor.tenantId, details: { account } });
    return settingsDto(row);
  });
}
