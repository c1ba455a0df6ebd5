import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTenant, createTestUser, signIn, type Session } from '../support/fixtures.js';
import { KRIENS_REGISTER, key, message, personData, residenceIn } from '../support/ech.js';

/** The eCH-0020 inbox: validate, apply once, quarantine what cannot be applied (issue 7). */
describe.each(DATABASE_KINDS)('exchange inbox on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let admin: Session;
  let partnerToken = '';

  async function call(session: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, payload: payload as object | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en', ...headers } });
  }

  async function send(xml: string, token = partnerToken, extra: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({ method: 'POST', url: '/api/v1/exchange/ech0020', payload: xml, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml', 'accept-language': 'en', ...extra } });
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    const office = await createTenant(database.db, 'office-ech');
    await createTestUser(database.db, office, 'ech-admin', 'admin');
    admin = await signIn(app, 'ech-admin');
    const created = await call(admin, 'POST', '/api/v1/exchange/partners', { name: 'Einwohnerkontrolle Kriens', participantId: KRIENS_REGISTER, transport: 'none', events: [] });
    expect(created.statusCode).toBe(201);
    partnerToken = created.json<{ inboundToken: string }>().inboundToken;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('applies a move-in, answers 202 with the message id, and ignores the same message the second time', async () => {
    const anna = key({ ahvn13: '7561234567897' });
    const { xml, messageId } = message({ type: 'moveIn', person: personData(anna), residence: residenceIn(1059, 'Kriens', '2026-11-01') });
    const first = await send(xml);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ outcome: 'applied', messageId, eventType: 'moveIn', eventCount: 1 });
    const personId = first.json<{ personIds: string[] }>().personIds[0]!;
    const again = await send(xml);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ outcome: 'duplicate', messageId, status: 'applied' });
    const residences = await database.db.selectFrom('residences').selectAll().where('person_id', '=', personId).where('superseded_at', 'is', null).execute();
    expect(residences).toHaveLength(1);
    expect(residences[0]).toMatchObject({ municipality_bfs: 1059, arrival_date: '2026-11-01', street: 'Obergrundstrasse', arrived_from: 'Porto, Portugal' });
    const permits = await database.db.selectFrom('permits').selectAll().where('person_id', '=', personId).execute();
    expect(permits).toMatchObject([{ category: 'B', valid_from: '2026-11-01', valid_until: '2031-10-31' }]);

    const out = message({ type: 'moveOut', person: anna, municipality: { bfs: 1059, name: 'Kriens', canton: 'LU' }, departureDate: '2026-11-18', goesTo: { kind: 'foreign', country: 'DE', countryName: 'Deutschland', town: null } });
    const moved = await send(out.xml);
    expect(moved.statusCode, moved.body).toBe(202);
    const ended = await database.db.selectFrom('permits').select(['ended_on', 'end_reason']).where('person_id', '=', personId).execute();
    expect(ended).toEqual([{ ended_on: '2026-11-18', end_reason: 'departure' }]);
  });

  it('holds a move-out of an unknown person in quarantine with the reason, and keeps the bytes', async () => {
    const { xml, messageId } = message({ type: 'moveOut', person: key({ officialName: 'Niemand', firstNames: 'Nora' }), municipality: { bfs: 1059, name: 'Kriens', canton: 'LU' }, departureDate: '2026-11-18', goesTo: { kind: 'unknown' } });
    const response = await send(xml);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'exchange-unknown-person', outcome: 'quarantined', messageId });
    expect(response.json<{ detail: string }>().detail).toContain('Nora Niemand');
    const inbox = await call(admin, 'GET', '/api/v1/exchange/inbox?status=quarantined');
    expect(inbox.statusCode).toBe(200);
    const item = inbox.json<{ items: { id: string; messageId: string; reason: string }[] }>().items.find((i) => i.messageId === messageId)!;
    expect(item.reason).toContain('not in the register');
    const body = await call(admin, 'GET', `/api/v1/exchange/inbox/${item.id}/body`);
    expect(body.body).toBe(xml);
  });
});
