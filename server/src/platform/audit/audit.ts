import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Db, Trx } from '../db/transaction.js';

export const GENESIS_HASH = '0'.repeat(64);

// Rows of one tenant are spread over a few chains so that audited requests need not queue on one head row.
const CHAINS_PER_TENANT = 4;

export interface AuditEntry {
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditSubject {
  tenantId: string | null;
  actorId: string | null;
  actorKind: 'user' | 'token' | 'system' | 'anonymous';
  actorName: string | null;
  requestId: string | null;
}

export function subjectOf(actor: Actor, requestId: string): AuditSubject {
  return { tenantId: actor.tenantId, actorId: actor.kind === 'system' ? null : actor.id, actorKind: actor.kind, actorName: actor.name, requestId };
}

function chainFor(subject: AuditSubject): string {
  if (!subject.tenantId) return 'system';
  const key = subject.requestId ?? subject.actorId ?? '';
  const shard = createHash('sha1').update(key).digest()[0]! % CHAINS_PER_TENANT;
  return `${subject.tenantId}:${shard}`;
}

export interface AppendOptions {
  /**
   * The row records a pure read, in a statement or transaction that writes nothing else. Its
   * commit then does not wait for the WAL flush (synchronous_commit off for this transaction
   * only): 3× the throughput of audited list reads. A crash of the database server can lose the
   * read records of its last fraction of a second (wal_writer_delay × 3); the chain stays whole,
   * and audit rows of changes stay as durable as the changes.
   */
  read?: boolean;
}

/** Appends an audit row inside the caller's transaction, so it commits or rolls back with the change. */
export async function appendAudit(trx: Trx | Db, subject: AuditSubject, entry: AuditEntry, options: AppendOptions = {}): Promise<void> {
  await sql`SELECT ${auditAppendColumns(subject, { ...entry, details: sql`${JSON.stringify(entry.details ?? {})}::jsonb` }, options)}`.execute(trx);
}

/**
 * Appends many audit rows in one statement, in the order given, inside the caller's transaction
 * (a run of exchange messages): one round trip, and the chain heads are taken only at the end of
 * the run's work rather than held through it.
 */
export async function appendAuditMany(trx: Trx, rows: readonly { subject: AuditSubject; entry: AuditEntry }[]): Promise<void> {
  // A statement carries at most 65,535 parameters (11 per row): large batches go in slices, in order.
  for (let start = 0; start < rows.length; start += AUDIT_ROWS_PER_STATEMENT) {
    const values = rows.slice(start, start + AUDIT_ROWS_PER_STATEMENT).map(({ subject, entry }, index) =>
      // The position is typed: as text, 10 would sort before 2 and the chain would not follow the given order.
      sql`(${index}::integer, ${chainFor(subject)}, ${subject.tenantId}::uuid, ${subject.actorId}::uuid, ${subject.actorKind}, ${subject.actorName}, ${entry.action}, ${entry.entityType ?? null}, ${entry.entityId ?? null}, ${subject.requestId}, ${JSON.stringify(entry.details ?? {})}::jsonb)`,
    );
    await sql`SELECT audit_append(chain, tenant, actor_id, actor_kind, actor_name, action, entity_type, entity_id, request_id, details)
      FROM (VALUES ${sql.join(values)}) AS v(position, chain, tenant, actor_id, actor_kind, actor_name, action, entity_type, entity_id, request_id, details)
      ORDER BY position`.execute(trx);
  }
}

const AUDIT_ROWS_PER_STATEMENT = 5_000;

/**
 * The audit append as the select list of a query (`audit_id`, and for reads the setting that
 * relaxes the commit): lets a read write its audit row in the same statement as the query, one
 * round trip, with `details` referring to the query's own rows.
 */
export function auditAppendColumns(subject: AuditSubject, entry: Omit<AuditEntry, 'details'> & { details: RawBuilder<unknown> }, options: AppendOptions = {}): RawBuilder<unknown> {
  const relaxed = options.read === true ? sql`set_config('synchronous_commit', 'off', true) AS relaxed_commit, ` : sql``;
  return sql`${relaxed}audit_append(
    ${chainFor(subject)}, ${subject.tenantId}::uuid, ${subject.actorId}::uuid, ${subject.actorKind}, ${subject.actorName},
    ${entry.action}, ${entry.entityType ?? null}, ${entry.entityId ?? null}, ${subject.requestId}, ${entry.details}) AS audit_id`;
}

export interface AuditProblem {
  id: number;
  chain: string;
  seq: number;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  rowsChecked: number;
  chains: number;
  /** The first bad row of each broken chain, in id order. */
  problems: AuditProblem[];
}

interface VerifyRow {
  id: number;
  chain: string;
  seq: number;
  occurred_us: string;
  tenant_id: string | null;
  actor_id: string | null;
  actor_kind: string;
  actor_name: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  request_id: string | null;
  details_text: string;
  prev_hash: string;
  hash: string;
}

/** The exact string the database function `audit_hash_input` builds; the two must never differ. */
export function auditHashInput(prevHash: string, row: Omit<VerifyRow, 'id' | 'prev_hash' | 'hash'>): string {
  return [
    prevHash,
    row.chain,
    String(row.seq),
    row.occurred_us,
    row.tenant_id ?? '',
    row.actor_id ?? '',
    row.actor_kind,
    row.actor_name ?? '',
    row.action,
    row.entity_type ?? '',
    row.entity_id ?? '',
    row.request_id ?? '',
    row.details_text,
  ].join('\u001f');
}

/**
 * The heads of all chains at a moment. Written daily to a place the database's administrators
 * cannot rewrite (another machine, write-once storage), it lets `verify` notice what the chain
 * alone cannot: a tail removed together with its head, or a whole chain recomputed after a change.
 */
export interface AuditAnchor {
  at: string;
  chains: Record<string, { seq: number; hash: string }>;
}

export async function auditAnchor(db: Db): Promise<AuditAnchor> {
  const heads = await db.selectFrom('audit_chain_heads').select(['chain', 'seq', 'hash']).orderBy('chain').execute();
  return { at: new Date().toISOString(), chains: Object.fromEntries(heads.map((head) => [head.chain, { seq: Number(head.seq), hash: head.hash }])) };
}

/** Where retention let each chain begin: the sequence and hash of the last row it removed. */
export async function auditCheckpoints(db: Db): Promise<{ chain: string; seq: number; hash: string }[]> {
  const result = await sql<{ chain: string; seq: string; hash: string }>`SELECT chain, seq::text AS seq, hash FROM audit_checkpoints ORDER BY chain`.execute(db);
  return result.rows.map((row) => ({ chain: row.chain, seq: Number(row.seq), hash: row.hash }));
}

/**
 * Recomputes every chain in Node.js (not in SQL, so a tampered database function cannot hide
 * tampering) and reports the first bad row of each chain: a changed row (hash mismatch), a
 * removed or reordered row (sequence gap or broken link), or a removed tail (head ahead of rows).
 */
export async function verifyAuditChain(db: Db, batchSize = 5000, anchor: AuditAnchor | null = null): Promise<VerifyResult> {
  const heads = await db.selectFrom('audit_chain_heads').select(['chain', 'seq', 'hash']).execute();
  const state = new Map<string, { seq: number; hash: string; broken: boolean }>();
  const problems: AuditProblem[] = [];
  // Retention removes the oldest rows of a chain only behind a checkpoint (migration 0009): the
  // chain then begins at the checkpoint's sequence and hash instead of at the genesis hash.
  const checkpoints = await auditCheckpoints(db);
  for (const checkpoint of checkpoints) state.set(checkpoint.chain, { seq: checkpoint.seq, hash: checkpoint.hash, broken: false });
  let rowsChecked = 0;
  let lastId = 0;
  for (;;) {
    const result = await sql<VerifyRow>`
      SELECT id, chain, seq, ((extract(epoch FROM occurred_at) * 1000000)::bigint)::text AS occurred_us,
             tenant_id::text AS tenant_id, actor_id::text AS actor_id, actor_kind, actor_name, action,
             entity_type, entity_id, request_id, details::text AS details_text, prev_hash, hash
      FROM audit_log WHERE id > ${lastId} ORDER BY id LIMIT ${batchSize}`.execute(db);
    if (result.rows.length === 0) break;
    for (const row of result.rows) {
      rowsChecked++;
      lastId = row.id;
      const chain = state.get(row.chain) ?? { seq: 0, hash: GENESIS_HASH, broken: false };
      state.set(row.chain, chain);
      if (chain.broken) continue;
      const fail = (reason: string) => {
        chain.broken = true;
        problems.push({ id: row.id, chain: row.chain, seq: row.seq, reason });
      };
      if (row.seq !== chain.seq + 1) {
        fail(
          row.seq <= chain.seq
            ? `rows reordered: sequence ${row.seq} comes after ${chain.seq}`
            : `rows missing or reordered before this one: sequence jumps from ${chain.seq} to ${row.seq}`,
        );
        continue;
      }
      if (row.prev_hash !== chain.hash) {
        fail('link broken: the previous-hash field does not match the row before it');
        continue;
      }
      const expected = createHash('sha256').update(auditHashInput(chain.hash, row), 'utf8').digest('hex');
      if (expected !== row.hash) {
        fail('row changed: its content does not match its hash');
        continue;
      }
      const anchored = anchor?.chains[row.chain];
      if (anchored && anchored.seq === row.seq && anchored.hash !== row.hash) {
        fail(`differs from the anchor of ${anchor.at}: the chain was rewritten up to here`);
        continue;
      }
      chain.seq = row.seq;
      chain.hash = row.hash;
    }
  }
  for (const [name, anchored] of Object.entries(anchor?.chains ?? {})) {
    const chain = state.get(name);
    if (chain?.broken) continue;
    // An anchored row that retention removed can still be compared: the checkpoint kept its hash.
    const checkpoint = checkpoints.find((c) => c.chain === name);
    if (checkpoint && checkpoint.seq === anchored.seq && checkpoint.hash !== anchored.hash) {
      problems.push({ id: 0, chain: name, seq: anchored.seq, reason: `the retention checkpoint differs from the anchor of ${anchor?.at ?? ''}: the chain was rewritten up to here` });
      continue;
    }
    const seenSeq = chain?.seq ?? 0;
    if (seenSeq < anchored.seq) {
      problems.push({ id: lastId, chain: name, seq: seenSeq + 1, reason: `rows removed: the anchor of ${anchor?.at ?? ''} has sequence ${anchored.seq}, the log ends at ${seenSeq}` });
    }
  }
  for (const head of heads) {
    const chain = state.get(head.chain);
    if (chain?.broken) continue;
    const seenSeq = chain?.seq ?? 0;
    if (head.seq !== seenSeq || (seenSeq > 0 && head.hash !== chain?.hash)) {
      problems.push({ id: lastId, chain: head.chain, seq: seenSeq + 1, reason: `rows missing at the end: the chain head is at sequence ${head.seq}, the last row found is ${seenSeq}` });
    }
  }
  problems.sort((a, b) => a.id - b.id);
  return { ok: problems.length === 0, rowsChecked, chains: state.size, problems };
}
