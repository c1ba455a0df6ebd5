import type { RequestContext } from '../../platform/auth/actor.js';
import { addDays, format, parseISO, subYears } from 'date-fns';
import type { Db, Trx } from '../../platform/db/transaction.js';
import type { ProcessingTime } from './rules/processing-time.js';
import * as repo from './repository.js';
import { keyFiguresRows, layOutForeignPopulation, layOutImmigration, type ForeignPopulation, type Immigration } from './rules/key-figures.js';
import type { Table } from './export.js';

/** The exact SQL behind the two tables, compiled, so benchmarks can time it straight on the database. */
export function compileKeyFigureQueries(db: Db, tenantId: string, date: string, from: string, to: string) {
  return { stock: repo.stockCountsQuery(tenantId, date).compile(db), immigration: repo.immigrationCountsQuery(tenantId, from, to).compile(db) };
}

export async function foreignPopulation(db: Db, context: RequestContext, date: string): Promise<ForeignPopulation> {
  return layOutForeignPopulation(date, await repo.stockCounts(db, context.actor.tenantId, date));
}

export async function immigration(db: Db, context: RequestContext, from: string, to: string): Promise<Immigration> {
  return layOutImmigration(from, to, await repo.immigrationCounts(db, context.actor.tenantId, from, to));
}

export function figuresTable(title: string, figures: ForeignPopulation | Immigration): Table {
  return { title, columns: ['section', 'figure', 'value'], rows: keyFiguresRows(figures) };
}

/** The office's processing time of a case type over the twelve months before `today`; null when no case was decided. */
export async function processingTime(db: Db | Trx, tenantId: string, typeSlug: string, today: string): Promise<ProcessingTime | null> {
  const to = format(addDays(parseISO(today), 1), 'yyyy-MM-dd');
  const from = format(subYears(parseISO(today), 1), 'yyyy-MM-dd');
  const figures = await repo.processingTimeOf(db, tenantId, typeSlug, from, to);
  if (figures.cases === 0 || figures.median === null || figures.p75 === null || figures.p90 === null) return null;
  return { cases: figures.cases, medianDays: figures.median, p75Days: figures.p75, p90Days: figures.p90 };
}
