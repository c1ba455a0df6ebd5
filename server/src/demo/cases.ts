import { addDays, format, parseISO } from 'date-fns';
import type { Actor } from '../platform/auth/actor.js';
import { inTransaction, type Db } from '../platform/db/transaction.js';
import { createCase, installCaseTypes, readShippedCaseTypes, takeStep } from '../modules/cases/index.js';
import { invoiceRowsOf, recordCounterPayment, saveSettings } from '../modules/finance/index.js';
import { SeededRandom } from '../modules/register/index.js';
import { seedDemoPortal } from './portal.js';

/** The letterhead of the demo office (public address of the Amt für Migration Luzern). */
export const DEMO_LETTERHEAD = {
  officeName: 'Amt für Migration des Kantons Luzern',
  unitName: 'Aufenthalt und Niederlassung',
  addressLines: ['Fruttstrasse 15', '6002 Luzern'],
  website: 'migration.lu.ch',
  place: 'Luzern',
};

export const DEMO_CREDITOR = {
  officeName: 'Amt für Migration des Kantons Luzern',
  creditorName: 'Amt für Migration Luzern',
  street: 'Fruttstrasse',
  buildingNumber: '15',
  postalCode: '6002',
  town: 'Luzern',
  country: 'CH',
  account: 'CH4431999123000889012',
};

/**
 * Open cases for the demo: extensions for people whose permit B runs out soon (most with their
 * papers in, so the common path is one click away), and a few of every other type.
 */
export async function seedDemoCases(db: Db, tenantId: string, today: string): Promise<number> {
  await inTransaction(db, (trx) => installCaseTypes(trx, tenantId, 'CH'));
  const caseworker = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.username', 'users.display_name', 'user_roles.unit_id'])
    .where('users.tenant_id', '=', tenantId)
    .where('user_roles.role', '=', 'caseworker')
    .executeTakeFirstOrThrow();
  const tenant = await db.selectFrom('tenants').select(['slug', 'name']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  const actor: Actor = { kind: 'user', id: caseworker.id, name: caseworker.username, displayName: caseworker.display_name, tenantId, tenantSlug: tenant.slug, tenantName: tenant.name, roles: [{ role: 'caseworker', unitId: caseworker.unit_id }], locale: 'de', sessionIdHash: null };
  const context = { actor, requestId: 'seed --demo' };
  const random = new SeededRandom(4242);
  const types = new Map(readShippedCaseTypes('CH').map((t) => [t.slug, t]));
  const holders = await db
    .selectFrom('permits')
    .select(['person_id', 'valid_until'])
    .where('tenant_id', '=', tenantId)
    .where('category', '=', 'B')
    .where('ended_on', 'is', null)
    .where('valid_until', '>=', today)
    .orderBy('valid_until')
    .limit(40)
    .execute();
  // The office as creditor, so that invoices can be printed. The QR-IBAN is SIX's published example, not a real account.
  await saveSettings(db, context, null, { ...DEMO_CREDITOR });
  let created = 0;
  const open = async (typeSlug: string, personId: string, ageDays: number, completeExcept: number) => {
    const type = types.get(typeSlug);
    if (!type) return null;
    const required = type.checklist.filter((item) => item.optional !== true);
    // What is missing is a paper: a complete extension would get its interim confirmation at once.
    const papers = required.filter((item) => item.kind === 'paper').map((item) => item.id);
    const missing = new Set(completeExcept > 0 ? papers.slice(-completeExcept) : []);
    created++;
    return createCase(db, context, { typeSlug, personId, receivedOn: format(addDays(parseISO(today), -ageDays), 'yyyy-MM-dd'), checklist: required.map((item) => item.id).filter((id) => !missing.has(id)) });
  };
  const version = async (caseId: string) => (await db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version;
  // A few extensions already decided: their fees are invoiced, two of them paid at the counter.
  const decide = async (caseId: string, validUntil: string, paid: boolean) => {
    await takeStep(db, context, caseId, await version(caseId), 'start-review', {});
    await takeStep(db, context, caseId, await version(caseId), 'extend', { reason: 'Die Voraussetzungen für die Verlängerung sind erfüllt.', fields: { validUntil } });
    const [invoice] = await invoiceRowsOf(db, tenantId, { caseId });
    if (paid && invoice) await recordCounterPayment(db, context, invoice.id, invoice.version, { amount: invoice.amount_minor / 100, paidOn: today });
  };
  for (const [index, holder] of holders.entries()) {
    if (index < 24) {
      const caseId = await open('permit-extension', holder.person_id, random.int(1, 120), index % 3 === 0 ? 1 : 0);
      if (caseId && index % 3 !== 0 && index < 12 && holder.valid_until) await decide(caseId, format(addDays(parseISO(holder.valid_until), 365 * 2), 'yyyy-MM-dd'), index % 2 === 0);
    }
    else if (index < 30) await open('settlement-permit', holder.person_id, random.int(5, 200), 1);
    else if (index < 35) await open('welcome-talk', holder.person_id, random.int(1, 40), 0);
    else await open('family-reunification', holder.person_id, random.int(10, 300), 2);
  }
  await seedDemoPortal(db, context, today);
  return created + 1;
}
