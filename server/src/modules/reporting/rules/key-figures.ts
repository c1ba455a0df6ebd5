/**
 * The shapes of the published key figures (Lucerne "Kurzportrait", section 5) and how raw counts
 * map onto them. Pure: the SQL delivers counts per category or per reason, these functions lay
 * them out. Definitions are in docs/key-figures.md.
 */

export interface ForeignPopulation {
  date: string;
  permanent: { total: number; C: number; B: number; L_over_12_months: number };
  nonPermanent: { total: number; L_up_to_12_months: number };
  asylum: { total: number; N: number; F: number };
  other: { S: number; G: number; Ci: number };
}

export interface StockCount {
  category: string;
  longStay: boolean;
  persons: number;
}

export function layOutForeignPopulation(date: string, counts: StockCount[]): ForeignPopulation {
  const sum = (category: string, longStay?: boolean) =>
    counts.filter((c) => c.category === category && (longStay === undefined || c.longStay === longStay)).reduce((total, c) => total + c.persons, 0);
  const C = sum('C');
  const B = sum('B');
  const lLong = sum('L', true);
  const lShort = sum('L', false);
  const N = sum('N');
  const F = sum('F');
  return {
    date,
    permanent: { total: C + B + lLong, C, B, L_over_12_months: lLong },
    nonPermanent: { total: lShort, L_up_to_12_months: lShort },
    asylum: { total: N + F, N, F },
    other: { S: sum('S'), G: sum('G'), Ci: sum('Ci') },
  };
}

export interface Immigration {
  from: string;
  to: string;
  permanent: {
    total: number;
    B_EU_EFTA_employment: number;
    family_EU_EFTA: number;
    B_quota_croatia_service_providers: number;
    quota_employment_non_EU: number;
    family_non_EU: number;
    recognised_refugees: number;
    hardship: number;
    students: number;
    other: number;
    without_employment: number;
    after_asylum_procedure: number;
  };
  nonPermanent: { total: number; L_EU_EFTA_employment: number; L_quota_non_EU: number; other: number };
  asylum: { total: number; primary_applications: number; secondary_applications: number };
}

export interface ImmigrationCount {
  group: 'permanent' | 'non-permanent' | 'asylum';
  reason: string;
  persons: number;
}

const PERMANENT_FIELD: Record<string, keyof Omit<Immigration['permanent'], 'total'>> = {
  'eu-efta-employment': 'B_EU_EFTA_employment',
  'family-eu-efta': 'family_EU_EFTA',
  'quota-croatia-service-providers': 'B_quota_croatia_service_providers',
  'quota-employment-non-eu': 'quota_employment_non_EU',
  'family-non-eu': 'family_non_EU',
  'recognised-refugee': 'recognised_refugees',
  hardship: 'hardship',
  student: 'students',
  'without-employment': 'without_employment',
  'after-asylum-procedure': 'after_asylum_procedure',
};

const NON_PERMANENT_FIELD: Record<string, 'L_EU_EFTA_employment' | 'L_quota_non_EU'> = {
  'eu-efta-employment': 'L_EU_EFTA_employment',
  'quota-employment-non-eu': 'L_quota_non_EU',
};

export function layOutImmigration(from: string, to: string, counts: ImmigrationCount[]): Immigration {
  const result: Immigration = {
    from,
    to,
    permanent: {
      total: 0,
      B_EU_EFTA_employment: 0,
      family_EU_EFTA: 0,
      B_quota_croatia_service_providers: 0,
      quota_employment_non_EU: 0,
      family_non_EU: 0,
      recognised_refugees: 0,
      hardship: 0,
      students: 0,
      other: 0,
      without_employment: 0,
      after_asylum_procedure: 0,
    },
    nonPermanent: { total: 0, L_EU_EFTA_employment: 0, L_quota_non_EU: 0, other: 0 },
    asylum: { total: 0, primary_applications: 0, secondary_applications: 0 },
  };
  for (const count of counts) {
    if (count.group === 'permanent') {
      result.permanent[PERMANENT_FIELD[count.reason] ?? 'other'] += count.persons;
      result.permanent.total += count.persons;
    } else if (count.group === 'non-permanent') {
      result.nonPermanent[NON_PERMANENT_FIELD[count.reason] ?? 'other'] += count.persons;
      result.nonPermanent.total += count.persons;
    } else {
      if (count.reason === 'asylum-primary') result.asylum.primary_applications += count.persons;
      else if (count.reason === 'asylum-secondary') result.asylum.secondary_applications += count.persons;
      else continue;
      result.asylum.total += count.persons;
    }
  }
  return result;
}

/** The two tables as CSV rows (section, figure, value), for spreadsheets. */
export function keyFiguresRows(figures: ForeignPopulation | Immigration): [string, string, number][] {
  const rows: [string, string, number][] = [];
  for (const [section, values] of Object.entries(figures)) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [figure, value] of Object.entries(values as Record<string, number>)) rows.push([section, figure, value]);
  }
  return rows;
}
