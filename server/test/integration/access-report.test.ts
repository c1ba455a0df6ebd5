import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import type { AccessReport } from '../../src/modules/privacy/index.js';
import type { FinanceTables } from '../../src/modules/finance/repository.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, KRIENS, LUZERN, person, signIn, type Session, type TestTenant } from '../support/fixtures.js';

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-pdf-'));
  try {
    writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(DATABASE_KINDS)('right of access on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let tenant: TestTenant;
  let caseworker: Session;
  let lead: Session;
  let clerk: Session;
  let auditor: Session;
  const subject = person('', 'Kovačević', 'Ana Marija', LUZERN, { ahvn13: '7561234567897', placeOfOrigin: null });
  const spouse = person('', 'Kovačević', 'Marko', LUZERN);
  const stranger = person('', 'Andermatt', 'Beat', KRIENS);
  const elsewhere = person('', 'Fremd', 'Fritz', LUZERN);
  let caseId = '';
  let reference = '';

  async function call(session: Session, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, payload: payload as object | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en', ...headers } });
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    tenant = await createTenant(database.db, 'office-access');
    const other = await createTenant(database.db, 'office-other');
    for (const p of [subject, spouse, stranger]) p.tenantId = tenant.id;
    elsewhere.tenantId = other.id;
    await addPersons(database.db, [subject, spouse, stranger, elsewhere]);
    await createTestUser(database.db, tenant, 'ar-worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, tenant, 'ar-lead', 'team-lead', 'aufenthalt');
    await createTestUser(database.db, tenant, 'ar-clerk', 'municipal-clerk', 'gemeinde-1061');
    await createTestUser(database.db, tenant, 'ar-auditor', 'auditor');
    caseworker = await signIn(app, 'ar-worker');
    lead = await signIn(app, 'ar-lead');
    clerk = await signIn(app, 'ar-clerk');
    auditor = await signIn(app, 'ar-auditor');

    // Build the file through the API, so that every step is audited as in real use.
    const file = (await call(caseworker, 'GET', `/api/v1/persons/${subject.id}`)).json<{ version: number }>();
    expect((await call(caseworker, 'POST', `/api/v1/persons/${subject.id}/relations`, { kind: 'spouse', relatedPersonId: spouse.id }, { 'if-match': `"${file.version}"` })).statusCode).toBe(200);
    const deposit = await call(clerk, 'POST', `/api/v1/persons/${subject.id}/papers`, { kind: 'passport', designation: 'Pasoš Hrvatska', number: 'HR123456', issuingCountry: 'HR', validUntil: '2031-01-31', depositedOn: '2024-03-01', feeChf: 30 });
    expect(deposit.statusCode, deposit.body).toBeLessThan(300);
    const granted = await call(caseworker, 'POST', `/api/v1/persons/${subject.id}/permits`, { category: 'B', admissionReason: 'eu-efta-employment', validFrom: '2024-03-01' });
    expect(granted.statusCode, granted.body).toBe(201);
    const created = await call(caseworker, 'POST', '/api/v1/cases', { typeSlug: 'welcome-talk', personId: subject.id, language: 'fr' });
    expect(created.statusCode, created.body).toBe(201);
    ({ id: caseId, reference } = created.json<{ id: string; reference: string }>());
    expect((await call(caseworker, 'POST', `/api/v1/cases/${caseId}/notes`, { kind: 'note', text: 'Rappel: apporter le contrat de travail' })).statusCode).toBe(201);
    expect((await call(caseworker, 'POST', `/api/v1/cases/${caseId}/tasks`, { title: 'Termin vereinbaren', dueOn: '2030-01-15' })).statusCode).toBe(201);
    // A blocking note hides the address everywhere else — not in the report.
    const current = (await call(caseworker, 'GET', `/api/v1/persons/${subject.id}`)).json<{ version: number }>();
    expect((await call(caseworker, 'PATCH', `/api/v1/persons/${subject.id}`, { changes: { blockingNote: true } }, { 'if-match': `"${current.version}"` })).statusCode).toBe(200);

    // The accesses the report must list: the team lead opens the file and the case, and a search lists the person.
    expect((await call(lead, 'GET', `/api/v1/persons/${subject.id}`)).statusCode).toBe(200);
    expect((await call(lead, 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(200);
    expect((await call(lead, 'GET', `/api/v1/persons?q=${encodeURIComponent('Kovacevic Marko')}`)).statusCode).toBe(200);
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('gives the whole file as JSON, address included despite the blocking note, and who accessed it', async () => {
    const response = await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/access-report`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toContain('no-store');
    const report = response.json<AccessReport>();
    expect(report.person.identity).toMatchObject({ officialName: 'Kovačević', firstNames: 'Ana Marija', ahvn13: '7561234567897' });
    expect(report.person.blockingNote).toBe(true);
    expect(report.residences).toEqual([expect.objectContaining({ municipality: 'Luzern', address: 'Pilatusstrasse 1, 6003 Luzern', arrivalDate: '2020-01-01' })]);
    expect(report.relations).toEqual([expect.objectContaining({ kind: 'spouse', name: 'Kovačević Marko' })]);
    expect(report.papers).toEqual([expect.objectContaining({ designation: 'Pasoš Hrvatska', number: 'HR123456', depositedOn: '2024-03-01', returnedOn: null })]);
    expect(report.permits).toEqual([expect.objectContaining({ category: 'B', validFrom: '2024-03-01', events: [{ event: 'granted', date: '2024-03-01' }] })]);
    expect(report.cases).toHaveLength(1);
    expect(report.cases[0]).toMatchObject({ reference, type: 'welcome-talk', tasks: [expect.objectContaining({ title: 'Termin vereinbaren', dueOn: '2030-01-15', done: false })] });
    expect(report.cases[0]?.notes).toEqual([expect.objectContaining({ kind: 'note', text: 'Rappel: apporter le contrat de travail', by: 'Test ar-worker' })]);
    expect(report.deadlines.length).toBeGreaterThan(0);
    expect(report.personLanguage).toBe('fr');
    // No portal account, application or code: the section is there, empty (server/test/integration/privacy-portal.test.ts fills it).
    expect(report.portal).toEqual({ accounts: [], mandates: [], applications: [], messages: [], shareCodes: [], linkCodes: [], expiryNotices: [] });

    const byLead = report.accesses.filter((a) => a.actor.displayName === 'Test ar-lead');
    expect(byLead.map((a) => `${a.action}:${a.kind}`)).toEqual(['person.read:read', 'case.read:read', 'person.search:listed']);
    expect(byLead[0]?.actor.roles).toEqual(['team-lead']);
    expect(byLead[1]?.details).toEqual({ caseId, reference });
    // A list read names no other person and not the search text.
    expect(byLead[2]?.details).toEqual({});
    expect(JSON.stringify(report.accesses)).not.toContain('Marko');
    expect(report.accesses.some((a) => a.action === 'register.papers-deposited' || a.action.startsWith('register.papers'))).toBe(true);
    expect(report.accesses.find((a) => a.action.startsWith('register.papers'))?.actor).toMatchObject({ displayName: 'Test ar-clerk', roles: ['municipal-clerk'] });
    expect(report.accesses.find((a) => a.action === 'person.relation-added')?.details).toEqual({});
  });

  it('is itself audited, and the next report shows it', async () => {
    const before = await database.db.selectFrom('audit_log').select(['action', 'actor_name', 'details']).where('action', '=', 'privacy.access-report').where('entity_id', '=', subject.id).execute();
    expect(before.length).toBeGreaterThanOrEqual(1);
    const report = (await call(lead, 'GET', `/api/v1/persons/${subject.id}/access-report`)).json<AccessReport>();
    expect(report.accesses.filter((a) => a.action === 'privacy.access-report').map((a) => a.actor.displayName)).toContain('Test ar-worker');
  });

  it('writes a PDF with the letterhead, headings in the chosen language and page numbers', async () => {
    await database.db.updateTable('tenants').set({ settings: JSON.stringify({ letterhead: { officeName: 'Amt für Migration Luzern', addressLines: ['Fruttstrasse 15', '6002 Luzern'], phone: '041 228 77 80' } }) }).where('id', '=', tenant.id).execute();
    const response = await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/access-report.pdf?lang=fr`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(response.rawPayload).replace(/[ \t]+/g, ' ');
    for (const expected of ['Amt für Migration Luzern', 'Fruttstrasse 15', 'Renseignements sur les données personnelles', 'Kovačević Ana Marija', 'Identité', 'Domiciles', 'Pilatusstrasse 1, 6003 Luzern', 'Autorisations', 'Dossiers', reference, 'Portail en ligne', 'Accès à vos données', 'Test ar-lead (Responsable d’équipe)', 'page 1 /']) {
      expect(text).toContain(expected);
    }
    // Without ?lang the person's letter language (their case is in French) is used.
    const defaulted = await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/access-report.pdf`);
    expect(defaulted.headers['content-disposition']).toContain('-fr.pdf');
    const german = pdfText((await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/access-report.pdf?lang=de`)).rawPayload);
    expect(german).toContain('Auskunft über Personendaten');
    expect(german).toContain('Zugriffe auf Ihre Daten');
    expect(german).toMatch(/Seite 1 \/ \d+/);
  });

  it('lists invoices with their lines and payments, and deposits with their ledger, in the JSON and the PDF', async () => {
    // Straight into the tables: the report reads what is stored, however it got there.
    const finance = database.db.withTables<FinanceTables>();
    const lines = [
      { code: 'welcome-talk', names: { de: 'Gebühr Begrüssungsgespräch', fr: 'Émolument entretien d’accueil', it: 'Emolumento colloquio di benvenuto', en: 'Fee welcome talk' }, legalBasis: 'GebV § 4 Ziff. 12', amountMinor: 12_000 },
      { code: 'reduction', names: { de: 'Reduktion', fr: 'Réduction', it: 'Riduzione', en: 'Reduction' }, legalBasis: 'Härtefall', amountMinor: -2_050 },
    ];
    const invoice = await finance
      .insertInto('invoices')
      .values({ tenant_id: tenant.id, person_id: subject.id, case_id: caseId, year: 2026, number: 42, reference: '000000000000202600000000421', kind: 'fee', currency: 'CHF', lines: JSON.stringify(lines), adjustment_reason: 'Härtefall', amount_minor: 9_950, paid_minor: 4_000, status: 'open', language: 'fr', issued_on: '2026-01-10', due_on: '2026-02-09', reminder_level: 1, created_by: 'Test ar-worker' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await finance
      .insertInto('payments')
      .values({ tenant_id: tenant.id, source: 'bank', entry_key: 'ar-entry-1', booking_date: '2026-01-20', value_date: '2026-01-20', amount_minor: 4_000, currency: 'CHF', reference: '000000000000202600000000421', debtor_name: 'Ana Marija Kovacevic', debtor_iban: 'CH9300762011623852957', remittance_text: 'Teilzahlung', invoice_id: invoice.id, booked_minor: 4_000, clarification: 'partial', clarification_status: 'open', recorded_by: 'camt import' })
      .execute();
    const deposit = await finance
      .insertInto('deposits')
      .values({ tenant_id: tenant.id, person_id: subject.id, case_id: caseId, basis: 'no-valid-passport', household: 'single', amount_minor: 150_000, instalments: 1, status: 'held', ordered_on: '2025-11-03' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await finance
      .insertInto('deposit_ledger')
      .values([
        { tenant_id: tenant.id, deposit_id: deposit.id, person_id: subject.id, entry_date: '2025-11-03', kind: 'ordered', amount_minor: 150_000, held_minor: 0, note: 'no-valid-passport, single, 1 instalment(s)', recorded_by: 'Test ar-worker' },
        { tenant_id: tenant.id, deposit_id: deposit.id, person_id: subject.id, entry_date: '2025-11-20', kind: 'paid', amount_minor: 150_000, held_minor: 150_000, note: null, recorded_by: 'Test ar-worker' },
      ])
      .execute();
    // A caseworker looks at the invoices: the report names it a read, with the invoice.
    expect((await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/invoices`)).statusCode).toBe(200);

    const response = await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/access-report`);
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json<AccessReport>();
    expect(report.finance.invoices).toEqual([
      expect.objectContaining({
        id: invoice.id,
        number: '2026-000042',
        kind: 'fee',
        status: 'open',
        caseReference: reference,
        currency: 'CHF',
        amount: '99.50',
        paid: '40.00',
        issuedOn: '2026-01-10',
        dueOn: '2026-02-09',
        paidOn: null,
        reminderLevel: 1,
        lines: [
          { code: 'welcome-talk', names: lines[0]?.names, legalBasis: 'GebV § 4 Ziff. 12', amount: '120.00' },
          { code: 'reduction', names: lines[1]?.names, legalBasis: 'Härtefall', amount: '-20.50' },
        ],
        payments: [expect.objectContaining({ bookingDate: '2026-01-20', source: 'bank', currency: 'CHF', amount: '40.00', booked: '40.00', payerName: 'Ana Marija Kovacevic', payerIban: 'CH9300762011623852957', remittanceText: 'Teilzahlung', clarification: 'partial' })],
      }),
    ]);
    expect(report.finance.deposits).toEqual([
      expect.objectContaining({
        id: deposit.id,
        basis: 'no-valid-passport',
        status: 'held',
        currency: 'CHF',
        amount: '1500.00',
        held: '1500.00',
        orderedOn: '2025-11-03',
        settledOn: null,
        ledger: [
          { date: '2025-11-03', kind: 'ordered', amount: '1500.00', held: '0.00', invoiceNumber: null, note: 'no-valid-passport, single, 1 instalment(s)' },
          { date: '2025-11-20', kind: 'paid', amount: '1500.00', held: '1500.00', invoiceNumber: null, note: null },
        ],
      }),
    ]);
    expect(report.accesses.filter((a) => a.action === 'finance.invoices-read').map((a) => `${a.actor.displayName}:${a.kind}`)).toEqual(['Test ar-worker:read']);

    const text = pdfText((await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/access-report.pdf?lang=fr`)).rawPayload).replace(/[ \t]+/g, ' ');
    for (const expected of [
      'Factures, paiements et cautions',
      `Facture 2026-000042 · Émolument · ouverte · ${reference}`,
      'Montant: CHF 99.50 · payé: CHF 40.00 · émise le 10.01.2026 · échéance 09.02.2026 · Niveau de rappel: 1',
      'Émolument entretien d’accueil (GebV § 4 Ziff. 12) · CHF 120.00',
      'Réduction (Härtefall) · CHF -20.50',
      'Paiement 20.01.2026 · banque · CHF 40.00 · Ana Marija Kovacevic · CH9300762011623852957',
      'Caution · no-valid-passport · single · held',
      'Montant: CHF 1500.00 · détenu par l’office: CHF 1500.00 · ordonnée le 03.11.2025',
      '20.11.2025 · paid · CHF 1500.00 · détenu par l’office: CHF 1500.00',
    ]) {
      expect(text).toContain(expected);
    }
    const german = pdfText((await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/access-report.pdf?lang=de`)).rawPayload).replace(/[ \t]+/g, ' ');
    for (const expected of ['Rechnungen, Zahlungen und Kautionen', 'Rechnung 2026-000042 · Gebühr · offen', 'Gebühr Begrüssungsgespräch (GebV § 4 Ziff. 12) · CHF 120.00', 'Zahlung 20.01.2026 · Bank · CHF 40.00']) {
      expect(german).toContain(expected);
    }
  });

  it('answers 404 for a person the caller cannot see and 403 for roles without the right', async () => {
    expect((await call(caseworker, 'GET', `/api/v1/persons/${elsewhere.id}/access-report`)).statusCode).toBe(404);
    expect((await call(caseworker, 'GET', `/api/v1/persons/${randomUUID()}/access-report.pdf`)).statusCode).toBe(404);
    for (const session of [clerk, auditor]) {
      const refused = await call(session, 'GET', `/api/v1/persons/${subject.id}/access-report`);
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('places and lifts a legal hold on a person and a case (team lead only), audited', async () => {
    expect((await call(caseworker, 'POST', `/api/v1/persons/${subject.id}/legal-hold`, { reason: 'Beschwerde hängig' })).statusCode).toBe(403);
    const placed = await call(lead, 'POST', `/api/v1/persons/${subject.id}/legal-hold`, { reason: 'Beschwerde hängig' });
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json()).toMatchObject({ subject: 'person', subjectId: subject.id, reason: 'Beschwerde hängig', placedBy: 'Test ar-lead' });
    const again = await call(lead, 'POST', `/api/v1/persons/${subject.id}/legal-hold`, { reason: 'noch einmal' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'legal-hold-exists' });
    expect((await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/legal-hold`)).json()).toMatchObject({ hold: { reason: 'Beschwerde hängig' } });
    expect((await call(lead, 'POST', `/api/v1/cases/${caseId}/legal-hold`, { reason: 'Strafverfahren' })).statusCode).toBe(201);
    expect((await call(lead, 'POST', `/api/v1/persons/${randomUUID()}/legal-hold`, { reason: 'x y z' })).statusCode).toBe(404);

    const report = (await call(lead, 'GET', `/api/v1/persons/${subject.id}/access-report`)).json<AccessReport>();
    expect(report.legalHolds.map((h) => `${h.subject}:${h.reason}:${h.caseReference ?? ''}`)).toEqual(['person:Beschwerde hängig:', `case:Strafverfahren:${reference}`]);

    expect((await call(lead, 'DELETE', `/api/v1/persons/${subject.id}/legal-hold?reason=erledigt`)).statusCode).toBe(204);
    const missing = await call(lead, 'DELETE', `/api/v1/persons/${subject.id}/legal-hold`);
    expect(missing.statusCode).toBe(404);
    expect((await call(caseworker, 'GET', `/api/v1/persons/${subject.id}/legal-hold`)).json()).toEqual({ hold: null });
    const audited = await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', subject.id).where('action', 'like', 'privacy.legal-hold-%').orderBy('id').execute();
    expect(audited.map((row) => row.action)).toEqual(['privacy.legal-hold-placed', 'privacy.legal-hold-placed', 'privacy.legal-hold-lifted']);
  });
});
