import type { ColumnType, Generated } from 'kysely';
import type { Db, Trx } from '../../platform/db/transaction.js';
import type { Locale } from '../../platform/i18n/messages.js';
import type { AccountKind, MandateScope, PortalTokenPurpose } from './rules.js';

/** The only code of the portal module that touches its tables (migration 0014). */

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
