import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/transaction.js';
import { decodedFileName, PAPER_MEDIA_TYPES } from '../../platform/files.js';
import { IdParams, IsoDate, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { parseIfMatch } from '../register/index.js';
import { MAX_UPLOAD_BYTES } from './application-rules.js';
import { discardApplication, formsOnOffer, listApplications, readApplication, removePaper, saveAnswers, startApplication, submitApplication, uploadPaper } from './applications.js';
import { checkShareCode, createShareCode, issueLinkCode, listShareCodes, redeemLinkCode, revokeShareCode } from './proofs.js';
import { applicationOfCaseForStaff, caseDocument, caseMessagesForStaff, caseStatus, myCases, sendMessageToApplicant, sendMessageToOffice } from './status.js';
import { SHARE_CODE_MAX_DAYS } from './rules.js';

/**
 * The portal's service routes: online applications with their papers, the status of one's cases
 * with letters and messages, link and share codes; and the office's side of messages.
 */

const tags = ['portal'];
// The views are documented in docs/portal.md; their shapes follow the service types.
const Any = Type.Unknown();
const CaseDocParams = Type.Object({ id: Type.String({ format: 'uuid' }), documentId: Type.String({ format: 'uuid' }) });
const MessageBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 5000 }) }, { additionalProperties: false });
const Code = Type.String({ minLength: 12, maxLength: 20, description: 'As printed, e.g. K7QF-92MD-XH3P (spaces and dashes do not matter)' });
// The public check is a guessing target: few tries per address.
const CHECK_LIMIT = { max: 20, timeWindow: '1 minute' };

export function registerPortalServiceRoutes(root: FastifyInstance, db: Db, publicUrl: string | null): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const context = (request: FastifyRequest) => ({ actor: requireActor(request), requestId: request.id });
  const baseUrl = (request: FastifyRequest) => publicUrl ?? `${request.protocol}://${request.host}`;

  // --- applications ------------------------------------------------------------------------------------
  app.get('/api/v1/portal/forms', { config: { permission: 'portal:use' }, schema: { tags, summary: 'The online application forms, each with the persons this account may file it for', response: { 200: Type.Array(Any), ...problemResponses(401, 403) } } }, async (request) => formsOnOffer(db, context(request)));
  app.get('/api/v1/portal/applications', { config: { permission: 'portal:use' }, schema: { tags, summary: 'This account’s applications: drafts and sent ones', response: { 200: Type.Array(Any), ...problemResponses(401, 403) } } }, async (request) => listApplications(db, context(request)));
  app.post(
    '/api/v1/portal/applications',
    {
      config: { permission: 'portal:use' },
      schema: {
        tags,
        summary: 'Start an application (or get the open draft of the same form and person), prefilled from the register',
        body: Type.Object({ form: Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' }), personId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: Any, 201: Any, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { view, created } = await startApplication(db, context(request), request.body);
      return reply.status(created ? 201 : 200).header('etag', `"${view.version}"`).send(view);
    },
  );
  app.get('/api/v1/portal/applications/:id', { config: { permission: 'portal:use' }, schema: { tags, summary: 'A draft or sent application with its answers, papers and what is still missing', params: IdParams, response: { 200: Any, ...problemResponses(401, 403, 404) } } }, async (request, reply) => {
    const view = await readApplication(db, context(request), request.params.id);
    return reply.header('etag', `"${view.version}"`).send(view);
  });
  app.patch(
    '/api/v1/portal/applications/:id',
    {
      config: { permission: 'portal:use' },
      schema: {
        tags,
        summary: 'Save answers of the draft (If-Match); an empty string clears an answer',
        params: IdParams,
        body: Type.Object({ answers: Type.Record(Type.String({ maxLength: 63 }), Type.String({ maxLength: 5000 }), { maxProperties: 200 }) }, { additionalProperties: false }),
        response: { 200: Any, ...problemResponses(400, 401, 403, 404, 409, 428) },
      },
    },
    async (request, reply) => {
      const view = await saveAnswers(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.answers);
      return reply.header('etag', `"${view.version}"`).send(view);
    },
  );
  app.delete('/api/v1/portal/applications/:id', { config: { permission: 'portal:use' }, schema: { tags, summary: 'Discard a draft with its papers', params: IdParams, response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 409) } } }, async (request, reply) => {
    await discardApplication(db, context(request), request.params.id);
    return reply.status(204).send(null);
  });
  // Papers arrive as the raw file. Any type label is accepted here: the content decides, and a
  // wrong file gets the portal's plain answer (415 upload-type) rather than a generic one.
  root.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES + 1 }, (_request, body, done) => done(null, body));
    const files = scope.withTypeProvider<TypeBoxTypeProvider>();
    files.post(
      '/api/v1/portal/applications/:id/uploads',
      {
        config: { permission: 'portal:use' },
        bodyLimit: MAX_UPLOAD_BYTES + 1,
        schema: {
          tags,
          summary: 'Upload a paper for a slot of the form (PDF, JPEG or PNG by content, at most 10 MB; 40 MB per application)',
          consumes: [...PAPER_MEDIA_TYPES, 'application/octet-stream'],
          params: IdParams,
          querystring: Type.Object({ slot: Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' }) }),
          headers: Type.Object({ 'x-file-name': Type.Optional(Type.String({ maxLength: 600, description: 'The file name, percent-encoded' })) }),
          response: { 201: Any, ...problemResponses(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (request, reply) => {
        const content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const upload = await uploadPaper(db, context(request), request.params.id, { slot: request.query.slot, fileName: decodedFileName(request.headers['x-file-name']), content });
        return reply.status(201).send(upload);
      },
    );
  });
  app.delete('/api/v1/portal/applications/:id/uploads/:uploadId', { config: { permission: 'portal:use' }, schema: { tags, summary: 'Remove a paper from the draft', params: Type.Object({ id: Type.String({ format: 'uuid' }), uploadId: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 409) } } }, async (request, reply) => {
    await removePaper(db, context(request), request.params.id, request.params.uploadId);
    return reply.status(204).send(null);
  });
  app.post(
    '/api/v1/portal/applications/:id/submission',
    {
      config: { permission: 'portal:use' },
      schema: {
        tags,
        summary: 'Send the application (If-Match): opens the case with the papers filed; 422 application-incomplete lists what is missing',
        params: IdParams,
        response: { 201: Any, ...problemResponses(401, 403, 404, 409, 422, 428) },
      },
    },
    async (request, reply) => reply.status(201).send(await submitApplication(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']))),
  );

  // --- status, letters, messages ----------------------------------------------------------------------
  app.get('/api/v1/portal/cases', { config: { permission: 'portal:use' }, schema: { tags, summary: 'The cases of the persons this account follows (own person, status mandates)', response: { 200: Type.Array(Any), ...problemResponses(401, 403) } } }, async (request) => myCases(db, context(request)));
  app.get('/api/v1/portal/cases/:id', { config: { permission: 'portal:use' }, schema: { tags, summary: 'Where a case stands: stage, what is missing and by when, expected time to a decision, letters, messages', params: IdParams, response: { 200: Any, ...problemResponses(401, 403, 404) } } }, async (request) => caseStatus(db, context(request), request.params.id));
  app.get('/api/v1/portal/cases/:id/documents/:documentId', { config: { permission: 'portal:use' }, schema: { tags, summary: 'Download a letter or paper of the case', params: CaseDocParams, response: problemResponses(401, 403, 404) } }, async (request, reply) => {
    const document = await caseDocument(db, context(request), request.params.id, request.params.documentId);
    return reply
      .header('content-type', document.mediaType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(document.fileName)}`)
      .header('x-content-sha256', document.sha256)
      .header('cache-control', 'private, no-store')
      .send(document.content);
  });
  app.post('/api/v1/portal/cases/:id/messages', { config: { permission: 'portal:use' }, schema: { tags, summary: 'Write to the office about the case', params: IdParams, body: MessageBody, response: { 201: Any, ...problemResponses(400, 401, 403, 404) } } }, async (request, reply) =>
    reply.status(201).send(await sendMessageToOffice(db, context(request), request.params.id, request.body.body)),
  );

  // --- link and share codes --------------------------------------------------------------------------
  app.post(
    '/api/v1/portal/link',
    {
      config: { permission: 'portal:use', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Link this account to its register person with the office’s code and the date of birth', body: Type.Object({ code: Code, dateOfBirth: IsoDate }, { additionalProperties: false }), response: { 200: Any, ...problemResponses(400, 401, 403, 409, 429) } },
    },
    async (request) => redeemLinkCode(db, context(request), request.body.code, request.body.dateOfBirth),
  );
  app.get('/api/v1/portal/share-codes', { config: { permission: 'portal:use' }, schema: { tags, summary: 'The share codes of this account’s person (without the codes)', response: { 200: Type.Array(Any), ...problemResponses(401, 403) } } }, async (request) => listShareCodes(db, context(request)));
  app.post(
    '/api/v1/portal/share-codes',
    {
      config: { permission: 'portal:use' },
      schema: {
        tags,
        summary: 'Create a time-limited code that shows an employer or landlord the permit category and validity (the code is shown once)',
        body: Type.Object({ personId: Type.String({ format: 'uuid' }), days: Type.Integer({ minimum: 1, maximum: SHARE_CODE_MAX_DAYS }), label: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
        response: { 201: Any, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await createShareCode(db, context(request), request.body)),
  );
  app.post('/api/v1/portal/share-codes/:id/revoke', { config: { permission: 'portal:use' }, schema: { tags, summary: 'Withdraw a share code at once', params: IdParams, response: { 200: Any, ...problemResponses(401, 403, 404) } } }, async (request) => revokeShareCode(db, context(request), request.params.id));
  app.post(
    '/api/v1/share-codes/check',
    {
      config: { permission: 'public', rateLimit: CHECK_LIMIT },
      schema: { tags, summary: 'Public: what a share code shows — office, permit category and validity; nothing else', body: Type.Object({ code: Code }, { additionalProperties: false }), response: { 200: Any, ...problemResponses(400, 404, 429) } },
    },
    async (request) => checkShareCode(db, request.body.code, { requestId: request.id, ip: request.ip }),
  );

  // --- the office -----------------------------------------------------------------------------------------
  app.post('/api/v1/portal/persons/:id/link-code', { config: { permission: 'portal:manage' }, schema: { tags, summary: 'A one-time code (30 days) that lets the person link their portal account themselves', params: IdParams, response: { 201: Any, ...problemResponses(401, 403, 404) } } }, async (request, reply) =>
    reply.status(201).send(await issueLinkCode(db, context(request), request.params.id)),
  );
  app.get('/api/v1/cases/:id/messages', { config: { permission: 'cases:read' }, schema: { tags, summary: 'The secure messages of a case with the applicant (marks theirs read)', params: IdParams, response: { 200: Type.Array(Any), ...problemResponses(401, 403, 404) } } }, async (request) => caseMessagesForStaff(db, context(request), request.params.id));
  app.post('/api/v1/cases/:id/messages', { config: { permission: 'cases:write' }, schema: { tags, summary: 'Answer the applicant; they get a mail that a message waits (not its text)', params: IdParams, body: MessageBody, response: { 201: Any, ...problemResponses(400, 401, 403, 404, 409) } } }, async (request, reply) =>
    reply.status(201).send(await sendMessageToApplicant(db, context(request), request.params.id, request.body.body, baseUrl(request))),
  );
  app.get('/api/v1/cases/:id/application', { config: { permission: 'cases:read' }, schema: { tags, summary: 'The online application the case came from: form and answers', params: IdParams, response: { 200: Any, ...problemResponses(401, 403, 404) } } }, async (request) => applicationOfCaseForStaff(db, context(request), request.params.id));
}
