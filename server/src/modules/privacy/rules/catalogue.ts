/**
 * Retention rules as data (`server/catalogues/retention/<catalogue>.json`): per kind of data, how
 * long it is kept, what happens then, and the legal basis in plain words. Pure: parsing and
 * checking only; the loader reads the files.
 */

export const RETENTION_LANGUAGES = ['de', 'fr', 'it', 'en'] as const;
export type RetentionLanguage = (typeof RETENTION_LANGUAGES)[number];
export type Texts = Record<RetentionLanguage, string>;

/** Every kind the job knows; a catalogue must decide each one, so nothing is kept by forgetting. */
export const RETENTION_KINDS = ['closed-case', 'returned-papers', 'ended-session', 'read-notification', 'exchange-message', 'sent-mail', 'portal-draft', 'share-code', 'departed-person', 'audit-log'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/**
 * 'purge': empty a closed case file (notes, contact log, tasks, attachments, letters) and keep an
 * anonymous shell for the statistics; 'delete': remove the rows; 'anonymise': replace the identity
 * of a person and keep the counted facts; 'keep': never removed (with a reason).
 */
export type RetentionAction = 'purge' | 'delete' | 'anonymise' | 'keep';

const ACTIONS_OF: Record<RetentionKind, readonly RetentionAction[]> = {
  'closed-case': ['purge', 'keep'],
  'returned-papers': ['delete', 'keep'],
  'ended-session': ['delete', 'keep'],
  'read-notification': ['delete', 'keep'],
  'exchange-message': ['delete', 'keep'],
  'sent-mail': ['delete', 'keep'],
  // Online application drafts (with their uploads) nobody touched for the period.
  'portal-draft': ['delete', 'keep'],
  // Share codes expired or withdrawn: only their hash, label and view count are left.
  'share-code': ['delete', 'keep'],
  'departed-person': ['anonymise', 'keep'],
  'audit-log': ['delete', 'keep'],
};

export interface RetentionPeriod {
  years: number;
  months: number;
  days: number;
}

export interface RetentionRule {
  id: string;
  kind: RetentionKind;
  action: RetentionAction;
  /** Null only for 'keep'. */
  period: RetentionPeriod | null;
  /** From which event the period runs, in plain words. */
  startsAt: Texts;
  legalBasis: Texts;
  /** What the job does when the period has passed (or, for 'keep', why nothing). */
  effect: Texts;
}

export interface RetentionCatalogue {
  catalogue: string;
  country: 'CH' | 'DE';
  names: Texts;
  rules: RetentionRule[];
}

export class RetentionCatalogueError extends Error {
  override name = 'RetentionCatalogueError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function texts(value: unknown, where: string): Texts {
  if (!isRecord(value)) throw new RetentionCatalogueError(`${where}: texts in de, fr, it and en are required`);
  const out = {} as Texts;
  for (const language of RETENTION_LANGUAGES) {
    const text = value[language];
    if (typeof text !== 'string' || text.trim() === '') throw new RetentionCatalogueError(`${where}.${language}: a text is required`);
    out[language] = text;
  }
  return out;
}

function period(value: unknown, where: string): RetentionPeriod {
  if (!isRecord(value)) throw new RetentionCatalogueError(`${where}: a period such as { "years": 10 } is required`);
  const part = (key: 'years' | 'months' | 'days'): number => {
    const n = value[key] ?? 0;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 200 * 366) throw new RetentionCatalogueError(`${where}.${key}: a whole number of ${key} is required`);
    return n;
  };
  const result = { years: part('years'), months: part('months'), days: part('days') };
  for (const key of Object.keys(value)) if (!['years', 'months', 'days'].includes(key)) throw new RetentionCatalogueError(`${where}.${key}: unknown; use years, months and days`);
  if (result.years + result.months + result.days === 0) throw new RetentionCatalogueError(`${where}: a period of zero would remove data at once`);
  return result;
}

/** Checks one catalogue file; every problem names the file and the field. */
export function parseRetentionCatalogue(json: unknown, file: string): RetentionCatalogue {
  if (!isRecord(json)) throw new RetentionCatalogueError(`${file}: not a JSON object`);
  const { catalogue, country, rules } = json;
  if (typeof catalogue !== 'string' || !/^[a-z][a-z0-9-]{0,30}$/.test(catalogue)) throw new RetentionCatalogueError(`${file}: "catalogue" must be a short lower-case id`);
  if (country !== 'CH' && country !== 'DE') throw new RetentionCatalogueError(`${file}: "country" must be CH or DE`);
  if (!Array.isArray(rules)) throw new RetentionCatalogueError(`${file}: "rules" must be a list`);
  const parsed: RetentionRule[] = rules.map((raw, index): RetentionRule => {
    const where = `${file}: rules[${index}]`;
    if (!isRecord(raw)) throw new RetentionCatalogueError(`${where}: not an object`);
    const { id, kind, action } = raw;
    if (typeof id !== 'string' || !/^[a-z][a-z0-9-]{0,62}$/.test(id)) throw new RetentionCatalogueError(`${where}.id: a lower-case id is required`);
    if (typeof kind !== 'string' || !(RETENTION_KINDS as readonly string[]).includes(kind)) throw new RetentionCatalogueError(`${where}.kind: one of ${RETENTION_KINDS.join(', ')}`);
    const typedKind = kind as RetentionKind;
    if (typeof action !== 'string' || !(ACTIONS_OF[typedKind] as readonly string[]).includes(action)) {
      throw new RetentionCatalogueError(`${where}.action: for ${kind} one of ${ACTIONS_OF[typedKind].join(', ')}`);
    }
    const typedAction = action as RetentionAction;
    if (typedAction === 'keep' && raw.period !== undefined) throw new RetentionCatalogueError(`${where}.period: a rule that keeps has no period`);
    return {
      id,
      kind: typedKind,
      action: typedAction,
      period: typedAction === 'keep' ? null : period(raw.period, `${where}.period`),
      startsAt: texts(raw.startsAt, `${where}.startsAt`),
      legalBasis: texts(raw.legalBasis, `${where}.legalBasis`),
      effect: texts(raw.effect, `${where}.effect`),
    };
  });
  for (const kind of RETENTION_KINDS) {
    const count = parsed.filter((rule) => rule.kind === kind).length;
    if (count !== 1) throw new RetentionCatalogueError(`${file}: the kind ${kind} needs exactly one rule, it has ${count}`);
  }
  const ids = new Set(parsed.map((rule) => rule.id));
  if (ids.size !== parsed.length) throw new RetentionCatalogueError(`${file}: rule ids must be unique`);
  return { catalogue, country, names: texts(json.names, `${file}: names`), rules: parsed };
}

export function ruleOf(catalogue: RetentionCatalogue, kind: RetentionKind): RetentionRule {
  const rule = catalogue.rules.find((r) => r.kind === kind);
  if (!rule) throw new RetentionCatalogueError(`catalogue ${catalogue.catalogue} has no rule for ${kind}`);
  return rule;
}
