import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { runRetention, type RunOutcome } from '../../src/modules/privacy/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, createTenant, LUZERN, person } from '../support/fixtures.js';
import type { ExchangeTables, InboxStatus, OutboxStatus } from '../../src/modules/exchange/repository.js';
import type { PrivacyTables } from '../../src/modules/privacy/repository.js';

/** Exchange messages keep personal data in their bytes: retention deletes settled ones after two years (catalogue rule exchange-messages). */
describe.each(DATABASE_KINDS)('retention of exchange messages on %s', (kind) => {
  let database: Database;
  let dry: RunOutcome;
  let real: RunOutcome;
  const id = { oldApplied: randomUUID(), recentApplied: randomUUID(), oldQuarantined: randomUUID(), oldHeld: randomUUID(), oldAcknowledged: randomUUID(), oldPending: randomUUID(), oldFailed: randomUUID() };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const db = database.db;
    const office = await createTenant(db, 'office-ech-retention');
    const free = person(office.id, 'Frei', 'Fritz', LUZERN);
    const held = person(office.id, 'Gehalten', 'Greta', LUZERN);
    await addPersons(db, [free, held]);
    await db.withTables<PrivacyTables>().insertInto('legal_holds').values({ tenant_id: office.id, subject_type: 'person', subject_id: held.id, reason: 'Beschwerde hängig', placed_by: 'test' }).execute();
    const exchange = db.withTables<ExchangeTables>();
    const { id: partnerId } = await exchange.insertInto('exchange_partners').values({ tenant_id: office.id, name: 'Kriens', participant_id: 'p-1', transport: 'http', endpoint_url: 'http://127.0.0.1:9/', folder_path: null, outbound_token_sealed: null, api_token_id: null, municipalities: null }).returning('id').executeTakeFirstOrThrow();
    const inbox = (rowId: string, status: InboxStatus, processedAt: string, personIds: string[]) => ({
      id: rowId,
      tenant_id: office.id,
      partner_id: null,
      channel: 'http' as const,
      standard: 'eCH-0020',
      event_type: null,
      file_name: null,
      reason_details: null,
      sender_id: 'p-1',
      message_id: rowId,
      status,
      reason_code: status === 'quarantined' ? 'exchange-unknown-person' : null,
      body: Buffer.from('<x/>'),
      body_sha256: 'x',
      person_ids: personIds,
      processed_at: processedAt,
    });
    await exchange
      .insertInto('exchange_inbox')
      .values([
        inbox(id.oldApplied, 'applied', '2026-03-01T10:00:00Z', [free.id]),
        inbox(id.recentApplied, 'applied', '2029-06-01T10:00:00Z', [free.id]),
        inbox(id.oldQuarantined, 'quarantined', '2026-03-01T10:00:00Z', []),
        inbox(id.oldHeld, 'applied', '2026-03-01T10:00:00Z', [held.id]),
      ])
      .execute();
    const outbox = (rowId: string, status: OutboxStatus) => ({ id: rowId, tenant_id: office.id, partner_id: partnerId, message_id: rowId, event_type: 'moveIn', person_id: free.id, body: Buffer.from('<x/>'), status, created_at: new Date('2026-03-01T10:00:00Z'), last_attempt_at: new Date('2026-03-01T10:00:00Z') });
    await exchange.insertInto('exchange_outbox').values([outbox(id.oldAcknowledged, 'acknowledged'), outbox(id.oldPending, 'pending'), outbox(id.oldFailed, 'failed')]).execute();
    dry = (await runRetention(db, { asOf: '2030-01-01', dryRun: true, triggeredBy: 'test', tenantSlug: office.slug }))[0]!;
    real = (await runRetention(db, { asOf: '2030-01-01', dryRun: false, triggeredBy: 'test', tenantSlug: office.slug }))[0]!;
  });
  afterAll(async () => {
    await database?.close();
  });

  const itemOf = (outcome: RunOutcome) => outcome.report!.items.find((item) => item.rule === 'exchange-messages')!;

  it('deletes settled messages older than two years, and keeps the quarantine, what waits for delivery, what is recent and what a legal hold keeps', async () => {
    const due = [id.oldApplied, id.oldAcknowledged, id.oldFailed].sort();
    expect([...itemOf(dry).ids].sort()).toEqual(due);
    expect([...itemOf(real).ids].sort()).toEqual(due);
    expect(itemOf(real).heldIds).toEqual([id.oldHeld]);
    const exchange = database.db.withTables<ExchangeTables>();
    const inbox = await exchange.selectFrom('exchange_inbox').select('id').execute();
    const outbox = await exchange.selectFrom('exchange_outbox').select('id').execute();
    expect(inbox.map((row) => row.id).sort()).toEqual([id.recentApplied, id.oldQuarantined, id.oldHeld].sort());
    expect(outbox.map((row) => row.id)).toEqual([id.oldPending]);
  });
});
