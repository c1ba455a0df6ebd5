import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import { problems } from '../../platform/errors.js';
import { IdParams, Nullable, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';

const Notification = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  caseId: Nullable(Type.String()),
  deadlineId: Nullable(Type.String()),
  message: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  read: Type.Boolean(),
});

/** The notifications a user sees: addressed to them, or to a role they hold in that unit (or office-wide). */
function mine(db: Db, actor: Actor) {
  return db
    .selectFrom('notifications')
    .where('tenant_id', '=', actor.tenantId)
    .where((eb) =>
      eb.or([
        eb('recipient_user_id', '=', actor.id),
        ...actor.roles.map((grant) =>
          eb.and([eb('recipient_role', '=', grant.role), grant.unitId === null ? eb.val(true) : eb.or([eb('recipient_unit_id', '=', grant.unitId), eb('recipient_unit_id', 'is', null)])]),
        ),
      ]),
    );
}

export function registerNotificationRoutes(root: FastifyInstance, db: Db): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/notifications',
    {
      // Municipal clerks get the register's reminders too; the query shows each user only their own.
      config: { permission: 'authenticated' },
      schema: { tags: ['deadlines'], summary: 'My reminders, due notices and escalations, newest first', querystring: Type.Object({ unread: Type.Optional(Type.Boolean()) }), response: { 200: Type.Array(Notification), ...problemResponses(401, 403) } },
    },
    async (request) => {
      let query = mine(db, requireActor(request)).select(['id', 'kind', 'case_id', 'deadline_id', 'message', 'created_at', 'read_at']);
      if (request.query.unread === true) query = query.where('read_at', 'is', null);
      const rows = await query.orderBy('created_at', 'desc').limit(200).execute();
      return rows.map((row) => ({ id: row.id, kind: row.kind, caseId: row.case_id, deadlineId: row.deadline_id, message: row.message as Record<string, unknown>, createdAt: row.created_at.toISOString(), read: row.read_at !== null }));
    },
  );

  app.post(
    '/api/v1/notifications/:id/read',
    { config: { permission: 'authenticated' }, schema: { tags: ['deadlines'], summary: 'Mark a notification as read', params: IdParams, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } } },
    async (request, reply) => {
      const found = await mine(db, requireActor(request)).select('id').where('id', '=', request.params.id).executeTakeFirst();
      if (!found) throw problems.notFound('notification');
      await db.updateTable('notifications').set({ read_at: new Date() }).where('id', '=', found.id).execute();
      reply.status(204);
      return null;
    },
  );
}
