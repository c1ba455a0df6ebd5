import type { ColumnType, Generated } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import type { Locale } from '../../platform/i18n/messages.js';
import type { PaperMediaType } from '../../platform/files.js';
import type { AccountKind, MandateScope, PortalTokenPurpose } from './rules.js';

/** The only code of the portal module that touches its tables (migrations 0014 and 0016). */

type DateColumn = ColumnType<string, string, string>;

export type PortalTables = {
  portal_accounts: {
    user_id: string;
    tenant_id: string;
    kind: AccountKind;
    email: string;
    email_verified_at: Date | null;
    language: Locale;
    person_id: string | null;
    person_linked_at: Date | null;
    person_linked_by: string | null;
    created_at: Generated<Date>;
  };
  portal_tokens: {
    id: Generated<string>;
    tenant_id: string;
    user_id: string;
    purpose: PortalTokenPurpose;
    token_hash: string;
    expires_at: Date;
    used_at: Date | null;
    created_at: Generated<Date>;
  };
  mandates: {
    id: Generated<string>;
    tenant_id: string;
    grantor_person_id: string;
    representative_user_id: string;
    scope: ColumnType<MandateScope[], string, string>;
    valid_from: DateColumn;
    valid_until: ColumnType<string | null, string | null, string | null>;
    granted_by: string | null;
    granted_by_kind: 'person' | 'staff';
    granted_at: Generated<Date>;
    revoked_at: Date | null;
    revoked_by: string | null;
    revoked_by_kind: 'person' | 'staff' | null;
  };
  portal_link_codes: {
    id: Generated<string>;
    tenant_id: string;
    person_id: string;
    code_hash: string;
    valid_until: Date;
    used_at: Date | null;
    used_by: string | null;
    failed_attempts: Generated<number>;
    created_by: string;
    created_at: Generated<Date>;
  };
  portal_applications: {
    id: Generated<string>;
    tenant_id: string;
    account_id: string;
    person_id: string;
    form: string;
    form_version: number;
    answers: ColumnType<Record<string, string>, string, string>;
    state: ColumnType<'draft' | 'submitted', 'draft' | 'submitted' | undefined, 'draft' | 'submitted'>;
    case_id: string | null;
    version: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    submitted_at: Date | null;
  };
  portal_uploads: {
    id: Generated<string>;
    tenant_id: string;
    application_id: string;
    slot: string;
    file_name: string;
    media_type: PaperMediaType;
    size_bytes: number;
    sha256: string;
    content: Buffer;
    created_at: Generated<Date>;
  };
  portal_messages: {
    id: Generated<string>;
    tenant_id: string;
    case_id: string;
    person_id: string;
    direction: 'in' | 'out';
    author_id: string | null;
    author_name: string;
    body: string;
    created_at: Generated<Date>;
    read_at: Date | null;
  };
  share_codes: {
    id: Generated<string>;
    tenant_id: string;
    person_id: string;
    code_hash: string;
    label: string | null;
    valid_until: Date;
    revoked_at: Date | null;
    created_by: string | null;
    created_at: Generated<Date>;
    views: Generated<number>;
    last_viewed_at: Date | null;
  };
  portal_expiry_notices: {
    tenant_id: string;
    permit_id: string;
    valid_until: DateColumn;
    person_id: string;
    recipients: number;
    sent_at: Generated<Date>;
  };
};

function tables(db: Db | Trx) {
  return db.withTables<PortalTables>();
}

// --- accounts -------------------------------------------------------------------------------------

export interface AccountRecord {
  userId: string;
  tenantId: string;
  kind: AccountKind;
  email: string;
  emailVerifiedAt: Date | null;
  language: Locale;
  personId: string | null;
  personLinkedAt: Date | null;
  displayName: string;
  disabled: boolean;
  createdAt: Date;
}

function accountQuery(db: Db | Trx) {
  return tables(db)
    .selectFrom('portal_accounts')
    .innerJoin('users', 'users.id', 'portal_accounts.user_id')
    .select([
      'portal_accounts.user_id',
      'portal_accounts.tenant_id',
      'portal_accounts.kind',
      'portal_accounts.email',
      'portal_accounts.email_verified_at',
      'portal_accounts.language',
      'portal_accounts.person_id',
      'portal_accounts.person_linked_at',
      'portal_accounts.created_at',
      'users.display_name',
      'users.disabled',
    ]);
}

type AccountRow = Awaited<ReturnType<ReturnType<typeof accountQuery>['executeTakeFirstOrThrow']>>;

function toAccount(row: AccountRow): AccountRecord {
  return {
    userId: row.user_id,
    tenantId: row.tenant_id,
    kind: row.kind,
    email: row.email,
    emailVerifiedAt: row.email_verified_at,
    language: row.language,
    personId: row.person_id,
    personLinkedAt: row.person_linked_at,
    displayName: row.display_name,
    disabled: row.disabled,
    createdAt: row.created_at,
  };
}

export async function insertAccount(trx: Trx, account: { userId: string; tenantId: string; kind: AccountKind; email: string; language: Locale }): Promise<void> {
  await tables(trx).insertInto('portal_accounts').values({ user_id: account.userId, tenant_id: account.tenantId, kind: account.kind, email: account.email, language: account.language }).execute();
}

export async function findAccount(db: Db | Trx, tenantId: string, userId: string, forUpdate = false): Promise<AccountRecord | null> {
  let query = accountQuery(db).where('portal_accounts.tenant_id', '=', tenantId).where('portal_accounts.user_id', '=', userId);
  if (forUpdate) query = query.forUpdate('portal_accounts');
  const row = await query.executeTakeFirst();
  return row ? toAccount(row) : null;
}

/** An account by its address, in any office (addresses are unique in the installation, like user names). */
export async function findAccountByEmail(db: Db | Trx, email: string): Promise<AccountRecord | null> {
  const row = await accountQuery(db).where('portal_accounts.email', '=', email).executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function findAccountByEmailInOffice(db: Db | Trx, tenantId: string, email: string): Promise<AccountRecord | null> {
  const row = await accountQuery(db).where('portal_accounts.tenant_id', '=', tenantId).where('portal_accounts.email', '=', email).executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function markEmailVerified(trx: Trx, userId: string, at: Date): Promise<void> {
  await tables(trx).updateTable('portal_accounts').set({ email_verified_at: at }).where('user_id', '=', userId).where('email_verified_at', 'is', null).execute();
}

/** An account whose address is already confirmed, linked to its person (the demo's applicant; an import from another portal). */
export async function insertLinkedAccount(trx: Trx, account: { userId: string; tenantId: string; kind: AccountKind; email: string; language: Locale; personId: string; at: Date }): Promise<void> {
  await tables(trx)
    .insertInto('portal_accounts')
    .values({ user_id: account.userId, tenant_id: account.tenantId, kind: account.kind, email: account.email, language: account.language, email_verified_at: account.at, person_id: account.personId, person_linked_at: account.at })
    .execute();
}

export async function linkPerson(trx: Trx, userId: string, personId: string, by: string, at: Date): Promise<void> {
  await tables(trx).updateTable('portal_accounts').set({ person_id: personId, person_linked_at: at, person_linked_by: by }).where('user_id', '=', userId).execute();
}

// --- tokens ---------------------------------------------------------------------------------------

export interface TokenRecord {
  id: string;
  tenantId: string;
  userId: string;
  purpose: PortalTokenPurpose;
  expiresAt: Date;
  usedAt: Date | null;
}

export async function insertToken(trx: Trx, token: { tenantId: string; userId: string; purpose: PortalTokenPurpose; tokenHash: string; expiresAt: Date }): Promise<void> {
  await tables(trx).insertInto('portal_tokens').values({ tenant_id: token.tenantId, user_id: token.userId, purpose: token.purpose, token_hash: token.tokenHash, expires_at: token.expiresAt }).execute();
}

export async function findToken(db: Db | Trx, tokenHash: string, forUpdate = false): Promise<TokenRecord | null> {
  let query = tables(db).selectFrom('portal_tokens').select(['id', 'tenant_id', 'user_id', 'purpose', 'expires_at', 'used_at']).where('token_hash', '=', tokenHash);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? { id: row.id, tenantId: row.tenant_id, userId: row.user_id, purpose: row.purpose, expiresAt: row.expires_at, usedAt: row.used_at } : null;
}

/** Marks a token used; false when a parallel request used it first. */
export async function useToken(trx: Trx, id: string, at: Date): Promise<boolean> {
  const result = await tables(trx).updateTable('portal_tokens').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Retires the still open tokens of a purpose (a new reset link makes the older ones useless). */
export async function retireTokens(trx: Trx, userId: string, purpose: PortalTokenPurpose, at: Date): Promise<void> {
  await tables(trx).updateTable('portal_tokens').set({ used_at: at }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

// --- mandates -------------------------------------------------------------------------------------

export interface MandateRecord {
  id: string;
  tenantId: string;
  grantorPersonId: string;
  representativeUserId: string;
  representativeEmail: string | null;
  representativeName: string;
  scope: MandateScope[];
  validFrom: string;
  validUntil: string | null;
  grantedBy: string | null;
  grantedByKind: 'person' | 'staff';
  grantedAt: Date;
  revokedAt: Date | null;
  revokedByKind: 'person' | 'staff' | null;
}

function mandateQuery(db: Db | Trx) {
  return tables(db)
    .selectFrom('mandates')
    .innerJoin('users', 'users.id', 'mandates.representative_user_id')
    .leftJoin('portal_accounts', 'portal_accounts.user_id', 'mandates.representative_user_id')
    .select([
      'mandates.id',
      'mandates.tenant_id',
      'mandates.grantor_person_id',
      'mandates.representative_user_id',
      'portal_accounts.email',
      'users.display_name',
      'mandates.scope',
      'mandates.valid_from',
      'mandates.valid_until',
      'mandates.granted_by',
      'mandates.granted_by_kind',
      'mandates.granted_at',
      'mandates.revoked_at',
      'mandates.revoked_by_kind',
    ]);
}

type MandateRow = Awaited<ReturnType<ReturnType<typeof mandateQuery>['executeTakeFirstOrThrow']>>;

function dateText(value: string | Date | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  // A DATE read as a Date (midnight UTC from pg's parser): its calendar day.
  return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
}

function toMandate(row: MandateRow): MandateRecord {
  const scope = typeof row.scope === 'string' ? (JSON.parse(row.scope) as MandateScope[]) : row.scope;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    grantorPersonId: row.grantor_person_id,
    representativeUserId: row.representative_user_id,
    representativeEmail: row.email,
    representativeName: row.display_name,
    scope,
    validFrom: dateText(row.valid_from as string | Date) ?? '',
    validUntil: dateText(row.valid_until as string | Date | null),
    grantedBy: row.granted_by,
    grantedByKind: row.granted_by_kind,
    grantedAt: row.granted_at,
    revokedAt: row.revoked_at,
    revokedByKind: row.revoked_by_kind,
  };
}

export async function insertMandate(
  trx: Trx,
  mandate: { tenantId: string; grantorPersonId: string; representativeUserId: string; scope: MandateScope[]; validFrom: string; validUntil: string | null; grantedBy: string; grantedByKind: 'person' | 'staff' },
): Promise<string> {
  const row = await tables(trx)
    .insertInto('mandates')
    .values({
      tenant_id: mandate.tenantId,
      grantor_person_id: mandate.grantorPersonId,
      representative_user_id: mandate.representativeUserId,
      scope: JSON.stringify(mandate.scope),
      valid_from: mandate.validFrom,
      valid_until: mandate.validUntil,
      granted_by: mandate.grantedBy,
      granted_by_kind: mandate.grantedByKind,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findMandate(db: Db | Trx, tenantId: string, id: string, forUpdate = false): Promise<MandateRecord | null> {
  let query = mandateQuery(db).where('mandates.tenant_id', '=', tenantId).where('mandates.id', '=', id);
  if (forUpdate) query = query.forUpdate('mandates');
  const row = await query.executeTakeFirst();
  return row ? toMandate(row) : null;
}

export async function mandatesGivenBy(db: Db | Trx, tenantId: string, personId: string): Promise<MandateRecord[]> {
  const rows = await mandateQuery(db).where('mandates.tenant_id', '=', tenantId).where('mandates.grantor_person_id', '=', personId).orderBy('mandates.granted_at', 'desc').execute();
  return rows.map(toMandate);
}

export async function mandatesHeldBy(db: Db | Trx, tenantId: string, userId: string): Promise<MandateRecord[]> {
  const rows = await mandateQuery(db).where('mandates.tenant_id', '=', tenantId).where('mandates.representative_user_id', '=', userId).orderBy('mandates.granted_at', 'desc').execute();
  return rows.map(toMandate);
}

export async function revokeMandate(trx: Trx, id: string, by: string, byKind: 'person' | 'staff', at: Date): Promise<boolean> {
  const result = await tables(trx).updateTable('mandates').set({ revoked_at: at, revoked_by: by, revoked_by_kind: byKind }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Accounts that speak for a person: linked to them, or holding an active mandate with the scope. */
export async function accountsForPerson(db: Db | Trx, tenantId: string, personId: string, scope: MandateScope, today: string): Promise<AccountRecord[]> {
  const own = (await accountQuery(db).where('portal_accounts.tenant_id', '=', tenantId).where('portal_accounts.person_id', '=', personId).execute()).map(toAccount);
  const representatives = (await mandatesGivenBy(db, tenantId, personId)).filter(
    (mandate) => mandate.revokedAt === null && mandate.validFrom <= today && (mandate.validUntil === null || mandate.validUntil >= today) && mandate.scope.includes(scope),
  );
  const held = representatives.length === 0 ? [] : (await accountQuery(db).where('portal_accounts.user_id', 'in', representatives.map((m) => m.representativeUserId)).execute()).map(toAccount);
  const byId = new Map([...own, ...held].filter((account) => !account.disabled && account.emailVerifiedAt !== null).map((account) => [account.userId, account]));
  return [...byId.values()];
}

// --- link codes -------------------------------------------------------------------------------------

export async function insertLinkCode(trx: Trx, code: { tenantId: string; personId: string; codeHash: string; validUntil: Date; createdBy: string }): Promise<void> {
  await tables(trx).insertInto('portal_link_codes').values({ tenant_id: code.tenantId, person_id: code.personId, code_hash: code.codeHash, valid_until: code.validUntil, created_by: code.createdBy }).execute();
}

export async function findLinkCode(db: Db | Trx, tenantId: string, codeHash: string) {
  return (await tables(db).selectFrom('portal_link_codes').selectAll().where('tenant_id', '=', tenantId).where('code_hash', '=', codeHash).forUpdate().executeTakeFirst()) ?? null;
}

export async function useLinkCode(trx: Trx, id: string, userId: string, at: Date): Promise<void> {
  await tables(trx).updateTable('portal_link_codes').set({ used_at: at, used_by: userId }).where('id', '=', id).execute();
}

export async function countFailedLinkAttempt(trx: Trx, id: string): Promise<void> {
  await tables(trx).updateTable('portal_link_codes').set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) })).where('id', '=', id).execute();
}

// --- applications -----------------------------------------------------------------------------------

export type ApplicationRow = Awaited<ReturnType<typeof findApplication>> & {};

export async function insertApplication(trx: Trx, application: { tenantId: string; accountId: string; personId: string; form: string; formVersion: number; answers: Record<string, string> }) {
  return tables(trx)
    .insertInto('portal_applications')
    .values({ tenant_id: application.tenantId, account_id: application.accountId, person_id: application.personId, form: application.form, form_version: application.formVersion, answers: JSON.stringify(application.answers) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findApplication(db: Db | Trx, tenantId: string, id: string, forUpdate = false) {
  let query = tables(db).selectFrom('portal_applications').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

export async function applicationsOfAccount(db: Db | Trx, tenantId: string, accountId: string) {
  return tables(db).selectFrom('portal_applications').selectAll().where('tenant_id', '=', tenantId).where('account_id', '=', accountId).orderBy('updated_at', 'desc').limit(100).execute();
}

export async function applicationOfCase(db: Db | Trx, tenantId: string, caseId: string) {
  return (await tables(db).selectFrom('portal_applications').selectAll().where('tenant_id', '=', tenantId).where('case_id', '=', caseId).executeTakeFirst()) ?? null;
}

/** For sent applications of these persons: whose case it opened (the applicant's own, or a relative's). */
export async function casePersonsOfApplications(db: Db | Trx, tenantId: string, personIds: readonly string[]): Promise<{ personId: string; casePersonId: string }[]> {
  if (personIds.length === 0) return [];
  const rows = await tables(db)
    .selectFrom('portal_applications')
    .innerJoin('cases', 'cases.id', 'portal_applications.case_id')
    .select(['portal_applications.person_id', 'cases.person_id as case_person_id'])
    .distinct()
    .where('portal_applications.tenant_id', '=', tenantId)
    .where('portal_applications.person_id', 'in', personIds)
    .execute();
  return rows.map((row) => ({ personId: row.person_id, casePersonId: row.case_person_id }));
}

export async function saveApplication(trx: Trx, id: string, set: { answers?: Record<string, string>; state?: 'submitted'; caseId?: string; submittedAt?: Date }) {
  return tables(trx)
    .updateTable('portal_applications')
    .set((eb) => ({
      ...(set.answers === undefined ? {} : { answers: JSON.stringify(set.answers) }),
      ...(set.state === undefined ? {} : { state: set.state }),
      ...(set.caseId === undefined ? {} : { case_id: set.caseId }),
      ...(set.submittedAt === undefined ? {} : { submitted_at: set.submittedAt }),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteApplication(trx: Trx, id: string): Promise<void> {
  await tables(trx).deleteFrom('portal_applications').where('id', '=', id).execute();
}

const UPLOAD_INFO = ['id', 'slot', 'file_name', 'media_type', 'size_bytes', 'sha256', 'created_at'] as const;

export async function uploadsOfApplication(db: Db | Trx, applicationId: string) {
  return tables(db).selectFrom('portal_uploads').select(UPLOAD_INFO).where('application_id', '=', applicationId).orderBy('created_at').orderBy('id').execute();
}

export async function uploadsWithContent(trx: Trx, applicationId: string) {
  return tables(trx).selectFrom('portal_uploads').select([...UPLOAD_INFO, 'content']).where('application_id', '=', applicationId).orderBy('created_at').orderBy('id').execute();
}

export async function insertUpload(trx: Trx, upload: { tenantId: string; applicationId: string; slot: string; fileName: string; mediaType: PaperMediaType; sha256: string; content: Buffer }) {
  return tables(trx)
    .insertInto('portal_uploads')
    .values({ tenant_id: upload.tenantId, application_id: upload.applicationId, slot: upload.slot, file_name: upload.fileName, media_type: upload.mediaType, size_bytes: upload.content.length, sha256: upload.sha256, content: upload.content })
    .returning(UPLOAD_INFO)
    .executeTakeFirstOrThrow();
}

export async function deleteUpload(trx: Trx, applicationId: string, uploadId: string): Promise<boolean> {
  const result = await tables(trx).deleteFrom('portal_uploads').where('application_id', '=', applicationId).where('id', '=', uploadId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function deleteUploadsOf(trx: Trx, applicationId: string): Promise<void> {
  await tables(trx).deleteFrom('portal_uploads').where('application_id', '=', applicationId).execute();
}

// --- messages ---------------------------------------------------------------------------------------

export async function insertMessage(trx: Trx, message: { tenantId: string; caseId: string; personId: string; direction: 'in' | 'out'; authorId: string | null; authorName: string; body: string }) {
  return tables(trx)
    .insertInto('portal_messages')
    .values({ tenant_id: message.tenantId, case_id: message.caseId, person_id: message.personId, direction: message.direction, author_id: message.authorId, author_name: message.authorName, body: message.body })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function messagesOfCase(db: Db | Trx, caseId: string) {
  return tables(db).selectFrom('portal_messages').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').limit(500).execute();
}

/** Marks the other side's messages read, now that this side opened the conversation. */
export async function markMessagesRead(trx: Trx, caseId: string, direction: 'in' | 'out', at: Date): Promise<void> {
  await tables(trx).updateTable('portal_messages').set({ read_at: at }).where('case_id', '=', caseId).where('direction', '=', direction).where('read_at', 'is', null).execute();
}

// --- share codes ------------------------------------------------------------------------------------

export async function insertShareCode(trx: Trx, code: { tenantId: string; personId: string; codeHash: string; label: string | null; validUntil: Date; createdBy: string }) {
  return tables(trx)
    .insertInto('share_codes')
    .values({ tenant_id: code.tenantId, person_id: code.personId, code_hash: code.codeHash, label: code.label, valid_until: code.validUntil, created_by: code.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function shareCodesOfPerson(db: Db | Trx, tenantId: string, personId: string) {
  return tables(db).selectFrom('share_codes').selectAll().where('tenant_id', '=', tenantId).where('person_id', '=', personId).orderBy('created_at', 'desc').limit(50).execute();
}

export async function findShareCode(db: Db | Trx, codeHash: string) {
  return (await tables(db).selectFrom('share_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst()) ?? null;
}

export async function revokeShareCode(trx: Trx, tenantId: string, personId: string, id: string, at: Date) {
  return (await tables(trx).updateTable('share_codes').set({ revoked_at: at }).where('tenant_id', '=', tenantId).where('person_id', '=', personId).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst()) ?? null;
}

export async function countShareView(trx: Trx, id: string, at: Date): Promise<void> {
  await tables(trx).updateTable('share_codes').set((eb) => ({ views: eb('views', '+', 1), last_viewed_at: at })).where('id', '=', id).execute();
}

// --- expiry notices ---------------------------------------------------------------------------------

/** Records the notice; false when it was already sent (another process was first). */
export async function recordExpiryNotice(trx: Trx, notice: { tenantId: string; permitId: string; validUntil: string; personId: string; recipients: number }): Promise<boolean> {
  const row = await tables(trx)
    .insertInto('portal_expiry_notices')
    .values({ tenant_id: notice.tenantId, permit_id: notice.permitId, valid_until: notice.validUntil, person_id: notice.personId, recipients: notice.recipients })
    .onConflict((oc) => oc.columns(['permit_id', 'valid_until']).doNothing())
    .returning('permit_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Main permits ending in [from, to] of persons who have a verified portal account, without a notice
 * for that end date yet: the candidates for "your permit expires soon". One set-based query.
 */
export async function permitsDueForNotice(db: Db | Trx, tenantId: string, from: string, to: string) {
  return tables(db)
    .selectFrom('permits')
    .innerJoin('portal_accounts', (join) => join.onRef('portal_accounts.person_id', '=', 'permits.person_id').on('portal_accounts.email_verified_at', 'is not', null))
    .leftJoin('portal_expiry_notices', (join) => join.onRef('portal_expiry_notices.permit_id', '=', 'permits.id').onRef('portal_expiry_notices.valid_until', '=', 'permits.valid_until'))
    .select(['permits.id', 'permits.person_id', 'permits.category', 'permits.valid_until'])
    .distinct()
    .where('permits.tenant_id', '=', tenantId)
    .where('permits.is_main', '=', true)
    .where('permits.ended_on', 'is', null)
    .where('permits.valid_until', '>=', from)
    .where('permits.valid_until', '<=', to)
    .where('portal_expiry_notices.permit_id', 'is', null)
    .limit(1000)
    .execute();
}
