import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { Actor, RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { AppError, problems } from '../../platform/errors.js';
import { visiblePerson } from '../register/index.js';
import * as repo from './repository.js';

/** Legal holds: while one is in force, retention leaves the person or case (and what hangs on it) alone. */

export interface LegalHold {
  id: string;
  subject: repo.SubjectType;
  subjectId: string;
  reason: string;
  placedBy: string;
  placedAt: string;
}

function dto(row: repo.HoldRow): LegalHold {
  return { id: row.id, subject: row.subject_type, subjectId: row.subject_id, reason: row.reason, placedBy: row.placed_by, placedAt: row.placed_at.toISOString() };
}

/**
 * The case as its module would show it: in the office, its unit within the caller's case roles
 * (an office-wide grant sees all) and its person visible. Read here because the cases module
 * exposes only the full, audited case page.
 */
async function visibleCase(trx: Trx, actor: Actor, caseId: string): Promise<{ id: string; person_id: string; reference: string }> {
  const row = await trx.selectFrom('cases').select(['id', 'person_id', 'reference', 'unit_id']).where('tenant_id', '=', actor.tenantId).where('id', '=', caseId).executeTakeFirst();
  const grants = actor.roles.filter((grant) => grant.role === 'caseworker' || grant.role === 'team-lead');
  const inScope = row !== undefined && grants.some((grant) => grant.unitId === null || grant.unitId === row.unit_id);
  if (!row || !inScope || !(await visiblePerson(trx, actor, row.person_id))) throw problems.notFound('case');
  return row;
}

async function subjectOfHold(trx: Trx, actor: Actor, subject: repo.SubjectType, id: string): Promise<{ personId: string; reference: string | null }> {
  if (subject === 'case') {
    const row = await visibleCase(trx, actor, id);
    return { personId: row.person_id, reference: row.reference };
  }
  if (!(await visiblePerson(trx, actor, id))) throw problems.notFound('person');
  return { personId: id, reference: null };
}

export async function readHold(db: Db, context: RequestContext, subject: repo.SubjectType, id: string): Promise<LegalHold | null> {
  return inTransaction(db, async (trx) => {
    await subjectOfHold(trx, context.actor, subject, id);
    const row = await repo.activeHold(trx, context.actor.tenantId, subject, id);
    return row ? dto(row) : null;
  });
}

export async function placeHold(db: Db, context: RequestContext, subject: repo.SubjectType, id: string, reason: string): Promise<LegalHold> {
  return inTransaction(db, async (trx) => {
    const { personId, reference } = await subjectOfHold(trx, context.actor, subject, id);
    const existing = await repo.activeHold(trx, context.actor.tenantId, subject, id);
    if (existing) throw new AppError(409, 'legal-hold-exists', { date: existing.placed_at.toISOString().slice(0, 10) }, { hold: dto(existing) });
    const row = await repo.insertHold(trx, { tenantId: context.actor.tenantId, subjectType: subject, subjectId: id, reason, placedBy: context.actor.displayName });
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'privacy.legal-hold-placed',
      entityType: 'person',
      entityId: personId,
      details: { holdId: row.id, subject, ...(subject === 'case' ? { caseId: id, reference } : {}), reason },
    });
    return dto(row);
  });
}

export async function liftHold(db: Db, context: RequestContext, subject: repo.SubjectType, id: string, reason: string | null): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { personId, reference } = await subjectOfHold(trx, context.actor, subject, id);
    const existing = await repo.activeHold(trx, context.actor.tenantId, subject, id);
    if (!existing) throw problems.notFound('legal-hold');
    await repo.liftHold(trx, existing.id, context.actor.displayName, reason);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'privacy.legal-hold-lifted',
      entityType: 'person',
      entityId: personId,
      details: { holdId: existing.id, subject, ...(subject === 'case' ? { caseId: id, reference } : {}), reason },
    });
  });
}
