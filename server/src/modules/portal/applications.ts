import { createHash } from 'node:crypto';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { Actor, RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { AppError, invalidFields, problems } from '../../platform/errors.js';
import { paperTypeOf } from '../../platform/files.js';
import { queueMail } from '../../platform/mail/index.js';
import { attachToCase, openCase } from '../cases/index.js';
import { latestMainPermit } from '../permits/index.js';
import { currentMainResidence, recordRelativeAbroad } from '../register/index.js';
import { askedAnswers, caseStartOf, relativeOf, checkAnswers, formOffered, MAX_APPLICATION_BYTES, MAX_UPLOAD_BYTES, missingUploads, questionsOf, uploadsOf, type Answers, type ApplicationForm, type PrefillSource } from './application-rules.js';
import { formOf, formsOf } from './forms.js';
import { applicationSentMail } from './notices.js';
import * as repo from './repository.js';
import { actingFor, onlineCounterActor, ownPortalAccount, personsActedFor, type PersonActedFor } from './speaking-for.js';

/**
 * Online applications: a draft per form and person, prefilled from the register, saved as the
 * person goes, with papers uploaded to it; sending it opens the case in one transaction with the
 * papers filed and their checklist items ticked.
 */

async function countryOf(db: Db | Trx, tenantId: string): Promise<'CH' | 'DE'> {
  const tenant = await db.selectFrom('tenants').select('country').where('id', '=', tenantId).executeTakeFirstOrThrow();
  return tenant.country;
}

/** What the register knows, under the form's prefill names: shown on "about you" steps and used to start answers. */
async function registerFacts(trx: Trx, person: PersonActedFor): Promise<Partial<Record<PrefillSource, string>>> {
  const residence = await currentMainResidence(trx, person.id);
  const permit = await latestMainPermit(trx, person.id);
  const facts: Partial<Record<PrefillSource, string>> = {
    'person.officialName': person.officialName,
    'person.firstNames': person.firstNames,
    'person.dateOfBirth': person.dateOfBirth,
    'person.nationality': person.nationality,
  };
  if (residence) {
    if (residence.street) facts['residence.street'] = residence.street;
    if (residence.house_number) facts['residence.houseNumber'] = residence.house_number;
    if (residence.postal_code) facts['residence.postalCode'] = residence.postal_code;
    facts['residence.town'] = residence.town ?? residence.municipality_name;
  }
  if (permit) {
    facts['permit.category'] = permit.category;
    if (permit.valid_until) facts['permit.validUntil'] = permit.valid_until;
  }
  return facts;
}

function prefilledAnswers(form: ApplicationForm, facts: Partial<Record<PrefillSource, string>>): Answers {
  const answers: Answers = {};
  for (const question of questionsOf(form)) {
    const value = question.prefill ? facts[question.prefill] : undefined;
    if (value) answers[question.id] = value;
  }
  return answers;
}

/** The letters that confirm lawful stay while an extension is decided (the case types' templates). */
const INTERIM_CONFIRMATIONS = ['interim-confirmation', 'fiktionsbescheinigung'];

// --- views --------------------------------------------------------------------------------------------

export interface UploadView {
  id: string;
  slot: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  createdAt: string;
}

export interface ApplicationView {
  id: string;
  version: number;
  state: 'draft' | 'submitted';
  form: ApplicationForm;
  person: { id: string; name: string; as: 'self' | 'mandate' };
  /** What the office knows about the person (the form's register steps show it; nobody types it again). */
  register: Partial<Record<PrefillSource, string>>;
  answers: Answers;
  uploads: UploadView[];
  /** Before sending: what is still missing (answers as `answers.<id>`, papers as `uploads.<slot>`). */
  missing: { field: string; message: string }[];
  caseId: string | null;
  /** Once sent: the case's reference and the interim confirmation it issued at once, if any. */
  sent: { reference: string; interimConfirmation: { documentId: string; title: string } | null } | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
}

type ApplicationRow = NonNullable<Awaited<ReturnType<typeof repo.findApplication>>>;

function uploadView(row: Awaited<ReturnType<typeof repo.uploadsOfApplication>>[number]): UploadView {
  return { id: row.id, slot: row.slot, fileName: row.file_name, mediaType: row.media_type, sizeBytes: row.size_bytes, createdAt: row.created_at.toISOString() };
}

function stillMissing(form: ApplicationForm, answers: Answers, uploads: readonly UploadView[]): { field: string; message: string }[] {
  const answerProblems = checkAnswers(form, answers, true);
  const papers = missingUploads(form, new Set(uploads.map((upload) => upload.slot))).map((slot) => ({ field: `uploads.${slot}`, message: 'upload-missing' }));
  return [...answerProblems, ...papers];
}

/** The case a sent application opened: its reference and the first letter (the interim confirmation, when issued at once). */
async function sentCase(trx: Trx, caseId: string): Promise<NonNullable<ApplicationView['sent']>> {
  const opened = await trx.selectFrom('cases').select(['reference']).where('id', '=', caseId).executeTakeFirstOrThrow();
  const certificate = await trx.selectFrom('documents').select(['id', 'title', 'template']).where('case_id', '=', caseId).where('kind', '=', 'letter').orderBy('created_at').executeTakeFirst();
  const interim = certificate && INTERIM_CONFIRMATIONS.includes(certificate.template ?? '') ? { documentId: certificate.id, title: certificate.title } : null;
  return { reference: opened.reference, interimConfirmation: interim };
}

async function viewOf(trx: Trx, row: ApplicationRow, form: ApplicationForm, person: PersonActedFor): Promise<ApplicationView> {
  const uploads = (await repo.uploadsOfApplication(trx, row.id)).map(uploadView);
  return {
    id: row.id,
    version: row.version,
    state: row.state,
    form,
    person: { id: person.id, name: person.name, as: person.as },
    register: row.state === 'draft' ? await registerFacts(trx, person) : {},
    answers: row.answers,
    uploads,
    missing: row.state === 'draft' ? stillMissing(form, row.answers, uploads) : [],
    caseId: row.case_id,
    sent: row.case_id ? await sentCase(trx, row.case_id) : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    submittedAt: row.submitted_at?.toISOString() ?? null,
  };
}

/** The caller's own application; another account's answers 404. */
async function ownApplication(trx: Trx, actor: Actor, id: string, forUpdate: boolean): Promise<{ row: ApplicationRow; form: ApplicationForm; person: PersonActedFor }> {
  const row = await repo.findApplication(trx, actor.tenantId, id, forUpdate);
  if (!row || row.account_id !== actor.id) throw problems.notFound('application');
  const person = await actingFor(trx, actor, row.person_id, 'applications');
  return { row, form: formOf(await countryOf(trx, actor.tenantId), row.form), person };
}

function editableDraft(row: ApplicationRow, expectedVersion: number | null): void {
  if (row.state !== 'draft') throw new AppError(409, 'application-sent');
  if (expectedVersion !== null && row.version !== expectedVersion) throw problems.versionConflict(row.version);
}

function audit(trx: Trx, context: RequestContext, action: string, personId: string, details: Record<string, unknown>) {
  return appendAudit(trx, subjectOf(context.actor, context.requestId), { action, entityType: 'person', entityId: personId, details });
}

// --- the forms on offer -----------------------------------------------------------------------------------

export interface FormOffer {
  slug: string;
  names: ApplicationForm['names'];
  summary: ApplicationForm['summary'];
  /** The persons the account may file it for (own person, mandates with 'applications'). */
  persons: { id: string; name: string; as: 'self' | 'mandate' }[];
}

export async function formsOnOffer(db: Db, context: RequestContext): Promise<FormOffer[]> {
  return inTransaction(db, async (trx) => {
    const persons = await personsActedFor(trx, context.actor, 'applications');
    const categories = new Map<string, string | null>();
    for (const person of persons) categories.set(person.id, (await latestMainPermit(trx, person.id))?.category ?? null);
    return formsOf(await countryOf(trx, context.actor.tenantId)).map((form) => ({
      slug: form.slug,
      names: form.names,
      summary: form.summary,
      persons: persons.filter((person) => formOffered(form, categories.get(person.id) ?? null)).map(({ id, name, as }) => ({ id, name, as })),
    }));
  });
}

// --- drafts -----------------------------------------------------------------------------------------------

/**
 * Starts a draft for a person (or returns the open draft of the same form and person: one place
 * to continue). Questions the register can answer start with its answers.
 */
export async function startApplication(db: Db, context: RequestContext, input: { form: string; personId: string }): Promise<{ view: ApplicationView; created: boolean }> {
  return inTransaction(db, async (trx) => {
    const { actor } = context;
    const person = await actingFor(trx, actor, input.personId, 'applications');
    const form = formOf(await countryOf(trx, actor.tenantId), input.form);
    const permit = await latestMainPermit(trx, person.id);
    if (!formOffered(form, permit?.category ?? null)) throw new AppError(409, 'form-not-offered', { reason: form.forPermits?.join(', ') ?? '' });
    const open = (await repo.applicationsOfAccount(trx, actor.tenantId, actor.id)).find((row) => row.state === 'draft' && row.form === form.slug && row.person_id === person.id);
    if (open) return { view: await viewOf(trx, open, form, person), created: false };
    const row = await repo.insertApplication(trx, { tenantId: actor.tenantId, accountId: actor.id, personId: person.id, form: form.slug, formVersion: form.version, answers: prefilledAnswers(form, await registerFacts(trx, person)) });
    await audit(trx, context, 'portal.application-started', person.id, { application: row.id, form: form.slug });
    return { view: await viewOf(trx, row, form, person), created: true };
  });
}

export async function readApplication(db: Db, context: RequestContext, id: string): Promise<ApplicationView> {
  return inTransaction(db, async (trx) => {
    const { row, form, person } = await ownApplication(trx, context.actor, id, false);
    await audit(trx, context, 'portal.application-read', person.id, { application: row.id });
    return viewOf(trx, row, form, person);
  });
}

/** The account's applications: drafts to continue and sent ones with their case. */
export async function listApplications(db: Db, context: RequestContext): Promise<{ id: string; form: string; names: ApplicationForm['names']; state: 'draft' | 'submitted'; person: { id: string; name: string }; caseId: string | null; updatedAt: string }[]> {
  return inTransaction(db, async (trx) => {
    const country = await countryOf(trx, context.actor.tenantId);
    const persons = new Map((await personsActedFor(trx, context.actor, 'applications')).map((person) => [person.id, person]));
    const rows = await repo.applicationsOfAccount(trx, context.actor.tenantId, context.actor.id);
    return rows
      .filter((row) => persons.has(row.person_id))
      .map((row) => {
        const form = formsOf(country).find((candidate) => candidate.slug === row.form);
        const person = persons.get(row.person_id)!;
        return { id: row.id, form: row.form, names: form?.names ?? { de: row.form, fr: row.form, it: row.form, en: row.form }, state: row.state, person: { id: person.id, name: person.name }, caseId: row.case_id, updatedAt: row.updated_at.toISOString() };
      });
  });
}

/** Saves answers as the person goes (a draft may be incomplete, but what is there must fit the form). If-Match. */
export async function saveAnswers(db: Db, context: RequestContext, id: string, expectedVersion: number, given: Answers): Promise<ApplicationView> {
  return inTransaction(db, async (trx) => {
    const { row, form, person } = await ownApplication(trx, context.actor, id, true);
    editableDraft(row, expectedVersion);
    const merged: Answers = { ...row.answers };
    for (const [question, value] of Object.entries(given)) {
      if (value.trim() === '') delete merged[question];
      else merged[question] = value.trim();
    }
    const problemsFound = checkAnswers(form, merged, false);
    if (problemsFound.length > 0) throw invalidFields(...problemsFound);
    const saved = await repo.saveApplication(trx, row.id, { answers: askedAnswers(form, merged) });
    return viewOf(trx, saved, form, person);
  });
}

export async function discardApplication(db: Db, context: RequestContext, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { row, person } = await ownApplication(trx, context.actor, id, true);
    editableDraft(row, null);
    await repo.deleteApplication(trx, row.id);
    await audit(trx, context, 'portal.application-discarded', person.id, { application: row.id, form: row.form });
  });
}

// --- papers -----------------------------------------------------------------------------------------------

/** A paper for a slot of the draft: PDF, JPEG or PNG by its content, within the size limits. */
export async function uploadPaper(db: Db, context: RequestContext, id: string, input: { slot: string; fileName: string; content: Buffer }): Promise<UploadView> {
  if (input.content.length > MAX_UPLOAD_BYTES) throw new AppError(413, 'upload-too-large', { max: MAX_UPLOAD_BYTES / 1024 / 1024, total: MAX_APPLICATION_BYTES / 1024 / 1024 });
  const mediaType = await paperTypeOf(input.content);
  if (mediaType === null) throw new AppError(415, 'upload-type');
  const fileName = input.fileName.replace(/[\\/\p{Cc}]/gu, '_').trim().slice(0, 200) || 'document';
  return inTransaction(db, async (trx) => {
    const { row, form, person } = await ownApplication(trx, context.actor, id, true);
    editableDraft(row, null);
    const upload = uploadsOf(form).find((candidate) => candidate.slot === input.slot);
    if (!upload) throw invalidFields({ field: 'slot', message: 'unknown-value' });
    const existing = await repo.uploadsOfApplication(trx, row.id);
    if (existing.filter((file) => file.slot === upload.slot).length >= upload.maxFiles) throw new AppError(409, 'upload-too-many', { max: upload.maxFiles });
    if (existing.reduce((sum, file) => sum + file.size_bytes, 0) + input.content.length > MAX_APPLICATION_BYTES) throw new AppError(413, 'upload-too-large', { max: MAX_UPLOAD_BYTES / 1024 / 1024, total: MAX_APPLICATION_BYTES / 1024 / 1024 });
    const stored = await repo.insertUpload(trx, { tenantId: row.tenant_id, applicationId: row.id, slot: upload.slot, fileName, mediaType, sha256: createHash('sha256').update(input.content).digest('hex'), content: input.content });
    // The draft changed: its version moves, so a second tab sees it.
    await repo.saveApplication(trx, row.id, {});
    await audit(trx, context, 'portal.paper-uploaded', person.id, { application: row.id, slot: upload.slot, sha256: stored.sha256, bytes: stored.size_bytes });
    return uploadView(stored);
  });
}

export async function removePaper(db: Db, context: RequestContext, id: string, uploadId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { row, person } = await ownApplication(trx, context.actor, id, true);
    editableDraft(row, null);
    if (!(await repo.deleteUpload(trx, row.id, uploadId))) throw problems.notFound('upload');
    await repo.saveApplication(trx, row.id, {});
    await audit(trx, context, 'portal.paper-removed', person.id, { application: row.id, upload: uploadId });
  });
}

// --- sending --------------------------------------------------------------------------------------------

export interface SentApplication {
  application: ApplicationView;
  caseId: string;
  reference: string;
  /** The interim confirmation of lawful stay (Fiktionsbescheinigung), when the case issued one at once. */
  interimConfirmation: { documentId: string; title: string } | null;
}

/**
 * Sends the application: every required answer and paper present, then in one transaction the
 * case opens with the uploaded papers' checklist items ticked (which may issue the interim
 * confirmation at once), the papers move into the electronic file, and the applicant gets a
 * confirmation mail. If-Match.
 */
export async function submitApplication(db: Db, context: RequestContext, id: string, expectedVersion: number): Promise<SentApplication> {
  return inTransaction(db, async (trx) => {
    const { actor } = context;
    const { row, form, person } = await ownApplication(trx, actor, id, true);
    editableDraft(row, expectedVersion);
    const account = await ownPortalAccount(trx, actor);
    const uploads = await repo.uploadsWithContent(trx, row.id);
    const missing = stillMissing(form, row.answers, uploads.map(uploadView));
    if (missing.length > 0) throw new AppError(422, 'application-incomplete', {}, { errors: missing.map((problem) => ({ field: problem.field, message: problem.message })) });
    const start = caseStartOf(form, row.answers, new Set(uploads.map((upload) => upload.slot)));
    const counter = { actor: onlineCounterActor(actor, account.email), requestId: context.requestId };
    // Family reunification is for the relative abroad: they enter the register, and the case (with the permit it may grant) is theirs.
    const relative = relativeOf(form, row.answers);
    const casePersonId = relative ? await recordRelativeAbroad(trx, counter, person.id, relative) : person.id;
    const caseId = await openCase(trx, counter, { typeSlug: form.caseType, personId: casePersonId, language: account.language, fields: start.fields, checklist: start.checklist });
    const slotItems = new Map(uploadsOf(form).map((upload) => [upload.slot, upload.checklistItem]));
    for (const upload of uploads) {
      await attachToCase(trx, counter, caseId, { fileName: upload.file_name, mediaType: upload.media_type, content: upload.content, checklistItem: slotItems.get(upload.slot)! });
    }
    await repo.deleteUploadsOf(trx, row.id);
    const saved = await repo.saveApplication(trx, row.id, { state: 'submitted', caseId, submittedAt: new Date() });
    const { reference, interimConfirmation } = await sentCase(trx, caseId);
    await audit(trx, context, 'portal.application-submitted', person.id, { application: row.id, form: form.slug, caseId, reference, papers: uploads.length });
    const mail = applicationSentMail(account.language, { office: actor.tenantName, name: account.displayName, form: form.names[account.language], reference, interim: interimConfirmation !== null });
    await queueMail(trx, { tenantId: actor.tenantId, to: account.email, toName: account.displayName, ...mail, purpose: 'notification' });
    return { application: await viewOf(trx, saved, form, person), caseId, reference, interimConfirmation };
  });
}
