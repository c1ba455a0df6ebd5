import { randomInt } from 'node:crypto';
import { addDays } from 'date-fns';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { sha256Hex } from '../../platform/auth/tokens.js';
import { withTenantScope, withoutTenantScope } from '../../platform/db/tenant-scope.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import { AppError, invalidFields, problems } from '../../platform/errors.js';
import { lastDayOf, mainPermitOn } from '../permits/index.js';
import { personName, visiblePerson } from '../register/index.js';
import * as repo from './repository.js';
import { birthDateMatches, calendarDate, humanCode, LINK_CODE_DAYS, LINK_CODE_MAX_FAILURES, normaliseHumanCode, SHARE_CODE_MAX_DAYS } from './rules.js';
import { actingFor, ownPortalAccount } from './speaking-for.js';

/**
 * Codes people carry between the office, themselves and third parties: the link code that ties an
 * account to its register person, and the share code that lets an employer or landlord see the
 * permit's category and validity — nothing else. Only hashes are stored.
 */

const newCode = () => humanCode((below) => randomInt(below));

// --- link codes ------------------------------------------------------------------------------------

/** Staff: a one-time code for a person (printed and handed over, or put in a letter), good for 30 days. */
export async function issueLinkCode(db: Db, context: RequestContext, personId: string, now: Date = new Date()): Promise<{ code: string; validUntil: string }> {
  return inTransaction(db, async (trx) => {
    const person = await visiblePerson(trx, context.actor, personId);
    if (!person) throw problems.notFound('person');
    const code = newCode();
    const validUntil = addDays(now, LINK_CODE_DAYS);
    await repo.insertLinkCode(trx, { tenantId: context.actor.tenantId, personId: person.id, codeHash: sha256Hex(code), validUntil, createdBy: context.actor.displayName });
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.link-code-issued', entityType: 'person', entityId: person.id, details: { validUntil: validUntil.toISOString() } });
    return { code, validUntil: validUntil.toISOString() };
  });
}

/**
 * The account holder enters the code and their date of birth: the account is linked to the person.
 * Any mismatch answers the same (the code does not tell whom it belongs to); five wrong dates spend it.
 */
export async function redeemLinkCode(db: Db, context: RequestContext, rawCode: string, dateOfBirth: string, now: Date = new Date()): Promise<{ personId: string; name: string }> {
  const code = normaliseHumanCode(rawCode);
  if (code === null) throw invalidFields({ field: 'code', message: 'not-an-option' });
  const outcome = await inTransaction(db, async (trx) => {
    const account = await ownPortalAccount(trx, context.actor, true);
    if (account.personId !== null) return new AppError(409, 'portal-account-linked');
    const found = await repo.findLinkCode(trx, context.actor.tenantId, sha256Hex(code));
    if (!found || found.used_at !== null || found.valid_until <= now || found.failed_attempts >= LINK_CODE_MAX_FAILURES) return new AppError(400, 'link-code-invalid');
    const person = await personName(trx, context.actor.tenantId, found.person_id);
    if (!person) return new AppError(400, 'link-code-invalid');
    if (!birthDateMatches(person.dateOfBirth, dateOfBirth)) {
      await repo.countFailedLinkAttempt(trx, found.id);
      await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.link-code-refused', entityType: 'person', entityId: person.id, details: { reason: 'date-of-birth', attempt: found.failed_attempts + 1 } });
      return new AppError(400, 'link-code-invalid');
    }
    await repo.useLinkCode(trx, found.id, context.actor.id, now);
    await repo.linkPerson(trx, context.actor.id, person.id, context.actor.id, now);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.account-linked', entityType: 'person', entityId: person.id, details: { account: context.actor.id, by: 'link-code' } });
    return { personId: person.id, name: `${person.firstNames} ${person.officialName}`.trim() };
  });
  // A refusal still commits its counted attempt; only then is it thrown.
  if (outcome instanceof AppError) throw outcome;
  return outcome;
}

// --- share codes --------------------------------------------------------------------------------------

export interface ShareCodeView {
  id: string;
  personId: string;
  label: string | null;
  validUntil: string;
  revokedAt: string | null;
  createdAt: string;
  views: number;
  lastViewedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}

function shareView(row: Awaited<ReturnType<typeof repo.insertShareCode>>, now: Date): ShareCodeView {
  return {
    id: row.id,
    personId: row.person_id,
    label: row.label,
    validUntil: row.valid_until.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    views: row.views,
    lastViewedAt: row.last_viewed_at?.toISOString() ?? null,
    state: row.revoked_at !== null ? 'revoked' : row.valid_until <= now ? 'expired' : 'active',
  };
}

/** The person (or their own account) creates a code for someone who asks for proof; the code is shown once. */
export async function createShareCode(db: Db, context: RequestContext, input: { personId: string; days: number; label?: string | undefined }, now: Date = new Date()): Promise<ShareCodeView & { code: string }> {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > SHARE_CODE_MAX_DAYS) throw invalidFields({ field: 'days', message: 'above-maximum' });
  return inTransaction(db, async (trx) => {
    // Proof of one's own permit: only the person's own account, not a representative.
    const person = await actingFor(trx, context.actor, input.personId, 'status');
    if (person.as !== 'self') throw problems.notFound('person');
    const code = newCode();
    const row = await repo.insertShareCode(trx, { tenantId: context.actor.tenantId, personId: person.id, codeHash: sha256Hex(code), label: input.label?.trim() || null, validUntil: addDays(now, input.days), createdBy: context.actor.id });
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.share-code-created', entityType: 'person', entityId: person.id, details: { shareCode: row.id, validUntil: row.valid_until.toISOString() } });
    return { ...shareView(row, now), code };
  });
}

export async function listShareCodes(db: Db, context: RequestContext, now: Date = new Date()): Promise<ShareCodeView[]> {
  return inTransaction(db, async (trx) => {
    const account = await ownPortalAccount(trx, context.actor);
    if (account.personId === null) return [];
    return (await repo.shareCodesOfPerson(trx, context.actor.tenantId, account.personId)).map((row) => shareView(row, now));
  });
}

export async function revokeShareCode(db: Db, context: RequestContext, id: string, now: Date = new Date()): Promise<ShareCodeView> {
  return inTransaction(db, async (trx) => {
    const account = await ownPortalAccount(trx, context.actor);
    if (account.personId === null) throw problems.notFound('share-code');
    const row = await repo.revokeShareCode(trx, context.actor.tenantId, account.personId, id, now);
    if (!row) throw problems.notFound('share-code');
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.share-code-revoked', entityType: 'person', entityId: account.personId, details: { shareCode: id } });
    return shareView(row, now);
  });
}

export interface SharedPermit {
  office: string;
  /** The permit category (e.g. B) in force today, or null when none is. */
  category: string | null;
  /** Its name in the four languages, from the office's catalogue. */
  categoryNames: Record<'de' | 'fr' | 'it' | 'en', string> | null;
  validUntil: string | null;
  status: 'valid' | 'no-valid-permit';
  checkedAt: string;
  codeValidUntil: string;
}

/**
 * Public: what a share code shows — the office, the category and validity of the main permit in
 * force today. No name, no date of birth, no address. Every look is counted and audited.
 */
export async function checkShareCode(db: Db, rawCode: string, request: { requestId: string; ip: string | null }, now: Date = new Date()): Promise<SharedPermit> {
  const code = normaliseHumanCode(rawCode);
  if (code === null) throw new AppError(404, 'share-code-invalid');
  const found = await withoutTenantScope(() => repo.findShareCode(db, sha256Hex(code)));
  if (!found || found.revoked_at !== null || found.valid_until <= now) throw new AppError(404, 'share-code-invalid');
  return withTenantScope(found.tenant_id, () =>
    inTransaction(db, async (trx) => {
      const tenant = await trx.selectFrom('tenants').select('name').where('id', '=', found.tenant_id).executeTakeFirstOrThrow();
      const permit = await mainPermitOn(trx, found.person_id, calendarDate(now));
      const category = permit ? await trx.selectFrom('permit_categories').select('names').where('tenant_id', '=', found.tenant_id).where('code', '=', permit.category).executeTakeFirst() : undefined;
      await repo.countShareView(trx, found.id, now);
      await appendAudit(trx, { tenantId: found.tenant_id, actorId: null, actorKind: 'anonymous', actorName: null, requestId: request.requestId }, { action: 'portal.share-code-viewed', entityType: 'person', entityId: found.person_id, details: { shareCode: found.id, ip: request.ip } });
      return {
        office: tenant.name,
        category: permit?.category ?? null,
        categoryNames: (category?.names as SharedPermit['categoryNames'] | undefined) ?? null,
        validUntil: permit ? lastDayOf({ validUntil: permit.valid_until, endedOn: permit.ended_on }) : null,
        status: permit ? 'valid' : 'no-valid-permit',
        checkedAt: now.toISOString(),
        codeValidUntil: found.valid_until.toISOString(),
      };
    }),
  );
}
