import { addDays, format } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { inTransaction } from '../../src/platform/db/transaction.js';
import { mailTables } from '../../src/platform/mail/index.js';
import { insertLinkedAccount, sendExpiryNotices } from '../../src/modules/portal/index.js';
import { createUser } from '../../src/modules/access/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, LUZERN, person, signIn, TEST_PASSWORD, type Session, type TestTenant } from '../support/fixtures.js';

/**
 * The portal's service (issue 9, items 2–5): an account links itself with the office's code,
 * files an extension with papers (checked by content), the case opens with its checklist ticked
 * and the interim confirmation at once; the status page shows stage, letters and messages; the
 * office's request for papers and its messages reach the applicant by mail; share codes show a
 * third party only the permit; the expiry notice goes out once.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b00000000049454e44ae426082', 'hex');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

const day = (offset: number) => format(addDays(new Date(), offset), 'yyyy-MM-dd');

describe.each(DATABASE_KINDS)('portal service on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let office: TestTenant;
  let caseworker: Session;
  let applicant: Session;
  let stranger: Session;
  let address = 0;
  const fatima = person('', 'Krasniqi', 'Fatima', LUZERN, { dateOfBirth: '1990-03-15', nationality: 'XK' });
  const pedro = person('', 'Alves', 'Pedro', LUZERN, { dateOfBirth: '1982-07-01', nationality: 'PT' });
  let applicationId = '';
  let caseId = '';

  const nextAddress = () => `198.51.100.${(address++ % 250) + 1}`;

  async function call(session: Session | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({
      method,
      url,
      remoteAddress: nextAddress(),
      headers: { 'accept-language': 'en', ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {}), ...headers },
      ...(payload === undefined ? {} : Buffer.isBuffer(payload) ? { payload } : { payload: payload as object }),
    });
  }

  async function upload(session: Session, id: string, slot: string, content: Buffer, type = 'application/pdf', name = 'scan.pdf') {
    return call(session, 'POST', `/api/v1/portal/applications/${id}/uploads?slot=${slot}`, content, { 'content-type': type, 'x-file-name': encodeURIComponent(name) });
  }

  async function mailsTo(email: string): Promise<{ subject: string; text_body: string }[]> {
    return mailTables(database.db).selectFrom('mail_outbox').select(['subject', 'text_body']).where('recipient', '=', email).orderBy('created_at').execute();
  }

  async function portalUser(username: string, email: string, personId: string | null): Promise<Session> {
    const userId = await createUser(database.db, { tenantSlug: office.slug, username, displayName: username, password: TEST_PASSWORD, roles: [{ role: 'applicant', unitSlug: null }] }, 'test');
    if (personId) await inTransaction(database.db, (trx) => insertLinkedAccount(trx, { userId, tenantId: office.id, kind: 'applicant', email, language: 'de', personId, at: new Date() }));
    else
      await inTransaction(database.db, async (trx) => {
        await insertLinkedAccount(trx, { userId, tenantId: office.id, kind: 'applicant', email, language: 'de', personId: pedro.id, at: new Date() });
        // Unlinked: the office has not tied this account to anyone.
        await trx.withTables<{ portal_accounts: { user_id: string; person_id: string | null } }>().updateTable('portal_accounts').set({ person_id: null }).where('user_id', '=', userId).execute();
      });
    return signIn(app, username, TEST_PASSWORD, nextAddress());
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    office = await createTenant(database.db, 'portal-service');
    fatima.tenantId = office.id;
    pedro.tenantId = office.id;
    await addPersons(database.db, [fatima, pedro]);
    await createTestUser(database.db, office, 'ps-caseworker', 'caseworker', 'aufenthalt');
    caseworker = await signIn(app, 'ps-caseworker', undefined, nextAddress());
    // Permits B: Fatima's ends in 30 days, Pedro's in 40 (the expiry notice's window is two months).
    for (const [who, until] of [[fatima, day(30)], [pedro, day(40)]] as const) {
      const granted = await call(caseworker, 'POST', `/api/v1/persons/${who.id}/permits`, { category: 'B', admissionReason: 'other', validFrom: day(-700), validUntil: until });
      expect(granted.statusCode, granted.body).toBe(201);
    }
    applicant = await portalUser('fatima-portal', 'fatima@example.ch', null);
    stranger = await portalUser('stranger-portal', 'stranger@example.ch', null);
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('links an account to its person with the office’s code and the date of birth, and refuses wrong ones', async () => {
    const issued = await call(caseworker, 'POST', `/api/v1/portal/persons/${fatima.id}/link-code`);
    expect(issued.statusCode, issued.body).toBe(201);
    const { code } = issued.json<{ code: string; validUntil: string }>();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const wrong = await call(applicant, 'POST', '/api/v1/portal/link', { code, dateOfBirth: '1990-03-16' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json<{ type: string }>().type).toContain('link-code-invalid');
    // Typed in lower case with spaces, as people do.
    const linked = await call(applicant, 'POST', '/api/v1/portal/link', { code: code.toLowerCase().replace(/-/g, ' '), dateOfBirth: '1990-03-15' });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toEqual({ personId: fatima.id, name: 'Fatima Krasniqi' });
    const again = await call(applicant, 'POST', '/api/v1/portal/link', { code, dateOfBirth: '1990-03-15' });
    expect(again.statusCode).toBe(409);
    // The office now sees whom to invite for this person.
    const accounts = await call(caseworker, 'GET', `/api/v1/portal/persons/${fatima.id}/accounts`);
    expect(accounts.json()).toEqual([expect.objectContaining({ email: 'fatima@example.ch', via: 'self', language: 'de' })]);
    const reused = await call(stranger, 'POST', '/api/v1/portal/link', { code, dateOfBirth: '1990-03-15' });
    expect(reused.statusCode).toBe(400);
  });

  it('offers the forms and starts a draft prefilled from the register; a second start continues it', async () => {
    const forms = (await call(applicant, 'GET', '/api/v1/portal/forms')).json<{ slug: string; persons: { id: string }[] }[]>();
    expect(forms.find((form) => form.slug === 'permit-extension')?.persons.map((p) => p.id)).toEqual([fatima.id]);
    expect((await call(stranger, 'GET', '/api/v1/portal/forms')).json<{ persons: unknown[] }[]>().every((form) => form.persons.length === 0)).toBe(true);

    const started = await call(applicant, 'POST', '/api/v1/portal/applications', { form: 'permit-extension', personId: fatima.id });
    expect(started.statusCode, started.body).toBe(201);
    const view = started.json<{ id: string; version: number; register: Record<string, string>; missing: { field: string }[]; person: { name: string } }>();
    applicationId = view.id;
    expect(started.headers.etag).toBe(`"${view.version}"`);
    expect(view.register).toMatchObject({ 'person.officialName': 'Krasniqi', 'person.dateOfBirth': '1990-03-15', 'permit.category': 'B', 'permit.validUntil': day(30), 'residence.street': 'Pilatusstrasse' });
    expect(view.missing.map((m) => m.field)).toEqual(expect.arrayContaining(['answers.sameAddress', 'uploads.passport', 'uploads.proof-of-income']));

    const continued = await call(applicant, 'POST', '/api/v1/portal/applications', { form: 'permit-extension', personId: fatima.id });
    expect(continued.statusCode).toBe(200);
    expect(continued.json<{ id: string }>().id).toBe(applicationId);
    // Not for someone the account does not speak for.
    expect((await call(applicant, 'POST', '/api/v1/portal/applications', { form: 'permit-extension', personId: pedro.id })).statusCode).toBe(404);
    expect((await call(stranger, 'GET', `/api/v1/portal/applications/${applicationId}`)).statusCode).toBe(404);
  });

  it('saves answers with If-Match, refuses bad ones by field and drops answers to questions no longer asked', async () => {
    const read = await call(applicant, 'GET', `/api/v1/portal/applications/${applicationId}`);
    let version = read.json<{ version: number }>().version;
    const bad = await call(applicant, 'PATCH', `/api/v1/portal/applications/${applicationId}`, { answers: { sameAddress: 'no', movedOn: '2026-02-30', colour: 'blue' } }, { 'if-match': `"${version}"` });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json<{ errors: { field: string }[] }>().errors.map((error) => error.field).sort();
    expect(fields).toEqual(['answers.colour', 'answers.movedOn']);

    const saved = await call(applicant, 'PATCH', `/api/v1/portal/applications/${applicationId}`, { answers: { sameAddress: 'no', newStreet: 'Seestrasse', workSituation: 'employed', employerName: 'Spital Luzern' } }, { 'if-match': `"${version}"` });
    expect(saved.statusCode, saved.body).toBe(200);
    version = saved.json<{ version: number }>().version;
    const stale = await call(applicant, 'PATCH', `/api/v1/portal/applications/${applicationId}`, { answers: { remarks: 'x' } }, { 'if-match': `"${version - 1}"` });
    expect(stale.statusCode).toBe(409);

    const back = await call(applicant, 'PATCH', `/api/v1/portal/applications/${applicationId}`, { answers: { sameAddress: 'yes' } }, { 'if-match': `"${version}"` });
    expect(back.statusCode).toBe(200);
    expect(back.json<{ answers: Record<string, string> }>().answers).toEqual({ sameAddress: 'yes', workSituation: 'employed', employerName: 'Spital Luzern' });
  });

  it('takes papers by their content, refuses other files, and will not send before the required ones are there', async () => {
    const exe = await upload(applicant, applicationId, 'passport', EXE, 'application/pdf', 'passport.pdf');
    expect(exe.statusCode).toBe(415);
    expect(exe.json<{ detail: string }>().detail).toContain('PDF');
    expect((await upload(applicant, applicationId, 'no-such-slot', PDF)).statusCode).toBe(400);
    const passport = await upload(applicant, applicationId, 'passport', PNG, 'image/png', 'Pass Krasniqi.png');
    expect(passport.statusCode, passport.body).toBe(201);
    expect(passport.json()).toMatchObject({ slot: 'passport', fileName: 'Pass Krasniqi.png', mediaType: 'image/png', sizeBytes: PNG.length });

    const version = (await call(applicant, 'GET', `/api/v1/portal/applications/${applicationId}`)).json<{ version: number }>().version;
    const early = await call(applicant, 'POST', `/api/v1/portal/applications/${applicationId}/submission`, undefined, { 'if-match': `"${version}"` });
    expect(early.statusCode).toBe(422);
    expect(early.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['uploads.proof-of-income']);
    const cases = await database.db.selectFrom('cases').select('id').where('person_id', '=', fatima.id).execute();
    expect(cases).toHaveLength(0);
  });

  it('sends: the case opens with the papers filed and ticked, the interim confirmation at once, and a confirmation mail', async () => {
    expect((await upload(applicant, applicationId, 'proof-of-income', PDF, 'application/octet-stream', 'Lohnabrechnung.pdf')).statusCode).toBe(201);
    const version = (await call(applicant, 'GET', `/api/v1/portal/applications/${applicationId}`)).json<{ version: number }>().version;
    const sent = await call(applicant, 'POST', `/api/v1/portal/applications/${applicationId}/submission`, undefined, { 'if-match': `"${version}"` });
    expect(sent.statusCode, sent.body).toBe(201);
    const result = sent.json<{ caseId: string; reference: string; interimConfirmation: { documentId: string } | null; application: { state: string } }>();
    caseId = result.caseId;
    expect(result.application.state).toBe('submitted');
    expect(result.interimConfirmation).not.toBeNull();
    // Opened again later, the application still says where it went.
    const again = (await call(applicant, 'GET', `/api/v1/portal/applications/${applicationId}`)).json<{ sent: { reference: string; interimConfirmation: { documentId: string } | null } }>();
    expect(again.sent).toEqual({ reference: result.reference, interimConfirmation: result.interimConfirmation });

    const row = await database.db.selectFrom('cases').select(['state', 'checklist', 'type_slug']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.type_slug).toBe('permit-extension');
    expect(row.state).toBe('confirmation-issued');
    expect(Object.keys(row.checklist).sort()).toEqual(['passport', 'proof-of-income']);
    const documents = await database.db.selectFrom('documents').select(['kind', 'file_name', 'media_type']).where('case_id', '=', caseId).orderBy('created_at').execute();
    expect(documents.filter((d) => d.kind === 'attachment').map((d) => d.file_name).sort()).toEqual(['Lohnabrechnung.pdf', 'Pass Krasniqi.png']);
    expect(documents.filter((d) => d.kind === 'letter')).toHaveLength(1);
    const leftovers = await database.db.withTables<{ portal_uploads: { application_id: string } }>().selectFrom('portal_uploads').select('application_id').where('application_id', '=', applicationId).execute();
    expect(leftovers).toHaveLength(0);

    const mails = await mailsTo('fatima@example.ch');
    expect(mails.at(-1)?.subject).toContain(result.reference);
    expect(mails.at(-1)?.text_body).toContain('bleiben');
    // A sent application cannot change any more.
    expect((await call(applicant, 'PATCH', `/api/v1/portal/applications/${applicationId}`, { answers: { remarks: 'late' } }, { 'if-match': `"${version + 5}"` })).statusCode).toBe(409);
  });

  it('shows the status with its letters to the applicant only, and serves the confirmation as a PDF', async () => {
    const list = (await call(applicant, 'GET', '/api/v1/portal/cases')).json<{ person: { id: string }; cases: { id: string }[] }[]>();
    expect(list).toHaveLength(1);
    expect(list[0]?.cases.map((c) => c.id)).toEqual([caseId]);
    const status = await call(applicant, 'GET', `/api/v1/portal/cases/${caseId}`);
    expect(status.statusCode, status.body).toBe(200);
    const view = status.json<{ state: { id: string; names: { en: string } }; phase: string; missing: unknown[]; documents: { id: string; kind: string }[]; expected: unknown; may: { message: boolean } }>();
    expect(view.state.id).toBe('confirmation-issued');
    expect(view.missing).toEqual([]);
    // Three decided extensions are too few for an honest expectation.
    expect(view.expected).toBeNull();
    expect(view.may.message).toBe(true);
    const letter = view.documents.find((d) => d.kind === 'letter')!;
    const pdf = await call(applicant, 'GET', `/api/v1/portal/cases/${caseId}/documents/${letter.id}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    expect((await call(stranger, 'GET', `/api/v1/portal/cases/${caseId}`)).statusCode).toBe(404);
    expect((await call(stranger, 'GET', `/api/v1/portal/cases/${caseId}/documents/${letter.id}`)).statusCode).toBe(404);
    const audit = await database.db.selectFrom('audit_log').select('action').where('tenant_id', '=', office.id).where('entity_id', '=', fatima.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['portal.application-submitted', 'portal.case-read', 'portal.document-downloaded', 'case.created']));
  });

  it('mails the applicant when the office asks for papers, with the date', async () => {
    const before = (await mailsTo('fatima@example.ch')).length;
    const version = (await call(caseworker, 'GET', `/api/v1/cases/${caseId}`)).json<{ version: number }>().version;
    const step = await call(caseworker, 'POST', `/api/v1/cases/${caseId}/steps/request-papers`, { fields: { papersDueDate: day(14) } }, { 'if-match': `"${version}"` });
    expect(step.statusCode, step.body).toBeLessThan(300);
    const mails = (await mailsTo('fatima@example.ch')).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain('brauchen');
    expect(mails[0]?.text_body).toContain(`/portal/cases/${caseId}`);
    const status = (await call(applicant, 'GET', `/api/v1/portal/cases/${caseId}`)).json<{ phase: string; answerBy: string | null }>();
    expect(status.phase).toBe('waiting');
    expect(status.answerBy).not.toBeNull();
  });

  it('carries messages both ways: the office is notified, the applicant gets a mail without the text', async () => {
    const sent = await call(applicant, 'POST', `/api/v1/portal/cases/${caseId}/messages`, { body: 'Der Lohnausweis 2025 folgt nächste Woche.' });
    expect(sent.statusCode, sent.body).toBe(201);
    const staffView = await call(caseworker, 'GET', `/api/v1/cases/${caseId}/messages`);
    // New to the office on its first look, read on the next.
    expect(staffView.json<{ direction: string; body: string; readAt: string | null }[]>()).toEqual([expect.objectContaining({ direction: 'in', body: 'Der Lohnausweis 2025 folgt nächste Woche.', readAt: null })]);
    expect((await call(caseworker, 'GET', `/api/v1/cases/${caseId}/messages`)).json<{ readAt: string | null }[]>()[0]?.readAt).not.toBeNull();
    const before = (await mailsTo('fatima@example.ch')).length;
    const answer = await call(caseworker, 'POST', `/api/v1/cases/${caseId}/messages`, { body: 'Danke, wir warten gerne.' });
    expect(answer.statusCode, answer.body).toBe(201);
    const mails = (await mailsTo('fatima@example.ch')).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text_body).not.toContain('wir warten gerne');
    const status = (await call(applicant, 'GET', `/api/v1/portal/cases/${caseId}`)).json<{ messages: { direction: string; readAt: string | null }[] }>();
    expect(status.messages.map((m) => m.direction)).toEqual(['in', 'out']);
    expect(status.messages[0]?.readAt).not.toBeNull();
    expect((await call(applicant, 'POST', `/api/v1/portal/cases/${caseId}/messages`, { body: '   ' })).statusCode).toBe(400);
  });

  it('gives a third party only the permit category and validity, until the code expires or is withdrawn', async () => {
    const created = await call(applicant, 'POST', '/api/v1/portal/share-codes', { personId: fatima.id, days: 7, label: 'Vermieterin' });
    expect(created.statusCode, created.body).toBe(201);
    const { code, id } = created.json<{ code: string; id: string }>();
    const checked = await call(null, 'POST', '/api/v1/share-codes/check', { code });
    expect(checked.statusCode, checked.body).toBe(200);
    const shown = checked.json<Record<string, unknown>>();
    expect(shown).toMatchObject({ category: 'B', validUntil: day(30), status: 'valid', office: 'Office portal-service' });
    expect((shown.categoryNames as { de: string }).de).toContain('Aufenthaltsbewilligung');
    expect(JSON.stringify(shown)).not.toMatch(/Krasniqi|Fatima|1990/);
    const listed = (await call(applicant, 'GET', '/api/v1/portal/share-codes')).json<{ id: string; views: number }[]>();
    expect(listed.find((c) => c.id === id)?.views).toBe(1);
    expect((await call(applicant, 'POST', `/api/v1/portal/share-codes/${id}/revoke`)).statusCode).toBe(200);
    expect((await call(null, 'POST', '/api/v1/share-codes/check', { code })).statusCode).toBe(404);
    expect((await call(null, 'POST', '/api/v1/share-codes/check', { code: 'AAAA-BBBB-CCCC' })).statusCode).toBe(404);
    expect((await call(applicant, 'POST', '/api/v1/portal/share-codes', { personId: fatima.id, days: 365 })).statusCode).toBe(400);
  });

  it('sends the expiry notice once, with the prefilled link, and not for a permit whose extension runs', async () => {
    const pedroUser = await createUser(database.db, { tenantSlug: office.slug, username: 'pedro-portal', displayName: 'Pedro Alves', password: TEST_PASSWORD, roles: [{ role: 'applicant', unitSlug: null }] }, 'test');
    await inTransaction(database.db, (trx) => insertLinkedAccount(trx, { userId: pedroUser, tenantId: office.id, kind: 'applicant', email: 'pedro@example.ch', language: 'fr', personId: pedro.id, at: new Date() }));
    const first = await sendExpiryNotices(database.db, { baseUrl: 'https://portal.example.ch' });
    const pedroMails = await mailsTo('pedro@example.ch');
    expect(pedroMails).toHaveLength(1);
    expect(pedroMails[0]?.subject).toContain('expire');
    expect(pedroMails[0]?.text_body).toContain(`https://portal.example.ch/portal/apply/permit-extension?person=${pedro.id}`);
    // Fatima's extension is running: no mail for her.
    expect((await mailsTo('fatima@example.ch')).some((mail) => mail.subject.includes('läuft'))).toBe(false);
    expect(first.mails).toBe(1);
    const second = await sendExpiryNotices(database.db, { baseUrl: 'https://portal.example.ch' });
    expect(second.mails).toBe(0);
    expect(await mailsTo('pedro@example.ch')).toHaveLength(1);
  });

  it('files a family reunification for the relative abroad: they enter the register, the case is theirs, the applicant follows it', async () => {
    const started = await call(applicant, 'POST', '/api/v1/portal/applications', { form: 'family-reunification', personId: fatima.id });
    expect(started.statusCode, started.body).toBe(201);
    let draft = started.json<{ id: string; version: number }>();
    const answers = { relationship: 'spouse', memberOfficialName: 'Krasniqi', memberFirstNames: 'Arben', memberDateOfBirth: '1988-05-02', memberSex: 'm', memberNationality: 'XK', memberLivesNow: 'Prishtina', rooms: '3', livingTogether: 'yes' };
    const wrongCountry = await call(applicant, 'PATCH', `/api/v1/portal/applications/${draft.id}`, { answers: { memberNationality: 'Kosovo' } }, { 'if-match': `"${draft.version}"` });
    expect(wrongCountry.json<{ errors: { field: string; message: string }[] }>().errors).toEqual([expect.objectContaining({ field: 'answers.memberNationality' })]);
    const saved = await call(applicant, 'PATCH', `/api/v1/portal/applications/${draft.id}`, { answers }, { 'if-match': `"${draft.version}"` });
    expect(saved.statusCode, saved.body).toBe(200);
    for (const slot of ['member-passport', 'civil-status-documents', 'rental-contract', 'proof-of-means']) expect((await upload(applicant, draft.id, slot, PDF)).statusCode).toBe(201);
    draft = (await call(applicant, 'GET', `/api/v1/portal/applications/${draft.id}`)).json<{ id: string; version: number }>();
    const sent = await call(applicant, 'POST', `/api/v1/portal/applications/${draft.id}/submission`, undefined, { 'if-match': `"${draft.version}"` });
    expect(sent.statusCode, sent.body).toBe(201);
    const familyCase = sent.json<{ caseId: string }>().caseId;

    const row = await database.db.selectFrom('cases').select(['person_id', 'type_slug']).where('id', '=', familyCase).executeTakeFirstOrThrow();
    expect(row.type_slug).toBe('family-reunification');
    expect(row.person_id).not.toBe(fatima.id);
    const relative = await database.db.selectFrom('persons').select(['official_name', 'first_names', 'date_of_birth', 'nationality', 'sex', 'civil_status']).where('id', '=', row.person_id).executeTakeFirstOrThrow();
    expect(relative).toMatchObject({ official_name: 'Krasniqi', first_names: 'Arben', nationality: 'XK', sex: 'm', civil_status: 'married' });
    const relations = await database.db.selectFrom('person_relations').select(['person_id', 'related_person_id', 'kind']).where('related_person_id', 'in', [row.person_id, fatima.id]).execute();
    expect(relations).toEqual(expect.arrayContaining([{ person_id: fatima.id, related_person_id: row.person_id, kind: 'spouse' }, { person_id: row.person_id, related_person_id: fatima.id, kind: 'spouse' }]));

    const mine = (await call(applicant, 'GET', '/api/v1/portal/cases')).json<{ person: { id: string }; cases: { id: string }[] }[]>();
    expect(mine[0]?.cases.map((c) => c.id)).toContain(familyCase);
    expect((await call(applicant, 'GET', `/api/v1/portal/cases/${familyCase}`)).statusCode).toBe(200);
    expect((await call(stranger, 'GET', `/api/v1/portal/cases/${familyCase}`)).statusCode).toBe(404);
    // The office's answer reaches the applicant, though the case is the relative's.
    const before = (await mailsTo('fatima@example.ch')).length;
    expect((await call(caseworker, 'POST', `/api/v1/cases/${familyCase}/messages`, { body: 'Bitte reichen Sie den Mietvertrag nach.' })).statusCode).toBe(201);
    expect((await mailsTo('fatima@example.ch')).length).toBe(before + 1);
  });

  it('lets a representative act within the mandate only: file with "applications", read without "messages"', async () => {
    const lawyer = await portalUser('lawyer-portal', 'lawyer@example.ch', null);
    const clerk = await portalUser('employer-portal', 'hr@example.ch', null);
    expect((await call(caseworker, 'POST', `/api/v1/portal/persons/${fatima.id}/mandates`, { representativeEmail: 'lawyer@example.ch', scope: ['applications', 'status', 'messages'] })).statusCode).toBe(201);
    expect((await call(caseworker, 'POST', `/api/v1/portal/persons/${fatima.id}/mandates`, { representativeEmail: 'hr@example.ch', scope: ['status'] })).statusCode).toBe(201);

    const offered = (await call(lawyer, 'GET', '/api/v1/portal/forms')).json<{ slug: string; persons: { id: string; as: string }[] }[]>();
    expect(offered.find((form) => form.slug === 'student-permit')?.persons).toEqual([expect.objectContaining({ id: fatima.id, as: 'mandate' })]);
    expect((await call(lawyer, 'POST', '/api/v1/portal/applications', { form: 'student-permit', personId: fatima.id })).statusCode).toBe(201);
    expect((await call(clerk, 'POST', '/api/v1/portal/applications', { form: 'student-permit', personId: fatima.id })).statusCode).toBe(404);

    const status = await call(clerk, 'GET', `/api/v1/portal/cases/${caseId}`);
    expect(status.statusCode).toBe(200);
    expect(status.json<{ messages: unknown[]; documents: unknown[]; may: { message: boolean; documents: boolean } }>()).toMatchObject({ messages: [], documents: [], may: { message: false, documents: false } });
    expect((await call(clerk, 'POST', `/api/v1/portal/cases/${caseId}/messages`, { body: 'Hallo' })).statusCode).toBe(404);
    expect((await call(lawyer, 'POST', `/api/v1/portal/cases/${caseId}/messages`, { body: 'Als Anwältin reiche ich den Lohnausweis nach.' })).statusCode).toBe(201);
    // A share code proves one's own permit: not something a representative creates.
    expect((await call(lawyer, 'POST', '/api/v1/portal/share-codes', { personId: fatima.id, days: 7 })).statusCode).toBe(404);
  });
});
