import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.js';
import { createHash } from 'node:crypto';
import { appendAudit, auditAnchor, auditHashInput, GENESIS_HASH, verifyAuditChain } from '../../src/platform/audit/audit.js';
import { inTransaction } from '../../src/platform/db/transaction.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { createTenant } from '../support/fixtures.js';

/** Tampering needs the append-only trigger out of the way, as an attacker with table rights would do. */
async function tamper(database: Database, ...statements: ReturnType<typeof sql>[]): Promise<void> {
  await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(database.db);
  for (const statement of statements) await statement.execute(database.db);
  await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(database.db);
}

describe.each(DATABASE_KINDS)('audit chain on %s', (kind) => {
  let database: Database;
  let ids: number[];

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    const tenant = await createTenant(database.db, 'office-a');
    for (let i = 0; i < 24; i++) {
      await inTransaction(database.db, (trx) =>
        appendAudit(trx, { tenantId: tenant.id, actorId: null, actorKind: 'system', actorName: 'test', requestId: `req-${i}` }, { action: 'person.read', entityType: 'person', entityId: `p-${i}`, details: { i, name: 'Müller' } }),
      );
    }
    ids = (await database.db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((row) => row.id);
  });
  afterEach(async () => {
    await database?.close();
  });

  it('verifies an untouched log', async () => {
    const result = await verifyAuditChain(database.db, 7);
    expect(result).toMatchObject({ ok: true, rowsChecked: 24, problems: [] });
    expect(result.chains).toBeGreaterThan(1);
  });

  it('refuses updates, deletes and truncation of audit rows', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x' WHERE id = ${ids[0]}`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE id = ${ids[0]}`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('names the first changed row', async () => {
    const target = ids[10]!;
    await tamper(database, sql`UPDATE audit_log SET details = '{"i": 10, "name": "Meier"}' WHERE id = ${target}`);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ id: target, reason: expect.stringContaining('changed') });
  });

  it('detects a deleted row in the middle', async () => {
    const rows = await database.db.selectFrom('audit_log').select(['id', 'chain', 'seq']).orderBy('id').execute();
    // A row that has a successor in its own chain.
    const target = rows.find((row) => rows.some((later) => later.chain === row.chain && later.seq === row.seq + 1))!;
    await tamper(database, sql`DELETE FROM audit_log WHERE id = ${target.id}`);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    const successor = rows.find((row) => row.chain === target.chain && row.seq === target.seq + 1)!;
    expect(result.problems.find((p) => p.chain === target.chain)).toMatchObject({ id: successor.id, seq: target.seq + 1, reason: expect.stringContaining('missing') });
  });

  it('detects reordered rows', async () => {
    const rows = await database.db.selectFrom('audit_log').select(['id', 'chain', 'seq']).orderBy('id').execute();
    const chain = rows[0]!.chain;
    const [first, second] = rows.filter((r) => r.chain === chain);
    // Swap the positions of two events in their chain.
    await tamper(
      database,
      sql`UPDATE audit_log SET seq = -1 WHERE id = ${first!.id}`,
      sql`UPDATE audit_log SET seq = ${first!.seq} WHERE id = ${second!.id}`,
      sql`UPDATE audit_log SET seq = ${second!.seq} WHERE id = ${first!.id}`,
    );
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.problems.find((p) => p.chain === chain)).toMatchObject({ id: first!.id, reason: expect.stringContaining('reordered') });
  });

  it('detects a removed tail through the chain head', async () => {
    const last = ids[ids.length - 1]!;
    await tamper(database, sql`DELETE FROM audit_log WHERE id = ${last}`);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.problems.some((p) => p.reason.includes('at the end'))).toBe(true);
  });

  it('detects through the anchor a tail removed together with its chain head', async () => {
    const anchor = await auditAnchor(database.db);
    const last = (await database.db.selectFrom('audit_log').select(['id', 'chain', 'seq', 'prev_hash']).orderBy('id', 'desc').executeTakeFirstOrThrow());
    // A careful attacker also rewinds the head, so the chain alone looks whole.
    await tamper(database, sql`DELETE FROM audit_log WHERE id = ${last.id}`, sql`UPDATE audit_chain_heads SET seq = ${last.seq - 1}, hash = ${last.prev_hash} WHERE chain = ${last.chain}`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    const result = await verifyAuditChain(database.db, 5000, anchor);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ chain: last.chain, reason: expect.stringContaining('rows removed') })]);
  });

  it('detects through the anchor a chain recomputed after a change', async () => {
    const anchor = await auditAnchor(database.db);
    const chain = (await database.db.selectFrom('audit_log').select('chain').orderBy('id').executeTakeFirstOrThrow()).chain;
    const rows = await sql<{ id: number; chain: string; seq: number; occurred_us: string; tenant_id: string | null; actor_id: string | null; actor_kind: string; actor_name: string | null; action: string; entity_type: string | null; entity_id: string | null; request_id: string | null; details_text: string }>`
      SELECT id, chain, seq, ((extract(epoch FROM occurred_at) * 1000000)::bigint)::text AS occurred_us, tenant_id::text AS tenant_id, actor_id::text AS actor_id,
             actor_kind, actor_name, action, entity_type, entity_id, request_id, details::text AS details_text
        FROM audit_log WHERE chain = ${chain} ORDER BY seq`.execute(database.db);
    // Change the first row, then recompute every hash after it so that the chain is consistent again.
    const statements = [];
    let previous = GENESIS_HASH;
    for (const [index, row] of rows.rows.entries()) {
      const details = index === 0 ? '{"i": 0, "name": "Meier"}' : row.details_text;
      const hash = createHash('sha256').update(auditHashInput(previous, { ...row, details_text: details }), 'utf8').digest('hex');
      statements.push(sql`UPDATE audit_log SET details = ${details}::jsonb, prev_hash = ${previous}, hash = ${hash} WHERE id = ${row.id}`);
      previous = hash;
    }
    statements.push(sql`UPDATE audit_chain_heads SET hash = ${previous} WHERE chain = ${chain}`);
    await tamper(database, ...statements);
    const alone = await verifyAuditChain(database.db);
    expect(alone.ok).toBe(true);
    const result = await verifyAuditChain(database.db, 5000, anchor);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ chain, reason: expect.stringContaining('differs from the anchor') });
  });
});
