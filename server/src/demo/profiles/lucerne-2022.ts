import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { insertPermitsBulk, installPermitCatalogue, nationalityGroup, type AdmissionReason, type BulkPermit } from '../../modules/permits/index.js';
import { fromGenerated, generatePersonsLazily, insertPersons, LUCERNE_MUNICIPALITIES, SeededRandom, type GeneratedPerson, type NewPerson } from '../../modules/register/index.js';
import { municipalityUnitSlug } from '../seed.js';

/**
 * A synthetic canton of Lucerne whose key figures for 31.12.2022 and for the year 2022 are exactly
 * those the office published (Kurzportrait 2023, section 5), with ten and more years of history
 * behind them: arrivals, extensions, changes B → C, N → F → B, L chains, departures.
 *
 * The plan is arithmetic: every published number is a group of persons built to fall into exactly
 * that cell of the tables under the definitions in docs/key-figures.md. Names, birth dates and
 * nationalities come from the register's generator; dates within a group are drawn from a seeded
 * random stream, so the load is the same on every machine.
 */

export const LUCERNE_2022 = {
  slug: 'lucerne-2022',
  name: 'Amt für Migration Luzern — Profil 2022',
  stock: { C: 49_129, B: 32_618, L_over_12_months: 444, L_up_to_12_months: 1_628, N: 604, F: 2_234 },
  permanent: {
    'eu-efta-employment': 3_245,
    'family-eu-efta': 842,
    'quota-croatia-service-providers': 13,
    'quota-employment-non-eu': 109,
    'family-non-eu': 898,
    'recognised-refugee': 169,
    hardship: 354,
    student: 853,
    other: 212,
    'without-employment': 141,
    'after-asylum-procedure': 11,
  } satisfies Partial<Record<AdmissionReason, number>>,
  nonPermanent: { 'eu-efta-employment': 2_385, 'quota-employment-non-eu': 356, other: 559 } satisfies Partial<Record<AdmissionReason, number>>,
  asylum: { 'asylum-primary': 456, 'asylum-secondary': 215 } satisfies Partial<Record<AdmissionReason, number>>,
} as const;

const SEED = 2022;
const YEAR_START = '2022-01-01';
const YEAR_END = '2022-12-31';
const EU_REASONS = new Set<AdmissionReason>(['eu-efta-employment', 'family-eu-efta', 'quota-croatia-service-providers']);
const NON_EU_REASONS = new Set<AdmissionReason>(['quota-employment-non-eu', 'family-non-eu', 'recognised-refugee', 'hardship', 'student', 'after-asylum-procedure']);

const DAY = 86_400_000;
const toDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const fromDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const plusDays = (iso: string, days: number) => fromDay(toDay(iso) + days);
const plusYears = (iso: string, years: number) => `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`.replace(/-02-29$/, '-02-28');

interface Plan {
  nationality: 'eu' | 'other' | 'any';
  /** Permits in the order granted; the residence runs from the first one. */
  permits: Omit<BulkPermit, 'personId' | 'nationality'>[];
  departure: string | null;
}

/** Draws foreign adults from the generator, by nationality group, in a fixed order. */
class IdentityPool {
  private readonly stream: Generator<GeneratedPerson>;
  private readonly waiting: Record<'eu' | 'other', GeneratedPerson[]> = { eu: [], other: [] };
  constructor(private readonly isEu: (nationality: string) => boolean) {
    this.stream = generatePersonsLazily({ seed: SEED, count: 50_000_000, referenceDate: '2002-12-31', foreignShare: 1 });
  }
  take(group: 'eu' | 'other' | 'any'): GeneratedPerson {
    const want = group === 'any' ? (this.waiting.eu.length > 0 ? 'eu' : 'other') : group;
    for (;;) {
      const ready = this.waiting[want].shift();
      if (ready) return ready;
      const next = this.stream.next();
      if (next.done) throw new Error('identity stream exhausted');
      if (next.value.nationality === 'CH' || next.value.residences.length === 0) continue;
      this.waiting[this.isEu(next.value.nationality) ? 'eu' : 'other'].push(next.value);
    }
  }
}

export function split(total: number, parts: number[]): number[] {
  // Largest-remainder apportionment: the parts add up to `total` exactly.
  const sum = parts.reduce((a, b) => a + b, 0);
  const raw = parts.map((p) => (p * total) / sum);
  const result = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  const missing = total - result.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) result[order[k]![1]]! += 1;
  return result;
}

export function* planLucerne2022(scale = 1): Generator<Plan> {
  // scale > 1 builds a larger country with the same shares (benchmarks); 1 gives the published figures.
  const k = (n: number) => Math.round(n * scale);
  const random = new SeededRandom(SEED);
  const between = (from: string, to: string) => fromDay(random.int(toDay(from), toDay(to)));
  const later = (from: string, min: number, max: number) => plusDays(from, random.int(min, max));

  // 1. Immigration of the permanent population in 2022, by reason (4 % leave again within the year).
  let bStockFrom2022 = 0;
  for (const [reason, published] of Object.entries(LUCERNE_2022.permanent) as [AdmissionReason, number][]) {
    const count = k(published);
    const leaving = Math.floor(count * 0.04);
    bStockFrom2022 += count - leaving;
    for (let i = 0; i < count; i++) {
      const departs = i < leaving;
      const start = departs ? between(YEAR_START, '2022-10-31') : between(YEAR_START, YEAR_END);
      const departure = departs ? later(start, 30, toDay(YEAR_END) - toDay(start)) : null;
      const permits: Plan['permits'] = [];
      if (reason === 'hardship') {
        const applied = between('2014-01-01', '2018-12-31');
        const admitted = later(applied, 200, 500);
        permits.push({ category: 'N', reason: 'asylum-primary', validFrom: applied, validUntil: plusDays(admitted, 30), endedOn: admitted, endReason: 'category-changed' });
        permits.push({ category: 'F', reason: 'provisional-admission', validFrom: admitted, validUntil: plusYears(start, 1), endedOn: start, endReason: 'category-changed' });
      } else if (reason === 'after-asylum-procedure' || reason === 'recognised-refugee') {
        const applied = reason === 'recognised-refugee' ? between('2021-01-01', '2021-12-31') : between('2019-01-01', '2021-06-30');
        permits.push({ category: 'N', reason: 'asylum-primary', validFrom: applied, validUntil: plusYears(start, 1), endedOn: start, endReason: 'category-changed' });
      }
      const bUntil = EU_REASONS.has(reason) ? plusDays(plusYears(start, 5), -1) : plusDays(plusYears(start, 1), -1);
      permits.push({ category: 'B', reason, validFrom: start, validUntil: bUntil, endedOn: departure, endReason: departure ? 'departure' : null });
      yield { nationality: EU_REASONS.has(reason) ? 'eu' : NON_EU_REASONS.has(reason) ? 'other' : 'any', permits, departure };
    }
  }

  // 2. B holders who came before 2022 and still hold B on 31.12.2022 (extended where needed).
  for (let i = 0; i < k(LUCERNE_2022.stock.B) - bStockFrom2022; i++) {
    const eu = random.chance(0.6);
    const start = between('2013-01-01', '2021-12-31');
    const extendedUntil = between('2023-01-31', '2026-12-31');
    yield { nationality: eu ? 'eu' : 'other', permits: [{ category: 'B', reason: eu ? 'eu-efta-employment' : random.pick(['family-non-eu', 'quota-employment-non-eu', 'student'] as const), validFrom: start, validUntil: extendedUntil, endedOn: null, endReason: null }], departure: null };
  }

  // 3. Settled (C): B first, C after five (EU/EFTA) or ten years.
  for (let i = 0; i < k(LUCERNE_2022.stock.C); i++) {
    const eu = random.chance(0.62);
    const arrival = eu ? between('1995-01-01', '2017-12-31') : between('1990-01-01', '2012-12-31');
    const settled = plusYears(arrival, eu ? 5 : 10);
    yield {
      nationality: eu ? 'eu' : 'other',
      permits: [
        { category: 'B', reason: eu ? 'eu-efta-employment' : random.pick(['family-non-eu', 'quota-employment-non-eu'] as const), validFrom: arrival, validUntil: plusDays(settled, 10), endedOn: settled, endReason: 'category-changed' },
        { category: 'C', reason: 'other', validFrom: settled, validUntil: null, endedOn: null, endReason: null },
      ],
      departure: null,
    };
  }

  // 4. Short stays: L chains begun in 2021 that reached twelve months during 2022.
  for (let i = 0; i < k(LUCERNE_2022.stock.L_over_12_months); i++) {
    const first = between('2021-01-01', '2021-12-31');
    const second = plusYears(first, 1);
    yield {
      nationality: 'eu',
      permits: [
        { category: 'L', reason: 'eu-efta-employment', validFrom: first, validUntil: plusDays(second, -1), endedOn: null, endReason: null },
        { category: 'L', reason: 'eu-efta-employment', validFrom: second, validUntil: plusDays(plusYears(second, 1), -1), endedOn: null, endReason: null },
      ],
      departure: null,
    };
  }

  // 5. L immigration of 2022: those still here on 31.12. are the L holders under twelve months.
  const reasons = (Object.entries(LUCERNE_2022.nonPermanent) as [AdmissionReason, number][]).map(([reason, n]) => [reason, k(n)] as const);
  const staying = split(k(LUCERNE_2022.stock.L_up_to_12_months), reasons.map(([, n]) => n));
  for (const [index, [reason, count]] of reasons.entries()) {
    for (let i = 0; i < count; i++) {
      const stays = i < staying[index]!;
      const start = stays ? between(YEAR_START, YEAR_END) : between(YEAR_START, '2022-10-31');
      const departure = stays ? null : later(start, 30, toDay(YEAR_END) - toDay(start));
      yield {
        nationality: reason === 'quota-employment-non-eu' ? 'other' : reason === 'eu-efta-employment' ? 'eu' : 'any',
        permits: [{ category: 'L', reason, validFrom: start, validUntil: plusDays(plusYears(start, 1), -1), endedOn: departure, endReason: departure ? 'departure' : null }],
        departure,
      };
    }
  }

  // 6. Asylum applications of 2022: most still pending (N), some provisionally admitted (F), some gone.
  const applications = Object.entries(LUCERNE_2022.asylum).flatMap(([reason, count]) => Array.from({ length: k(count) }, () => reason as AdmissionReason));
  const toF = k(120);
  const gone = k(71);
  for (const [i, reason] of applications.entries()) {
    const applied = between(YEAR_START, '2022-09-30');
    if (i < toF) {
      const admitted = later(applied, 40, toDay(YEAR_END) - toDay(applied));
      yield {
        nationality: 'other',
        permits: [
          { category: 'N', reason, validFrom: applied, validUntil: plusDays(applied, 182), endedOn: admitted, endReason: 'category-changed' },
          { category: 'F', reason: 'provisional-admission', validFrom: admitted, validUntil: plusDays(plusYears(admitted, 1), -1), endedOn: null, endReason: null },
        ],
        departure: null,
      };
    } else if (i < toF + gone) {
      const departure = later(applied, 20, toDay(YEAR_END) - toDay(applied));
      yield { nationality: 'other', permits: [{ category: 'N', reason, validFrom: applied, validUntil: plusDays(applied, 182), endedOn: departure, endReason: 'departure' }], departure };
    } else {
      yield { nationality: 'other', permits: [{ category: 'N', reason, validFrom: applied, validUntil: '2023-03-31', endedOn: null, endReason: null }], departure: null };
    }
  }
  const pendingFrom2022 = applications.length - toF - gone;

  // 7. Older asylum cases: still pending, or provisionally admitted for years.
  for (let i = 0; i < k(LUCERNE_2022.stock.N) - pendingFrom2022; i++) {
    yield { nationality: 'other', permits: [{ category: 'N', reason: 'asylum-primary', validFrom: between('2019-06-01', '2021-12-31'), validUntil: '2023-04-30', endedOn: null, endReason: null }], departure: null };
  }
  for (let i = 0; i < k(LUCERNE_2022.stock.F) - toF; i++) {
    const applied = between('2013-01-01', '2020-12-31');
    const admitted = later(applied, 150, 700);
    yield {
      nationality: 'other',
      permits: [
        { category: 'N', reason: random.chance(0.7) ? 'asylum-primary' : 'asylum-secondary', validFrom: applied, validUntil: plusDays(admitted, 30), endedOn: admitted, endReason: 'category-changed' },
        { category: 'F', reason: 'provisional-admission', validFrom: admitted, validUntil: between('2023-01-31', '2023-12-31'), endedOn: null, endReason: null },
      ],
      departure: null,
    };
  }

  // 8. History that no 2022 figure shows: people who came and left in earlier years.
  for (let i = 0; i < k(2_500); i++) {
    const eu = random.chance(0.6);
    const short = random.chance(0.3);
    const start = between('2012-01-01', '2019-12-31');
    const drawn = later(start, 200, short ? 360 : 1500);
    const departure = drawn > '2021-12-31' ? '2021-12-31' : drawn;
    const category = short ? 'L' : 'B';
    yield {
      nationality: eu ? 'eu' : 'other',
      permits: [{ category, reason: eu ? 'eu-efta-employment' : 'other', validFrom: start, validUntil: plusDays(plusYears(start, short ? 1 : 5), -1), endedOn: departure, endReason: 'departure' }],
      departure,
    };
  }
}

/** Loads the profile as tenant `lucerne-2022`, replacing an earlier load of it. Returns the number of persons. */
export async function loadLucerne2022(db: Db, onProgress: (persons: number) => void = () => undefined, options: { scale?: number; slug?: string } = {}): Promise<number> {
  const slug = options.slug ?? LUCERNE_2022.slug;
  const existing = await db.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirst();
  if (existing) await db.deleteFrom('tenants').where('id', '=', existing.id).execute();
  const tenant = await inTransaction(db, async (trx) => {
    const row = await trx.insertInto('tenants').values({ slug, name: LUCERNE_2022.name, country: 'CH', region: 'LU' }).returning('id').executeTakeFirstOrThrow();
    await installPermitCatalogue(trx, row.id, 'CH');
    await trx
      .insertInto('units')
      .values([
        { tenant_id: row.id, slug: 'aufenthalt', name: 'Aufenthalt und Niederlassung', kind: 'office', bfs_number: null },
        { tenant_id: row.id, slug: 'asyl', name: 'Asyl und Rückkehr', kind: 'office', bfs_number: null },
        ...LUCERNE_MUNICIPALITIES.map((m) => ({ tenant_id: row.id, slug: municipalityUnitSlug(m.bfs), name: `Einwohnerkontrolle ${m.name}`, kind: 'municipality' as const, bfs_number: m.bfs })),
      ])
      .execute();
    return row;
  });

  const pool = new IdentityPool((nationality) => nationalityGroup(nationality) === 'eu-efta');
  let persons: NewPerson[] = [];
  let permits: BulkPermit[] = [];
  let loaded = 0;
  const flush = async () => {
    if (persons.length === 0) return;
    const batchPersons = persons;
    const batchPermits = permits;
    persons = [];
    permits = [];
    await inTransaction(db, async (trx) => {
      await insertPersons(trx, batchPersons, 1000);
      await insertPermitsBulk(trx, tenant.id, 'CH', batchPermits);
    });
    loaded += batchPersons.length;
    onProgress(loaded);
  };

  for (const plan of planLucerne2022(options.scale ?? 1)) {
    const identity = pool.take(plan.nationality);
    const person = fromGenerated(tenant.id, identity);
    const home = identity.residences[identity.residences.length - 1]!;
    const arrival = plan.permits[0]!.validFrom;
    person.residences = [{ ...home, kind: 'main', arrivalDate: arrival, arrivedFrom: identity.nationality, departureDate: plan.departure, departedTo: plan.departure ? identity.nationality : null }];
    person.id = randomUUID();
    persons.push(person);
    for (const permit of plan.permits) permits.push({ ...permit, personId: person.id, nationality: person.nationality });
    if (persons.length >= 2000) await flush();
  }
  await flush();
  // Fresh statistics for the tables just filled: without them the planner guesses (PGlite has no
  // autovacuum at all), and under row-level security a guess can turn a key figure into minutes.
  await sql`ANALYZE persons, residences, permits, permit_events`.execute(db);
  await inTransaction(db, (trx) =>
    appendAudit(trx, { tenantId: tenant.id, actorId: null, actorKind: 'system', actorName: 'seed --profile lucerne-2022', requestId: null }, { action: 'register.bulk-load', entityType: 'tenant', entityId: tenant.id, details: { persons: loaded, profile: LUCERNE_2022.slug, scale: options.scale ?? 1 } }),
  );
  return loaded;
}
