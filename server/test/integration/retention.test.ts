import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { auditAnchor, verifyAuditChain, type AuditAnchor } from '../../src/platform/audit/audit.js';
import { runRetention, type RunItem, type RunOutcome } from '../../src/modules/privacy/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, LUZERN, person, signIn, type Session, type TestTenant } from '../support/fixtures.js';

const AS_OF = '2030-01-01';

describe.each(DATABASE_KINDS)('retention on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let tenant: TestTenant;
  let lead: Session;
  let auditor: Session;
  let anchor: AuditAnchor;
  let statsBefore: unknown;
  let dry: RunOutcome;
  let real: RunOutcome;
  let expectedAuditRemoved = 0;
  let expectedDryAuditRemoved = 0;

  const departed = (from: string, to: string) => [{ ...person('', 'x', 'x', LUZERN).residences[0]!, arrivalDate: from, departureDate: to, departedTo: 'Zürich' }];
  // A left in 2015, B too but is on hold, C still lives here, D left in 2025, E died in 2016, F left in 2012 with a case still open.
  const A = person('', 'Ausgezogen', 'Anna', LUZERN, { ahvn13: '7561234567897', residences: departed('2012-01-01', '2015-06-30') });
  const B = person('', 'Gesperrt', 'Bruno', LUZERN, { residences: departed('2012-01-01', '2014-12-31') });
  const C = person('', 'Hiesig', 'Clara', LUZERN);
  const D = person('', 'Kürzlich', 'Dora', LUZERN, { residences: departed('2012-01-01', '2025-05-31') });
  const E = person('', 'Verstorben', 'Emil', LUZERN, { dateOfBirth: '1940-03-04' });
  const F = person('', 'Offen', 'Franz', LUZERN, { residences: departed('2010-01-01', '2012-01-31') });
  const ids = { caseA: randomUUID(), caseB: randomUUID(), caseC1: randomUUID(), caseC2: randomUUID(), caseF: randomUUID() };
  const papers = { A: randomUUID(), B: randomUUID(), C: randomUUID(), D: randomUUID() };
  const notes = { due: randomUUID(), recent: randomUUID(), unread: randomUUID(), heldCase: randomUUID() };
  let docA = '';

  async function call(session: Session, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, payload: payload as object | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en' } });
  }

  async function buildData(): Promise<void> {
    const db = database.db;
    for (const p of [A, B, C, D, E, F]) p.tenantId = tenant.id;
    await addPersons(db, [A, B, C, D, E, F]);
    const type = await db.selectFrom('case_types').select('id').where('tenant_id', '=', tenant.id).where('slug', '=', 'welcome-talk').executeTakeFirstOrThrow();
    const kase = (id: string, personId: string, n: number, closedAt: string | null) => ({
      id, tenant_id: tenant.id, reference: `2015-${String(n).padStart(6, '0')}`, case_type_id: type.id, type_slug: 'welcome-talk', person_id: personId, unit_id: tenant.units.aufenthalt!,
      state: closedAt ? 'done' : 'open', language: 'de' as const, phase: closedAt ? ('closed' as const) : ('open' as const), received_on: '2015-01-10', closed_at: closedAt === null ? null : new Date(closedAt),
      fields: JSON.stringify({ remark: 'persönlich' }), decision: closedAt ? JSON.stringify({ transition: 'finish', outcome: 'positive', reason: 'Anna hat alles gebracht', decidedBy: 'X', decidedAt: '2015-06-01T10:00:00Z' }) : null,
    });
    await db.insertInto('cases').values([kase(ids.caseA, A.id, 1, '2015-07-01T10:00:00Z'), kase(ids.caseB, B.id, 2, '2015-07-01T10:00:00Z'), kase(ids.caseC1, C.id, 3, '2018-03-01T10:00:00Z'), kase(ids.caseC2, C.id, 4, '2018-03-01T10:00:00Z'), kase(ids.caseF, F.id, 5, null)]).execute();
    for (const caseId of Object.values(ids)) {
      await db.insertInto('case_events').values([
        { tenant_id: tenant.id, case_id: caseId, kind: 'created', actor_name: 'Test', text: 'eröffnet' },
        { tenant_id: tenant.id, case_id: caseId, kind: 'note', actor_name: 'Test', text: 'vertrauliche Notiz' },
        { tenant_id: tenant.id, case_id: caseId, kind: 'contact', actor_name: 'Test', text: 'Telefon mit Anna' },
      ]).execute();
      await db.insertInto('case_tasks').values({ tenant_id: tenant.id, case_id: caseId, title: 'Pass kopieren' }).execute();
      await db.insertInto('documents').values({ tenant_id: tenant.id, case_id: caseId, person_id: null, kind: 'attachment', template: null, title: 'Pass', file_name: 'pass.pdf', media_type: 'application/pdf', size_bytes: 4, sha256: 'x', content: Buffer.from('%PDF'), created_by: 'Test' }).execute();
    }
    docA = (await db.insertInto('documents').values({ tenant_id: tenant.id, case_id: null, person_id: A.id, kind: 'attachment', template: null, title: 'Lebenslauf', file_name: 'cv.pdf', media_type: 'application/pdf', size_bytes: 4, sha256: 'y', content: Buffer.from('%PDF'), created_by: 'Test' }).returning('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('person_relations').values({ tenant_id: tenant.id, person_id: A.id, kind: 'child', related_name: 'Kind Ausgezogen', custody: true }).execute();
    const paper = (id: string, personId: string, n: number, deposited: string, returned: string | null) => ({ id, tenant_id: tenant.id, person_id: personId, municipality_bfs: 1061, receipt_number: n, kind: 'passport' as const, designation: 'Reisepass', number: `P${n}`, issuing_country: 'DE', deposited_on: deposited, returned_on: returned });
    await db.insertInto('deposited_papers').values([paper(papers.A, A.id, 1, '2012-01-05', '2015-06-30'), paper(papers.B, B.id, 2, '2012-01-05', '2014-12-31'), paper(papers.C, C.id, 3, '2019-01-05', '2021-01-01'), paper(papers.D, D.id, 4, '2012-01-05', '2026-06-01')]).execute();
    const permit = (personId: string, endedOn: string | null, endReason: 'departure' | 'death' | null) => ({ tenant_id: tenant.id, person_id: personId, category: 'B', is_main: true, admission_reason: 'eu-efta-employment', valid_from: '2012-01-01', valid_until: '2016-12-31', ended_on: endedOn, end_reason: endReason, card_number: 'K123', immigration_group: 'non-permanent' as const });
    await db.insertInto('permits').values([permit(A.id, '2015-06-30', 'departure'), permit(B.id, '2014-12-31', 'departure'), permit(C.id, null, null), permit(E.id, '2016-02-01', 'death')]).execute();
    const deadline = await db.insertInto('deadlines').values({ tenant_id: tenant.id, person_id: C.id, kind: 'deposit-papers', legal_basis: 'NG § 3', due_date: '2019-01-20', source: 'test', status: 'met' }).returning('id').executeTakeFirstOrThrow();
    const notification = (id: string, readAt: string | null, caseId: string | null) => ({ id, tenant_id: tenant.id, recipient_role: 'caseworker', deadline_id: caseId ? null : deadline.id, case_id: caseId, kind: 'deadline-due', message: JSON.stringify({ personId: C.id }), read_at: readAt ? new Date(readAt) : null });
    await db.insertInto('notifications').values([notification(notes.due, '2029-01-01T08:00:00Z', null), notification(notes.recent, '2029-12-01T08:00:00Z', null), notification(notes.unread, null, null), notification(notes.heldCase, '2029-01-01T08:00:00Z', ids.caseC2)]).execute();
    // A fee A paid from her own account, and one B paid (B is held).
    for (const [who, number] of [[A, 1], [B, 2]] as const) {
      const invoice = await sql<{ id: string }>`
        INSERT INTO invoices (tenant_id, person_id, year, number, reference, kind, currency, lines, amount_minor, paid_minor, status, language, issued_on, due_on, paid_on, created_by)
        VALUES (${tenant.id}, ${who.id}, 2014, ${number}, ${`ref-${number}`}, 'fee', 'CHF', '[]', 9700, 9700, 'paid', 'de', '2014-03-01', '2014-03-31', '2014-03-20', 'Test')
        RETURNING id`.execute(db);
      await sql`INSERT INTO payments (tenant_id, source, booking_date, amount_minor, currency, reference, debtor_name, debtor_iban, remittance_text, invoice_id, booked_minor, recorded_by)
        VALUES (${tenant.id}, 'bank', '2014-03-20', 9700, 'CHF', ${`ref-${number}`}, ${`${who.officialName} Zahlerin`}, 'CH9300762011623852957', 'Gebühr', ${invoice.rows[0]!.id}, 9700, 'Test')`.execute(db);
    }
  }

  /** Per audit chain of the office: how many of its oldest rows come before the first row about a held person or case. */
  async function auditRowsDue(): Promise<number> {
    const held = [B.id, C.id];
    const heldCases: string[] = [ids.caseB, ids.caseC2];
    const rows = await sql<{ chain: string; seq: number; entity_id: string | null; case_id: string | null }>`
      SELECT chain, seq, entity_id, details ->> 'caseId' AS case_id FROM audit_log WHERE chain LIKE ${`${tenant.id}:%`} ORDER BY chain, seq`.execute(database.db);
    const stopped = new Set<string>();
    let due = 0;
    for (const row of rows.rows) {
      if (stopped.has(row.chain)) continue;
      if ((row.entity_id !== null && held.includes(row.entity_id)) || (row.case_id !== null && heldCases.includes(row.case_id))) stopped.add(row.chain);
      else due++;
    }
    return due;
  }

  const itemOf = (outcome: RunOutcome, rule: string): RunItem => outcome.report!.items.find((i) => i.rule === rule)!;
  const personName = async (id: string) => (await database.db.selectFrom('persons').select(['official_name', 'first_names', 'ahvn13', 'date_of_birth', 'nationality', 'sex']).where('id', '=', id).executeTakeFirstOrThrow());

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    tenant = await createTenant(database.db, 'office-retention');
    await createTestUser(database.db, tenant, 'rt-lead', 'team-lead', 'aufenthalt');
    await createTestUser(database.db, tenant, 'rt-auditor', 'auditor');
    await buildData();
    lead = await signIn(app, 'rt-lead');
    auditor = await signIn(app, 'rt-auditor');
    expect((await call(lead, 'POST', `/api/v1/persons/${B.id}/legal-hold`, { reason: 'Beschwerde beim Kantonsgericht hängig' })).statusCode).toBe(201);
    expect((await call(lead, 'POST', `/api/v1/cases/${ids.caseC2}/legal-hold`, { reason: 'Strafverfahren' })).statusCode).toBe(201);
    const stats = await call(lead, 'GET', '/api/v1/statistics/foreign-population?date=2014-06-30');
    expect(stats.statusCode).toBe(200);
    statsBefore = stats.json();
    anchor = await auditAnchor(database.db);

    expectedDryAuditRemoved = await auditRowsDue();
    dry = (await runRetention(database.db, { asOf: AS_OF, dryRun: true, triggeredBy: 'test', tenantSlug: tenant.slug }))[0]!;
    // The dry run audited itself: one more row that the real run may remove.
    expectedAuditRemoved = await auditRowsDue();
    real = (await runRetention(database.db, { asOf: AS_OF, dryRun: false, triggeredBy: 'test', tenantSlug: tenant.slug }))[0]!;
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('reports exactly what is due under each rule, and what the holds keep', () => {
    expect(real.status).toBe('done');
    const sorted = (list: string[]) => [...list].sort();
    expect(sorted(itemOf(real, 'closed-cases').ids)).toEqual(sorted([ids.caseA, ids.caseC1]));
    expect(sorted(itemOf(real, 'closed-cases').heldIds)).toEqual(sorted([ids.caseB, ids.caseC2]));
    expect(itemOf(real, 'closed-cases').cutoff).toBe('2020-01-01');
    expect(sorted(itemOf(real, 'returned-papers').ids)).toEqual(sorted([papers.A, papers.C]));
    expect(itemOf(real, 'returned-papers').heldIds).toEqual([papers.B]);
    expect(itemOf(real, 'read-notifications')).toMatchObject({ ids: [notes.due], heldIds: [notes.heldCase] });
    expect(sorted(itemOf(real, 'departed-persons').ids)).toEqual(sorted([A.id, E.id]));
    expect(itemOf(real, 'departed-persons').heldIds).toEqual([B.id]);
    expect(itemOf(real, 'departed-persons').alsoEmptiedCases).toEqual([ids.caseA]);
    // Every session of the test ended long before the cutoff of 2029-10-03.
    expect(itemOf(real, 'ended-sessions').count).toBeGreaterThanOrEqual(2);
    expect(itemOf(real, 'audit-log').count).toBe(expectedAuditRemoved);
    expect(itemOf(real, 'audit-log').chains?.some((c) => c.stoppedByHold)).toBe(true);
  });

  it('a dry run changes nothing and reports the same', async () => {
    expect(dry.dryRun).toBe(true);
    for (const rule of ['closed-cases', 'returned-papers', 'read-notifications', 'departed-persons']) {
      expect(itemOf(dry, rule).ids.sort()).toEqual(itemOf(real, rule).ids.sort());
      expect(itemOf(dry, rule).heldIds.sort()).toEqual(itemOf(real, rule).heldIds.sort());
    }
    expect(itemOf(dry, 'audit-log').count).toBe(expectedDryAuditRemoved);
  });

  it('anonymises persons who left or died, and keeps the statistics of past dates', async () => {
    const a = await personName(A.id);
    expect(a).toMatchObject({ official_name: 'Anonymisiert', first_names: `#${A.id.replace(/-/g, '').slice(0, 8)}`, ahvn13: null, date_of_birth: '1985-00-00', nationality: 'DE', sex: 'f' });
    expect(await personName(E.id)).toMatchObject({ official_name: 'Anonymisiert', date_of_birth: '1940-00-00' });
    const residence = await database.db.selectFrom('residences').select(['street', 'house_number', 'egid', 'municipality_bfs', 'arrival_date', 'departure_date']).where('person_id', '=', A.id).executeTakeFirstOrThrow();
    expect(residence).toEqual({ street: null, house_number: null, egid: null, municipality_bfs: 1061, arrival_date: '2012-01-01', departure_date: '2015-06-30' });
    expect(await database.db.selectFrom('person_relations').select('id').where('person_id', '=', A.id).execute()).toEqual([]);
    expect(await database.db.selectFrom('documents').select('id').where('id', '=', docA).execute()).toEqual([]);
    expect((await database.db.selectFrom('permits').select(['card_number', 'valid_from', 'ended_on']).where('person_id', '=', A.id).executeTakeFirstOrThrow())).toEqual({ card_number: null, valid_from: '2012-01-01', ended_on: '2015-06-30' });
    const payments = await sql<{ person_id: string; debtor_name: string | null; debtor_iban: string | null; remittance_text: string | null; amount_minor: number }>`
      SELECT i.person_id, p.debtor_name, p.debtor_iban, p.remittance_text, p.amount_minor FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.tenant_id = ${tenant.id}`.execute(database.db);
    // The payer's name and account go with the identity; the amount stays for the account.
    expect(payments.rows.find((p) => p.person_id === A.id)).toEqual({ person_id: A.id, debtor_name: null, debtor_iban: null, remittance_text: null, amount_minor: 9700 });
    expect(payments.rows.find((p) => p.person_id === B.id)).toMatchObject({ debtor_name: `${B.officialName} Zahlerin`, debtor_iban: 'CH9300762011623852957' });
    lead = await signIn(app, 'rt-lead');
    expect((await call(lead, 'GET', '/api/v1/statistics/foreign-population?date=2014-06-30')).json()).toEqual(statsBefore);
  });

  it('leaves held, recent and open records alone', async () => {
    for (const p of [B, C, D, F]) expect((await personName(p.id)).official_name).toBe(p.officialName);
    const left = await database.db.selectFrom('deposited_papers').select('id').where('tenant_id', '=', tenant.id).orderBy('receipt_number').execute();
    expect(left.map((row) => row.id)).toEqual([papers.B, papers.D]);
    const remaining = await database.db.selectFrom('notifications').select('id').where('tenant_id', '=', tenant.id).execute();
    expect(remaining.map((row) => row.id).sort()).toEqual([notes.recent, notes.unread, notes.heldCase].sort());
  });

  it('empties due case files but keeps the anonymous case for the statistics', async () => {
    for (const caseId of [ids.caseA, ids.caseC1]) {
      const events = await database.db.selectFrom('case_events').select(['kind', 'text']).where('case_id', '=', caseId).execute();
      expect(events).toEqual([{ kind: 'created', text: null }]);
      expect(await database.db.selectFrom('case_tasks').select('id').where('case_id', '=', caseId).execute()).toEqual([]);
      expect(await database.db.selectFrom('documents').select('id').where('case_id', '=', caseId).execute()).toEqual([]);
      const row = await database.db.selectFrom('cases').select(['fields', 'decision', 'phase', 'closed_at']).where('id', '=', caseId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ fields: {}, decision: { transition: 'finish', outcome: 'positive', decidedAt: '2015-06-01T10:00:00Z' }, phase: 'closed' });
    }
    for (const caseId of [ids.caseB, ids.caseC2, ids.caseF]) {
      expect((await database.db.selectFrom('case_events').select('kind').where('case_id', '=', caseId).execute()).length).toBe(3);
      expect((await database.db.selectFrom('documents').select('id').where('case_id', '=', caseId).execute()).length).toBe(1);
    }
  });

  it('removes old audit rows through checkpoints, and audit verify still passes, also against an earlier anchor', async () => {
    const checkpoints = await sql<{ chain: string }>`SELECT chain FROM audit_checkpoints`.execute(database.db);
    expect(checkpoints.rows.length).toBeGreaterThan(0);
    const result = await verifyAuditChain(database.db);
    expect(result.problems).toEqual([]);
    expect((await verifyAuditChain(database.db, 5000, anchor)).ok).toBe(true);
    // Rows about the held person survive.
    const aboutB = await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', B.id).execute();
    expect(aboutB.map((row) => row.action)).toContain('privacy.legal-hold-placed');
    const run = await database.db.selectFrom('audit_log').select(['action', 'actor_kind', 'details']).where('action', '=', 'retention.run').where('entity_id', '=', real.runId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ actor_kind: 'system', details: { dryRun: false, counts: { 'closed-cases': 2, 'departed-persons': 2 } } });
  });

  it('still refuses every other change to the audit log and its checkpoints', async () => {
    const row = await database.db.selectFrom('audit_log').select(['id', 'chain', 'seq', 'hash']).orderBy('id').executeTakeFirstOrThrow();
    await expect(sql`DELETE FROM audit_log WHERE id = ${row.id}`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`INSERT INTO audit_checkpoints (chain, seq, hash) VALUES (${row.chain}, ${row.seq}, ${row.hash}) ON CONFLICT (chain) DO UPDATE SET seq = EXCLUDED.seq`.execute(database.db)).rejects.toThrow(/retention job/);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('mf.audit_retention', 'on', true)`.execute(trx);
        await sql`INSERT INTO audit_checkpoints (chain, seq, hash) VALUES ('made-up', 5, 'abc')`.execute(trx);
      }),
    ).rejects.toThrow(/existing row/);
    await expect(sql`DELETE FROM audit_checkpoints`.execute(database.db)).rejects.toThrow(/retention job/);
  });

  it('does nothing twice: a second run finds nothing left under the record rules', async () => {
    const again = (await runRetention(database.db, { asOf: AS_OF, dryRun: false, triggeredBy: 'test', tenantSlug: tenant.slug }))[0]!;
    for (const rule of ['closed-cases', 'returned-papers', 'read-notifications', 'departed-persons']) expect(itemOf(again, rule).count).toBe(0);
    expect(itemOf(again, 'departed-persons').heldIds).toEqual([B.id]);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    // The daily scheduler's once-a-day guard.
    const daily = (await runRetention(database.db, { asOf: AS_OF, dryRun: false, triggeredBy: 'test', tenantSlug: tenant.slug, oncePerDay: true }))[0]!;
    expect(daily.status).toBe('done-today');
  });

  it('lifting a hold lets the next run act', async () => {
    lead = await signIn(app, 'rt-lead');
    expect((await call(lead, 'DELETE', `/api/v1/persons/${B.id}/legal-hold`)).statusCode).toBe(204);
    const next = (await runRetention(database.db, { asOf: AS_OF, dryRun: false, triggeredBy: 'test', tenantSlug: tenant.slug }))[0]!;
    expect(itemOf(next, 'departed-persons').ids).toEqual([B.id]);
    expect(itemOf(next, 'returned-papers').ids).toEqual([papers.B]);
    expect((await personName(B.id)).official_name).toBe('Anonymisiert');
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('serves the runs and the rules to auditors, with ids and counts but no names', async () => {
    auditor = await signIn(app, 'rt-auditor');
    const rules = await call(auditor, 'GET', '/api/v1/retention/rules');
    expect(rules.statusCode).toBe(200);
    expect(rules.json()).toMatchObject({ catalogue: 'ch', rules: expect.arrayContaining([expect.objectContaining({ kind: 'closed-case', action: 'purge', period: { years: 10, months: 0, days: 0 } })]) });
    const list = await call(auditor, 'GET', '/api/v1/retention/runs');
    expect(list.statusCode).toBe(200);
    const runs = list.json<{ id: string; dryRun: boolean; totals: { rule: string; count: number; held: number }[] }[]>();
    expect(runs.length).toBe(4);
    expect(runs.find((r) => r.id === real.runId)?.totals).toEqual(expect.arrayContaining([{ rule: 'departed-persons', kind: 'departed-person', action: 'anonymise', count: 2, held: 1 }]));
    const one = await call(auditor, 'GET', `/api/v1/retention/runs/${real.runId ?? ''}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain(A.id);
    for (const name of ['Ausgezogen', 'Verstorben', 'Gesperrt', 'Anna']) expect(one.body).not.toContain(name);
    expect((await call(auditor, 'GET', `/api/v1/retention/runs/${randomUUID()}`)).statusCode).toBe(404);
    expect((await call(auditor, 'POST', `/api/v1/persons/${C.id}/legal-hold`, { reason: 'nicht erlaubt' })).statusCode).toBe(403);
  });
});
