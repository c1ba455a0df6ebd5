/**
 * Valid-time history of one aspect of a person (names, civil status, nationality): pure planning
 * of what to supersede and what to insert. Rows are never edited; a superseded row stays as the
 * record of what was known before.
 */
export interface VersionRow<T> {
  id: string;
  validFrom: string;
  validTo: string | null;
  data: T;
}

export interface NewVersion<T> {
  validFrom: string;
  validTo: string | null;
  data: T;
  reason: 'change' | 'correction';
}

export interface VersionPlan<T> {
  supersede: string[];
  insert: NewVersion<T>[];
}

export class HistoryError extends Error {
  override name = 'HistoryError';
}

/** The version valid on `date` (YYYY-MM-DD), if any. Rows must not overlap. */
export function versionOn<T>(rows: VersionRow<T>[], date: string): VersionRow<T> | null {
  return rows.find((row) => row.validFrom <= date && (row.validTo === null || row.validTo > date)) ?? null;
}

/**
 * A change from `from`: the version valid then is cut at `from` (superseded and re-inserted with an
 * end), and the changed fields hold from `from` on — also in versions that start later, which keep
 * their own other changes. A correction replaces the fields in the version valid on `from` for its
 * whole period, and in later versions that carried the same wrong values forward.
 */
export function planChange<T extends object>(rows: VersionRow<T>[], from: string, update: Partial<T>, correction: boolean): VersionPlan<T> {
  const current = versionOn(rows, from);
  if (!current) throw new HistoryError(`no version is valid on ${from}`);
  const fields = Object.keys(update) as (keyof T)[];
  const apply = (data: T): T => ({ ...data, ...update });
  const later = rows.filter((row) => row.validFrom > current.validFrom);
  const reason = correction ? ('correction' as const) : ('change' as const);
  const affected = correction ? later.filter((row) => fields.every((field) => row.data[field] === current.data[field])) : later;
  const plan: VersionPlan<T> = { supersede: [current.id, ...affected.map((row) => row.id)], insert: [] };
  if (!correction && current.validFrom < from) plan.insert.push({ validFrom: current.validFrom, validTo: from, data: current.data, reason });
  plan.insert.push({ validFrom: correction ? current.validFrom : from, validTo: current.validTo, data: apply(current.data), reason });
  for (const row of affected) plan.insert.push({ validFrom: row.validFrom, validTo: row.validTo, data: apply(row.data), reason });
  return plan;
}
