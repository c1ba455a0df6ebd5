import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import { problems } from '../../platform/errors.js';
import { IdParams, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { visiblePerson } from '../register/index.js';
import { documentWithContent } from './repository.js';

export function registerDocumentRoutes(root: FastifyInstance, db: Db): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/v1/documents/:id',
    {
      config: { permission: 'cases:read' },
      schema: { tags: ['documents'], summary: 'A letter or attachment of the electronic file, as stored (header x-content-sha256 carries its hash)', params: IdParams, response: problemResponses(401, 403, 404) },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const document = await inTransaction(db, async (trx) => {
        const found = await documentWithContent(trx, actor.tenantId, request.params.id);
        // A document is as visible as the person it concerns.
        if (!found || (found.personId !== null && !(await visiblePerson(trx, actor, found.personId)))) throw problems.notFound('document');
        await appendAudit(trx, subjectOf(actor, request.id), { action: 'document.read', entityType: 'person', entityId: found.personId, details: { documentId: found.id, caseId: found.caseId } });
        return found;
      });
      const asciiName = document.fileName.replace(/[^\w.-]/g, '_');
      return reply
        .header('content-type', document.mediaType)
        .header('content-disposition', `inline; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`)
        .header('x-content-sha256', document.sha256)
        .header('cache-control', 'private, no-store')
        .send(document.content);
    },
  );
}
