import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { AppError } from '../../src/platform/errors.js';
import { onRegisterChange, type RegisterChangeHandler } from '../../src/modules/register/index.js';
import { deliverDue, sendFailureDigests, validateXml } from '../../src/modules/exchange/index.js';
import { countries } from '../../src/modules/exchange/countries.js';
import { own, type OutboxRow } from '../../src/modules/exchange/repository.js';
import { MAX_ATTEMPTS } from '../../src/modules/exchange/rules/delivery.js';
import { readMessage } from '../../src/modules/exchange/rules/ech0020-read.js';
import type { Delivery, RegisterEvent } from '../../src/modules/exchange/rules/events.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTenant, createTestUser, signIn, testConfig, type Session, type TestTenant } from '../support/fixtures.js';
import { key, message, personData, receipt, residenceIn } from '../support/ech.js';

/**
 * The outbox (issue 7): register changes made at the front desk become eCH-0020 messages for the
 * partners that subscribed to them, in the change's transaction; the deliverer sends them to a real
 * HTTP endpoint (or a folder) and records what the partner answered.
 */

// A change whose person has this name is refused by a listener that runs after the exchange's:
// the outbox row the exchange already wrote must go with the rolled-back change.
const ROLLED_BACK = 'Rückabwicklung';
let writtenBeforeRollback = 0;
const refuseMarkedChanges: RegisterChangeHandler = async (trx, _context, change) => {
  const person = await trx.selectFrom('persons').select('official_name').where('id', '=', change.personId).executeTakeFirst();
  if (person?.official_name !== ROLLED_BACK) return;
  writtenBeforeRollback = (await own(trx).selectFrom('exchange_outbox').select('id').where('person_id', '=', change.personId).execute()).length;
  throw new AppError(409, 'conflict', { reason: 'refused by a test listener' });
};

/** What the partner's endpoint received. */
interface Seen {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  accept: string | undefined;
  body: string;
  messageId: string | null;
}

interface Answer {
  status: number;
  contentType?: string;
  body?: string;
}

interface PartnerDto {
  id: string;
  participantId: string;
  name: string;
}

const HOUR = 3_600_000;

describe.each(DATABASE_KINDS)('exchange outbox on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let server: Server;
  let baseUrl = '';
  let office: TestTenant;
  let officeB: TestTenant;
  let admin: Session;
  let caseworker: Session;
  let adminB: Session;
  let caseworkerB: Session;
  let statistik: PartnerDto;
  let statistikToken = '';
  let deathsOnly: PartnerDto;
  let folderRoot: string;
  const seen: Seen[] = [];
  // What the endpoint answers for a message id; otherwise by path (see `server`).
  const answers = new Map<string, (request: Seen) => Answer | Promise<Answer>>();

  function call(session: Session, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, payload: payload as object | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en', ...headers } });
  }

  async function createPartner(session: Session, body: Record<string, unknown>): Promise<{ partner: PartnerDto; inboundToken: string }> {
    const response = await call(session, 'POST', '/api/v1/exchange/partners', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  /** A front-desk arrival of a new person (Portuguese, settled), as a caseworker records it. */
  function arrival(session: Session, officialName: string, bfs = 1061, person: Record<string, unknown> = {}, confirm = true): Promise<LightMyRequestResponse> {
    return call(session, 'POST', '/api/v1/register/arrivals', {
      person: { officialName, firstNames: 'Ana Rita', sex: 'f', dateOfBirth: '1991-07-14', nationality: 'PT', placeOfBirth: 'Porto', countryOfBirth: 'PT', ...person },
      ...(confirm ? { confirmNotDuplicate: true } : {}),
      residence: {
        kind: 'main',
        registrationType: 'settled',
        municipalityBfs: bfs,
        street: 'Obergrundstrasse',
        houseNumber: '12',
        postalCode: bfs === 1061 ? '6003' : '6010',
        town: bfs === 1061 ? 'Luzern' : 'Kriens',
        egid: 190_000_001,
        ewid: 2,
        arrivalDate: '2026-11-02',
        arrivedFrom: 'Portugal',
      },
    });
  }

  async function arrive(session: Session, officialName: string, bfs = 1061, person: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
    const response = await arrival(session, officialName, bfs, person);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ person: { id: string; version: number } }>().person;
  }

  function rows(where: { partnerId?: string; personId?: string } = {}): Promise<OutboxRow[]> {
    let query = own(database.db).selectFrom('exchange_outbox').selectAll();
    if (where.partnerId) query = query.where('partner_id', '=', where.partnerId);
    if (where.personId) query = query.where('person_id', '=', where.personId);
    return query.orderBy('created_at').execute();
  }

  async function onlyRow(partnerId: string, personId: string): Promise<OutboxRow> {
    const found = await rows({ partnerId, personId });
    expect(found).toHaveLength(1);
    return found[0]!;
  }

  async function row(id: string): Promise<OutboxRow> {
    return own(database.db).selectFrom('exchange_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function totalRows(): Promise<number> {
    const counted = await own(database.db).selectFrom('exchange_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(counted.n);
  }

  function read(outbox: OutboxRow): Delivery {
    const body = Buffer.from(outbox.body);
    const validation = validateXml(body);
    expect(validation.valid, JSON.stringify(validation)).toBe(true);
    const parsed = readMessage(body.toString('utf8'), countries());
    if (parsed.kind !== 'delivery') throw new Error('expected a delivery');
    expect(parsed.delivery.header.messageId).toBe(outbox.message_id);
    return parsed.delivery;
  }

  function eventOf<T extends RegisterEvent['type']>(outbox: OutboxRow, type: T): RegisterEvent & { type: T } {
    const { event } = read(outbox);
    expect(event.type).toBe(type);
    return event as RegisterEvent & { type: T };
  }

  const deliver = (now: Date) => deliverDue(database.db, { secret: testConfig.sessionSecret, now });

  function positiveReceiptFor(request: Seen): Answer {
    return { status: 200, contentType: 'application/xml; charset=utf-8', body: receipt(request.messageId ?? 'unknown', { senderId: 'partner-endpoint' }).xml };
  }

  async function forwardToInbox(request: Seen, incoming: IncomingMessage): Promise<Answer> {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/exchange/ech0020',
      payload: request.body,
      headers: { authorization: request.authorization ?? '', 'content-type': request.contentType ?? 'application/xml', accept: String(incoming.headers.accept ?? ''), 'accept-language': 'de' },
    });
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body: response.body };
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    onRegisterChange(refuseMarkedChanges);
    folderRoot = mkdtempSync(path.join(tmpdir(), 'mf-outbox-'));

    server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const request: Seen = {
          path: incoming.url ?? '',
          authorization: incoming.headers.authorization,
          contentType: incoming.headers['content-type'],
          accept: incoming.headers.accept,
          body,
          messageId: /<(?:[\w-]+:)?messageId>([^<]+)</.exec(body)?.[1] ?? null,
        };
        seen.push(request);
        const answer = (): Answer | Promise<Answer> => {
          const planned = request.messageId ? answers.get(request.messageId) : undefined;
          if (planned) return planned(request);
          if (request.path === '/mf') return forwardToInbox(request, incoming);
          if (request.path === '/unauthorised') return { status: 401, contentType: 'text/plain', body: 'token unknown' };
          if (request.body === '') return { status: 400, contentType: 'text/plain', body: 'empty' };
          return positiveReceiptFor(request);
        };
        void Promise.resolve(answer()).then(
          (result) => outgoing.writeHead(result.status, { 'content-type': result.contentType ?? 'text/plain' }).end(result.body ?? ''),
          (error: unknown) => outgoing.writeHead(599).end(String(error)),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    office = await createTenant(database.db, 'office-out');
    officeB = await createTenant(database.db, 'office-in');
    await createTestUser(database.db, office, 'out-admin', 'admin');
    await createTestUser(database.db, office, 'out-worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, officeB, 'in-admin', 'admin');
    await createTestUser(database.db, officeB, 'in-worker', 'caseworker', 'aufenthalt');
    admin = await signIn(app, 'out-admin', undefined, '10.0.0.1');
    caseworker = await signIn(app, 'out-worker', undefined, '10.0.0.2');
    adminB = await signIn(app, 'in-admin', undefined, '10.0.0.3');
    caseworkerB = await signIn(app, 'in-worker', undefined, '10.0.0.4');

    const created = await createPartner(admin, {
      name: 'Statistik Luzern',
      participantId: 'sedex://T1-1061-9',
      transport: 'http',
      endpointUrl: `${baseUrl}/statistik`,
      outboundToken: 'secret-xyz',
      events: ['moveIn', 'move', 'moveOut', 'changeName'],
      municipalities: [1061],
    });
    statistik = created.partner;
    statistikToken = created.inboundToken;
    deathsOnly = (await createPartner(admin, { name: 'Zivilstandsamt', participantId: 'sedex://T1-ZSA-1', transport: 'http', endpointUrl: `${baseUrl}/deaths`, events: ['death'], municipalities: [1061] })).partner;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await app?.close();
    await database?.close();
    if (folderRoot) rmSync(folderRoot, { recursive: true, force: true });
  });

  it('writes one pending message for a caseworker’s arrival in Luzern, and none for partners that did not ask for it', async () => {
    const unused = await createPartner(admin, { name: 'Ohne Transport', participantId: 'sedex://T1-NONE-1', transport: 'none', events: ['moveIn'] });
    const inactive = await createPartner(admin, { name: 'Stillgelegt', participantId: 'sedex://T1-OFF-1', transport: 'http', endpointUrl: `${baseUrl}/off`, events: ['moveIn'], active: false });

    const anna = await arrive(caseworker, 'Gonçalves Pereira');
    const outbox = await onlyRow(statistik.id, anna.id);
    expect(outbox).toMatchObject({ tenant_id: office.id, event_type: 'moveIn', status: 'pending', attempts: 0, last_error: null, sent_at: null });
    expect(await rows({ partnerId: deathsOnly.id, personId: anna.id })).toEqual([]);
    expect(await rows({ partnerId: unused.partner.id })).toEqual([]);
    expect(await rows({ partnerId: inactive.partner.id })).toEqual([]);

    const delivery = read(outbox);
    expect(delivery.header).toMatchObject({ senderId: 'migraflow-office-out', recipientIds: ['sedex://T1-1061-9'], eventDate: '2026-11-02', action: 1, testDelivery: false });
    const event = eventOf(outbox, 'moveIn');
    expect(event.person.key).toMatchObject({ ahvn13: null, localId: { category: 'MF.office-out', id: anna.id }, officialName: 'Gonçalves Pereira', firstNames: 'Ana Rita', sex: 'f', dateOfBirth: '1991-07-14' });
    expect(event.person).toMatchObject({ nationality: 'PT', placeOfBirth: 'Porto', countryOfBirth: 'PT', permit: null });
    expect(event.residence).toMatchObject({
      kind: 'main',
      municipality: { bfs: 1061, name: 'Luzern' },
      arrivalDate: '2026-11-02',
      comesFrom: { kind: 'foreign', country: 'PT' },
      dwelling: { egid: 190_000_001, ewid: 2, street: 'Obergrundstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern' },
    });
  });

  it('writes nothing for an arrival that is refused, and takes its message back when the change rolls back', async () => {
    await arrive(caseworker, 'Doppelt', 1061);
    const before = await totalRows();

    const duplicate = await arrival(caseworker, 'Doppelt', 1061, {}, false);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'possible-duplicate' });
    const elsewhere = await arrival(caseworker, 'Nirgends', 1234);
    expect(elsewhere.statusCode).toBe(422);
    expect(await totalRows()).toBe(before);

    // Refused after the exchange wrote its message, in the same transaction.
    writtenBeforeRollback = 0;
    const refused = await arrival(caseworker, ROLLED_BACK, 1061);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(writtenBeforeRollback).toBe(1);
    expect(await totalRows()).toBe(before);
    expect(await database.db.selectFrom('persons').select('id').where('official_name', '=', ROLLED_BACK).execute()).toEqual([]);
  });

  it('writes nothing for a Luzern partner when the change is in Kriens', async () => {
    const before = (await rows({ partnerId: statistik.id })).length;
    const kriens = await arrive(caseworker, 'Kriensbewohnerin', 1059);
    expect(await rows({ personId: kriens.id })).toEqual([]);
    expect(await rows({ partnerId: statistik.id })).toHaveLength(before);
  });

  it('reports a move, a change of name and a departure as move, changeName and moveOut; a marriage not at all', async () => {
    let person = await arrive(caseworker, 'Wanderer');
    const moved = await call(caseworker, 'POST', `/api/v1/persons/${person.id}/moves`, { date: '2026-11-10', street: 'Baselstrasse', houseNumber: '7', postalCode: '6003', egid: 190_000_002, ewid: 1 }, { 'if-match': `"${person.version}"` });
    expect(moved.statusCode, moved.body).toBe(200);
    person = moved.json();
    const renamed = await call(caseworker, 'PATCH', `/api/v1/persons/${person.id}`, { changes: { officialName: 'Wanderer-Stein' }, validFrom: '2026-11-12' }, { 'if-match': `"${person.version}"` });
    expect(renamed.statusCode, renamed.body).toBe(200);
    person = renamed.json();
    const married = await call(caseworker, 'PATCH', `/api/v1/persons/${person.id}`, { changes: { civilStatus: 'married', civilStatusDate: '2026-11-13' }, validFrom: '2026-11-13' }, { 'if-match': `"${person.version}"` });
    expect(married.statusCode, married.body).toBe(200);
    person = married.json();
    const departed = await call(caseworker, 'POST', `/api/v1/persons/${person.id}/departure`, { date: '2026-11-20', departedTo: 'Deutschland' }, { 'if-match': `"${person.version}"` });
    expect(departed.statusCode, departed.body).toBe(200);

    const messages = await rows({ partnerId: statistik.id, personId: person.id });
    expect(messages.map((m) => m.event_type)).toEqual(['moveIn', 'move', 'changeName', 'moveOut']);
    const move = eventOf(messages[1]!, 'move');
    expect(move.person.localId).toEqual({ category: 'MF.office-out', id: person.id });
    expect(move.municipality).toMatchObject({ bfs: 1061, name: 'Luzern' });
    expect(move.dwelling).toMatchObject({ street: 'Baselstrasse', houseNumber: '7', egid: 190_000_002, ewid: 1, movingDate: '2026-11-10' });
    const rename = eventOf(messages[2]!, 'changeName');
    expect(rename.names).toMatchObject({ officialName: 'Wanderer-Stein', firstNames: 'Ana Rita' });
    expect(rename.validFrom).toBe('2026-11-12');
    const moveOut = eventOf(messages[3]!, 'moveOut');
    expect(moveOut).toMatchObject({ departureDate: '2026-11-20', municipality: { bfs: 1061 }, goesTo: { kind: 'foreign', country: 'DE' } });
    expect(moveOut.person.officialName).toBe('Wanderer-Stein');
  });

  it('delivers to the partner’s endpoint with its token, and a positive receipt acknowledges the message', async () => {
    const person = await arrive(caseworker, 'Quittiert');
    const outbox = await onlyRow(statistik.id, person.id);
    const now = new Date(Date.now() + 1000);
    expect(await deliver(now)).toBeGreaterThanOrEqual(1);

    const request = seen.find((s) => s.messageId === outbox.message_id);
    expect(request).toMatchObject({ path: '/statistik', authorization: 'Bearer secret-xyz', contentType: 'application/xml' });
    expect(request!.body).toBe(Buffer.from(outbox.body).toString('utf8'));
    expect(request!.accept).toMatch(/application\/xml/);
    const after = await row(outbox.id);
    expect(after).toMatchObject({ status: 'acknowledged', attempts: 1, last_error: null });
    expect(after.sent_at?.getTime()).toBe(now.getTime());
    expect(after.acknowledged_at?.getTime()).toBe(now.getTime());
    // Nothing is sent twice.
    await deliver(new Date(now.getTime() + 24 * HOUR));
    expect(seen.filter((s) => s.messageId === outbox.message_id)).toHaveLength(1);
  });

  it('takes a MigraFlow JSON answer "applied" as an acknowledgement', async () => {
    const person = await arrive(caseworker, 'Jsonantwort');
    const outbox = await onlyRow(statistik.id, person.id);
    answers.set(outbox.message_id, (request) => ({ status: 202, contentType: 'application/json', body: JSON.stringify({ outcome: 'applied', messageId: request.messageId }) }));
    await deliver(new Date(Date.now() + 1000));
    expect(await row(outbox.id)).toMatchObject({ status: 'acknowledged', attempts: 1 });
  });

  it('tries again after 30 s when the partner answers 500, doubling the wait, and gives up after the last attempt', async () => {
    const person = await arrive(caseworker, 'Serverfehler');
    const outbox = await onlyRow(statistik.id, person.id);
    answers.set(outbox.message_id, () => ({ status: 500, body: 'down for maintenance' }));
    let now = new Date(Date.now() + 1000);
    let expectedDelay = 30_000;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        // Not due a moment before its time.
        await deliver(new Date(now.getTime() - 1));
        expect((await row(outbox.id)).attempts).toBe(attempt - 1);
      }
      await deliver(now);
      const after = await row(outbox.id);
      expect(after.attempts).toBe(attempt);
      expect(after.last_error).toBe('HTTP 500');
      expect(after.last_attempt_at?.getTime()).toBe(now.getTime());
      if (attempt < MAX_ATTEMPTS) {
        expect(after.status).toBe('pending');
        expect(after.next_attempt_at.getTime() - now.getTime()).toBe(expectedDelay);
        now = after.next_attempt_at;
        expectedDelay = Math.min(expectedDelay * 2, 6 * HOUR);
      } else {
        expect(after.status).toBe('failed');
      }
    }
    expect(seen.filter((s) => s.messageId === outbox.message_id)).toHaveLength(MAX_ATTEMPTS);
    await deliver(new Date(now.getTime() + 48 * HOUR));
    expect(seen.filter((s) => s.messageId === outbox.message_id)).toHaveLength(MAX_ATTEMPTS);
  });

  it('marks a bare 2xx as sent, and the partner’s later receipt in our inbox acknowledges it', async () => {
    const person = await arrive(caseworker, 'Spaetquittung');
    const outbox = await onlyRow(statistik.id, person.id);
    answers.set(outbox.message_id, () => ({ status: 200, contentType: 'text/plain', body: 'taken' }));
    const now = new Date(Date.now() + 1000);
    await deliver(now);
    expect(await row(outbox.id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null, acknowledged_at: null });
    expect((await row(outbox.id)).sent_at?.getTime()).toBe(now.getTime());

    const { xml } = receipt(outbox.message_id, { senderId: statistik.participantId });
    const posted = await app.inject({ method: 'POST', url: '/api/v1/exchange/ech0020', payload: xml, headers: { authorization: `Bearer ${statistikToken}`, 'content-type': 'application/xml' } });
    expect(posted.statusCode, posted.body).toBe(202);
    expect(posted.json()).toMatchObject({ outcome: 'receipt', acknowledged: true });
    const after = await row(outbox.id);
    expect(after.status).toBe('acknowledged');
    expect(after.acknowledged_at).not.toBeNull();
    // The receipt is not taken twice; the message stays acknowledged.
    const again = await app.inject({ method: 'POST', url: '/api/v1/exchange/ech0020', payload: xml, headers: { authorization: `Bearer ${statistikToken}`, 'content-type': 'application/xml' } });
    expect(again.json()).toMatchObject({ outcome: 'duplicate' });
    expect((await row(outbox.id)).status).toBe('acknowledged');
  });

  it('takes a receipt only from the partner the message went to', async () => {
    const person = await arrive(caseworker, 'Fremdquittung');
    const outbox = await onlyRow(statistik.id, person.id);
    answers.set(outbox.message_id, () => ({ status: 204 }));
    await deliver(new Date(Date.now() + 1000));
    expect((await row(outbox.id)).status).toBe('sent');

    // Another partner of the office (with its own token and participant id) answers for it.
    const other = await createPartner(admin, { name: 'Anderer Partner', participantId: 'sedex://T1-OTHER-1', transport: 'none', events: [] });
    const { xml } = receipt(outbox.message_id, { positive: false, notice: 'nicht zuständig', senderId: 'sedex://T1-OTHER-1' });
    const posted = await app.inject({ method: 'POST', url: '/api/v1/exchange/ech0020', payload: xml, headers: { authorization: `Bearer ${other.inboundToken}`, 'content-type': 'application/xml' } });
    expect(posted.statusCode, posted.body).toBe(202);
    expect(posted.json()).toMatchObject({ outcome: 'receipt', acknowledged: false });
    expect(await row(outbox.id)).toMatchObject({ status: 'sent', last_error: null });
  });

  it('marks a message refused with a negative receipt as failed, with the partner’s notice', async () => {
    const person = await arrive(caseworker, 'Abgelehnt');
    const outbox = await onlyRow(statistik.id, person.id);
    answers.set(outbox.message_id, (request) => ({ status: 422, contentType: 'application/xml', body: receipt(request.messageId!, { positive: false, notice: 'Person bereits im Register erfasst' }).xml }));
    await deliver(new Date(Date.now() + 1000));
    const after = await row(outbox.id);
    expect(after).toMatchObject({ status: 'failed', attempts: 1 });
    expect(after.last_error).toContain('Person bereits im Register erfasst');
  });

  it('fails at once when the partner answers 401', async () => {
    const person = await arrive(caseworker, 'Unbefugt');
    const outbox = await onlyRow(statistik.id, person.id);
    answers.set(outbox.message_id, () => ({ status: 401, contentType: 'text/plain', body: 'token unknown' }));
    await deliver(new Date(Date.now() + 1000));
    const after = await row(outbox.id);
    expect(after).toMatchObject({ status: 'failed', attempts: 1 });
    expect(after.last_error).toMatch(/^HTTP 401/);
    await deliver(new Date(Date.now() + 48 * HOUR));
    expect(seen.filter((s) => s.messageId === outbox.message_id)).toHaveLength(1);
  });

  it('tries again when the partner cannot be reached, and stops when the partner is switched off', async () => {
    // A port nobody listens on any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const body = { name: 'Unerreichbar', participantId: 'sedex://T1-GONE-1', transport: 'http', endpointUrl: `http://127.0.0.1:${port}/gone`, events: ['changeName'], municipalities: [1061] };
    const gone = (await createPartner(admin, body)).partner;
    const person = await arrive(caseworker, 'Netzfehler');
    const renamed = await call(caseworker, 'PATCH', `/api/v1/persons/${person.id}`, { changes: { officialName: 'Netzfehler-Neu' } }, { 'if-match': `"${person.version}"` });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const outbox = await onlyRow(gone.id, person.id);

    const now = new Date(Date.now() + 1000);
    await deliver(now);
    const after = await row(outbox.id);
    expect(after).toMatchObject({ status: 'pending', attempts: 1 });
    expect(after.last_error).not.toBeNull();
    expect(after.next_attempt_at.getTime() - now.getTime()).toBe(30_000);

    const switchedOff = await call(admin, 'PUT', `/api/v1/exchange/partners/${gone.id}`, { ...body, active: false }, { 'if-match': '"1"' });
    expect(switchedOff.statusCode, switchedOff.body).toBe(200);
    await deliver(after.next_attempt_at);
    expect(await row(outbox.id)).toMatchObject({ status: 'failed', attempts: 2, last_error: 'the partner is inactive' });
  });

  it('lists the outbox with a summary per partner, and puts a failed message back in the queue on resend', async () => {
    const person = await arrive(caseworker, 'Nochmal');
    const outbox = await onlyRow(statistik.id, person.id);
    answers.set(outbox.message_id, () => ({ status: 403, contentType: 'text/plain', body: 'forbidden' }));
    await deliver(new Date(Date.now() + 1000));
    expect((await row(outbox.id)).status).toBe('failed');

    const listed = await call(admin, 'GET', `/api/v1/exchange/outbox?partnerId=${statistik.id}&limit=200`);
    expect(listed.statusCode, listed.body).toBe(200);
    const page = listed.json<{ items: { id: string; status: string; attempts: number; lastError: string | null; partnerName: string; eventType: string; personId: string }[]; partners: { partnerId: string; pending: number; sent: number; failed: number; acknowledged: number; lastAcknowledgedAt: string | null }[] }>();
    expect(page.items.find((item) => item.id === outbox.id)).toMatchObject({ status: 'failed', attempts: 1, partnerName: 'Statistik Luzern', eventType: 'moveIn', personId: person.id, lastError: expect.stringMatching(/^HTTP 403/) as unknown });
    const stored = await rows({ partnerId: statistik.id });
    const count = (status: string) => stored.filter((r) => r.status === status).length;
    expect(page.partners.find((p) => p.partnerId === statistik.id)).toMatchObject({ pending: count('pending'), sent: count('sent'), failed: count('failed'), acknowledged: count('acknowledged') });
    expect(count('failed')).toBeGreaterThanOrEqual(1);
    expect(count('acknowledged')).toBeGreaterThanOrEqual(1);
    const failedOnly = await call(admin, 'GET', '/api/v1/exchange/outbox?status=failed&limit=200');
    expect(failedOnly.json<{ items: { status: string }[] }>().items.every((item) => item.status === 'failed')).toBe(true);
    expect((await call(caseworker, 'GET', '/api/v1/exchange/outbox')).statusCode).toBe(403);

    answers.delete(outbox.message_id);
    const resent = await call(admin, 'POST', `/api/v1/exchange/outbox/${outbox.id}/resend`);
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toMatchObject({ id: outbox.id, status: 'pending', attempts: 0, lastError: null });
    expect(await row(outbox.id)).toMatchObject({ status: 'pending', attempts: 0 });
    await deliver(new Date(Date.now() + 1000));
    expect(await row(outbox.id)).toMatchObject({ status: 'acknowledged', attempts: 1 });
    const tooLate = await call(admin, 'POST', `/api/v1/exchange/outbox/${outbox.id}/resend`);
    expect(tooLate.statusCode).toBe(409);
  });

  it('tells each office’s administrators once a day which deliveries failed', async () => {
    // Office B has a partner that refuses our token: one failed message there too.
    await createPartner(adminB, { name: 'Kaputter Partner', participantId: 'sedex://T1-BAD-1', transport: 'http', endpointUrl: `${baseUrl}/unauthorised`, outboundToken: 'wrong', events: ['moveIn'] });
    await arrive(caseworkerB, 'Fehlschlag');
    const now = new Date(Date.now() + 2000);
    await deliver(now);

    const since = new Date(now.getTime() - 24 * HOUR);
    const failedOf = async (tenantId: string) =>
      own(database.db)
        .selectFrom('exchange_outbox as o')
        .innerJoin('exchange_partners as p', 'p.id', 'o.partner_id')
        .select(['p.name', (eb) => eb.fn.countAll<number>().as('failed')])
        .where('o.tenant_id', '=', tenantId)
        .where('o.status', '=', 'failed')
        .where('o.last_attempt_at', '>=', since)
        .groupBy('p.name')
        .execute();
    const expectedA = (await failedOf(office.id)).map((r) => ({ partner: r.name, failed: Number(r.failed) }));
    expect(expectedA.length).toBeGreaterThanOrEqual(1);
    expect(await failedOf(officeB.id)).toEqual([{ name: 'Kaputter Partner', failed: expect.anything() as unknown }]);

    expect(await sendFailureDigests(database.db, now)).toBe(2);
    expect(await sendFailureDigests(database.db, now)).toBe(0);
    const digests = await database.db.selectFrom('notifications').selectAll().where('kind', '=', 'exchange-failures').execute();
    expect(digests).toHaveLength(2);
    const digestA = digests.find((d) => d.tenant_id === office.id)!;
    expect(digestA).toMatchObject({ recipient_role: 'admin', recipient_user_id: null });
    const messageA = (typeof digestA.message === 'string' ? JSON.parse(digestA.message) : digestA.message) as { day: string; partners: { partner: string; failed: number }[] };
    expect(messageA.day).toBe(now.toISOString().slice(0, 10));
    expect([...messageA.partners].sort((a, b) => a.partner.localeCompare(b.partner))).toEqual(expectedA.sort((a, b) => a.partner.localeCompare(b.partner)));
    expect(digests.find((d) => d.tenant_id === officeB.id)?.message).toMatchObject({ partners: [{ partner: 'Kaputter Partner', failed: 1 }] });

    // The administrators see it; a caseworker does not.
    const adminSees = await call(admin, 'GET', '/api/v1/notifications');
    expect(adminSees.json<{ kind: string }[]>().filter((n) => n.kind === 'exchange-failures')).toHaveLength(1);
    const caseworkerSees = await call(caseworker, 'GET', '/api/v1/notifications');
    expect(caseworkerSees.json<{ kind: string }[]>().filter((n) => n.kind === 'exchange-failures')).toHaveLength(0);
  });

  it('writes a message for a folder partner as <message id>.xml, without a .part file left, and marks it sent', async () => {
    const folder = path.join(folderRoot, 'sedex-out', 'kriens');
    const partner = (await createPartner(admin, { name: 'Einwohnerkontrolle Kriens', participantId: 'sedex://T1-1059-1', transport: 'folder', folderPath: folder, events: ['moveIn'], municipalities: [1059] })).partner;
    const person = await arrive(caseworker, 'Ordnerpost', 1059);
    const outbox = await onlyRow(partner.id, person.id);
    expect(await rows({ partnerId: statistik.id, personId: person.id })).toEqual([]);
    const now = new Date(Date.now() + 1000);
    await deliver(now);

    const file = path.join(folder, `${outbox.message_id}.xml`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file)).toEqual(Buffer.from(outbox.body));
    expect(readdirSync(folder).filter((name) => name.endsWith('.part'))).toEqual([]);
    const after = await row(outbox.id);
    expect(after).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(after.sent_at?.getTime()).toBe(now.getTime());
    expect(eventOf(after, 'moveIn').residence.municipality.bfs).toBe(1059);
  });

  it('delivers to another MigraFlow office: applied there, acknowledged here', async () => {
    // Office B knows office A as a partner; A sends with B's token for it.
    const aAtB = await createPartner(adminB, { name: 'Office A', participantId: 'migraflow-office-out', transport: 'none', events: [] });
    const bAtA = (await createPartner(admin, { name: 'Office B', participantId: 'migraflow-office-in', transport: 'http', endpointUrl: `${baseUrl}/mf`, outboundToken: aAtB.inboundToken, events: ['moveIn'], municipalities: [1061] })).partner;

    const person = await arrive(caseworker, 'Übersiedlerin');
    const outbox = await onlyRow(bAtA.id, person.id);
    await deliver(new Date(Date.now() + 1000));

    const after = await row(outbox.id);
    expect(after.last_error).toBeNull();
    expect(after.status).toBe('acknowledged');
    const there = await database.db.selectFrom('persons').select(['id', 'first_names', 'date_of_birth', 'nationality']).where('tenant_id', '=', officeB.id).where('official_name', '=', 'Übersiedlerin').execute();
    expect(there).toEqual([{ id: expect.any(String) as unknown, first_names: 'Ana Rita', date_of_birth: '1991-07-14', nationality: 'PT' }]);
    const residences = await database.db.selectFrom('residences').selectAll().where('person_id', '=', there[0]!.id).where('superseded_at', 'is', null).execute();
    expect(residences).toMatchObject([{ municipality_bfs: 1061, street: 'Obergrundstrasse', house_number: '12', arrival_date: '2026-11-02', departure_date: null }]);
    const inbox = await own(database.db).selectFrom('exchange_inbox').selectAll().where('tenant_id', '=', officeB.id).where('message_id', '=', outbox.message_id).execute();
    expect(inbox).toMatchObject([{ status: 'applied', channel: 'http', partner_id: aAtB.partner.id, sender_id: 'migraflow-office-out', event_type: 'moveIn' }]);
    // An acknowledged message is done: it cannot be resent.
    const resent = await call(admin, 'POST', `/api/v1/exchange/outbox/${outbox.id}/resend`);
    expect(resent.statusCode).toBe(409);
  });

  describe('echo suppression', () => {
    let p: { partner: PartnerDto; inboundToken: string };
    let q: { partner: PartnerDto; inboundToken: string };

    beforeAll(async () => {
      p = await createPartner(admin, { name: 'Register P', participantId: 'sedex://T1-P-1', transport: 'folder', folderPath: path.join(folderRoot, 'p'), events: ['death', 'moveIn'], municipalities: [1059] });
      q = await createPartner(admin, { name: 'Register Q', participantId: 'sedex://T1-Q-1', transport: 'folder', folderPath: path.join(folderRoot, 'q'), events: ['death', 'moveIn'], municipalities: [1059] });
    });

    function send(xml: string, token: string): Promise<LightMyRequestResponse> {
      return app.inject({ method: 'POST', url: '/api/v1/exchange/ech0020', payload: xml, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml', 'accept-language': 'en' } });
    }

    it('does not tell P about the death P reported, but tells Q', async () => {
      const person = await arrive(caseworker, 'Verstorben', 1059);
      const sent = message({ type: 'death', person: key({ localId: { category: 'MF.office-out', id: person.id }, officialName: 'Verstorben', firstNames: 'Ana Rita', dateOfBirth: '1991-07-14' }), dateOfDeath: '2026-11-18' }, { senderId: p.partner.participantId });
      const applied = await send(sent.xml, p.inboundToken);
      expect(applied.statusCode, applied.body).toBe(202);
      expect(applied.json()).toMatchObject({ outcome: 'applied', personIds: [person.id] });
      const deaths = (await rows({ personId: person.id })).filter((r) => r.event_type === 'death');
      const told = deaths.map((r) => r.partner_id);
      expect(told).not.toContain(p.partner.id);
      expect(told.filter((id) => id === q.partner.id)).toHaveLength(1);
      expect(eventOf(deaths.find((r) => r.partner_id === q.partner.id)!, 'death').dateOfDeath).toBe('2026-11-18');
    });

    it('does not tell P about the move-in P reported, but tells Q', async () => {
      const who = key({ officialName: 'Zugezogen', firstNames: 'Rui' });
      const sent = message({ type: 'moveIn', person: personData(who), residence: residenceIn(1059, 'Kriens', '2026-11-01') }, { senderId: p.partner.participantId });
      const applied = await send(sent.xml, p.inboundToken);
      expect(applied.statusCode, applied.body).toBe(202);
      const personId = applied.json<{ personIds: string[] }>().personIds[0]!;
      const told = (await rows({ personId })).filter((r) => r.event_type === 'moveIn').map((r) => r.partner_id);
      expect(told).not.toContain(p.partner.id);
      expect(told.filter((id) => id === q.partner.id)).toHaveLength(1);
    });
  });

  it('does not report a death in Kriens to a partner that asked only for Luzern', async () => {
    const person = await arrive(caseworker, 'Kriensertod', 1059);
    const sent = message({ type: 'death', person: key({ localId: { category: 'MF.office-out', id: person.id }, officialName: 'Kriensertod', firstNames: 'Ana Rita', dateOfBirth: '1991-07-14' }), dateOfDeath: '2026-11-19' }, { senderId: 'sedex://T1-1061-9' });
    const applied = await app.inject({ method: 'POST', url: '/api/v1/exchange/ech0020', payload: sent.xml, headers: { authorization: `Bearer ${statistikToken}`, 'content-type': 'application/xml' } });
    expect(applied.statusCode, applied.body).toBe(202);
    expect(await rows({ partnerId: deathsOnly.id, personId: person.id })).toEqual([]);
  });

  describe('a message that cannot be written', () => {
    // A Swiss citizen whose place of origin names no canton: eCH-0011 needs one; the writer refuses to guess.
    let officeC: TestTenant;
    let adminC: Session;
    let caseworkerC: Session;
    let failedId = '';

    beforeAll(async () => {
      officeC = await createTenant(database.db, 'office-unw');
      await createTestUser(database.db, officeC, 'unw-admin', 'admin');
      await createTestUser(database.db, officeC, 'unw-worker', 'caseworker', 'aufenthalt');
      adminC = await signIn(app, 'unw-admin', undefined, '10.0.0.5');
      caseworkerC = await signIn(app, 'unw-worker', undefined, '10.0.0.6');
      await createPartner(adminC, { name: 'Partner U', participantId: 'sedex://T1-U-1', transport: 'http', endpointUrl: `${baseUrl}/u`, events: ['moveIn'] });
    });

    it('leaves the change standing and the message failed, and the daily digest names it', async () => {
      const person = await arrive(caseworkerC, 'Zürcherin', 1061, { nationality: 'CH', placeOfOrigin: 'Zürich', placeOfBirth: 'Zürich', countryOfBirth: 'CH' });
      const found = await rows({ personId: person.id });
      expect(found).toHaveLength(1);
      const outbox = found[0]!;
      failedId = outbox.id;
      expect(outbox.status).toBe('failed');
      expect(outbox.last_error).toMatch(/^could not be written: .*Zürich/);
      expect(outbox.body).toHaveLength(0);

      const now = new Date(Date.now() + 1000);
      await sendFailureDigests(database.db, now);
      const digests = await database.db.selectFrom('notifications').select('message').where('tenant_id', '=', officeC.id).where('kind', '=', 'exchange-failures').execute();
      expect(digests.map((d) => d.message)).toEqual([{ day: now.toISOString().slice(0, 10), partners: [{ partner: 'Partner U', failed: 1 }] }]);
    });

    it('is not sent to the partner empty when an operator resends it', async () => {
      expect(failedId).not.toBe('');
      const before = seen.length;
      const resent = await call(adminC, 'POST', `/api/v1/exchange/outbox/${failedId}/resend`);
      if (resent.statusCode === 200) await deliver(new Date(Date.now() + 1000));
      expect(seen.slice(before).filter((s) => s.path === '/u').map((s) => s.body.length)).not.toContain(0);
    });
  });
});
