import type { RoleSlug } from '../platform/db/tables.js';
import { inTransaction, type Db } from '../platform/db/transaction.js';
import { appendAudit } from '../platform/audit/audit.js';
import { insertUser, prepareUser } from '../modules/access/index.js';
import { insertPermitsBulk, installPermitCatalogue, nationalityGroup, type BulkPermit } from '../modules/permits/index.js';
import { DEMO_LETTERHEAD, seedDemoCases } from './cases.js';
import { fromGenerated, generatePersons, insertPersons, loadRegisterExtras, LUCERNE_MUNICIPALITIES, type NewPerson } from '../modules/register/index.js';

export const DEMO_TENANT = { slug: 'demo', name: 'Amt für Migration Luzern — Demo', country: 'CH' as const, region: 'LU' };
export const DEMO_PASSWORD = 'migraflow-demo';
export const DEMO_PERSON_COUNT = 400;
const DEMO_SEED = 20_260_101;
/** The demo's "today": no generated fact lies after it. */
const DEMO_REFERENCE_DATE = '2026-11-01';

export interface DemoLogin {
  username: string;
  role: RoleSlug;
  displayName: string;
}

const OFFICE_UNITS = [
  { slug: 'aufenthalt', name: 'Aufenthalt und Niederlassung' },
  { slug: 'asyl', name: 'Asyl und Rückkehr' },
];

export function municipalityUnitSlug(bfs: number): string {
  return `gemeinde-${bfs}`;
}

/** One demo user per role; the municipal clerk works for the city of Lucerne (BFS 1061). */
export const DEMO_LOGINS: (DemoLogin & { unitSlug: string | null })[] = [
  { username: 'caseworker', role: 'caseworker', displayName: 'Anna Meier', unitSlug: 'aufenthalt' },
  { username: 'teamlead', role: 'team-lead', displayName: 'Beat Schmid', unitSlug: 'aufenthalt' },
  { username: 'clerk', role: 'municipal-clerk', displayName: 'Carla Bucher', unitSlug: municipalityUnitSlug(1061) },
  { username: 'admin', role: 'admin', displayName: 'Daniel Graf', unitSlug: null },
  { username: 'auditor', role: 'auditor', displayName: 'Eva Roos', unitSlug: null },
  { username: 'applicant', role: 'applicant', displayName: 'Fatima Krasniqi', unitSlug: null },
  { username: 'partner', role: 'partner', displayName: 'Einwohnerregister Kriens (Partner)', unitSlug: null },
];

const ASYLUM_COUNTRIES = new Set(['ER', 'AF', 'SY', 'SO', 'IQ']);

function shift(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * Plausible permit histories for the demo's foreigners, from their residence history: asylum
 * seekers N then F; others B, then C after five (EU/EFTA) or ten years; recent arrivals partly
 * L. Some permits run out around the demo date, so the expiry list has work on it.
 */
export function demoPermits(persons: NewPerson[], referenceDate: string): BulkPermit[] {
  const permits: BulkPermit[] = [];
  persons.forEach((person, index) => {
    if (person.nationality === 'CH' || person.residences.length === 0) return;
    const arrival = person.residences[0]!.arrivalDate;
    const departure = person.residences[person.residences.length - 1]!.departureDate;
    const end = (from: string) => (departure && departure > from ? { endedOn: departure, endReason: 'departure' as const } : { endedOn: null, endReason: null });
    const base = { personId: person.id, nationality: person.nationality };
    const years = (Date.parse(departure ?? referenceDate) - Date.parse(arrival)) / (365.25 * 86_400_000);
    const eu = nationalityGroup(person.nationality) === 'eu-efta';
    const renewal = shift(referenceDate, (index * 37) % 150 - 30);
    if (ASYLUM_COUNTRIES.has(person.nationality)) {
      if (years < 1) {
        permits.push({ ...base, category: 'N', reason: 'asylum-primary', validFrom: arrival, validUntil: shift(renewal, 60), ...end(arrival) });
        return;
      }
      const admitted = shift(arrival, 300);
      permits.push({ ...base, category: 'N', reason: 'asylum-primary', validFrom: arrival, validUntil: shift(admitted, 10), endedOn: admitted, endReason: 'category-changed' });
      permits.push({ ...base, category: 'F', reason: 'provisional-admission', validFrom: admitted, validUntil: renewal, ...end(admitted) });
      return;
    }
    if (years < 1 && index % 3 === 0) {
      permits.push({ ...base, category: 'L', reason: eu ? 'eu-efta-employment' : 'quota-employment-non-eu', validFrom: arrival, validUntil: shift(shift(arrival, 365), -1), ...end(arrival) });
      return;
    }
    const reason = eu ? (index % 4 === 0 ? 'family-eu-efta' : 'eu-efta-employment') : (['family-non-eu', 'quota-employment-non-eu', 'student'] as const)[index % 3]!;
    const settleAfter = eu ? 5 : 10;
    if (years >= settleAfter) {
      const settled = shift(arrival, Math.round(settleAfter * 365.25));
      permits.push({ ...base, category: 'B', reason, validFrom: arrival, validUntil: shift(settled, 10), endedOn: settled, endReason: 'category-changed' });
      permits.push({ ...base, category: 'C', reason: 'other', validFrom: settled, validUntil: null, ...end(settled) });
      return;
    }
    permits.push({ ...base, category: 'B', reason, validFrom: arrival, validUntil: renewal > arrival ? renewal : shift(arrival, 365), ...end(arrival) });
  });
  return permits;
}

export type SeedOutcome = { seeded: true; persons: number } | { seeded: false };

/** Loads the demo office once: a second call finds it and changes nothing. */
export async function seedDemo(db: Db, personCount = DEMO_PERSON_COUNT): Promise<SeedOutcome> {
  const existing = await db.selectFrom('tenants').select('id').where('slug', '=', DEMO_TENANT.slug).executeTakeFirst();
  if (existing) return { seeded: false };

  // Password hashing is slow: done before the transaction, which then writes everything or nothing.
  const users = await Promise.all(
    DEMO_LOGINS.map((login) =>
      prepareUser({ tenantSlug: DEMO_TENANT.slug, username: login.username, displayName: login.displayName, password: DEMO_PASSWORD, roles: [{ role: login.role, unitSlug: login.unitSlug }] }),
    ),
  );
  const seeded = await inTransaction(db, async (trx) => {
    const tenant = await trx
      .insertInto('tenants')
      .values({ slug: DEMO_TENANT.slug, name: DEMO_TENANT.name, country: DEMO_TENANT.country, region: DEMO_TENANT.region, settings: JSON.stringify({ letterhead: DEMO_LETTERHEAD }) })
      .onConflict((conflict) => conflict.column('slug').doNothing())
      .returning('id')
      .executeTakeFirst();
    // Another process seeded it a moment ago.
    if (!tenant) return false;
    await installPermitCatalogue(trx, tenant.id, 'CH');
    await trx
      .insertInto('units')
      .values([
        ...OFFICE_UNITS.map((unit) => ({ tenant_id: tenant.id, slug: unit.slug, name: unit.name, kind: 'office' as const, bfs_number: null })),
        ...LUCERNE_MUNICIPALITIES.map((m) => ({ tenant_id: tenant.id, slug: municipalityUnitSlug(m.bfs), name: `Einwohnerkontrolle ${m.name}`, kind: 'municipality' as const, bfs_number: m.bfs })),
      ])
      .execute();
    const generated = generatePersons({ seed: DEMO_SEED, count: personCount, referenceDate: DEMO_REFERENCE_DATE });
    const persons = generated.map((p) => fromGenerated(tenant.id, p));
    await insertPersons(trx, persons);
    await loadRegisterExtras(trx, tenant.id, persons, generated, DEMO_REFERENCE_DATE);
    await insertPermitsBulk(trx, tenant.id, 'CH', demoPermits(persons, DEMO_REFERENCE_DATE));
    await appendAudit(trx, { tenantId: tenant.id, actorId: null, actorKind: 'system', actorName: 'seed --demo', requestId: null }, {
      action: 'register.bulk-load',
      entityType: 'tenant',
      entityId: tenant.id,
      details: { persons: persons.length, source: 'demo generator', seed: DEMO_SEED },
    });
    for (const user of users) await insertUser(trx, user, 'seed --demo');
    return tenant.id;
  });
  if (seeded === false) return { seeded: false };
  // Cases go through the case service like a caseworker's own, in their own transactions.
  await seedDemoCases(db, seeded, new Date().toISOString().slice(0, 10));
  return { seeded: true, persons: personCount };
}
