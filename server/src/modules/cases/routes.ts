import { decodedFileName } from '../../platform/files.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import { IdParams, IfMatch, IsoDate, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { parseIfMatch } from '../register/index.js';
import { currentCaseTypes, storeCaseTypeVersion } from './case-types.js';
import { addAttachment, addNote, addTask, assignCase, completeTask, createCase, decideAppeal, decideApproval, fileAppeal, readCase, recordNotification, setChecklistItem, setFields, takeStep } from './service.js';
import { teamLeadOverview, workQueue } from './views.js';

const Language = Type.Union([Type.Literal('de'), Type.Literal('fr'), Type.Literal('it'), Type.Literal('en')]);
const Fields = Type.Record(Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,62}$' }), Type.String({ maxLength: 2000 }));
// The case page is rich and changes with the case type; its shape is documented in docs/cases.md.
const CaseDetail = Type.Record(Type.String(), Type.Unknown(), { description: 'The case page: status, checklist, next steps, decision, appeal, deadlines, tasks, documents, timeline' });
const ItemParams = Type.Object({ id: Type.String({ format: 'uuid' }), item: Type.String({ maxLength: 63 }) });
const StepParams = Type.Object({ id: Type.String({ format: 'uuid' }), transition: Type.String({ maxLength: 63 }) });
const TaskParams = Type.Object({ id: Type.String({ format: 'uuid' }), taskId: Type.String({ format: 'uuid' }) });

function context(request: FastifyRequest): RequestContext {
  return { actor: requireActor(request), requestId: request.id };
}

const ATTACHMENT_LIMIT = 10 * 1024 * 1024;

export function registerCaseRoutes(root: FastifyInstance, db: Db): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const write = (status: number[]) => problemResponses(400, 401, 403, 404, 409, 422, 428, ...status);
  const detail = (request: FastifyRequest, id: string) => readCase(db, context(request), id);

  // Uploaded papers arrive as the raw file; the service checks the type against the file's first bytes.
  for (const type of ['application/pdf', 'image/jpeg', 'image/png']) {
    if (!app.hasContentTypeParser(type)) app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMIT }, (_request, body, done) => done(null, body));
  }

  app.get(
    '/api/v1/case-types',
    { config: { permission: 'cases:read' }, schema: { tags: ['cases'], summary: 'The case types an office works with (newest version of each)', response: { 200: Type.Array(Type.Object({ slug: Type.String(), version: Type.Integer(), names: Type.Record(Type.String(), Type.String()), description: Type.Record(Type.String(), Type.String()), unit: Type.String() })), ...problemResponses(401, 403) } } },
    async (request) => (await currentCaseTypes(db, requireActor(request).tenantId)).map((t) => ({ slug: t.slug, version: t.version, names: t.definition.names, description: t.definition.description, unit: t.definition.unit })),
  );

  app.post(
    '/api/v1/case-types',
    {
      config: { permission: 'case-types:manage' },
      schema: {
        tags: ['cases'],
        summary: 'Add a new version of a case type (the whole definition as in server/catalogues/case-types); running cases keep their version',
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 201: Type.Object({ slug: Type.String(), version: Type.Integer() }), ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const stored = await storeCaseTypeVersion(db, context(request), request.body);
      reply.status(201);
      return { slug: stored.slug, version: stored.version };
    },
  );

  app.get(
    '/api/v1/case-assignees',
    { config: { permission: 'cases:read' }, schema: { tags: ['cases'], summary: 'Who cases can be assigned to', response: { 200: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String(), roles: Type.Array(Type.String()) })), ...problemResponses(401, 403) } } },
    async (request) => {
      const rows = await db
        .selectFrom('users')
        .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
        .select(['users.id', 'users.display_name', 'user_roles.role'])
        .where('users.tenant_id', '=', requireActor(request).tenantId)
        .where('users.disabled', '=', false)
        .where('user_roles.role', 'in', ['caseworker', 'team-lead'])
        .orderBy('users.display_name')
        .execute();
      const byUser = new Map<string, { id: string; displayName: string; roles: string[] }>();
      for (const row of rows) {
        const entry = byUser.get(row.id) ?? { id: row.id, displayName: row.display_name, roles: [] };
        entry.roles.push(row.role);
        byUser.set(row.id, entry);
      }
      return [...byUser.values()];
    },
  );

  app.get(
    '/api/v1/cases',
    {
      config: { permission: 'cases:read' },
      schema: {
        tags: ['cases'],
        summary: 'The work queue: open cases of my units, filtered and sorted by age or due date, with a cursor',
        querystring: Type.Object({
          unit: Type.Optional(Type.String({ format: 'uuid' })),
          type: Type.Optional(Type.String({ maxLength: 63 })),
          phase: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('waiting'), Type.Literal('decided')])),
          // 'me', 'none' or a user's id: anything else would reach the uuid column as it is.
          assignee: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('none'), Type.String({ format: 'uuid' })])),
          person: Type.Optional(Type.String({ format: 'uuid' })),
          overdue: Type.Optional(Type.Boolean()),
          awaitingApproval: Type.Optional(Type.Boolean()),
          sort: Type.Optional(Type.Union([Type.Literal('age'), Type.Literal('due')])),
          cursor: Type.Optional(Type.String({ maxLength: 500 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Type.Record(Type.String(), Type.Unknown())), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => workQueue(db, context(request), request.query),
  );

  app.post(
    '/api/v1/cases',
    {
      config: { permission: 'cases:write' },
      schema: {
        tags: ['cases'],
        summary: 'Open a case for a person',
        body: Type.Object(
          { typeSlug: Type.String({ maxLength: 63 }), personId: Type.String({ format: 'uuid' }), receivedOn: Type.Optional(IsoDate), language: Type.Optional(Language), fields: Type.Optional(Fields), checklist: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 100 })) },
          { additionalProperties: false },
        ),
        response: { 201: CaseDetail, ...write([]) },
      },
    },
    async (request, reply) => {
      const id = await createCase(db, context(request), request.body);
      reply.status(201);
      return detail(request, id);
    },
  );

  app.get(
    '/api/v1/cases/:id',
    { config: { permission: 'cases:read' }, schema: { tags: ['cases'], summary: 'The case page', params: IdParams, response: { 200: CaseDetail, ...problemResponses(401, 403, 404) } } },
    async (request) => detail(request, request.params.id),
  );

  app.post(
    '/api/v1/cases/:id/steps/:transition',
    {
      config: { permission: 'cases:write' },
      schema: {
        tags: ['cases'],
        summary: 'Take a step (a four-eyes decision waits for approval)',
        params: StepParams,
        headers: IfMatch,
        body: Type.Object(
          {
            reason: Type.Optional(Type.String({ maxLength: 10000 })),
            fields: Type.Optional(Fields),
            // A lower fee than the tariff's (0 waives it), with the reason; the step charges it.
            fee: Type.Optional(Type.Object({ charge: Type.Union([Type.String({ maxLength: 20 }), Type.Number()]), reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false })),
          },
          { additionalProperties: false },
        ),
        response: { 200: CaseDetail, ...write([]) },
      },
    },
    async (request) => {
      await takeStep(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.params.transition, request.body);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/cases/:id/approval',
    {
      config: { permission: 'cases:approve' },
      schema: { tags: ['cases'], summary: 'Approve or send back a proposed decision (second person)', params: IdParams, headers: IfMatch, body: Type.Object({ approve: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 5000 })) }, { additionalProperties: false }), response: { 200: CaseDetail, ...write([]) } },
    },
    async (request) => {
      await decideApproval(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.approve, request.body.comment);
      return detail(request, request.params.id);
    },
  );

  app.put(
    '/api/v1/cases/:id/checklist/:item',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Tick or untick a checklist item', params: ItemParams, headers: IfMatch, body: Type.Object({ done: Type.Boolean() }, { additionalProperties: false }), response: { 200: CaseDetail, ...write([]) } } },
    async (request) => {
      await setChecklistItem(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.params.item, request.body.done);
      return detail(request, request.params.id);
    },
  );

  app.patch(
    '/api/v1/cases/:id/fields',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Fill in case fields', params: IdParams, headers: IfMatch, body: Type.Object({ fields: Fields }, { additionalProperties: false }), response: { 200: CaseDetail, ...write([]) } } },
    async (request) => {
      await setFields(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.fields);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/cases/:id/assign',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Assign the case to a person (null: to the unit)', params: IdParams, headers: IfMatch, body: Type.Object({ assigneeId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]) }, { additionalProperties: false }), response: { 200: CaseDetail, ...write([]) } } },
    async (request) => {
      await assignCase(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.assigneeId);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/cases/:id/notes',
    {
      config: { permission: 'cases:write' },
      schema: { tags: ['cases'], summary: 'Add an internal note or a contact log entry', params: IdParams, body: Type.Object({ kind: Type.Union([Type.Literal('note'), Type.Literal('contact')]), text: Type.String({ minLength: 1, maxLength: 10000 }), channel: Type.Optional(Type.Union([Type.Literal('phone'), Type.Literal('email'), Type.Literal('counter'), Type.Literal('letter')])) }, { additionalProperties: false }), response: { 201: CaseDetail, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      await addNote(db, context(request), request.params.id, request.body);
      reply.status(201);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/cases/:id/tasks',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Add a task', params: IdParams, body: Type.Object({ title: Type.String({ minLength: 1, maxLength: 500 }), dueOn: Type.Optional(IsoDate), assigneeId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }), response: { 201: CaseDetail, ...problemResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      await addTask(db, context(request), request.params.id, request.body);
      reply.status(201);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/cases/:id/tasks/:taskId/done',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Mark a task done', params: TaskParams, response: { 200: CaseDetail, ...problemResponses(401, 403, 404) } } },
    async (request) => {
      await completeTask(db, context(request), request.params.id, request.params.taskId);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/cases/:id/attachments',
    {
      config: { permission: 'cases:write' },
      bodyLimit: ATTACHMENT_LIMIT,
      schema: { tags: ['cases'], summary: 'Upload a paper (PDF, JPEG or PNG up to 10 MB; header x-file-name)', params: IdParams, headers: Type.Object({ 'x-file-name': Type.Optional(Type.String({ maxLength: 200 })) }), response: { 201: CaseDetail, ...problemResponses(400, 401, 403, 404, 413, 415) } },
    },
    async (request, reply) => {
      const body = request.body;
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      await addAttachment(db, context(request), request.params.id, { fileName: decodedFileName(request.headers['x-file-name']), mediaType, content: Buffer.isBuffer(body) ? body : Buffer.alloc(0) });
      reply.status(201);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/cases/:id/notification',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Record when the decision reached the person: the appeal period starts', params: IdParams, headers: IfMatch, body: Type.Object({ notifiedOn: IsoDate }, { additionalProperties: false }), response: { 200: CaseDetail, ...write([]) } } },
    async (request) => {
      await recordNotification(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.notifiedOn);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/cases/:id/appeal',
    { config: { permission: 'cases:write' }, schema: { tags: ['cases'], summary: 'Record an appeal filed within the period', params: IdParams, headers: IfMatch, body: Type.Object({ filedOn: IsoDate }, { additionalProperties: false }), response: { 200: CaseDetail, ...write([]) } } },
    async (request) => {
      await fileAppeal(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.filedOn);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/cases/:id/appeal-outcome',
    {
      config: { permission: 'cases:write' },
      schema: { tags: ['cases'], summary: 'Record the appeal outcome: dismissed or withdrawn puts the decision in force, upheld reopens the case', params: IdParams, headers: IfMatch, body: Type.Object({ outcome: Type.Union([Type.Literal('dismissed'), Type.Literal('upheld'), Type.Literal('withdrawn')]), decidedOn: IsoDate }, { additionalProperties: false }), response: { 200: CaseDetail, ...write([]) } },
    },
    async (request) => {
      await decideAppeal(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.outcome, request.body.decidedOn);
      return detail(request, request.params.id);
    },
  );

  app.get(
    '/api/v1/case-overview',
    { config: { permission: 'cases:lead' }, schema: { tags: ['cases'], summary: 'Team lead view: backlog, deadlines, approvals, decisions per week, processing times', querystring: Type.Object({ unit: Type.Optional(Type.String({ format: 'uuid' })) }), response: { 200: Type.Record(Type.String(), Type.Unknown()), ...problemResponses(401, 403) } } },
    async (request) => teamLeadOverview(db, context(request), request.query.unit),
  );
}
