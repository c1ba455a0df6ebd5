import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays, format } from 'date-fns';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { createUser } from '../../src/modules/access/index.js';
import { sendExpiryNotices } from '../../src/modules/portal/index.js';
import type { PortalTables } from '../../src/modules/portal/repository.js';
import { runRetention, type AccessReport, type RunItem, type RunOutcome } from '../../src/modules/privacy/index.js';
import type { PrivacyTables } from '../../src/modules/privacy/repository.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, LUZERN, person, signIn, TEST_PASSWORD, type Session, type TestTenant } from '../support/fixtures.js';

/**
 * The portal's personal data under the privacy module: the access report shows every part of it
 * (accounts, mandates, applications, messages, share and link codes, expiry notices) for the
 * person and for no one else; retention empties a closed case's messages and application answers,
 * deletes stale drafts and long-ended share codes (rules portal-drafts and share-codes), and takes
 * the portal data with a person it anonymises.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b00000000049454e44ae426082', 'hex');

const day = (offset: number) => format(addDays(new Date(), offset), 'yyyy-MM-dd');
const hash = () => randomBytes(32).toString('hex');

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-pdf-'));
  try {
    writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(DATABASE_KINDS)('portal data in the access report and under retention on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let address = 0;
  const nextAddress = () => `203.0.113.${(address++ % 250) + 1}`;

  async function call(session: Session | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({
      method,
      url,
      remoteAddress: nextAddress(),
      headers: { 'accept-language': 'en', ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {}), ...headers },
      ...(payload === undefined ? {} : Buffer.isBuffer(payload) ? { payload } : { payload: payload as object }),
    });
  }

  const portal = () => database.db.withTables<PortalTables>();

  /** A portal user of the office: the access module's user and its portal account (verified, not linked to anyone). */
  async function portalAccount(office: TestTenant, username: string, displayName: string, email: string, accountKind: 'applicant' | 'representative', personId: string | null = null): Promise<string> {
    const userId = await createUser(database.db, { tenantSlug: office.slug, username, displayName, password: TEST_PASSWORD, roles: [{ role: 'applicant', unitSlug: null }] }, 'test');
    await portal()
      .insertInto('portal_accounts')
      .values({ user_id: userId, tenant_id: office.id, kind: accountKind, email, language: 'de', email_verified_at: new Date(), person_id: personId, person_linked_at: personId ? new Date() : null })
      .execute();
    return userId;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  describe('the access report', () => {
    let office: TestTenant;
    let caseworker: Session;
    let applicant: Session;
    let pedroSession: Session;
    const fatima = person('', 'Krasniqi', 'Fatima', LUZERN, { dateOfBirth: '1990-03-15', nationality: 'XK' });
    const pedro = person('', 'Alves', 'Pedro', LUZERN, { dateOfBirth: '1982-07-01', nationality: 'PT' });
    const permits: Record<string, string> = {};
    let caseId = '';
    let reference = '';
    let shareCode = '';
    let shareCodeId = '';
    let linkCodes: string[] = [];

    async function upload(session: Session, id: string, slot: string, content: Buffer, type: string, name: string) {
      const response = await call(session, 'POST', `/api/v1/portal/applications/${id}/uploads?slot=${slot}`, content, { 'content-type': type, 'x-file-name': encodeURIComponent(name) });
      expect(response.statusCode, response.body).toBe(201);
    }

    async function startWithAnswers(session: Session, form: string, personId: string, answers: Record<string, string>): Promise<string> {
      const started = await call(session, 'POST', '/api/v1/portal/applications', { form, personId });
      expect(started.statusCode, started.body).toBe(201);
      const { id, version } = started.json<{ id: string; version: number }>();
      const saved = await call(session, 'PATCH', `/api/v1/portal/applications/${id}`, { answers }, { 'if-match': `"${version}"` });
      expect(saved.statusCode, saved.body).toBe(200);
      return id;
    }

    beforeAll(async () => {
      office = await createTenant(database.db, 'privacy-portal');
      fatima.tenantId = office.id;
      pedro.tenantId = office.id;
      await addPersons(database.db, [fatima, pedro]);
      await createTestUser(database.db, office, 'pp-caseworker', 'caseworker', 'aufenthalt');
      caseworker = await signIn(app, 'pp-caseworker', undefined, nextAddress());
      for (const [who, until] of [[fatima, day(30)], [pedro, day(40)]] as const) {
        const granted = await call(caseworker, 'POST', `/api/v1/persons/${who.id}/permits`, { category: 'B', admissionReason: 'other', validFrom: day(-700), validUntil: until });
        expect(granted.statusCode, granted.body).toBe(201);
        permits[who.id] = granted.json<{ id: string }>().id;
      }
      await portalAccount(office, 'fatima-portal', 'Fatima Krasniqi', 'fatima@example.ch', 'applicant');
      await portalAccount(office, 'pp-representative', 'Kanzlei Recht', 'kanzlei@example.ch', 'representative');
      await portalAccount(office, 'pedro-portal', 'Pedro Alves', 'pedro@example.ch', 'applicant', pedro.id);
      applicant = await signIn(app, 'fatima-portal', TEST_PASSWORD, nextAddress());
      pedroSession = await signIn(app, 'pedro-portal', TEST_PASSWORD, nextAddress());

      // Fatima links her account with the office's code; a second code stays unused.
      const issued = await call(caseworker, 'POST', `/api/v1/portal/persons/${fatima.id}/link-code`);
      expect(issued.statusCode, issued.body).toBe(201);
      const code = issued.json<{ code: string }>().code;
      expect((await call(applicant, 'POST', '/api/v1/portal/link', { code, dateOfBirth: '1990-03-15' })).statusCode).toBe(200);
      const spare = await call(caseworker, 'POST', `/api/v1/portal/persons/${fatima.id}/link-code`);
      expect(spare.statusCode, spare.body).toBe(201);
      linkCodes = [code, spare.json<{ code: string }>().code];

      // Both permits end within two months and no extension runs yet: both get their notice.
      await sendExpiryNotices(database.db, { baseUrl: 'https://portal.example.ch' });

      const mandate = await call(applicant, 'POST', '/api/v1/portal/mandates', { representativeEmail: 'kanzlei@example.ch', scope: ['messages', 'status'], validUntil: '2099-12-31' });
      expect(mandate.statusCode, mandate.body).toBe(201);

      // The extension, sent: it opens the case.
      const extension = await startWithAnswers(applicant, 'permit-extension', fatima.id, { sameAddress: 'yes', workSituation: 'employed', employerName: 'Spital Luzern' });
      await upload(applicant, extension, 'passport', PNG, 'image/png', 'Pass.png');
      await upload(applicant, extension, 'proof-of-income', PDF, 'application/pdf', 'Lohn.pdf');
      const version = (await call(applicant, 'GET', `/api/v1/portal/applications/${extension}`)).json<{ version: number }>().version;
      const sent = await call(applicant, 'POST', `/api/v1/portal/applications/${extension}/submission`, undefined, { 'if-match': `"${version}"` });
      expect(sent.statusCode, sent.body).toBe(201);
      ({ caseId, reference } = sent.json<{ caseId: string; reference: string }>());

      // A change of address, still a draft with a paper waiting.
      const move = await startWithAnswers(applicant, 'change-of-address', fatima.id, { newStreet: 'Seestrasse', newPostalCode: '6004', newTown: 'Luzern' });
      await upload(applicant, move, 'rental-contract', PDF, 'application/pdf', 'Mietvertrag.pdf');

      expect((await call(applicant, 'POST', `/api/v1/portal/cases/${caseId}/messages`, { body: 'Der Lohnausweis folgt nächste Woche.' })).statusCode).toBe(201);
      expect((await call(caseworker, 'POST', `/api/v1/cases/${caseId}/messages`, { body: 'Danke, wir warten gerne.' })).statusCode).toBe(201);
      expect((await call(applicant, 'GET', `/api/v1/portal/cases/${caseId}`)).statusCode).toBe(200);

      const created = await call(applicant, 'POST', '/api/v1/portal/share-codes', { personId: fatima.id, days: 7, label: 'Vermieterin Seestrasse' });
      expect(created.statusCode, created.body).toBe(201);
      ({ code: shareCode, id: shareCodeId } = created.json<{ code: string; id: string }>());
      expect((await call(null, 'POST', '/api/v1/share-codes/check', { code: shareCode })).statusCode).toBe(200);
      expect((await call(applicant, 'POST', `/api/v1/portal/share-codes/${shareCodeId}/revoke`)).statusCode).toBe(200);

      // Pedro's own portal data, which Fatima's report must not show.
      expect((await call(pedroSession, 'POST', '/api/v1/portal/share-codes', { personId: pedro.id, days: 30, label: 'Arbeitgeber Pedro' })).statusCode).toBe(201);
      await startWithAnswers(pedroSession, 'permit-extension', pedro.id, { sameAddress: 'yes', workSituation: 'employed', employerName: 'Bäckerei Pedro' });
    });

    it('shows every part of the portal data, without passwords or codes', async () => {
      const response = await call(caseworker, 'GET', `/api/v1/persons/${fatima.id}/access-report`);
      expect(response.statusCode, response.body).toBe(200);
      const report = response.json<AccessReport>();
      const { portal: data } = report;

      expect(data.accounts).toEqual([{ email: 'fatima@example.ch', kind: 'applicant', language: 'de', createdAt: expect.any(String), emailVerifiedAt: expect.any(String), linkedAt: expect.any(String) }]);
      expect(data.mandates).toEqual([
        expect.objectContaining({ representative: { name: 'Kanzlei Recht', email: 'kanzlei@example.ch' }, scope: ['status', 'messages'], validUntil: '2099-12-31', grantedBy: 'person', revokedAt: null, state: 'active' }),
      ]);

      expect(data.applications.map((a) => `${a.form}:${a.state}`)).toEqual(['permit-extension:submitted', 'change-of-address:draft']);
      const [extension, move] = data.applications;
      expect(extension).toMatchObject({ caseReference: reference, answers: expect.objectContaining({ sameAddress: 'yes', employerName: 'Spital Luzern' }), submittedAt: expect.any(String), uploads: [] });
      expect(move).toMatchObject({ caseReference: null, submittedAt: null, answers: expect.objectContaining({ newStreet: 'Seestrasse', newPostalCode: '6004' }) });
      expect(move?.uploads).toEqual([{ slot: 'rental-contract', fileName: 'Mietvertrag.pdf', mediaType: 'application/pdf', sizeBytes: PDF.length, uploadedAt: expect.any(String) }]);

      expect(data.messages).toEqual([
        expect.objectContaining({ caseReference: reference, direction: 'in', author: 'Fatima Krasniqi', text: 'Der Lohnausweis folgt nächste Woche.' }),
        expect.objectContaining({ caseReference: reference, direction: 'out', author: 'Test pp-caseworker', text: 'Danke, wir warten gerne.', readAt: expect.any(String) }),
      ]);
      expect(data.shareCodes).toEqual([{ id: shareCodeId, label: 'Vermieterin Seestrasse', createdAt: expect.any(String), validUntil: expect.any(String), revokedAt: expect.any(String), views: 1, lastViewedAt: expect.any(String) }]);
      expect(data.linkCodes).toHaveLength(2);
      expect(data.linkCodes.map((c) => c.usedAt === null)).toEqual([false, true]);
      expect(data.expiryNotices).toEqual([{ permitId: permits[fatima.id], permitValidUntil: day(30), sentAt: expect.any(String), recipients: 1 }]);

      // Portal reads are reads, and a third party's look at the share code names the code.
      expect(report.accesses.find((a) => a.action === 'portal.case-read')).toMatchObject({ kind: 'read', details: { caseId, reference } });
      expect(report.accesses.find((a) => a.action === 'portal.share-code-viewed')).toMatchObject({ kind: 'read', actor: { kind: 'anonymous' }, details: { shareCode: shareCodeId } });

      const body = JSON.stringify(report);
      for (const secret of [shareCode, ...linkCodes]) expect(body).not.toContain(secret);
      expect(body).not.toMatch(/[0-9a-f]{64}/);
      expect(body).not.toMatch(/password_hash|argon2|totp_secret/i);
      // Nothing of Pedro's.
      for (const other of ['pedro@example.ch', 'Arbeitgeber Pedro', 'Bäckerei Pedro', permits[pedro.id]!]) expect(body).not.toContain(other);
    });

    it('gives another person only their own portal data', async () => {
      const report = (await call(caseworker, 'GET', `/api/v1/persons/${pedro.id}/access-report`)).json<AccessReport>();
      expect(report.portal.accounts.map((a) => a.email)).toEqual(['pedro@example.ch']);
      expect(report.portal.shareCodes.map((c) => c.label)).toEqual(['Arbeitgeber Pedro']);
      expect(report.portal.applications.map((a) => a.answers.employerName)).toEqual(['Bäckerei Pedro']);
      expect(report.portal.expiryNotices.map((n) => n.permitId)).toEqual([permits[pedro.id]]);
      expect(report.portal.mandates).toEqual([]);
      expect(report.portal.messages).toEqual([]);
      expect(report.portal.linkCodes).toEqual([]);
      const body = JSON.stringify(report);
      for (const other of ['fatima@example.ch', 'Vermieterin', 'Kanzlei', 'Lohnausweis', 'Seestrasse']) expect(body).not.toContain(other);
    });

    it('prints the portal section in the PDF, in the chosen language', async () => {
      const german = pdfText((await call(caseworker, 'GET', `/api/v1/persons/${fatima.id}/access-report.pdf?lang=de`)).rawPayload);
      for (const expected of [
        'Online-Portal',
        'Portal-Konto: fatima@example.ch',
        'Vollmacht an Kanzlei Recht (kanzlei@example.ch) · gültig',
        'Stand der Fälle, Nachrichten',
        `Online-Gesuch permit-extension · eingereicht · ${reference}`,
        'employerName: Spital Luzern',
        'Online-Gesuch change-of-address · Entwurf',
        'Beilage im Entwurf: Mietvertrag.pdf (rental-contract)',
        'Der Lohnausweis folgt nächste Woche.',
        'Freigabecode: Vermieterin Seestrasse',
        'Abrufe: 1',
        'Verknüpfungscode',
        'nicht verwendet',
        'Hinweis auf den Ablauf der Bewilligung',
      ]) {
        expect(german).toContain(expected);
      }
      const french = pdfText((await call(caseworker, 'GET', `/api/v1/persons/${fatima.id}/access-report.pdf?lang=fr`)).rawPayload);
      for (const expected of ['Portail en ligne', 'Compte du portail: fatima@example.ch', 'Procuration à Kanzlei Recht', 'Demande en ligne change-of-address · brouillon', 'Code de partage: Vermieterin Seestrasse', 'Avis d’échéance de l’autorisation']) {
        expect(french).toContain(expected);
      }
      for (const language of ['it', 'en'] as const) {
        const text = pdfText((await call(caseworker, 'GET', `/api/v1/persons/${fatima.id}/access-report.pdf?lang=${language}`)).rawPayload);
        expect(text).toContain(language === 'it' ? 'Portale online' : 'Online portal');
      }
    });
  });

  describe('retention', () => {
    const AS_OF = '2030-01-01';
    let office: TestTenant;
    let dry: RunOutcome;
    let real: RunOutcome;
    let before: Record<string, number>;
    let afterDry: Record<string, number>;
    // R1 has a case closed in 2015; R2 is on hold; R3 lives here with drafts and share codes of every age;
    // R4 left in 2015 (anonymised), having applied for R5, whose case is still open.
    const departed = [{ ...person('', 'x', 'x', LUZERN).residences[0]!, arrivalDate: '2010-01-01', departureDate: '2015-06-30', departedTo: 'Zürich' }];
    const R1 = person('', 'Geschlossen', 'Rita', LUZERN);
    const R2 = person('', 'Gesperrt', 'Roland', LUZERN);
    const R3 = person('', 'Aktiv', 'Ruth', LUZERN);
    const R4 = person('', 'Weggezogen', 'Reto', LUZERN, { residences: departed });
    const R5 = person('', 'Verwandt', 'Rosa', LUZERN);
    const cases = { R1: randomUUID(), R4: randomUUID(), R5: randomUUID() };
    const apps = { R1sent: randomUUID(), R2old: randomUUID(), R3old: randomUUID(), R3recent: randomUUID(), R3sent: randomUUID(), R4draft: randomUUID(), R4sent: randomUUID(), R4forR5: randomUUID() };
    const codes = { R2old: randomUUID(), R3revoked: randomUUID(), R3expired: randomUUID(), R3recentlyRevoked: randomUUID(), R3valid: randomUUID(), R4: randomUUID() };
    let r4Account = '';

    const itemOf = (outcome: RunOutcome, rule: string): RunItem => outcome.report!.items.find((i) => i.rule === rule)!;
    const sorted = (list: readonly string[]) => [...list].sort();

    async function counts(): Promise<Record<string, number>> {
      const p = portal();
      const count = async (table: 'portal_applications' | 'portal_uploads' | 'portal_messages' | 'share_codes' | 'portal_link_codes' | 'portal_expiry_notices' | 'mandates') =>
        Number((await p.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', office.id).executeTakeFirstOrThrow()).n);
      const answers = await p.selectFrom('portal_applications').select('answers').where('tenant_id', '=', office.id).execute();
      return {
        applications: await count('portal_applications'),
        uploads: await count('portal_uploads'),
        messages: await count('portal_messages'),
        shareCodes: await count('share_codes'),
        linkCodes: await count('portal_link_codes'),
        notices: await count('portal_expiry_notices'),
        mandates: await count('mandates'),
        emptyAnswers: answers.filter((row) => Object.keys(row.answers).length === 0).length,
        linkedAccounts: (await p.selectFrom('portal_accounts').select('user_id').where('tenant_id', '=', office.id).where('person_id', 'is not', null).execute()).length,
      };
    }

    async function buildData(): Promise<void> {
      const db = database.db;
      for (const p of [R1, R2, R3, R4, R5]) p.tenantId = office.id;
      await addPersons(db, [R1, R2, R3, R4, R5]);
      const type = await db.selectFrom('case_types').select('id').where('tenant_id', '=', office.id).where('slug', '=', 'welcome-talk').executeTakeFirstOrThrow();
      const kase = (id: string, personId: string, n: number, closedAt: string | null) => ({
        id, tenant_id: office.id, reference: `2015-${String(n).padStart(6, '0')}`, case_type_id: type.id, type_slug: 'welcome-talk', person_id: personId, unit_id: office.units.aufenthalt!,
        state: closedAt ? 'done' : 'open', language: 'de' as const, phase: closedAt ? ('closed' as const) : ('open' as const), received_on: '2015-01-10', closed_at: closedAt === null ? null : new Date(closedAt), fields: '{}',
      });
      await db.insertInto('cases').values([kase(cases.R1, R1.id, 1, '2015-07-01T10:00:00Z'), kase(cases.R4, R4.id, 2, '2015-07-01T10:00:00Z'), kase(cases.R5, R5.id, 3, null)]).execute();
      const permit = await db
        .insertInto('permits')
        .values({ tenant_id: office.id, person_id: R4.id, category: 'B', is_main: true, admission_reason: 'eu-efta-employment', valid_from: '2010-01-01', valid_until: '2015-06-30', ended_on: '2015-06-30', end_reason: 'departure', card_number: 'K1', immigration_group: 'non-permanent' })
        .returning('id')
        .executeTakeFirstOrThrow();

      const account = await portalAccount(office, 'rt-portal', 'Portal Nutzerin', 'nutzerin@example.ch', 'applicant', R3.id);
      r4Account = await portalAccount(office, 'rt-portal-r4', 'Reto Weggezogen', 'reto@example.ch', 'applicant', R4.id);
      const representative = await portalAccount(office, 'rt-rep', 'Anwalt', 'anwalt@example.ch', 'representative');
      const p = portal();
      const application = (id: string, personId: string, caseId: string | null, state: 'draft' | 'submitted', updatedAt: string, accountId = account) => ({
        id, tenant_id: office.id, account_id: accountId, person_id: personId, case_id: caseId, form: 'change-of-address', form_version: 1, state,
        answers: JSON.stringify({ newStreet: `Strasse von ${personId.slice(0, 4)}`, newTown: 'Luzern' }), created_at: new Date(updatedAt), updated_at: new Date(updatedAt), submitted_at: state === 'submitted' ? new Date(updatedAt) : null,
      });
      await p
        .insertInto('portal_applications')
        .values([
          application(apps.R1sent, R1.id, cases.R1, 'submitted', '2015-01-10T09:00:00Z'),
          application(apps.R2old, R2.id, null, 'draft', '2029-01-01T10:00:00Z'),
          application(apps.R3old, R3.id, null, 'draft', '2029-01-01T10:00:00Z'),
          application(apps.R3recent, R3.id, null, 'draft', '2029-12-01T10:00:00Z'),
          application(apps.R3sent, R3.id, null, 'submitted', '2020-01-01T10:00:00Z'),
          application(apps.R4draft, R4.id, null, 'draft', '2029-12-01T10:00:00Z', r4Account),
          application(apps.R4sent, R4.id, cases.R4, 'submitted', '2015-01-10T09:00:00Z', r4Account),
          application(apps.R4forR5, R4.id, cases.R5, 'submitted', '2015-01-10T09:00:00Z', r4Account),
        ])
        .execute();
      const paper = (applicationId: string) => ({ tenant_id: office.id, application_id: applicationId, slot: 'rental-contract', file_name: 'Mietvertrag.pdf', media_type: 'application/pdf' as const, size_bytes: PDF.length, sha256: hash(), content: PDF });
      await p.insertInto('portal_uploads').values([paper(apps.R2old), paper(apps.R3old), paper(apps.R3recent), paper(apps.R4draft)]).execute();
      const message = (caseId: string, personId: string, direction: 'in' | 'out', body: string) => ({ tenant_id: office.id, case_id: caseId, person_id: personId, direction, author_name: direction === 'in' ? 'Gesuchsteller' : 'Amt', body, created_at: new Date('2015-03-01T10:00:00Z') });
      await p
        .insertInto('portal_messages')
        .values([message(cases.R1, R1.id, 'in', 'Frage von Rita'), message(cases.R1, R1.id, 'out', 'Antwort an Rita'), message(cases.R4, R4.id, 'in', 'Frage von Reto'), message(cases.R5, R5.id, 'in', 'Frage zu Rosa')])
        .execute();
      const code = (id: string, personId: string, createdAt: string, validUntil: string, revokedAt: string | null) => ({ id, tenant_id: office.id, person_id: personId, code_hash: hash(), label: 'Vermieter', valid_until: new Date(validUntil), revoked_at: revokedAt ? new Date(revokedAt) : null, created_at: new Date(createdAt) });
      await p
        .insertInto('share_codes')
        .values([
          code(codes.R2old, R2.id, '2028-05-01T10:00:00Z', '2028-07-01T10:00:00Z', '2028-06-01T10:00:00Z'),
          code(codes.R3revoked, R3.id, '2028-05-01T10:00:00Z', '2028-07-01T10:00:00Z', '2028-06-01T10:00:00Z'),
          code(codes.R3expired, R3.id, '2028-09-01T10:00:00Z', '2028-10-01T10:00:00Z', null),
          code(codes.R3recentlyRevoked, R3.id, '2029-05-01T10:00:00Z', '2029-07-01T10:00:00Z', '2029-06-01T10:00:00Z'),
          code(codes.R3valid, R3.id, '2029-12-15T10:00:00Z', '2030-03-01T10:00:00Z', null),
          code(codes.R4, R4.id, '2029-12-15T10:00:00Z', '2030-03-01T10:00:00Z', null),
        ])
        .execute();
      await p.insertInto('portal_link_codes').values({ tenant_id: office.id, person_id: R4.id, code_hash: hash(), valid_until: new Date('2014-02-01T00:00:00Z'), used_at: new Date('2014-01-10T00:00:00Z'), used_by: r4Account, created_by: 'Test' }).execute();
      await p.insertInto('portal_expiry_notices').values({ tenant_id: office.id, permit_id: permit.id, valid_until: '2015-06-30', person_id: R4.id, recipients: 1 }).execute();
      await p.insertInto('mandates').values({ tenant_id: office.id, grantor_person_id: R4.id, representative_user_id: representative, scope: JSON.stringify(['status']), valid_from: '2014-01-01', valid_until: null, granted_by: r4Account, granted_by_kind: 'person' }).execute();
      await database.db.withTables<PrivacyTables>().insertInto('legal_holds').values({ tenant_id: office.id, subject_type: 'person', subject_id: R2.id, reason: 'Beschwerde hängig', placed_by: 'Test' }).execute();
    }

    beforeAll(async () => {
      office = await createTenant(database.db, 'privacy-portal-retention');
      await buildData();
      before = await counts();
      dry = (await runRetention(database.db, { asOf: AS_OF, dryRun: true, triggeredBy: 'test', tenantSlug: office.slug }))[0]!;
      afterDry = await counts();
      real = (await runRetention(database.db, { asOf: AS_OF, dryRun: false, triggeredBy: 'test', tenantSlug: office.slug }))[0]!;
    });

    it('reports the due drafts and share codes, and what the hold keeps', () => {
      expect(real.status).toBe('done');
      expect(itemOf(real, 'portal-drafts')).toMatchObject({ kind: 'portal-draft', action: 'delete', cutoff: '2029-07-05', ids: [apps.R3old], heldIds: [apps.R2old] });
      expect(itemOf(real, 'share-codes')).toMatchObject({ kind: 'share-code', action: 'delete', cutoff: '2029-01-01', heldIds: [codes.R2old] });
      expect(sorted(itemOf(real, 'share-codes').ids)).toEqual(sorted([codes.R3revoked, codes.R3expired]));
      expect(sorted(itemOf(real, 'closed-cases').ids)).toEqual(sorted([cases.R1, cases.R4]));
      expect(itemOf(real, 'departed-persons').ids).toEqual([R4.id]);
    });

    it('a dry run changes nothing and reports the same', () => {
      expect(dry.dryRun).toBe(true);
      expect(afterDry).toEqual(before);
      for (const rule of ['portal-drafts', 'share-codes', 'closed-cases', 'departed-persons']) {
        expect(sorted(itemOf(dry, rule).ids)).toEqual(sorted(itemOf(real, rule).ids));
        expect(sorted(itemOf(dry, rule).heldIds)).toEqual(sorted(itemOf(real, rule).heldIds));
      }
    });

    it('deletes stale drafts with their papers and ended share codes, and keeps the rest', async () => {
      const p = portal();
      const left = await p.selectFrom('portal_applications').select('id').where('tenant_id', '=', office.id).execute();
      expect(sorted(left.map((row) => row.id))).toEqual(sorted([apps.R1sent, apps.R2old, apps.R3recent, apps.R3sent, apps.R4forR5]));
      const papers = await p.selectFrom('portal_uploads').select('application_id').where('tenant_id', '=', office.id).execute();
      expect(sorted(papers.map((row) => row.application_id))).toEqual(sorted([apps.R2old, apps.R3recent]));
      const codesLeft = await p.selectFrom('share_codes').select('id').where('tenant_id', '=', office.id).execute();
      expect(sorted(codesLeft.map((row) => row.id))).toEqual(sorted([codes.R2old, codes.R3recentlyRevoked, codes.R3valid]));
    });

    it('empties a purged case: its messages go, its application keeps no answers', async () => {
      const p = portal();
      expect(await p.selectFrom('portal_messages').select('id').where('case_id', 'in', [cases.R1, cases.R4]).execute()).toEqual([]);
      const sent = await p.selectFrom('portal_applications').select(['state', 'answers', 'case_id']).where('id', '=', apps.R1sent).executeTakeFirstOrThrow();
      expect(sent).toEqual({ state: 'submitted', answers: {}, case_id: cases.R1 });
      // The open case of the relative keeps its messages and the application that opened it.
      expect((await p.selectFrom('portal_messages').select('body').where('case_id', '=', cases.R5).execute()).map((row) => row.body)).toEqual(['Frage zu Rosa']);
      const forRelative = await p.selectFrom('portal_applications').select('answers').where('id', '=', apps.R4forR5).executeTakeFirstOrThrow();
      expect(forRelative.answers).toMatchObject({ newTown: 'Luzern' });
    });

    it('takes the portal data with an anonymised person; their account stays, unlinked', async () => {
      const p = portal();
      expect((await p.selectFrom('portal_applications').select('id').where('person_id', '=', R4.id).execute()).map((row) => row.id)).toEqual([apps.R4forR5]);
      expect(await p.selectFrom('portal_messages').select('id').where('person_id', '=', R4.id).execute()).toEqual([]);
      expect(await p.selectFrom('share_codes').select('id').where('person_id', '=', R4.id).execute()).toEqual([]);
      expect(await p.selectFrom('portal_link_codes').select('id').where('person_id', '=', R4.id).execute()).toEqual([]);
      expect(await p.selectFrom('portal_expiry_notices').select('permit_id').where('person_id', '=', R4.id).execute()).toEqual([]);
      expect(await p.selectFrom('mandates').select('id').where('grantor_person_id', '=', R4.id).execute()).toEqual([]);
      expect(await p.selectFrom('portal_accounts').select(['email', 'person_id', 'person_linked_at']).where('user_id', '=', r4Account).executeTakeFirstOrThrow()).toEqual({ email: 'reto@example.ch', person_id: null, person_linked_at: null });
      // The account of the person still living here keeps its link.
      expect((await p.selectFrom('portal_accounts').select('person_id').where('tenant_id', '=', office.id).where('person_id', 'is not', null).execute()).map((row) => row.person_id)).toEqual([R3.id]);
    });

    it('shows the relative the application that opened their case', async () => {
      await createTestUser(database.db, office, 'rt-pp-worker', 'caseworker', 'aufenthalt');
      const worker = await signIn(app, 'rt-pp-worker', undefined, nextAddress());
      const report = (await call(worker, 'GET', `/api/v1/persons/${R5.id}/access-report`)).json<AccessReport>();
      expect(report.portal.applications).toEqual([expect.objectContaining({ id: apps.R4forR5, caseReference: '2015-000003', state: 'submitted' })]);
      expect(report.portal.messages.map((m) => m.text)).toEqual(['Frage zu Rosa']);
    });

    it('does nothing twice', async () => {
      const again = (await runRetention(database.db, { asOf: AS_OF, dryRun: false, triggeredBy: 'test', tenantSlug: office.slug }))[0]!;
      for (const rule of ['portal-drafts', 'share-codes']) expect(itemOf(again, rule).ids).toEqual([]);
    });
  });
});
