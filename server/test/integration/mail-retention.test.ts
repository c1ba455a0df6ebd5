import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention, type RunOutcome } from '../../src/modules/privacy/index.js';
import type { Database } from '../../src/platform/db/database.js';
import { inTransaction } from '../../src/platform/db/transaction.js';
import { queueMail } from '../../src/platform/mail/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { createTenant } from '../support/fixtures.js';

/** Mails hold names, addresses and links: retention deletes sent and given-up ones after 90 days (rule sent-mails); queued ones stay. */
describe.each(DATABASE_KINDS)('retention of sent mails on %s', (kind) => {
  let database: Database;
  let real: RunOutcome;
  const ids: Record<'oldSent' | 'recentSent' | 'oldFailed' | 'oldQueued', string> = { oldSent: '', recentSent: '', oldFailed: '', oldQueued: '' };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const office = await createTenant(database.db, 'office-mail-retention');
    const mail = (subject: string) => ({ tenantId: office.id, to: 'anna.muster@example.org', toName: 'Anna Muster', subject, text: 'Ihr Termin', purpose: 'appointment' as const });
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) ids[key] = await inTransaction(database.db, (trx) => queueMail(trx, mail(key)));
    const set = async (id: string, status: string, at: string) => {
      await sql`UPDATE mail_outbox SET status = ${status}, created_at = ${at}::timestamptz, last_attempt_at = ${at}::timestamptz, sent_at = ${status === 'sent' ? at : null}::timestamptz WHERE id = ${id}::uuid`.execute(database.db);
    };
    await set(ids.oldSent, 'sent', '2029-06-01T08:00:00Z');
    await set(ids.recentSent, 'sent', '2029-12-20T08:00:00Z');
    await set(ids.oldFailed, 'failed', '2029-06-01T08:00:00Z');
    await sql`UPDATE mail_outbox SET created_at = '2029-06-01T08:00:00Z' WHERE id = ${ids.oldQueued}::uuid`.execute(database.db);
    real = (await runRetention(database.db, { asOf: '2030-01-01', dryRun: false, triggeredBy: 'test', tenantSlug: office.slug }))[0]!;
  });

  afterAll(async () => {
    await database?.close();
  });

  it('deletes mails sent or given up more than 90 days ago, and keeps recent and undelivered ones', async () => {
    const item = real.report!.items.find((i) => i.rule === 'sent-mails')!;
    expect(item).toMatchObject({ kind: 'sent-mail', action: 'delete', cutoff: '2029-10-03' });
    expect([...item.ids].sort()).toEqual([ids.oldSent, ids.oldFailed].sort());
    const left = await sql<{ id: string }>`SELECT id FROM mail_outbox ORDER BY id`.execute(database.db);
    expect(left.rows.map((r) => r.id).sort()).toEqual([ids.recentSent, ids.oldQueued].sort());
  });
});
