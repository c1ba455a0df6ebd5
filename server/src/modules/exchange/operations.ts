import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { applyEvent } from './apply.js';
import { applyContextOf, check, exchangeActor, reasonOf, retrying, type Office, type QuarantineReason } from './inbox.js';
import { enqueueRejection, resend, withOrigin } from './outbox.js';
import * as repo from './repository.js';
import { prepareTenancyReports } from './tenancy-reports.js';

/** What an operator does with the quarantine and the outbox. */

function versionConflict(current: number): AppError {
  return new AppError(409, 'version-conflict', { current }, { currentVersion: current });
}

async function quarantined(db: Db | Trx, tenantId: string, id: string, expectedVersion: number): Promise<repo.InboxRow> {
  const row = await repo.findInbox(db, tenantId, id);
  if (!row) throw new AppError(404, 'not-found', { what: 'message' });
  if (row.status !== 'quarantined') throw new AppError(409, 'exchange-not-quarantined', { status: row.status });
  if (row.version !== expectedVersion) throw versionConflict(row.version);
  return row;
}

/** How a stored message is applied again: read anew from its original bytes. */
function applierOf(row: repo.InboxRow, partner: repo.PartnerRow | null, office: Office, context: RequestContext): { apply: (trx: Trx) => Promise<string[]>; event: string } | { failure: QuarantineReason } {
  if (row.standard === 'tenancy-csv') {
    const prepared = prepareTenancyReports(row.body, office);
    return prepared.ok ? { apply: prepared.apply, event: prepared.event.type } : { failure: prepared.reason };
  }
  const checked = check(row.body, partner);
  if (!checked.ok) return { failure: checked.reason };
  if (checked.message.kind !== 'delivery') return { failure: { code: 'exchange-unsupported-standard', params: { root: 'eventReport', supported: 'eCH-0020' }, details: null } };
  const delivery = checked.message.delivery;
  // Applied on the sender's behalf with the exchange's reach; the operator is named in the audit.
  const applying = { actor: exchangeActor(office, `${row.sender_id} re-applied by ${context.actor.name}`), requestId: context.requestId };
  const message = { office, bytes: row.body, channel: row.channel, partner, fileName: row.file_name, context: applying };
  return { apply: async (trx) => withOrigin(partner?.id ?? null, async () => applyEvent(trx, await applyContextOf(trx, message, delivery), delivery.event)), event: delivery.event.type };
}

/**
 * Applies a quarantined message again (after the register was fixed, or once the missing earlier
 * message arrived). If it still cannot be applied it stays in quarantine with the new reason.
 */
export async function reapply(db: Db, context: RequestContext, office: Office, id: string, expectedVersion: number): Promise<repo.InboxRow> {
  const row = await quarantined(db, office.id, id, expectedVersion);
  const partner = row.partner_id ? ((await repo.findPartner(db, office.id, row.partner_id)) ?? null) : null;
  const applier = applierOf(row, partner, office, context);
  let failure: QuarantineReason | null = 'failure' in applier ? applier.failure : null;
  if ('apply' in applier) {
    try {
      return await retrying(() =>
        inTransaction(db, async (trx) => {
          const personIds = [...new Set(await applier.apply(trx))];
          if (!(await repo.updateInbox(trx, row.id, expectedVersion, { status: 'applied', reason_code: null, reason_details: null, person_ids: personIds, resolved_by: context.actor.name, resolution_note: 're-applied' }))) throw versionConflict(expectedVersion + 1);
          await appendAudit(trx, subjectOf(context.actor, context.requestId), {
            action: 'exchange.reapply',
            entityType: personIds.length === 1 ? 'person' : 'exchange-message',
            entityId: personIds.length === 1 ? personIds[0]! : row.id,
            details: { inboxId: row.id, messageId: row.message_id, senderId: row.sender_id, event: applier.event, persons: personIds.length, results: personIds.slice(0, 1000) },
          });
          return (await repo.findInbox(trx, office.id, row.id))!;
        }),
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'version-conflict') throw error;
      failure = reasonOf(error);
    }
  }
  const reason = failure!;
  return inTransaction(db, async (trx) => {
    if (!(await repo.updateInbox(trx, row.id, expectedVersion, { reason_code: reason.code, reason_details: { params: reason.params, details: reason.details } }))) throw versionConflict(expectedVersion + 1);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'exchange.reapply-failed', entityType: 'exchange-message', entityId: row.id, details: { reason: reason.code } });
    return (await repo.findInbox(trx, office.id, row.id))!;
  });
}

/** Rejects a quarantined message for good; a known sender gets a negative receipt with the operator's note. */
export async function rejectMessage(db: Db, context: RequestContext, id: string, expectedVersion: number, note: string): Promise<repo.InboxRow> {
  const tenantId = context.actor.tenantId;
  return inTransaction(db, async (trx) => {
    const row = await quarantined(trx, tenantId, id, expectedVersion);
    if (!(await repo.updateInbox(trx, row.id, expectedVersion, { status: 'rejected', resolved_by: context.actor.name, resolution_note: note }))) throw versionConflict(expectedVersion + 1);
    const partner = row.partner_id ? await repo.findPartner(trx, tenantId, row.partner_id) : await repo.partnerByParticipant(trx, tenantId, row.sender_id);
    const replied = partner !== undefined && partner.transport !== 'none' && row.standard !== 'tenancy-csv';
    if (replied) await enqueueRejection(trx, tenantId, partner, row.message_id, note);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'exchange.reject', entityType: 'exchange-message', entityId: row.id, details: { messageId: row.message_id, senderId: row.sender_id, reason: row.reason_code, replied } });
    return (await repo.findInbox(trx, tenantId, row.id))!;
  });
}

export async function resendMessage(db: Db, context: RequestContext, id: string) {
  const tenantId = context.actor.tenantId;
  return inTransaction(db, async (trx) => {
    const row = await repo.findOutbox(trx, tenantId, id);
    if (!row) throw new AppError(404, 'not-found', { what: 'message' });
    if (!(await resend(trx, tenantId, id))) throw new AppError(409, 'conflict', { reason: row.status === 'acknowledged' ? 'already acknowledged' : 'the message could not be written (see its error); the next change of the person is sent' });
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'exchange.resend', entityType: 'exchange-message', entityId: id, details: { messageId: row.message_id, partnerId: row.partner_id } });
    const listed = await repo.listOutbox(trx, tenantId, { status: null, partnerId: row.partner_id, after: null, limit: 1000 });
    return listed.find((item) => item.id === id)!;
  });
}
