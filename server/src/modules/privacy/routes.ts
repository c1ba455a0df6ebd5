import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import { IdParams, Nullable, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { buildAccessReport } from './access-report.js';
import { liftHold, placeHold, readHold } from './holds.js';
import { letterheadOf } from './repository.js';
import { renderAccessReportPdf, type ReportLanguage } from './report-pdf.js';
import { listRetentionRuns, readRetentionRun, rulesOfOffice } from './retention.js';

function context(request: FastifyRequest): RequestContext {
  return { actor: requireActor(request), requestId: request.id };
}

const Language = Type.Union([Type.Literal('de'), Type.Literal('fr'), Type.Literal('it'), Type.Literal('en')]);
// The report is long and mirrors the person file; its shape is documented in docs/security.md.
const Report = Type.Record(Type.String(), Type.Unknown(), { description: 'Everything the office holds on the person, and every access to it' });
const Hold = Type.Object({ id: Type.String(), subject: Type.String(), subjectId: Type.String(), reason: Type.String(), placedBy: Type.String(), placedAt: Type.String() });
const HoldBody = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false });
const LiftQuery = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) });
const Totals = Type.Array(Type.Object({ rule: Type.String(), kind: Type.String(), action: Type.String(), count: Type.Integer(), held: Type.Integer() }));
const RunSummary = Type.Object({ id: Type.String(), asOf: Type.String(), dryRun: Type.Boolean(), catalogue: Type.String(), startedAt: Type.String(), finishedAt: Type.String(), triggeredBy: Type.String(), totals: Totals });
const RunItem = Type.Object({
  rule: Type.String(),
  kind: Type.String(),
  action: Type.String(),
  cutoff: Nullable(Type.String()),
  count: Type.Integer(),
  ids: Type.Array(Type.String()),
  heldIds: Type.Array(Type.String()),
  alsoEmptiedCases: Type.Optional(Type.Array(Type.String())),
  chains: Type.Optional(Type.Array(Type.Object({ chain: Type.String(), fromSeq: Type.Integer(), toSeq: Type.Integer(), stoppedByHold: Type.Boolean() }))),
});
const Texts = Type.Object({ de: Type.String(), fr: Type.String(), it: Type.String(), en: Type.String() });
const Rule = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  action: Type.String(),
  period: Nullable(Type.Object({ years: Type.Integer(), months: Type.Integer(), days: Type.Integer() })),
  startsAt: Texts,
  legalBasis: Texts,
  effect: Texts,
});

export function registerPrivacyRoutes(root: FastifyInstance, db: Db): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // Exports of a whole file: only right after signing in (or re-authenticating).
  const report = { permission: 'privacy:report', recentSignIn: true } as const;
  const hold = { permission: 'privacy:hold', recentSignIn: true } as const;

  app.get(
    '/api/v1/persons/:id/access-report',
    { config: report, schema: { tags: ['privacy'], summary: 'Right of access: everything the office holds on the person and who accessed it (JSON)', params: IdParams, response: { 200: Report, ...problemResponses(401, 403, 404) } } },
    async (request, reply) => {
      const result = await buildAccessReport(db, context(request), request.params.id, 'json');
      return reply.header('cache-control', 'private, no-store').header('content-disposition', `attachment; filename="access-report-${request.params.id.slice(0, 8)}.json"`).send(result);
    },
  );

  app.get(
    '/api/v1/persons/:id/access-report.pdf',
    {
      config: report,
      schema: {
        tags: ['privacy'],
        summary: 'Right of access as PDF, with the office letterhead, in the given language (else the person’s letter language, else the caller’s)',
        params: IdParams,
        querystring: Type.Object({ lang: Type.Optional(Language) }),
        produces: ['application/pdf'],
        response: problemResponses(401, 403, 404),
      },
    },
    async (request, reply) => {
      const ctx = context(request);
      const result = await buildAccessReport(db, ctx, request.params.id, 'pdf');
      const language: ReportLanguage = request.query.lang ?? result.personLanguage ?? ctx.actor.locale;
      const tenant = await letterheadOf(db, ctx.actor.tenantId);
      const settings = (tenant.settings.letterhead ?? {}) as { officeName?: string; unitName?: string; addressLines?: string[]; phone?: string; email?: string; website?: string };
      const pdf = await renderAccessReportPdf({
        report: result,
        language,
        letterhead: { officeName: settings.officeName ?? tenant.name, unitName: settings.unitName ?? null, addressLines: settings.addressLines ?? [], phone: settings.phone ?? null, email: settings.email ?? null, website: settings.website ?? null },
      });
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="access-report-${request.params.id.slice(0, 8)}-${language}.pdf"`)
        .send(pdf);
    },
  );

  for (const subject of ['person', 'case'] as const) {
    const path = subject === 'person' ? '/api/v1/persons/:id/legal-hold' : '/api/v1/cases/:id/legal-hold';
    if (subject === 'person') {
      app.get(
        path,
        { config: { permission: 'privacy:report' }, schema: { tags: ['privacy'], summary: 'The legal hold in force on the person, or null', params: IdParams, response: { 200: Type.Object({ hold: Nullable(Hold) }), ...problemResponses(401, 403, 404) } } },
        async (request) => ({ hold: await readHold(db, context(request), subject, request.params.id) }),
      );
    }
    app.post(
      path,
      { config: hold, schema: { tags: ['privacy'], summary: `Place a legal hold on the ${subject}: retention leaves it alone until lifted`, params: IdParams, body: HoldBody, response: { 201: Hold, ...problemResponses(400, 401, 403, 404, 409) } } },
      async (request, reply) => {
        const placed = await placeHold(db, context(request), subject, request.params.id, request.body.reason);
        reply.status(201);
        return placed;
      },
    );
    app.delete(
      path,
      { config: hold, schema: { tags: ['privacy'], summary: `Lift the legal hold on the ${subject}`, params: IdParams, querystring: LiftQuery, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } } },
      async (request, reply) => {
        await liftHold(db, context(request), subject, request.params.id, request.query.reason ?? null);
        reply.status(204);
        return null;
      },
    );
  }

  app.get(
    '/api/v1/retention/rules',
    { config: { permission: 'retention:read' }, schema: { tags: ['privacy'], summary: 'The retention rules of the office: period, effect and legal basis per kind of data', response: { 200: Type.Object({ catalogue: Type.String(), names: Texts, rules: Type.Array(Rule) }), ...problemResponses(401, 403) } } },
    async (request) => {
      const catalogue = await rulesOfOffice(db, context(request));
      return { catalogue: catalogue.catalogue, names: catalogue.names, rules: catalogue.rules };
    },
  );

  app.get(
    '/api/v1/retention/runs',
    { config: { permission: 'retention:read' }, schema: { tags: ['privacy'], summary: 'The retention runs of the office, newest first, with counts per rule', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }), response: { 200: Type.Array(RunSummary), ...problemResponses(400, 401, 403) } } },
    async (request) => listRetentionRuns(db, context(request), request.query.limit ?? 100),
  );

  app.get(
    '/api/v1/retention/runs/:id',
    { config: { permission: 'retention:read' }, schema: { tags: ['privacy'], summary: 'One retention run: per rule the ids removed and those a legal hold kept (never names)', params: IdParams, response: { 200: Type.Intersect([RunSummary, Type.Object({ report: Type.Object({ items: Type.Array(RunItem) }) })]), ...problemResponses(401, 403, 404) } } },
    async (request) => readRetentionRun(db, context(request), request.params.id),
  );
}
