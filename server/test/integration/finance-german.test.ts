import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { isSCORReferenceValid } from 'swissqrbill/utils';
import { readShippedCaseTypes } from '../../src/modules/cases/index.js';
import type { Database } from '../../src/platform/db/database.js';
import { buildCamt054 } from '../support/camt.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTenant, createTestUser, signIn, type Session, type TestTenant } from '../support/fixtures.js';
import { expectStatus, invoicesOfCase, openCase, personWithPermit, postCamt, readInvoice, request, type ImportSummaryView } from '../support/finance.js';
import { readQrCode } from '../support/qr.js';

const GERMAN_IBAN = 'DE89370400440532013000';

/**
 * A German foreigners' authority: the AufenthV schedule in euros, an RF creditor reference, the
 * invoice with IBAN and GiroCode, and a SEPA credit notification paying it.
 */
describe.each(DATABASE_KINDS)('finance of a German office on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let tenant: TestTenant;
  let worker: Session;
  let lead: Session;
  let admin: Session;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    tenant = await createTenant(database.db, 'abh-muenchen', { country: 'DE', region: 'BY' });
    await createTestUser(database.db, tenant, 'de-worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, tenant, 'de-lead', 'team-lead', 'aufenthalt');
    await createTestUser(database.db, tenant, 'de-admin', 'admin');
    worker = await signIn(app, 'de-worker');
    lead = await signIn(app, 'de-lead');
    admin = await signIn(app, 'de-admin');
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('refuses a Swiss QR-IBAN-style check for a German office and takes its IBAN', async () => {
    const base = { officeName: 'Ausländerbehörde München', creditorName: 'Landeshauptstadt München', street: 'Ruppertstrasse', buildingNumber: '19', postalCode: '80337', town: 'München', country: 'DE' };
    const wrong = await request(app, admin, 'PUT', '/api/v1/finance/settings', { ...base, account: 'DE89370400440532013001' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json<{ code: string }>().code).toBe('finance-iban');
    const saved = expectStatus<{ currency: string; account: string }>(await request(app, admin, 'PUT', '/api/v1/finance/settings', { ...base, account: GERMAN_IBAN, bic: 'COBADEFFXXX' }), 200);
    expect(saved).toMatchObject({ currency: 'EUR', account: GERMAN_IBAN });
  });

  it('charges the Fiktionsbescheinigung (AufenthV § 47) in euros with an RF reference, prints it with a GiroCode, and books its SEPA payment', async () => {
    const personId = await personWithPermit(app, database.db, tenant, worker, 'AE-18b');
    const view = await openCase(app, worker, 'aufenthaltserlaubnis-extension', personId, readShippedCaseTypes('DE'));
    // The complete application before expiry gets the certificate at once, and with it its fee.
    expect(view.state).toBe('certificate-issued');
    const [invoice] = await invoicesOfCase(app, worker, view.id);
    expect(invoice).toMatchObject({ kind: 'fee', currency: 'EUR', amount: '13.00', status: 'open' });
    expect(invoice!.lines.map((l) => l.legalBasis)).toEqual(['AufenthV § 47 Abs. 1 Nr. 9']);
    expect(invoice!.reference).toMatch(/^RF\d{2}\d+$/);
    expect(isSCORReferenceValid(invoice!.reference)).toBe(true);

    const pdf = await request(app, worker, 'GET', `/api/v1/invoices/${invoice!.id}/pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const lines = (await readQrCode(pdf.rawPayload)).split('\n');
    // EPC069-12: service tag, version, character set, SCT, BIC, name, IBAN, amount, purpose, reference.
    expect(lines.slice(0, 4)).toEqual(['BCD', '002', '1', 'SCT']);
    expect(lines[6]).toBe(GERMAN_IBAN);
    expect(lines[7]).toBe('EUR13.00');
    expect(lines[9]).toBe(invoice!.reference);

    const file = buildCamt054({ iban: GERMAN_IBAN, currency: 'EUR', entries: [{ amount: '13.00', reference: invoice!.reference, debtorName: 'Ana Zahler', acctSvcrRef: 'DE-SEPA-0001' }] });
    const booked = expectStatus<ImportSummaryView>(await postCamt(app, lead, 'imports', file), 200);
    expect(booked.counts).toMatchObject({ booked: 1, clarification: 0 });
    expect(await readInvoice(app, worker, invoice!.id)).toMatchObject({ status: 'paid', paid: '13.00' });
  });
});
