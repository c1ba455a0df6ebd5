import { appendAudit, subjectOf, type AuditSubject } from '../../platform/audit/audit.js';
import type { Actor, RequestContext } from '../../platform/auth/actor.js';
import { newToken, sha256Hex } from '../../platform/auth/tokens.js';
import { withTenantScope, withoutTenantScope } from '../../platform/db/tenant-scope.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { AppError, invalidFields, problems, type DomainFieldError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n/messages.js';
import { queueMail } from '../../platform/mail/index.js';
import { enableUser, endUserSessions, hashNewPassword, insertDisabledUser, officeBySlug, passwordAcceptable, setUserPassword } from '../access/index.js';
import { personName, visiblePerson } from '../register/index.js';
import { passwordResetMail, signUpAttemptMail, verificationMail } from './mails.js';
import * as repo from './repository.js';
import { calendarDate, checkNewMandate, judgeToken, mandateState, normaliseScope, parseEmail, portalLink, tokenExpiry, type AccountKind, type MandateScope, type PortalTokenPurpose } from './rules.js';

/** The portal's use cases: accounts (sign-up, address confirmation, password reset), the linked person, mandates. */

/** Where the request came from: for the links in mails and the audit log. */
export interface PublicRequest {
  /** PUBLIC_URL, or the origin the request was made to. */
  baseUrl: string;
  requestId: string;
  ip: string | null;
}

async function office(db: Db, slug: string): Promise<{ id: string; slug: string; name: string }> {
  const found = await withoutTenantScope(() => officeBySlug(db, slug));
  if (!found) throw problems.notFound('office');
  return found;
}

function anonymous(tenantId: string, requestId: string): AuditSubject {
  return { tenantId, actorId: null, actorKind: 'anonymous', actorName: null, requestId };
}

function userSubject(tenantId: string, userId: string, email: string, requestId: string): AuditSubject {
  return { tenantId, actorId: userId, actorKind: 'user', actorName: email, requestId };
}

/** Issues a one-time token (only its SHA-256 is stored) and returns it for the mail. */
async function issueToken(trx: Trx, tenantId: string, userId: string, purpose: PortalTokenPurpose, now: Date): Promise<string> {
  const token = newToken();
  await repo.insertToken(trx, { tenantId, userId, purpose, tokenHash: sha256Hex(token), expiresAt: tokenExpiry(purpose, now) });
  return token;
}

function tokenProblem(verdict: ReturnType<typeof judgeToken>): AppError {
  if (verdict === 'expired') return new AppError(400, 'portal-token-expired');
  if (verdict === 'used') return new AppError(400, 'portal-token-used');
  return new AppError(400, 'portal-token-invalid');
}

function passwordProblem(password: string): AppError | null {
  return passwordAcceptable(password) ? null : invalidFields({ field: 'password', message: 'password-too-short' });
}

// --- sign-up ---------------------------------------------------------------------------------------

export interface SignUpInput {
  officeSlug: string;
  email: string;
  password: string;
  displayName: string;
  kind: AccountKind;
  language: Locale;
}

/**
 * Opens a disabled account and mails the confirmation link, in one transaction. When the address
 * already has an account (or is a staff member's login), nothing is created and the address gets
 * a mail that someone tried: the answer is the same either way, and the password is hashed either
 * way, so neither the answer nor its time tells whether the address is known.
 */
export async function signUp(db: Db, input: SignUpInput, request: PublicRequest, now: Date = new Date()): Promise<void> {
  const target = await office(db, input.officeSlug);
  const errors: DomainFieldError[] = [];
  const email = parseEmail(input.email);
  if (email === null) errors.push({ field: 'email', message: 'not-an-email' });
  if (!passwordAcceptable(input.password)) errors.push({ field: 'password', message: 'password-too-short' });
  const displayName = input.displayName.trim();
  if (displayName.length === 0) errors.push({ field: 'displayName', message: 'required' });
  if (email === null || errors.length > 0) throw invalidFields(...errors);
  const passwordHash = await hashNewPassword(input.password);

  await withTenantScope(target.id, () =>
    inTransaction(db, async (trx) => {
      const userId = await insertDisabledUser(trx, { tenantId: target.id, username: email, displayName, email, locale: input.language, passwordHash, role: 'applicant' });
      if (userId !== null) {
        await repo.insertAccount(trx, { userId, tenantId: target.id, kind: input.kind, email, language: input.language });
        const token = await issueToken(trx, target.id, userId, 'verify-email', now);
        const mail = verificationMail(input.language, { office: target.name, name: displayName, link: portalLink(request.baseUrl, 'verify', token) });
        await queueMail(trx, { tenantId: target.id, to: email, toName: displayName, ...mail, purpose: 'verify-email' });
        await appendAudit(trx, userSubject(target.id, userId, email, request.requestId), {
          action: 'portal.signed-up',
          entityType: 'user',
          entityId: userId,
          details: { kind: input.kind, language: input.language, ip: request.ip },
        });
        return;
      }
      // Taken. An unconfirmed account of this office gets a fresh confirmation link with the notice.
      const existing = await repo.findAccountByEmailInOffice(trx, target.id, email);
      let verifyLink: string | null = null;
      if (existing && existing.emailVerifiedAt === null) {
        verifyLink = portalLink(request.baseUrl, 'verify', await issueToken(trx, target.id, existing.userId, 'verify-email', now));
      }
      const locale = existing?.language ?? input.language;
      const resetLink = `${request.baseUrl.replace(/\/+$/, '')}/portal/forgot-password?office=${encodeURIComponent(target.slug)}`;
      const mail = signUpAttemptMail(locale, { office: target.name, name: existing?.displayName ?? '', resetLink, verifyLink });
      await queueMail(trx, { tenantId: target.id, to: email, ...mail, purpose: 'account-notice' });
      await appendAudit(trx, anonymous(target.id, request.requestId), {
        action: 'portal.sign-up-refused',
        entityType: existing ? 'user' : null,
        entityId: existing?.userId ?? null,
        details: { reason: 'address-taken', ip: request.ip },
      });
    }),
  );
}

// --- confirming the address ----------------------------------------------------------------------------

type TokenPurpose = 'verify-email' | 'password-reset';
type RedeemedAccount = NonNullable<Awaited<ReturnType<typeof repo.findAccount>>>;

/**
 * Redeems a one-time token: found by its hash (the office is not known before, so unscoped), then,
 * in the office's scope and one transaction, used up exactly once and handed to `act` with its
 * account. Unknown, expired and used tokens are refused.
 */
async function redeemToken<T>(db: Db, token: string, purpose: TokenPurpose, now: Date, prepare: () => Promise<T>, act: (trx: Trx, account: RedeemedAccount, prepared: T) => Promise<void>): Promise<void> {
  const tokenHash = sha256Hex(token);
  const found = await withoutTenantScope(() => repo.findToken(db, tokenHash));
  const verdict = judgeToken(found, purpose, now);
  if (!found || verdict !== 'valid') throw tokenProblem(verdict);
  // Slow or refusable work (hashing a new password) before the transaction.
  const prepared = await prepare();
  const error = await withTenantScope(found.tenantId, () =>
    inTransaction(db, async (trx): Promise<AppError | null> => {
      const current = await repo.findToken(trx, tokenHash, true);
      const again = judgeToken(current, purpose, now);
      if (!current || again !== 'valid' || !(await repo.useToken(trx, current.id, now))) return tokenProblem(again === 'valid' ? 'used' : again);
      const account = await repo.findAccount(trx, current.tenantId, current.userId, true);
      if (!account) return new AppError(400, 'portal-token-invalid');
      await act(trx, account, prepared);
      return null;
    }),
  );
  if (error) throw error;
}

/** Uses a confirmation token: the account may sign in from now on. One use; expired or unknown tokens are refused. */
export async function verifyEmail(db: Db, token: string, request: PublicRequest, now: Date = new Date()): Promise<void> {
  await redeemToken(db, token, 'verify-email', now, async () => null, async (trx, account) => {
    if (account.emailVerifiedAt === null) {
      await repo.markEmailVerified(trx, account.userId, now);
      await enableUser(trx, account.userId);
    }
    await repo.retireTokens(trx, account.userId, 'verify-email', now);
    await appendAudit(trx, userSubject(account.tenantId, account.userId, account.email, request.requestId), {
      action: 'portal.email-verified',
      entityType: 'user',
      entityId: account.userId,
      details: { ip: request.ip },
    });
  });
}

// --- password reset -----------------------------------------------------------------------------------

/** Mails a reset link when the address has an account at the office; the answer is the same when it has none. */
export async function requestPasswordReset(db: Db, officeSlug: string, rawEmail: string, request: PublicRequest, now: Date = new Date()): Promise<void> {
  const target = await office(db, officeSlug);
  const email = parseEmail(rawEmail);
  if (email === null) throw invalidFields({ field: 'email', message: 'not-an-email' });
  await withTenantScope(target.id, () =>
    inTransaction(db, async (trx) => {
      const account = await repo.findAccountByEmailInOffice(trx, target.id, email);
      if (!account) return;
      // A new link makes the older ones useless.
      await repo.retireTokens(trx, account.userId, 'password-reset', now);
      const token = await issueToken(trx, target.id, account.userId, 'password-reset', now);
      const mail = passwordResetMail(account.language, { office: target.name, name: account.displayName, link: portalLink(request.baseUrl, 'reset-password', token) });
      await queueMail(trx, { tenantId: target.id, to: account.email, toName: account.displayName, ...mail, purpose: 'password-reset' });
      await appendAudit(trx, anonymous(target.id, request.requestId), { action: 'portal.password-reset-requested', entityType: 'user', entityId: account.userId, details: { ip: request.ip } });
    }),
  );
}

/**
 * Sets the new password with a reset token (one use), ends every session of the account, and,
 * since the link proved the address, confirms an address that was not yet confirmed.
 */
export async function confirmPasswordReset(db: Db, token: string, password: string, request: PublicRequest, now: Date = new Date()): Promise<void> {
  const hashed = async () => {
    const invalid = passwordProblem(password);
    if (invalid) throw invalid;
    return hashNewPassword(password);
  };
  await redeemToken(db, token, 'password-reset', now, hashed, async (trx, account, passwordHash) => {
    await setUserPassword(trx, account.userId, passwordHash);
    const sessions = await endUserSessions(trx, account.userId, now);
    if (account.emailVerifiedAt === null) {
      await repo.markEmailVerified(trx, account.userId, now);
      await enableUser(trx, account.userId);
    }
    await appendAudit(trx, userSubject(account.tenantId, account.userId, account.email, request.requestId), {
      action: 'portal.password-reset',
      entityType: 'user',
      entityId: account.userId,
      details: { sessionsEnded: sessions, ip: request.ip },
    });
  });
}

// --- the account and its person -------------------------------------------------------------------------

export interface MandateView {
  id: string;
  grantor: { personId: string; name: string | null };
  representative: { accountId: string; name: string; email: string | null };
  scope: MandateScope[];
  validFrom: string;
  validUntil: string | null;
  grantedBy: 'person' | 'staff';
  grantedAt: string;
  revokedAt: string | null;
  state: ReturnType<typeof mandateState>;
}

export interface AccountView {
  account: {
    id: string;
    kind: AccountKind;
    email: string;
    displayName: string;
    language: Locale;
    emailVerifiedAt: string | null;
    createdAt: string;
  };
  person: { id: string; name: string } | null;
  mandatesGiven: MandateView[];
  mandatesHeld: MandateView[];
}

function displayNameOf(person: { officialName: string; firstNames: string }): string {
  return `${person.firstNames} ${person.officialName}`.trim();
}

async function mandateViews(trx: Trx | Db, tenantId: string, mandates: repo.MandateRecord[], today: string): Promise<MandateView[]> {
  const names = new Map<string, string | null>();
  const views: MandateView[] = [];
  for (const mandate of mandates) {
    if (!names.has(mandate.grantorPersonId)) {
      const person = await personName(trx, tenantId, mandate.grantorPersonId);
      names.set(mandate.grantorPersonId, person ? displayNameOf(person) : null);
    }
    views.push({
      id: mandate.id,
      grantor: { personId: mandate.grantorPersonId, name: names.get(mandate.grantorPersonId) ?? null },
      representative: { accountId: mandate.representativeUserId, name: mandate.representativeName, email: mandate.representativeEmail },
      scope: mandate.scope,
      validFrom: mandate.validFrom,
      validUntil: mandate.validUntil,
      grantedBy: mandate.grantedByKind,
      grantedAt: mandate.grantedAt.toISOString(),
      revokedAt: mandate.revokedAt?.toISOString() ?? null,
      state: mandateState(mandate, today),
    });
  }
  return views;
}

async function ownAccount(db: Db | Trx, actor: Actor, forUpdate = false): Promise<repo.AccountRecord> {
  const account = await repo.findAccount(db, actor.tenantId, actor.id, forUpdate);
  if (!account) throw problems.notFound('portal-account');
  return account;
}

/** The caller's own account: address, linked person (name only), mandates given and held. Audited as a read. */
export async function readOwnAccount(db: Db, context: RequestContext, now: Date = new Date()): Promise<AccountView> {
  const { actor } = context;
  return inTransaction(db, async (trx) => {
    const account = await ownAccount(trx, actor);
    const today = calendarDate(now);
    const person = account.personId ? await personName(trx, actor.tenantId, account.personId) : null;
    const given = person ? await repo.mandatesGivenBy(trx, actor.tenantId, person.id) : [];
    const held = await repo.mandatesHeldBy(trx, actor.tenantId, actor.id);
    const view: AccountView = {
      account: {
        id: account.userId,
        kind: account.kind,
        email: account.email,
        displayName: account.displayName,
        language: account.language,
        emailVerifiedAt: account.emailVerifiedAt?.toISOString() ?? null,
        createdAt: account.createdAt.toISOString(),
      },
      person: person ? { id: person.id, name: displayNameOf(person) } : null,
      mandatesGiven: await mandateViews(trx, actor.tenantId, given, today),
      mandatesHeld: await mandateViews(trx, actor.tenantId, held, today),
    };
    await appendAudit(trx, subjectOf(actor, context.requestId), {
      action: 'portal.account-read',
      entityType: person ? 'person' : 'user',
      entityId: person?.id ?? actor.id,
      details: { account: actor.id, grantors: [...new Set(held.map((mandate) => mandate.grantorPersonId))] },
    });
    return view;
  });
}

/** Staff find an account of their office by its address (to link it or name it in a mandate). */
export async function findOfficeAccount(db: Db, context: RequestContext, rawEmail: string): Promise<AccountView['account'] & { personId: string | null; disabled: boolean }> {
  const { actor } = context;
  const email = parseEmail(rawEmail);
  if (email === null) throw invalidFields({ field: 'email', message: 'not-an-email' });
  return inTransaction(db, async (trx) => {
    const account = await repo.findAccountByEmailInOffice(trx, actor.tenantId, email);
    if (!account) throw problems.notFound('portal-account');
    await appendAudit(trx, subjectOf(actor, context.requestId), {
      action: 'portal.account-looked-up',
      entityType: account.personId ? 'person' : 'user',
      entityId: account.personId ?? account.userId,
      details: { account: account.userId },
    });
    return {
      id: account.userId,
      kind: account.kind,
      email: account.email,
      displayName: account.displayName,
      language: account.language,
      emailVerifiedAt: account.emailVerifiedAt?.toISOString() ?? null,
      createdAt: account.createdAt.toISOString(),
      personId: account.personId,
      disabled: account.disabled,
    };
  });
}

/**
 * Links an account to a register person after the office checked the identity at the counter.
 * Another office's account, or a person the caller cannot see, answers 404. Relinking is allowed
 * (a correction) and audited with the person before.
 */
export async function linkAccountToPerson(db: Db, context: RequestContext, accountId: string, personId: string, now: Date = new Date()): Promise<{ accountId: string; personId: string; name: string }> {
  const { actor } = context;
  return inTransaction(db, async (trx) => {
    const account = await repo.findAccount(trx, actor.tenantId, accountId, true);
    if (!account) throw problems.notFound('portal-account');
    const person = await visiblePerson(trx, actor, personId);
    if (!person) throw problems.notFound('person');
    await repo.linkPerson(trx, account.userId, person.id, actor.id, now);
    await appendAudit(trx, subjectOf(actor, context.requestId), {
      action: 'portal.account-linked',
      entityType: 'person',
      entityId: person.id,
      details: { account: account.userId, previousPerson: account.personId },
    });
    return { accountId: account.userId, personId: person.id, name: displayNameOf(person) };
  });
}

// --- mandates -------------------------------------------------------------------------------------------

export interface MandateInput {
  representativeEmail: string;
  scope: string[];
  validFrom?: string | undefined;
  validUntil?: string | null | undefined;
}

async function createMandate(trx: Trx, actor: Actor, grantorPersonId: string, input: MandateInput, by: 'person' | 'staff', requestId: string, now: Date): Promise<MandateView> {
  const today = calendarDate(now);
  const validFrom = input.validFrom ?? today;
  const validUntil = input.validUntil ?? null;
  const errors: DomainFieldError[] = [];
  const email = parseEmail(input.representativeEmail);
  if (email === null) errors.push({ field: 'representativeEmail', message: 'not-an-email' });
  for (const problem of checkNewMandate({ scope: input.scope, validFrom, validUntil }, today)) {
    if (problem === 'scope-empty') errors.push({ field: 'scope', message: 'required' });
    if (problem === 'scope-unknown') errors.push({ field: 'scope', message: 'unknown-mandate-scope' });
    if (problem === 'until-before-from') errors.push({ field: 'validUntil', message: 'end-before-start' });
    if (problem === 'until-in-past') errors.push({ field: 'validUntil', message: 'date-in-past' });
  }
  if (email === null || errors.length > 0) throw invalidFields(...errors);
  const representative = await repo.findAccountByEmailInOffice(trx, actor.tenantId, email);
  if (!representative || representative.emailVerifiedAt === null || representative.disabled) throw invalidFields({ field: 'representativeEmail', message: 'no-portal-account' });
  if (representative.userId === actor.id || (representative.personId !== null && representative.personId === grantorPersonId)) throw new AppError(400, 'portal-mandate-self');
  const scope = normaliseScope(input.scope);
  const id = await repo.insertMandate(trx, { tenantId: actor.tenantId, grantorPersonId, representativeUserId: representative.userId, scope, validFrom, validUntil, grantedBy: actor.id, grantedByKind: by });
  await appendAudit(trx, subjectOf(actor, requestId), {
    action: 'portal.mandate-granted',
    entityType: 'person',
    entityId: grantorPersonId,
    details: { mandate: id, representative: representative.userId, scope, validFrom, validUntil, by },
  });
  const created = await repo.findMandate(trx, actor.tenantId, id);
  if (!created) throw problems.notFound('mandate');
  const [view] = await mandateViews(trx, actor.tenantId, [created], today);
  return view!;
}

async function endMandate(trx: Trx, actor: Actor, mandate: repo.MandateRecord, by: 'person' | 'staff', requestId: string, now: Date): Promise<MandateView> {
  if (mandate.revokedAt !== null) throw new AppError(409, 'portal-mandate-revoked');
  if (!(await repo.revokeMandate(trx, mandate.id, actor.id, by, now))) throw new AppError(409, 'portal-mandate-revoked');
  await appendAudit(trx, subjectOf(actor, requestId), {
    action: 'portal.mandate-revoked',
    entityType: 'person',
    entityId: mandate.grantorPersonId,
    details: { mandate: mandate.id, representative: mandate.representativeUserId, by },
  });
  const after = (await repo.findMandate(trx, actor.tenantId, mandate.id)) ?? mandate;
  const [view] = await mandateViews(trx, actor.tenantId, [after], calendarDate(now));
  return view!;
}

/** The person behind the caller's account gives a mandate to another account of the office. */
export async function grantOwnMandate(db: Db, context: RequestContext, input: MandateInput, now: Date = new Date()): Promise<MandateView> {
  return inTransaction(db, async (trx) => {
    const account = await ownAccount(trx, context.actor, true);
    if (account.personId === null) throw new AppError(409, 'portal-account-not-linked');
    return createMandate(trx, context.actor, account.personId, input, 'person', context.requestId, now);
  });
}

/** The person revokes one of their mandates; someone else's mandate answers 404. */
export async function revokeOwnMandate(db: Db, context: RequestContext, mandateId: string, now: Date = new Date()): Promise<MandateView> {
  return inTransaction(db, async (trx) => {
    const account = await ownAccount(trx, context.actor, true);
    if (account.personId === null) throw new AppError(409, 'portal-account-not-linked');
    const mandate = await repo.findMandate(trx, context.actor.tenantId, mandateId, true);
    if (!mandate || mandate.grantorPersonId !== account.personId) throw problems.notFound('mandate');
    return endMandate(trx, context.actor, mandate, 'person', context.requestId, now);
  });
}

async function visibleGrantor(trx: Trx, actor: Actor, personId: string): Promise<string> {
  const person = await visiblePerson(trx, actor, personId);
  if (!person) throw problems.notFound('person');
  return person.id;
}

/** Staff: a person's mandates (e.g. a paper mandate handed in at the counter). Audited. */
export async function listPersonMandates(db: Db, context: RequestContext, personId: string, now: Date = new Date()): Promise<MandateView[]> {
  return inTransaction(db, async (trx) => {
    const id = await visibleGrantor(trx, context.actor, personId);
    const mandates = await repo.mandatesGivenBy(trx, context.actor.tenantId, id);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.mandates-read', entityType: 'person', entityId: id, details: { count: mandates.length } });
    return mandateViews(trx, context.actor.tenantId, mandates, calendarDate(now));
  });
}

export async function grantMandateForPerson(db: Db, context: RequestContext, personId: string, input: MandateInput, now: Date = new Date()): Promise<MandateView> {
  return inTransaction(db, async (trx) => createMandate(trx, context.actor, await visibleGrantor(trx, context.actor, personId), input, 'staff', context.requestId, now));
}

export async function revokeMandateForPerson(db: Db, context: RequestContext, personId: string, mandateId: string, now: Date = new Date()): Promise<MandateView> {
  return inTransaction(db, async (trx) => {
    const id = await visibleGrantor(trx, context.actor, personId);
    const mandate = await repo.findMandate(trx, context.actor.tenantId, mandateId, true);
    if (!mandate || mandate.grantorPersonId !== id) throw problems.notFound('mandate');
    return endMandate(trx, context.actor, mandate, 'staff', context.requestId, now);
  });
}

/** Staff: the confirmed accounts that follow a person (their own, and mandates for appointments), e.g. to invite them to an appointment. Audited. */
export async function accountsFollowingPerson(db: Db, context: RequestContext, personId: string, now: Date = new Date()): Promise<{ accountId: string; email: string; name: string; language: Locale; via: 'self' | 'mandate' }[]> {
  return inTransaction(db, async (trx) => {
    const person = await visiblePerson(trx, context.actor, personId);
    if (!person) throw problems.notFound('person');
    const accounts = await repo.accountsForPerson(trx, context.actor.tenantId, person.id, 'appointments', calendarDate(now));
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.accounts-of-person-read', entityType: 'person', entityId: person.id, details: { count: accounts.length } });
    return accounts.map((account) => ({ accountId: account.userId, email: account.email, name: account.displayName, language: account.language, via: account.personId === person.id ? ('self' as const) : ('mandate' as const) }));
  });
}
