import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, LUZERN, person, signIn, type Session } from '../support/fixtures.js';

/** A blocking note (Sperrvermerk, NG §§ 13, 14) hides where a person lives; disclosure needs a recorded reason. */
describe.each(DATABASE_KINDS)('blocking note on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let worker: Session;
  let clerk: Session;
  let auditor: Session;
  let blockedId = '';

  async function call(session: Session, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, payload: payload as object | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'de' } });
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    const office = await createTenant(database.db, 'office-sperr');
    const hidden = person(office.id, 'Verborgen', 'Vera', LUZERN);
    blockedId = hidden.id;
    await addPersons(database.db, [hidden, person(office.id, 'Offen', 'Otto', LUZERN)]);
    await database.db.updateTable('persons').set({ blocking_note: true }).where('id', '=', blockedId).execute();
    await createTestUser(database.db, office, 'sperr-worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, office, 'sperr-clerk', 'municipal-clerk', 'gemeinde-1061');
    await createTestUser(database.db, office, 'sperr-auditor', 'auditor');
    worker = await signIn(app, 'sperr-worker');
    clerk = await signIn(app, 'sperr-clerk');
    auditor = await signIn(app, 'sperr-auditor');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('hides the address in search results, the person file and its history', async () => {
    const hits = (await call(worker, 'GET', '/api/v1/persons?q=')).json<{ officialName: string; municipality: string | null; blocked: boolean }[]>();
    expect(hits.find((h) => h.officialName === 'Verborgen')).toMatchObject({ municipality: null, blocked: true });
    expect(hits.find((h) => h.officialName === 'Offen')).toMatchObject({ municipality: 'Luzern', blocked: false });

    const file = await call(worker, 'GET', `/api/v1/persons/${blockedId}`);
    expect(file.json()).toMatchObject({ blockingNote: true, residences: [] });
    expect(file.body).not.toContain('Pilatusstrasse');
    const history = await call(worker, 'GET', `/api/v1/persons/${blockedId}/history`);
    expect(history.json()).toMatchObject({ residences: [] });
    expect(history.body).not.toContain('Pilatusstrasse');
  });

  it('discloses the address only for a reason, and records the reason in the audit log', async () => {
    const noReason = await call(worker, 'POST', `/api/v1/persons/${blockedId}/disclosure`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.headers['content-type']).toContain('application/problem+json');
    const tooShort = await call(worker, 'POST', `/api/v1/persons/${blockedId}/disclosure`, { reason: 'weil' });
    expect(tooShort.statusCode).toBe(400);
    expect(await database.db.selectFrom('audit_log').select('id').where('action', '=', 'person.blocked-data-disclosed').execute()).toEqual([]);

    const reason = 'Zustellung der Verfügung vom 3. März per Einschreiben';
    const disclosed = await call(worker, 'POST', `/api/v1/persons/${blockedId}/disclosure`, { reason });
    expect(disclosed.statusCode).toBe(200);
    expect(disclosed.json()).toMatchObject({ blockingNote: true, residences: [{ street: 'Pilatusstrasse', municipalityBfs: 1061 }] });

    const fromClerk = await call(clerk, 'POST', `/api/v1/persons/${blockedId}/disclosure`, { reason: 'Anfrage der Steuerverwaltung mit Rechtsgrundlage' });
    expect(fromClerk.statusCode).toBe(200);

    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'entity_id', 'details'])
      .where('action', '=', 'person.blocked-data-disclosed')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { actor_name: 'sperr-worker', entity_id: blockedId, details: { reason, blockingNote: true } },
      { actor_name: 'sperr-clerk', entity_id: blockedId, details: { reason: 'Anfrage der Steuerverwaltung mit Rechtsgrundlage', blockingNote: true } },
    ]);
  });

  it('refuses the disclosure to roles without the right', async () => {
    const response = await call(auditor, 'POST', `/api/v1/persons/${blockedId}/disclosure`, { reason: 'Nur einmal nachsehen, wo sie wohnt' });
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('Pilatusstrasse');
  });
});
