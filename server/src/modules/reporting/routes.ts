import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors.js';
import type { Db } from '../../platform/db/transaction.js';
import { problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { toCsv, toXlsx, XLSX_TYPE, type Table } from './export.js';
import { figuresTable, foreignPopulation, immigration } from './service.js';

const Count = Type.Integer({ minimum: 0 });
const Format = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')], { description: 'Instead of the Accept header' }));

const ForeignPopulation = Type.Object(
  {
    date: Type.String(),
    permanent: Type.Object({ total: Count, C: Count, B: Count, L_over_12_months: Count }),
    nonPermanent: Type.Object({ total: Count, L_up_to_12_months: Count }),
    asylum: Type.Object({ total: Count, N: Count, F: Count }),
    other: Type.Object({ S: Count, G: Count, Ci: Count }),
  },
  { $id: 'ForeignPopulation' },
);

const Immigration = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    permanent: Type.Object({
      total: Count,
      B_EU_EFTA_employment: Count,
      family_EU_EFTA: Count,
      B_quota_croatia_service_providers: Count,
      quota_employment_non_EU: Count,
      family_non_EU: Count,
      recognised_refugees: Count,
      hardship: Count,
      students: Count,
      other: Count,
      without_employment: Count,
      after_asylum_procedure: Count,
    }),
    nonPermanent: Type.Object({ total: Count, L_EU_EFTA_employment: Count, L_quota_non_EU: Count, other: Count }),
    asylum: Type.Object({ total: Count, primary_applications: Count, secondary_applications: Count }),
  },
  { $id: 'Immigration' },
);

/** YYYY-MM-DD that is a real calendar day; a 400 problem otherwise. */
function calendarDate(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new AppError(400, 'invalid-date', { value });
  }
  return value;
}

/** CSV or XLSX when asked for (format= or Accept); null means answer with JSON. */
async function spreadsheet(request: FastifyRequest, format: string | undefined, table: () => Table): Promise<{ type: string; name: string; body: string | Buffer } | null> {
  const accept = request.headers.accept ?? '';
  const wanted = format ?? (accept.includes('text/csv') ? 'csv' : accept.includes(XLSX_TYPE) ? 'xlsx' : 'json');
  if (wanted === 'csv') return { type: 'text/csv; charset=utf-8', name: `${table().title}.csv`, body: toCsv(table()) };
  if (wanted === 'xlsx') return { type: XLSX_TYPE, name: `${table().title}.xlsx`, body: await toXlsx(table()) };
  return null;
}

async function sendFile(reply: FastifyReply, file: { type: string; name: string; body: string | Buffer }): Promise<void> {
  await reply.type(file.type).header('content-disposition', `attachment; filename="${file.name}"`).send(file.body);
}

export function registerReportingRoutes(root: FastifyInstance, db: Db): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/statistics/foreign-population',
    {
      config: { permission: 'statistics:read' },
      schema: {
        tags: ['statistics'],
        summary: 'Foreign population on a date, by the permit in force (key figures, table 1)',
        description: 'Answers JSON, or CSV with Accept: text/csv, or XLSX. Definitions: docs/key-figures.md.',
        querystring: Type.Object({ date: Type.String({ description: 'YYYY-MM-DD' }), format: Format }, { additionalProperties: false }),
        response: { 200: ForeignPopulation, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const date = calendarDate(request.query.date);
      const figures = await foreignPopulation(db, { actor: requireActor(request), requestId: request.id }, date);
      const file = await spreadsheet(request, request.query.format, () => figuresTable(`foreign-population-${date}`, figures));
      if (file) return sendFile(reply, file);
      return figures;
    },
  );

  app.get(
    '/api/v1/statistics/immigration',
    {
      config: { permission: 'statistics:read' },
      schema: {
        tags: ['statistics'],
        summary: 'Immigration in a period by reason (key figures, table 2)',
        description: 'Answers JSON, or CSV with Accept: text/csv, or XLSX. Definitions: docs/key-figures.md.',
        querystring: Type.Object({ from: Type.String({ description: 'YYYY-MM-DD' }), to: Type.String({ description: 'YYYY-MM-DD' }), format: Format }, { additionalProperties: false }),
        response: { 200: Immigration, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const from = calendarDate(request.query.from);
      const to = calendarDate(request.query.to);
      if (to < from) throw new AppError(422, 'invalid-period', { start: from, end: to });
      const figures = await immigration(db, { actor: requireActor(request), requestId: request.id }, from, to);
      const file = await spreadsheet(request, request.query.format, () => figuresTable(`immigration-${from}-${to}`, figures));
      if (file) return sendFile(reply, file);
      return figures;
    },
  );
}
