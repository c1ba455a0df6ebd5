import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { AppError, invalidFields, problems } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n/messages.js';
import { queueMail } from '../../platform/mail/index.js';
import { applicantCase, caseForStaff, casesOfPerson, type ApplicantCaseSummary, type ApplicantCaseView, type CaseChange } from '../cases/index.js';
import { documentWithContent } from '../documents/index.js';
import { expectedDecision, processingTime, type ExpectedDecision } from '../reporting/index.js';
import { formOf } from './forms.js';
import { caseChangeMail, officeMessageMail } from './notices.js';
import * as repo from './repository.js';
import { calendarDate, type MandateScope } from './rules.js';
import { personsActedFor, type PersonActedFor } from './speaking-for.js';

/**
 * Where a case stands, for the applicant (and whoever holds their mandate): the status page, its
 * letters, the secure messages with the office, and the mails that tell them when the office
 * needs something.
 */

export interface MessageView {
  id: string;
  direction: 'in' | 'out';
  author: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

function messageView(row: Awaited<ReturnType<typeof repo.messagesOfCase>>[number]): MessageView {
  return { id: row.id, direction: row.direction, author: row.author_name, body: row.body, createdAt: row.created_at.toISOString(), readAt: row.read_at?.toISOString() ?? null };
}

/** The accounts that follow a case: the person's (and their mandates'), and those of whoever applied for it (a relative's case). */
async function accountsFollowingCase(trx: Trx, tenantId: string, caseId: string, personId: string, scope: MandateScope, today: string): Promise<repo.AccountRecord[]> {
  const own = await repo.accountsForPerson(trx, tenantId, personId, scope, today);
  const application = await repo.applicationOfCase(trx, tenantId, caseId);
  if (!application || application.person_id === personId) return own;
  const applicants = await repo.accountsForPerson(trx, tenantId, application.person_id, scope, today);
  return [...own, ...applicants.filter((account) => !own.some((known) => known.userId === account.userId))];
}

function portalUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/**
 * Persons whose cases the account sees in the scope: those it acts for, and the relatives those
 * persons applied for through the portal (a family reunification's case is the relative's).
 */
async function casePersonsActedFor(trx: Trx, context: RequestContext, scope: MandateScope): Promise<{ persons: PersonActedFor[]; relativesOf: Map<string, string[]> }> {
  const persons = await personsActedFor(trx, context.actor, scope);
  const relativesOf = new Map<string, string[]>();
  for (const filed of await repo.casePersonsOfApplications(trx, context.actor.tenantId, persons.map((person) => person.id))) {
    if (filed.casePersonId === filed.personId) continue;
    relativesOf.set(filed.personId, [...(relativesOf.get(filed.personId) ?? []), filed.casePersonId]);
  }
  return { persons, relativesOf };
}

/** The person's case the account may see in the scope; 404 otherwise. */
async function caseActedFor(trx: Trx, context: RequestContext, caseId: string, scope: MandateScope): Promise<ApplicantCaseView> {
  const { persons, relativesOf } = await casePersonsActedFor(trx, context, scope);
  const found = await applicantCase(trx, context.actor.tenantId, caseId, [...persons.map((person) => person.id), ...[...relativesOf.values()].flat()]);
  if (!found) throw problems.notFound('case');
  return found;
}

export async function myCases(db: Db, context: RequestContext): Promise<{ person: { id: string; name: string; as: 'self' | 'mandate' }; cases: ApplicantCaseSummary[] }[]> {
  return inTransaction(db, async (trx) => {
    const { persons, relativesOf } = await casePersonsActedFor(trx, context, 'status');
    const result = [];
    for (const person of persons) {
      const cases = [person.id, ...(relativesOf.get(person.id) ?? [])];
      const found = (await Promise.all(cases.map((id) => casesOfPerson(trx, context.actor.tenantId, id)))).flat().sort((a, b) => b.receivedOn.localeCompare(a.receivedOn));
      result.push({ person: { id: person.id, name: person.name, as: person.as }, cases: found });
    }
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.cases-listed', entityType: 'user', entityId: context.actor.id, details: { persons: persons.map((person) => person.id) } });
    return result;
  });
}

export interface CaseStatus extends ApplicantCaseView {
  /** From the office's processing times of this case type over the last twelve months; null when too few cases or decided. */
  expected: ExpectedDecision | null;
  messages: MessageView[];
  /** What this account may do here (a representative's mandate may not include messages or documents). */
  may: { message: boolean; documents: boolean };
}

export async function caseStatus(db: Db, context: RequestContext, caseId: string, now: Date = new Date()): Promise<CaseStatus> {
  return inTransaction(db, async (trx) => {
    const view = await caseActedFor(trx, context, caseId, 'status');
    const today = calendarDate(now);
    const open = view.decidedAt === null && view.closedAt === null;
    const expected = open ? expectedDecision(view.receivedOn, await processingTime(trx, context.actor.tenantId, view.type.slug, today), today) : null;
    const personId = await personOfCase(trx, caseId);
    const mayIn = async (scope: MandateScope) => {
      const { persons, relativesOf } = await casePersonsActedFor(trx, context, scope);
      return persons.some((person) => person.id === personId || (relativesOf.get(person.id) ?? []).includes(personId));
    };
    const may = { message: await mayIn('messages'), documents: await mayIn('documents') };
    // A mandate without 'messages' sees none; read state is returned as it was before this look.
    const messages = may.message ? (await repo.messagesOfCase(trx, caseId)).map(messageView) : [];
    if (may.message) await repo.markMessagesRead(trx, caseId, 'out', now);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.case-read', entityType: 'person', entityId: personId, details: { caseId, reference: view.reference } });
    return { ...view, documents: may.documents ? view.documents : [], expected, messages, may };
  });
}

async function personOfCase(trx: Trx, caseId: string): Promise<string> {
  const row = await trx.selectFrom('cases').select('person_id').where('id', '=', caseId).executeTakeFirstOrThrow();
  return row.person_id;
}

/** A letter or paper of the case, for download (the 'documents' scope of a mandate). Audited. */
export async function caseDocument(db: Db, context: RequestContext, caseId: string, documentId: string) {
  return inTransaction(db, async (trx) => {
    const view = await caseActedFor(trx, context, caseId, 'documents');
    if (!view.documents.some((document) => document.id === documentId)) throw problems.notFound('document');
    const document = await documentWithContent(trx, context.actor.tenantId, documentId);
    if (!document) throw problems.notFound('document');
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.document-downloaded', entityType: 'person', entityId: await personOfCase(trx, caseId), details: { caseId, documentId, sha256: document.sha256 } });
    return document;
  });
}

// --- messages --------------------------------------------------------------------------------------------

const MAX_MESSAGE = 5000;

function messageBody(raw: string): string {
  const body = raw.trim();
  if (body.length === 0) throw invalidFields({ field: 'body', message: 'required' });
  if (body.length > MAX_MESSAGE) throw invalidFields({ field: 'body', message: 'too-long' });
  return body;
}

/** The applicant's side writes to the office; the case's caseworker (or its unit's team) is notified. */
export async function sendMessageToOffice(db: Db, context: RequestContext, caseId: string, raw: string): Promise<MessageView> {
  const body = messageBody(raw);
  return inTransaction(db, async (trx) => {
    const view = await caseActedFor(trx, context, caseId, 'messages');
    const row = await trx.selectFrom('cases').select(['person_id', 'unit_id', 'assignee_id', 'reference']).where('id', '=', caseId).executeTakeFirstOrThrow();
    const message = await repo.insertMessage(trx, { tenantId: context.actor.tenantId, caseId, personId: row.person_id, direction: 'in', authorId: context.actor.id, authorName: context.actor.displayName, body });
    await trx
      .insertInto('notifications')
      .values({ tenant_id: context.actor.tenantId, recipient_user_id: row.assignee_id, recipient_role: row.assignee_id ? null : 'caseworker', recipient_unit_id: row.assignee_id ? null : row.unit_id, case_id: caseId, kind: 'portal-message', message: JSON.stringify({ reference: view.reference }) })
      .execute();
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'portal.message-sent', entityType: 'person', entityId: row.person_id, details: { caseId, message: message.id } });
    return messageView(message);
  });
}

/** Staff: the conversation of a case (their side reads the applicant's messages). */
export async function caseMessagesForStaff(db: Db, context: RequestContext, caseId: string, now: Date = new Date()): Promise<MessageView[]> {
  return inTransaction(db, async (trx) => {
    const found = await caseForStaff(trx, context, caseId);
    // Listed as they were before this look (so the panel can mark what is new), then marked read.
    const messages = (await repo.messagesOfCase(trx, caseId)).map(messageView);
    await repo.markMessagesRead(trx, caseId, 'in', now);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'case.messages-read', entityType: 'person', entityId: found.personId, details: { caseId, reference: found.reference } });
    return messages;
  });
}

/** Staff answer: stored, and the person's accounts (and message mandates) get a mail without the text. */
export async function sendMessageToApplicant(db: Db, context: RequestContext, caseId: string, raw: string, baseUrl: string, now: Date = new Date()): Promise<MessageView> {
  const body = messageBody(raw);
  return inTransaction(db, async (trx) => {
    const found = await caseForStaff(trx, context, caseId);
    if (found.closed) throw new AppError(409, 'case-closed');
    const message = await repo.insertMessage(trx, { tenantId: found.tenantId, caseId, personId: found.personId, direction: 'out', authorId: context.actor.id, authorName: context.actor.displayName, body });
    const recipients = await accountsFollowingCase(trx, found.tenantId, caseId, found.personId, 'messages', calendarDate(now));
    for (const account of recipients) {
      const mail = officeMessageMail(account.language, { office: context.actor.tenantName, name: account.displayName, reference: found.reference, link: portalUrl(baseUrl, `/portal/cases/${caseId}`) });
      await queueMail(trx, { tenantId: found.tenantId, to: account.email, toName: account.displayName, ...mail, purpose: 'notification' });
    }
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'case.message-sent', entityType: 'person', entityId: found.personId, details: { caseId, message: message.id, mailedTo: recipients.length } });
    return messageView(message);
  });
}

// --- mails when a case asks something ---------------------------------------------------------------

/**
 * Subscribed to the cases module: when a case enters a state where the office waits for the
 * applicant, or a step wrote letters, every account that follows the person's cases gets one mail
 * with what is missing and by when. Same transaction as the step, so no step goes unannounced and
 * no mail leaves for a step that rolled back.
 */
let noticeBaseUrl = 'http://localhost:3000';

/** Where the links in notices point (PUBLIC_URL); set by the composition root. */
export function setNoticeBaseUrl(url: string): void {
  noticeBaseUrl = url;
}

export async function notifyApplicants(trx: Trx, change: CaseChange): Promise<void> {
  const waiting = change.phase === 'waiting';
  if (!waiting && change.letters.length === 0) return;
  const recipients = await accountsFollowingCase(trx, change.tenantId, change.caseId, change.personId, 'status', calendarDate(new Date()));
  if (recipients.length === 0) return;
  const tenant = await trx.selectFrom('tenants').select('name').where('id', '=', change.tenantId).executeTakeFirstOrThrow();
  const view = waiting ? await applicantCase(trx, change.tenantId, change.caseId, [change.personId]) : null;
  for (const account of recipients) {
    const language: Locale = account.language;
    const needs = view ? { items: view.missing.map((item) => item.names[language]), by: view.answerBy } : null;
    const mail = caseChangeMail(language, { office: tenant.name, name: account.displayName, reference: change.reference, link: portalUrl(noticeBaseUrl, `/portal/cases/${change.caseId}`), needs, letters: change.letters.map((l) => l.title) });
    await queueMail(trx, { tenantId: change.tenantId, to: account.email, toName: account.displayName, ...mail, purpose: 'notification' });
  }
  await appendAudit(trx, { tenantId: change.tenantId, actorId: null, actorKind: 'system', actorName: 'portal notices', requestId: null }, { action: 'portal.case-notice-sent', entityType: 'person', entityId: change.personId, details: { caseId: change.caseId, state: change.state, recipients: recipients.length } });
}

/** Staff: the online application behind a case (answers with their questions), if it came through the portal. */
export async function applicationOfCaseForStaff(db: Db, context: RequestContext, caseId: string) {
  return inTransaction(db, async (trx) => {
    const found = await caseForStaff(trx, context, caseId);
    const application = await repo.applicationOfCase(trx, found.tenantId, caseId);
    if (!application) throw problems.notFound('application');
    const tenant = await trx.selectFrom('tenants').select('country').where('id', '=', found.tenantId).executeTakeFirstOrThrow();
    const form = formOf(tenant.country, application.form);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'case.application-read', entityType: 'person', entityId: found.personId, details: { caseId, application: application.id } });
    return { id: application.id, form, answers: application.answers, submittedAt: application.submitted_at?.toISOString() ?? null };
  });
}

