import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, KRIENS, LUZERN, person, signIn, type Session, type TestTenant } from '../support/fixtures.js';
import { parseCsv } from '../support/csv.js';
import type { AuditItem } from '../../src/modules/access/audit-viewer.js';
import type { VerifyResult } from '../../src/platform/audit/audit.js';

// The API's own item type; the tests read into `details`.
type Item = AuditItem & { details: Record<string, unknown> };
interface Page {
  items: Item[];
  nextCursor: string | null;
}

describe.each(DATABASE_KINDS)("the auditor's viewer on %s", (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let a: TestTenant;
  let b: TestTenant;
  let worker: Session;
  let auditor: Session;
  let auditorB: Session;
  let workerB: Session;
  let workerId: string;
  let workerBId: string;
  const p1 = person('', 'Müller', 'Hans', LUZERN);
  const p2 = person('', 'Kovačević', 'Ivana', KRIENS);
  const pb = person('', 'Müller', 'Other Office', LUZERN);
  let between = '';

  async function get(session: Session, url: string): Promise<LightMyRequestResponse> {
    return app.inject({ method: 'GET', url, headers: { cookie: session.cookie, 'accept-language': 'en' } });
  }

  async function page(session: Session, query: Record<string, string | number>): Promise<Page> {
    const response = await get(session, `/api/v1/audit?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Page>();
  }

  async function allPages(session: Session, query: Record<string, string | number>, limit: number): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 1000; guard++) {
      const next: Page = await page(session, { ...query, limit, ...(cursor ? { cursor } : {}) });
      expect(next.items.length).toBeLessThanOrEqual(limit);
      items.push(...next.items);
      cursor = next.nextCursor;
      if (cursor === null) return items;
    }
    throw new Error('no last page');
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    a = await createTenant(database.db, 'office-audit-a');
    b = await createTenant(database.db, 'office-audit-b');
    await addPersons(database.db, [{ ...p1, tenantId: a.id }, { ...p2, tenantId: a.id }, { ...pb, tenantId: b.id }]);
    workerId = await createTestUser(database.db, a, 'av-worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, a, 'av-auditor', 'auditor');
    workerBId = await createTestUser(database.db, b, 'av-worker-b', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, b, 'av-auditor-b', 'auditor');
    worker = await signIn(app, 'av-worker');
    workerB = await signIn(app, 'av-worker-b');

    // Real requests write the rows the viewer must find.
    expect((await get(worker, `/api/v1/persons/${p1.id}`)).statusCode).toBe(200);
    expect((await get(worker, `/api/v1/persons/${p1.id}/history`)).statusCode).toBe(200);
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await get(worker, `/api/v1/persons/${p2.id}`)).statusCode).toBe(200);
    expect((await get(worker, `/api/v1/persons?q=${encodeURIComponent('Müller')}`)).statusCode).toBe(200);
    expect((await get(worker, `/api/v1/persons/${p1.id}/permits`)).statusCode).toBe(200);
    expect((await get(workerB, `/api/v1/persons/${pb.id}`)).statusCode).toBe(200);
    expect((await get(workerB, `/api/v1/persons?q=${encodeURIComponent('Müller')}`)).statusCode).toBe(200);

    auditor = await signIn(app, 'av-auditor');
    auditorB = await signIn(app, 'av-auditor-b');
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("finds a person's trail: their file, history, permits, and the search that listed them", async () => {
    const { items } = await page(auditor, { person: p1.id });
    const actions = items.map((item) => item.action).sort();
    expect(actions).toEqual(['permit.list', 'person.read', 'person.read-history', 'person.search']);
    expect(items.every((item) => item.actorName === 'av-worker')).toBe(true);
    const other = await page(auditor, { person: p2.id });
    expect(other.items.map((item) => item.action).sort()).toEqual(['person.read']);
  });

  it('filters by user id or user name, by exact action or prefix, and by time', async () => {
    const byId = await page(auditor, { user: workerId, limit: 200 });
    const byName = await page(auditor, { user: 'AV-Worker', limit: 200 });
    expect(byId.items.length).toBeGreaterThanOrEqual(6);
    expect(byName.items.map((item) => item.id)).toEqual(byId.items.map((item) => item.id));
    expect(byId.items.every((item) => item.actorId === workerId)).toBe(true);

    const exact = await page(auditor, { action: 'person.read', user: workerId });
    expect(exact.items.map((item) => item.entityId).sort()).toEqual([p1.id, p2.id].sort());
    const prefix = await page(auditor, { action: 'person.', user: workerId });
    expect(new Set(prefix.items.map((item) => item.action))).toEqual(new Set(['person.read', 'person.read-history', 'person.search']));
    expect((await page(auditor, { action: 'person_read' })).items).toEqual([]); // "_" is no wildcard
    const logins = await page(auditor, { action: 'auth.login' });
    expect(logins.items.map((item) => item.actorName).sort()).toEqual(['av-auditor', 'av-worker']);

    const before = await page(auditor, { user: workerId, to: between });
    expect(before.items.map((item) => item.action).sort()).toEqual(['auth.login', 'person.read', 'person.read-history']);
    const after = await page(auditor, { user: workerId, from: between });
    expect(after.items.length + before.items.length).toBe(byId.items.length);
    expect(after.items.every((item) => item.occurredAt >= between.replace('Z', '000Z'))).toBe(true);
  });

  it('pages with the cursor without overlap or gap, newest first', async () => {
    const whole = await page(auditor, { user: workerId, limit: 200 });
    for (const limit of [1, 2, 3]) {
      const paged = await allPages(auditor, { user: workerId }, limit);
      expect(paged.map((item) => item.id)).toEqual(whole.items.map((item) => item.id));
    }
    for (let i = 1; i < whole.items.length; i++) {
      const [newer, older] = [whole.items[i - 1]!, whole.items[i]!];
      expect(newer.occurredAt > older.occurredAt || (newer.occurredAt === older.occurredAt && newer.id > older.id)).toBe(true);
    }
  });

  it('breaks ties of the same instant by id', async () => {
    // Rows written in one instant (a bulk job) must still page without loss: the cursor carries the id.
    const tenant = await createTenant(database.db, 'office-audit-ties');
    await createTestUser(database.db, tenant, 'av-auditor-t', 'auditor');
    const at = '2020-01-01T00:00:00.123456Z';
    for (let seq = 1; seq <= 7; seq++) {
      await sql`INSERT INTO audit_log (chain, seq, occurred_at, tenant_id, actor_kind, actor_name, action, details, prev_hash, hash)
        VALUES ('tie-test', ${seq}, ${at}::timestamptz, ${tenant.id}::uuid, 'system', 'bulk', 'test.tie', '{}', '', '')`.execute(database.db);
    }
    const auditorT = await signIn(app, 'av-auditor-t');
    const paged = await allPages(auditorT, { action: 'test.tie' }, 3);
    expect(paged).toHaveLength(7);
    expect(paged.map((item) => item.id)).toEqual([...paged.map((item) => item.id)].sort((x, y) => y - x));
    expect(paged.every((item) => item.occurredAt === at)).toBe(true);
    const byName = await page(auditorT, { user: 'bulk' });
    expect(byName.items).toHaveLength(7);
  });

  it('exports CSV that parses back to the same rows, and JSON and NDJSON alike', async () => {
    const whole = await page(auditor, { user: workerId, limit: 200 });
    const csv = await get(auditor, `/api/v1/audit/export?format=csv&user=${workerId}`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(csv.headers['content-disposition'])).toMatch(/^attachment; filename="audit-office-audit-a-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...records] = parseCsv(csv.body.replace(/^\uFEFF/, ''));
    expect(header).toEqual(['id', 'occurredAt', 'chain', 'seq', 'actorKind', 'actorId', 'actorName', 'action', 'entityType', 'entityId', 'requestId', 'details', 'hash']);
    const fromCsv = records.map((record) => Object.fromEntries(header!.map((column, i) => [column, record[i] ?? ''])));
    expect(fromCsv).toEqual(
      whole.items.map((item) => ({
        id: String(item.id),
        occurredAt: item.occurredAt,
        chain: item.chain,
        seq: String(item.seq),
        actorKind: item.actorKind,
        actorId: item.actorId ?? '',
        actorName: item.actorName ?? '',
        action: item.action,
        entityType: item.entityType ?? '',
        entityId: item.entityId ?? '',
        requestId: item.requestId ?? '',
        details: JSON.stringify(item.details),
        hash: item.hash,
      })),
    );
    // The search row's details hold the typed query with its umlaut: UTF-8 survives.
    expect(csv.body).toContain('Müller');

    const json = await get(auditor, `/api/v1/audit/export?format=json&user=${workerId}`);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.json()).toEqual(whole.items);
    const ndjson = await get(auditor, `/api/v1/audit/export?format=ndjson&user=${workerId}`);
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(ndjson.body.trimEnd().split('\n').map((line) => JSON.parse(line) as Item)).toEqual(whole.items);
    const none = await get(auditor, `/api/v1/audit/export?format=json&action=no.such.action`);
    expect(none.json()).toEqual([]);
  });

  it('exports more rows than one batch, in order and complete', async () => {
    const tenant = await createTenant(database.db, 'office-audit-bulk');
    await createTestUser(database.db, tenant, 'av-auditor-bulk', 'auditor');
    await sql`INSERT INTO audit_log (chain, seq, occurred_at, tenant_id, actor_kind, actor_name, action, details, prev_hash, hash)
      SELECT 'bulk-test', g, timestamptz '2021-01-01' + g * interval '1 second', ${tenant.id}::uuid, 'system', 'bulk', 'test.bulk',
             jsonb_build_object('n', g, 'text', 'a,"b"' || chr(10) || 'c'), '', ''
      FROM generate_series(1, 2345) g`.execute(database.db);
    const session = await signIn(app, 'av-auditor-bulk');
    const csv = await get(session, '/api/v1/audit/export?action=test.bulk');
    const [, ...records] = parseCsv(csv.body.replace(/^\uFEFF/, ''));
    expect(records).toHaveLength(2345);
    expect(records.map((record) => (JSON.parse(record[11]!) as { n: number }).n)).toEqual(Array.from({ length: 2345 }, (_, i) => 2345 - i));
    expect(JSON.parse(records[0]![11]!)).toEqual({ n: 2345, text: 'a,"b"\nc' });
  });

  it('audits reading and exporting, with the filters', async () => {
    await page(auditor, { person: p2.id, action: 'person.' });
    await get(auditor, `/api/v1/audit/export?format=ndjson&user=${workerId}`);
    const reads = await page(auditor, { action: 'audit.read', person: p2.id });
    expect(reads.items[0]?.details).toMatchObject({ filter: { person: p2.id, action: 'person.' }, page: false });
    expect(reads.items[0]?.entityType).toBe('person');
    const exports = await page(auditor, { action: 'audit.export' });
    expect(exports.items[0]?.details).toMatchObject({ filter: { user: workerId }, format: 'ndjson' });
    expect(exports.items[0]?.actorName).toBe('av-auditor');
  });

  it("never shows another office's rows", async () => {
    const everything = await allPages(auditor, {}, 200);
    expect(everything.length).toBeGreaterThan(10);
    const foreign = [pb.id, workerBId, b.id];
    for (const item of everything) {
      expect(item.actorId).not.toBe(workerBId);
      expect(JSON.stringify(item)).not.toContain(pb.id);
      expect(item.chain.startsWith(`${a.id}:`) || item.chain === 'system').toBe(true);
    }
    const exported = await get(auditor, '/api/v1/audit/export?format=json');
    for (const id of foreign) expect(exported.body.includes(id), id).toBe(false);
    // Asking for them finds nothing (these reads are recorded in this office's log, naming what was asked).
    expect((await page(auditor, { person: pb.id })).items).toEqual([]);
    expect((await page(auditor, { user: workerBId })).items).toEqual([]);
    expect((await page(auditor, { user: 'av-worker-b' })).items).toEqual([]);
    // And the other office's auditor sees its own rows only.
    const theirs = await allPages(auditorB, {}, 200);
    expect(theirs.some((item) => item.entityId === pb.id)).toBe(true);
    expect(theirs.every((item) => item.actorId !== workerId)).toBe(true);
  });

  it('refuses caseworkers and bad input with problems', async () => {
    for (const url of ['/api/v1/audit', '/api/v1/audit/export?format=csv', '/api/v1/audit/verify']) {
      const response = await get(worker, url);
      expect(response.statusCode, url).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const badCursor = await get(auditor, '/api/v1/audit?cursor=bm90LWEtY3Vyc29y');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json<{ code: string }>().code).toBe('invalid-cursor');
    const reversed = await get(auditor, '/api/v1/audit?from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('to');
    expect((await get(auditor, '/api/v1/audit?from=yesterday')).statusCode).toBe(400);
    expect((await get(auditor, '/api/v1/audit?limit=201')).statusCode).toBe(400);
    expect((await get(auditor, '/api/v1/audit?person=nope')).statusCode).toBe(400);
    expect((await get(auditor, '/api/v1/audit/export?format=xlsx')).statusCode).toBe(400);
  });

  it("verifies the office's chains, and names the row an attacker changed", async () => {
    const own = await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', a.id).executeTakeFirstOrThrow();
    const intact = await get(auditor, '/api/v1/audit/verify');
    expect(intact.statusCode, intact.body).toBe(200);
    const status = intact.json<VerifyResult>();
    expect(status).toMatchObject({ ok: true, problems: [] });
    const heads = await database.db.selectFrom('audit_chain_heads').select('chain').where('chain', 'like', `${a.id}:%`).execute();
    expect(status.chains).toBe(heads.length);
    // Row-level security limits the verification to this office's rows: nothing about others, not even their number.
    expect(status.rowsChecked).toBe(Number(own.n));

    const target = await database.db.selectFrom('audit_log').select(['id', 'chain', 'seq']).where('tenant_id', '=', a.id).where('action', '=', 'person.read-history').executeTakeFirstOrThrow();
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(database.db);
    await sql`UPDATE audit_log SET details = '{"forged": true}' WHERE id = ${target.id}`.execute(database.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(database.db);

    const broken = (await get(auditor, '/api/v1/audit/verify')).json<VerifyResult>();
    expect(broken.ok).toBe(false);
    expect(broken.problems).toEqual([expect.objectContaining({ id: target.id, chain: target.chain, seq: target.seq })]);
    // The other office's chains are its own business, and intact.
    const theirs = (await get(auditorB, '/api/v1/audit/verify')).json<VerifyResult>();
    expect(theirs).toMatchObject({ ok: true, problems: [] });
  });
});
