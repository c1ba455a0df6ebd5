import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { inTransaction } from '../../src/platform/db/transaction.js';
import { createToken } from '../../src/modules/access/index.js';
import { countries } from '../../src/modules/exchange/countries.js';
import type { ExchangeTables } from '../../src/modules/exchange/repository.js';
import { readMessage } from '../../src/modules/exchange/rules/ech0020-read.js';
import type { PersonKey, Receipt } from '../../src/modules/exchange/rules/events.js';
import { validateXml } from '../../src/modules/exchange/xml-schemas.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTenant, createTestUser, signIn, type Session, type TestTenant } from '../support/fixtures.js';
import {
  ahvn13,
  changeReligionMessage,
  inLatin1,
  inUtf16,
  key,
  KRIENS_MUNICIPALITY,
  KRIENS_REGISTER,
  kriensResidence,
  LUZERN_REGISTER,
  message,
  personData,
  residenceIn,
} from '../support/ech.js';

/**
 * Bad input at the exchange inbox (issue 7, "Bad input" and "Exactly once, nothing lost"): each
 * case with its documented outcome — status code, problem code, the inbox row and the original
 * bytes, kept exactly as they arrived.
 */
describe.each(DATABASE_KINDS)('exchange inbox: bad input on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let office: TestTenant;
  let admin: Session;
  let kriensToken = '';
  let luzernToken = '';
  let luzernPartnerId = '';
  let serial = 500;

  const exchange = () => database.db.withTables<ExchangeTables>();

  interface SendOptions {
    token?: string | null;
    contentType?: string | null;
    accept?: string;
    url?: string;
    headers?: Record<string, string>;
  }

  async function send(body: string | Buffer, options: SendOptions = {}): Promise<LightMyRequestResponse> {
    const token = options.token === undefined ? kriensToken : options.token;
    const contentType = options.contentType === undefined ? 'application/xml' : options.contentType;
    const headers: Record<string, string> = { 'accept-language': 'en', ...options.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (contentType !== null) headers['content-type'] = contentType;
    if (options.accept) headers.accept = options.accept;
    return app.inject({ method: 'POST', url: options.url ?? '/api/v1/exchange/ech0020', payload: body, headers });
  }

  async function asAdmin(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, ...(payload ? { payload } : {}), headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'accept-language': 'en', ...headers } });
  }

  function newKey(overrides: Partial<PersonKey> = {}): PersonKey {
    serial += 1;
    return key({ ahvn13: ahvn13(serial), localId: { category: 'LU.1059', id: `b-${serial}` }, ...overrides });
  }

  async function inboxRow(id: string) {
    return exchange().selectFrom('exchange_inbox').select(['status', 'reason_code', 'standard', 'sender_id', 'message_id', 'event_type', 'event_count', 'partner_id', 'person_ids', 'version', 'file_name']).where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function inboxCount(): Promise<number> {
    const row = await exchange().selectFrom('exchange_inbox').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return row.n;
  }

  async function inboxRowsOf(messageId: string) {
    return exchange().selectFrom('exchange_inbox').select(['id', 'status']).where('message_id', '=', messageId).execute();
  }

  /** The message as the inbox keeps it (GET …/body), as bytes. */
  async function storedBody(id: string): Promise<Buffer> {
    const response = await asAdmin('GET', `/api/v1/exchange/inbox/${id}/body`);
    expect(response.statusCode).toBe(200);
    return response.rawPayload;
  }

  async function personsNamed(officialName: string): Promise<string[]> {
    const rows = await database.db.selectFrom('persons').select('id').where('official_name', '=', officialName).execute();
    return rows.map((row) => row.id);
  }

  async function appliedAuditsOf(messageId: string): Promise<number> {
    const rows = await database.db.selectFrom('audit_log').select('id').where('action', '=', 'exchange.apply').where(sql<string>`details->>'messageId'`, '=', messageId).execute();
    return rows.length;
  }

  interface Quarantined {
    inboxId: string;
    messageId: string;
    detail: string;
    problems: { message: string; line: number; path: string | null }[] | null;
  }

  /**
   * The message must be held in quarantine: 422 problem+json with the code, the inbox row
   * quarantined with that reason, listed for the operator in plain words, bytes kept as sent.
   */
  async function expectQuarantined(response: LightMyRequestResponse, code: string, bytes: string | Buffer): Promise<Quarantined> {
    expect(response.statusCode, response.body).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json<Quarantined & { code: string; outcome: string; status: number }>();
    expect(problem).toMatchObject({ code, outcome: 'quarantined', status: 422 });
    expect(problem.detail.length).toBeGreaterThan(20);
    const row = await inboxRow(problem.inboxId);
    expect(row).toMatchObject({ status: 'quarantined', reason_code: code, message_id: problem.messageId, person_ids: [] });
    const listed = await asAdmin('GET', '/api/v1/exchange/inbox?status=quarantined&limit=200');
    const item = listed.json<{ items: { id: string; reasonCode: string; reason: string }[] }>().items.find((i) => i.id === problem.inboxId);
    expect(item).toMatchObject({ reasonCode: code, reason: problem.detail });
    expect((await storedBody(problem.inboxId)).equals(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'))).toBe(true);
    return problem;
  }

  async function createPartner(body: object): Promise<{ id: string; token: string }> {
    const created = await asAdmin('POST', '/api/v1/exchange/partners', body);
    expect(created.statusCode, created.body).toBe(201);
    const json = created.json<{ partner: { id: string }; inboundToken: string }>();
    return { id: json.partner.id, token: json.inboundToken };
  }

  function moveInMessage(who: PersonKey, arrivalDate = '2025-03-01', overrides: Parameters<typeof message>[1] = {}) {
    return message({ type: 'moveIn', person: personData(who, { permit: { echCode: '02', validFrom: arrivalDate, validUntil: '2030-02-28', entryDate: null } }), residence: kriensResidence(arrivalDate) }, overrides);
  }

  function lineOf(text: string, needle: string): number {
    return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    office = await createTenant(database.db, 'office-bad');
    // Another office, with a municipality of its own (Bern).
    await inTransaction(database.db, async (trx) => {
      const bern = await trx.insertInto('tenants').values({ slug: 'office-bern', name: 'Office Bern', country: 'CH', region: 'BE' }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('units').values({ tenant_id: bern.id, slug: 'gemeinde-351', name: 'Einwohnerkontrolle Bern', kind: 'municipality', bfs_number: 351 }).execute();
    });
    await createTestUser(database.db, office, 'bad-admin', 'admin');
    admin = await signIn(app, 'bad-admin');
    kriensToken = (await createPartner({ name: 'Einwohnerkontrolle Kriens', participantId: KRIENS_REGISTER, transport: 'none', events: [] })).token;
    const luzern = await createPartner({ name: 'Einwohnerkontrolle Luzern', participantId: LUZERN_REGISTER, transport: 'http', endpointUrl: 'https://ech.luzern.example/inbox', events: [] });
    luzernToken = luzern.token;
    luzernPartnerId = luzern.id;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  // --- what is not an eCH-0020 message at all ------------------------------------------------------

  it('not XML: quarantined as exchange-not-xml, the bytes kept exactly (also bytes that are not text)', async () => {
    const binary = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x80, 0x0d, 0x0a, 0xc3, 0x28]);
    const response = await send(binary);
    const problem = await expectQuarantined(response, 'exchange-not-xml', binary);
    expect(problem.messageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await inboxRow(problem.inboxId)).toMatchObject({ standard: 'unknown', sender_id: KRIENS_REGISTER, event_type: null, event_count: 0 });

    const text = 'Grüezi, anbei die Meldungen vom März.\n';
    await expectQuarantined(await send(text), 'exchange-not-xml', text);
  });

  it('XML of another standard: quarantined as exchange-unsupported-standard, naming the root', async () => {
    const ech0045 = '<?xml version="1.0" encoding="UTF-8"?>\n<eCH-0045:voterDelivery xmlns:eCH-0045="http://www.ech.ch/xmlns/eCH-0045/4"><eCH-0045:deliveryHeader/></eCH-0045:voterDelivery>\n';
    const problem = await expectQuarantined(await send(ech0045), 'exchange-unsupported-standard', ech0045);
    expect(problem.detail).toContain('{http://www.ech.ch/xmlns/eCH-0045/4}voterDelivery');
    expect(problem.detail).toContain('eCH-0020 v3.0');

    const madeUp = '<?xml version="1.0"?><order xmlns="urn:example:shop"><item sku="42"/></order>';
    const other = await expectQuarantined(await send(madeUp), 'exchange-unsupported-standard', madeUp);
    expect(other.detail).toContain('{urn:example:shop}order');
  });

  it('XSD-invalid eCH-0020 (sex 5): quarantined as exchange-schema-invalid with the line and the schema’s words', async () => {
    const { xml, messageId } = moveInMessage(newKey());
    const invalid = xml.replace('<eCH-0044:sex>2</eCH-0044:sex>', '<eCH-0044:sex>5</eCH-0044:sex>');
    expect(invalid).not.toBe(xml);
    const problem = await expectQuarantined(await send(invalid), 'exchange-schema-invalid', invalid);
    expect(problem.messageId).toBe(messageId);
    expect(problem.problems).not.toBeNull();
    expect(problem.problems![0]).toMatchObject({ line: lineOf(invalid, '<eCH-0044:sex>5') });
    expect(problem.problems![0]!.message).toContain('sex');
    expect(problem.detail).toContain(`line ${lineOf(invalid, '<eCH-0044:sex>5')}`);
    expect(await inboxRow(problem.inboxId)).toMatchObject({ standard: 'eCH-0020', sender_id: KRIENS_REGISTER });
  });

  it('XSD-invalid eCH-0020 (a required element missing): quarantined with the element the schema expected', async () => {
    const who = newKey({ officialName: 'Ohnename' });
    const { xml } = moveInMessage(who);
    const invalid = xml.replace(/\s*<eCH-0044:officialName>Ohnename<\/eCH-0044:officialName>/, '');
    expect(invalid).not.toBe(xml);
    const problem = await expectQuarantined(await send(invalid), 'exchange-schema-invalid', invalid);
    expect(problem.problems![0]!.message).toContain('officialName');
    expect(problem.problems![0]!.line).toBeGreaterThan(1);
    expect(await personsNamed('Ohnename')).toEqual([]);
  });

  it('a DOCTYPE (entity expansion attack) is refused before parsing: nothing expanded, the bytes kept', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">${levels}]>\n<lolz>&lol9;</lolz>\n`;
    const response = await send(bomb);
    const problem = await expectQuarantined(response, 'exchange-not-xml', bomb);
    expect(problem.detail).toContain('DOCTYPE');
    expect(response.body.length).toBeLessThan(5000);
    expect(response.body).not.toContain('lollol');

    // An entity smuggled into a real message: refused as well, no person with the entity's text.
    const { xml } = moveInMessage(newKey({ officialName: 'Entitaet' }));
    const smuggled = xml
      .replace('<eCH-0020:delivery', '<!DOCTYPE eCH-0020:delivery [<!ENTITY name "Mallory">]>\n<eCH-0020:delivery')
      .replace('<eCH-0044:officialName>Entitaet</eCH-0044:officialName>', '<eCH-0044:officialName>&name;</eCH-0044:officialName>');
    await expectQuarantined(await send(smuggled), 'exchange-not-xml', smuggled);
    expect(await personsNamed('Mallory')).toEqual([]);
  });

  it('a DOCTYPE in a UTF-16 message is refused as well (the check must not depend on the encoding)', async () => {
    const { xml } = moveInMessage(newKey({ officialName: 'Sechzehn' }));
    const smuggled = inUtf16(
      xml
        .replace('<eCH-0020:delivery', '<!DOCTYPE eCH-0020:delivery [<!ENTITY name "Mallory">]>\n<eCH-0020:delivery')
        .replace('<eCH-0044:officialName>Sechzehn</eCH-0044:officialName>', '<eCH-0044:officialName>&name;</eCH-0044:officialName>'),
    );
    const response = await send(smuggled);
    await expectQuarantined(response, 'exchange-not-xml', smuggled);
    expect(await personsNamed('Mallory')).toEqual([]);
  });

  it('a schema-valid message in UTF-16 is not lost: applied or held in quarantine with its bytes, never a server error', async () => {
    const who = newKey({ officialName: 'Utf', firstNames: 'Sechzehn' });
    const { xml, messageId } = moveInMessage(who);
    const bytes = inUtf16(xml);
    expect(validateXml(bytes).valid).toBe(true);
    const response = await send(bytes);
    expect([202, 422], response.body).toContain(response.statusCode);
    const rows = await inboxRowsOf(messageId);
    expect(rows).toHaveLength(1);
    expect((await storedBody(rows[0]!.id)).equals(bytes)).toBe(true);
    if (response.statusCode === 202) expect(await personsNamed('Utf')).toHaveLength(1);
  });

  it('a message declared ISO-8859-1 keeps its umlauts (Müller, not M\uFFFDller)', async () => {
    const who = newKey({ officialName: 'Bürgi', firstNames: 'Jürg Andrä', sex: 'm' });
    const { xml } = moveInMessage(who);
    const bytes = inLatin1(xml);
    expect(validateXml(bytes).valid).toBe(true);
    const response = await send(bytes);
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json<{ personIds: string[] }>().personIds[0]!;
    const row = await database.db.selectFrom('persons').select(['official_name', 'first_names']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ official_name: 'Bürgi', first_names: 'Jürg Andrä' });
  });

  // --- valid messages that cannot be applied ---------------------------------------------------------

  it('a valid message for an unknown person: quarantined as exchange-unknown-person, naming the person', async () => {
    const { xml, messageId } = message({ type: 'death', person: newKey({ officialName: 'Unbekannt', firstNames: 'Ulla', dateOfBirth: '1944-04-04' }), dateOfDeath: '2025-01-01' });
    const problem = await expectQuarantined(await send(xml), 'exchange-unknown-person', xml);
    expect(problem.messageId).toBe(messageId);
    expect(problem.detail).toContain('Ulla Unbekannt');
    expect(await inboxRow(problem.inboxId)).toMatchObject({ standard: 'eCH-0020', event_type: 'death', event_count: 1 });
  });

  it('a move-out before its move-in: quarantined (not resident), applied on re-apply once the move-in is there; a second re-apply is refused', async () => {
    // She lived in Kriens before and left; now the Kriens register reports her return and, weeks later, her departure.
    const who = newKey({ officialName: 'Rückkehr', firstNames: 'Rita', dateOfBirth: '1970-10-10' });
    const first = moveInMessage(who, '2019-01-01');
    expect((await send(first.xml)).statusCode).toBe(202);
    const left = message({ type: 'moveOut', person: who, municipality: KRIENS_MUNICIPALITY, departureDate: '2022-06-30', goesTo: { kind: 'foreign', country: 'PT', countryName: 'Portugal', town: null } });
    expect((await send(left.xml)).statusCode).toBe(202);
    const [personId] = await personsNamed('Rückkehr');

    const returned = moveInMessage(who, '2025-03-01');
    const departs = message({ type: 'moveOut', person: who, municipality: KRIENS_MUNICIPALITY, departureDate: '2025-08-31', goesTo: { kind: 'swiss', municipality: { bfs: 261, name: 'Zürich', canton: 'ZH' } } });
    const early = await expectQuarantined(await send(departs.xml), 'exchange-not-resident', departs.xml);
    expect(early.detail).toContain('Rita Rückkehr');

    // Re-applied too soon: still in quarantine, one attempt more.
    expect((await asAdmin('POST', `/api/v1/exchange/inbox/${early.inboxId}/reapply`)).statusCode).toBe(428);
    const tooSoon = await asAdmin('POST', `/api/v1/exchange/inbox/${early.inboxId}/reapply`, undefined, { 'if-match': '"1"' });
    expect(tooSoon.statusCode, tooSoon.body).toBe(200);
    expect(tooSoon.json()).toMatchObject({ status: 'quarantined', reasonCode: 'exchange-not-resident', attempts: 2, version: 2 });

    expect((await send(returned.xml)).statusCode).toBe(202);
    const stale = await asAdmin('POST', `/api/v1/exchange/inbox/${early.inboxId}/reapply`, undefined, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(409);
    const reapplied = await asAdmin('POST', `/api/v1/exchange/inbox/${early.inboxId}/reapply`, undefined, { 'if-match': '"2"' });
    expect(reapplied.statusCode, reapplied.body).toBe(200);
    expect(reapplied.json()).toMatchObject({ status: 'applied', reasonCode: null, personIds: [personId], messageId: departs.messageId, version: 3 });
    expect(await inboxRow(early.inboxId)).toMatchObject({ status: 'applied', reason_code: null, person_ids: [personId] });

    const residences = await database.db.selectFrom('residences').select(['arrival_date', 'departure_date', 'departed_to']).where('person_id', '=', personId!).where('superseded_at', 'is', null).orderBy('arrival_date').execute();
    expect(residences).toEqual([
      { arrival_date: '2019-01-01', departure_date: '2022-06-30', departed_to: 'Portugal' },
      { arrival_date: '2025-03-01', departure_date: '2025-08-31', departed_to: 'Zürich' },
    ]);
    const audits = await database.db.selectFrom('audit_log').select(['action', 'details']).where('action', 'in', ['exchange.reapply', 'exchange.reapply-failed']).where('entity_id', 'in', [early.inboxId, personId!]).orderBy('id').execute();
    expect(audits.map((a) => a.action)).toEqual(['exchange.reapply-failed', 'exchange.reapply']);

    const again = await asAdmin('POST', `/api/v1/exchange/inbox/${early.inboxId}/reapply`, undefined, { 'if-match': '"3"' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'exchange-not-quarantined' });
    const stillOnce = await database.db.selectFrom('residences').select('id').where('person_id', '=', personId!).where('superseded_at', 'is', null).execute();
    expect(stillOnce).toHaveLength(2);
  });

  it('a message for another office’s municipality: quarantined as exchange-foreign-municipality, nobody created anywhere', async () => {
    const who = newKey({ officialName: 'Bernerin', firstNames: 'Vreni' });
    const { xml } = message({ type: 'moveIn', person: personData(who), residence: residenceIn(351, 'Bern', '2025-03-01', { dwelling: { egid: null, ewid: null, street: 'Kramgasse', houseNumber: '49', postalCode: '3011', town: 'Bern', movingDate: null } }) });
    const problem = await expectQuarantined(await send(xml), 'exchange-foreign-municipality', xml);
    expect(problem.detail).toContain('Bern');
    expect(problem.detail).toContain('351');
    expect(await personsNamed('Bernerin')).toEqual([]);
  });

  it('a valid but unsupported event (changeReligion): quarantined as exchange-unsupported-event, for a person to record', async () => {
    const { xml, messageId } = changeReligionMessage(newKey(), '111', '2025-01-01');
    expect(validateXml(Buffer.from(xml)).valid).toBe(true);
    const problem = await expectQuarantined(await send(xml), 'exchange-unsupported-event', xml);
    expect(problem.messageId).toBe(messageId);
    expect(problem.detail).toContain('changeReligion');
  });

  it('a message whose sender is not the token’s partner: quarantined as exchange-sender-mismatch', async () => {
    const who = newKey({ officialName: 'Falschabsender' });
    const { xml } = moveInMessage(who, '2025-03-01', { senderId: 'sedex://T1-9999-1' });
    const problem = await expectQuarantined(await send(xml), 'exchange-sender-mismatch', xml);
    expect(problem.detail).toContain('sedex://T1-9999-1');
    expect(problem.detail).toContain(KRIENS_REGISTER);
    expect(await personsNamed('Falschabsender')).toEqual([]);
  });

  it('a message sent under another partner’s name does not block that partner’s own message with the same id', async () => {
    const who = newKey({ officialName: 'Doppelgaenger' });
    const { xml, messageId } = moveInMessage(who, '2025-03-01', { senderId: LUZERN_REGISTER });
    // Kriens' token, Luzern's sender id: refused.
    await expectQuarantined(await send(xml), 'exchange-sender-mismatch', xml);
    // Luzern itself sends its message: it must be applied, not taken for a duplicate of the refused one.
    const genuine = await send(xml, { token: luzernToken });
    expect(genuine.statusCode, genuine.body).toBe(202);
    expect(genuine.json()).toMatchObject({ outcome: 'applied', messageId, senderId: LUZERN_REGISTER });
    expect(await personsNamed('Doppelgaenger')).toHaveLength(1);
  });

  // --- the same message again -----------------------------------------------------------------------

  it('the same message twice: the second is a 202 duplicate and nothing is applied twice', async () => {
    const who = newKey({ officialName: 'Zweimal' });
    const { xml, messageId } = moveInMessage(who);
    const first = await send(xml);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ outcome: 'applied', messageId });
    const second = await send(xml);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toMatchObject({ outcome: 'duplicate', messageId, status: 'applied', inboxId: first.json<{ inboxId: string }>().inboxId });
    const ids = await personsNamed('Zweimal');
    expect(ids).toHaveLength(1);
    expect(await database.db.selectFrom('residences').select('id').where('person_id', '=', ids[0]!).execute()).toHaveLength(1);
    expect(await database.db.selectFrom('permits').select('id').where('person_id', '=', ids[0]!).execute()).toHaveLength(1);
    expect(await inboxRowsOf(messageId)).toHaveLength(1);
    expect(await appliedAuditsOf(messageId)).toBe(1);

    // A quarantined message sent again stays one quarantined message.
    const { xml: lost } = message({ type: 'death', person: newKey({ officialName: 'Niemand' }), dateOfDeath: '2025-01-01' });
    const held = await send(lost);
    expect(held.statusCode).toBe(422);
    const heldAgain = await send(lost);
    expect(heldAgain.statusCode).toBe(202);
    expect(heldAgain.json()).toMatchObject({ outcome: 'duplicate', status: 'quarantined', inboxId: held.json<{ inboxId: string }>().inboxId });
  });

  it('the same message id sent twice at the same time: exactly one applied, one duplicate (each of five races)', async () => {
    // Whether the two copies overlap is up to the scheduler: five races, each must come out right.
    for (let race = 1; race <= 5; race++) {
      const name = `Gleichzeitig${race}`;
      const { xml, messageId } = moveInMessage(newKey({ officialName: name }));
      const answers = await Promise.all([send(xml), send(xml)]);
      expect(answers.map((a) => a.statusCode), answers.map((a) => a.body).join('\n')).toEqual([202, 202]);
      expect(answers.map((a) => a.json<{ outcome: string }>().outcome).sort()).toEqual(['applied', 'duplicate']);
      const ids = await personsNamed(name);
      expect(ids).toHaveLength(1);
      expect(await database.db.selectFrom('residences').select('id').where('person_id', '=', ids[0]!).execute()).toHaveLength(1);
      expect(await inboxRowsOf(messageId)).toEqual([{ id: expect.any(String) as string, status: 'applied' }]);
      expect(await appliedAuditsOf(messageId)).toBe(1);
    }
  });

  // --- size, type and who sends --------------------------------------------------------------------------

  it('a 200 MB body is refused with 413 on its Content-Length, before it is read', async () => {
    const before = await inboxCount();
    let pulled = 0;
    const small = new Readable({
      read() {
        pulled += 1;
        this.push(pulled <= 4 ? Buffer.alloc(1024, 0x20) : null);
      },
    });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/exchange/ech0020',
      payload: small,
      headers: { authorization: `Bearer ${kriensToken}`, 'content-type': 'application/xml', 'content-length': String(200 * 1024 * 1024), 'accept-language': 'en' },
    });
    // Read, the 4 KiB would not match the announced length (415): 413 means the header alone decided.
    expect(response.statusCode, response.body).toBe(413);
    expect(response.json()).toMatchObject({ code: 'payload-too-large', status: 413 });
    expect(await inboxCount()).toBe(before);
    expect(pulled).toBe(0);
  });

  it('a 200 MB body streamed without a length is refused with 413 once it passes the limit', async () => {
    const before = await inboxCount();
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const huge = new Readable({
      read() {
        sent += 1;
        this.push(sent <= 200 ? chunk : null);
      },
    });
    const response = await app.inject({ method: 'POST', url: '/api/v1/exchange/ech0020', payload: huge, headers: { authorization: `Bearer ${kriensToken}`, 'content-type': 'application/xml', 'accept-language': 'en' } });
    expect(response.statusCode, response.body).toBe(413);
    expect(response.json()).toMatchObject({ code: 'payload-too-large' });
    expect(await inboxCount()).toBe(before);
  });

  it('no token: 401; a user role’s token without exchange:submit: 403; a partner-role token of no partner: 403', async () => {
    const { xml } = moveInMessage(newKey({ officialName: 'Ohnetoken' }));
    const anonymous = await send(xml, { token: null });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'unauthenticated' });

    const caseworker = await createToken(database.db, { tenantSlug: office.slug, role: 'caseworker', unitSlug: 'aufenthalt', label: 'front desk client' });
    const forbidden = await send(xml, { token: caseworker });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: 'forbidden' });

    const stray = await createToken(database.db, { tenantSlug: office.slug, role: 'partner', label: 'statistics feed' });
    const notPartner = await send(xml, { token: stray });
    expect(notPartner.statusCode).toBe(403);
    expect(notPartner.json()).toMatchObject({ code: 'exchange-unknown-partner' });

    const garbage = await send(xml, { token: 'mf_not-a-token-at-all' });
    expect(garbage.statusCode).toBe(401);
    expect(await personsNamed('Ohnetoken')).toEqual([]);
  });

  it('a rotated partner token stops working at once (401), the new one works; a deactivated partner’s token is refused (403)', async () => {
    const partner = await createPartner({ name: 'Kanton Luzern, Amt für Migration', participantId: 'sedex://T1-LU-7', transport: 'none', events: [] });
    const probe = (token: string) => send(moveInMessage(newKey({ officialName: 'Rotiert' }), '2025-03-01', { senderId: 'sedex://T1-LU-7', testDelivery: true }).xml, { token });
    expect((await probe(partner.token)).statusCode).toBe(202);
    const rotated = await asAdmin('POST', `/api/v1/exchange/partners/${partner.id}/token`);
    expect(rotated.statusCode).toBe(200);
    const newToken = rotated.json<{ inboundToken: string }>().inboundToken;
    const old = await probe(partner.token);
    expect(old.statusCode).toBe(401);
    expect(old.json()).toMatchObject({ code: 'invalid-token' });
    expect((await probe(newToken)).statusCode).toBe(202);

    const version = rotated.json<{ partner: { version: number } }>().partner.version;
    const deactivated = await asAdmin('PUT', `/api/v1/exchange/partners/${partner.id}`, { name: 'Kanton Luzern, Amt für Migration', participantId: 'sedex://T1-LU-7', transport: 'none', events: [], active: false }, { 'if-match': `"${version}"` });
    expect(deactivated.statusCode, deactivated.body).toBe(200);
    const refused = await probe(newToken);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'exchange-unknown-partner' });
    expect(await personsNamed('Rotiert')).toEqual([]);
  });

  it('a wrong content type (text, a form, none at all): 415, nothing stored', async () => {
    const { xml } = moveInMessage(newKey({ officialName: 'Falschtyp' }));
    const before = await inboxCount();
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
      const response = await send(xml, { contentType });
      expect(response.statusCode, `${contentType}: ${response.body}`).toBe(415);
      expect(response.json(), String(contentType)).toMatchObject({ code: 'unsupported-media-type' });
    }
    expect(await inboxCount()).toBe(before);
    expect(await personsNamed('Falschtyp')).toEqual([]);
  });

  it('a content type another module reads as raw bytes (image/png, application/pdf) is refused by the inbox with 415 too', async () => {
    const before = await inboxCount();
    for (const contentType of ['image/png', 'application/pdf']) {
      const { xml } = moveInMessage(newKey({ officialName: 'Bildtyp' }));
      const response = await send(xml, { contentType });
      expect(response.statusCode, `${contentType}: ${response.body}`).toBe(415);
    }
    expect(await inboxCount()).toBe(before);
    expect(await personsNamed('Bildtyp')).toEqual([]);
  });

  it('XML sent as application/json: 415 (the inbox takes no JSON), not a JSON syntax error', async () => {
    const { xml } = moveInMessage(newKey({ officialName: 'Jsontyp' }));
    const response = await send(xml, { contentType: 'application/json' });
    expect(response.statusCode, response.body).toBe(415);
    expect(response.json()).toMatchObject({ code: 'unsupported-media-type' });
  });

  // --- the operator's decisions ---------------------------------------------------------------------------

  it('reject: the message is rejected with the note; a partner with a transport gets a negative eCH-0058 receipt in the outbox', async () => {
    const { xml, messageId } = message({ type: 'death', person: newKey({ officialName: 'Abgelehnt', firstNames: 'Alois' }), dateOfDeath: '2025-02-02' }, { senderId: LUZERN_REGISTER });
    const problem = await expectQuarantined(await send(xml, { token: luzernToken }), 'exchange-unknown-person', xml);
    expect((await asAdmin('POST', `/api/v1/exchange/inbox/${problem.inboxId}/reject`, { note: 'x' }, { 'if-match': '"1"' })).statusCode).toBe(400);
    const note = 'Alois Abgelehnt ist bei uns nie gemeldet gewesen; bitte Empfänger prüfen.';
    const rejected = await asAdmin('POST', `/api/v1/exchange/inbox/${problem.inboxId}/reject`, { note }, { 'if-match': '"1"' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', resolutionNote: note, reasonCode: 'exchange-unknown-person', messageId });
    expect(await inboxRow(problem.inboxId)).toMatchObject({ status: 'rejected', reason_code: 'exchange-unknown-person' });

    const outbox = await exchange().selectFrom('exchange_outbox').select(['partner_id', 'event_type', 'status', 'body', 'person_id', 'message_id']).where('partner_id', '=', luzernPartnerId).execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ partner_id: luzernPartnerId, event_type: 'negativeReport', status: 'pending', person_id: null });
    const body = Buffer.from(outbox[0]!.body);
    const validation = validateXml(body);
    expect(validation.valid, JSON.stringify(validation)).toBe(true);
    const read = readMessage(body.toString('utf8'), countries());
    expect(read.kind).toBe('receipt');
    const report = (read as { receipt: Receipt }).receipt;
    expect(report).toMatchObject({ positive: false, notice: note, header: { referenceMessageId: messageId, recipientIds: [LUZERN_REGISTER], action: 8, messageId: outbox[0]!.message_id } });

    const twice = await asAdmin('POST', `/api/v1/exchange/inbox/${problem.inboxId}/reject`, { note }, { 'if-match': '"2"' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'exchange-not-quarantined' });
    const reapply = await asAdmin('POST', `/api/v1/exchange/inbox/${problem.inboxId}/reapply`, undefined, { 'if-match': '"2"' });
    expect(reapply.statusCode).toBe(409);
  });

  it('reject: a partner without a transport gets no receipt (nothing waits in the outbox)', async () => {
    const { xml } = message({ type: 'death', person: newKey({ officialName: 'Ohneantwort' }), dateOfDeath: '2025-02-02' });
    const problem = await expectQuarantined(await send(xml), 'exchange-unknown-person', xml);
    const before = await exchange().selectFrom('exchange_outbox').select('id').execute();
    const rejected = await asAdmin('POST', `/api/v1/exchange/inbox/${problem.inboxId}/reject`, { note: 'nicht für uns' }, { 'if-match': '"1"' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    expect(await exchange().selectFrom('exchange_outbox').select('id').execute()).toEqual(before);
  });

  // --- test deliveries and whole messages ---------------------------------------------------------------

  it('a test delivery (testDeliveryFlag) answers 202 tested and changes nothing, not even the inbox', async () => {
    const before = await inboxCount();
    const { xml, messageId } = moveInMessage(newKey({ officialName: 'Probelauf' }), '2025-03-01', { testDelivery: true });
    const response = await send(xml);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toEqual({ outcome: 'tested', messageId, senderId: KRIENS_REGISTER, inboxId: null });
    expect(await personsNamed('Probelauf')).toEqual([]);
    expect(await inboxRowsOf(messageId)).toEqual([]);

    // One that would not apply says why, and still leaves nothing behind.
    const failing = message({ type: 'death', person: newKey({ officialName: 'Probetot' }), dateOfDeath: '2025-01-01' }, { testDelivery: true });
    const answer = await send(failing.xml);
    expect(answer.statusCode).toBe(202);
    expect(answer.json()).toMatchObject({ outcome: 'tested', messageId: failing.messageId, inboxId: null, reasonCode: 'exchange-unknown-person' });
    expect(answer.json<{ reason: string }>().reason).toContain('Probetot');
    expect(await inboxCount()).toBe(before);
    expect(await appliedAuditsOf(messageId)).toBe(0);
  });

  it('a message that fails half-way (a base delivery whose 2nd entry is in another office’s municipality) leaves nothing of the 1st', async () => {
    const first = newKey({ officialName: 'Halbweg', firstNames: 'Erster' });
    const second = newKey({ officialName: 'Halbweg', firstNames: 'Zweiter' });
    const { xml } = message({
      type: 'baseDelivery',
      entries: [
        { person: personData(first), residence: kriensResidence('2020-01-01'), validFrom: null, history: null },
        { person: personData(second), residence: residenceIn(351, 'Bern', '2020-01-01', { comesFrom: null }), validFrom: null, history: null },
      ],
    });
    const problem = await expectQuarantined(await send(xml), 'exchange-foreign-municipality', xml);
    expect(await inboxRow(problem.inboxId)).toMatchObject({ event_type: 'baseDelivery', event_count: 2 });
    expect(await personsNamed('Halbweg')).toEqual([]);
    const external = await database.db.selectFrom('person_external_ids').select('person_id').where('external_id', '=', first.localId.id).execute();
    expect(external).toEqual([]);
  });

  // --- landlord and employer reports (CSV) ------------------------------------------------------------

  const CSV_HEADER = ['reporter_kind', 'reporter_name', 'municipality_bfs', 'official_name', 'first_names', 'date_of_birth', 'street', 'house_number', 'egid', 'ewid', 'lease_start', 'lease_end'];

  async function sendCsv(body: string | Buffer, name?: string, options: SendOptions = {}): Promise<LightMyRequestResponse> {
    return send(body, { contentType: 'text/csv', url: `/api/v1/exchange/tenancy-reports${name ? `?name=${encodeURIComponent(name)}` : ''}`, ...options });
  }

  async function reportsOf(reporterName: string) {
    return database.db
      .selectFrom('tenancy_reports')
      .select(['municipality_bfs', 'reporter_kind', 'reporter_name', 'official_name', 'first_names', 'date_of_birth', 'street', 'house_number', 'egid', 'ewid', 'lease_start', 'lease_end'])
      .where('tenant_id', '=', office.id)
      .where('reporter_name', '=', reporterName)
      .orderBy('official_name')
      .execute();
  }

  it('landlord reports as CSV with semicolons and Swiss dates (as Excel writes them): applied, the rows stored', async () => {
    const csv = [
      `\uFEFF${CSV_HEADER.join(';')}`,
      'landlord;Wohnbau Kriens AG;1059;Keller;Anna;12.04.1990;Luzernerstrasse;21;190100001;3;1.3.2026;',
      'landlord;Wohnbau Kriens AG;1059;Da Silva;João Pedro;03.11.1985;Schachenstrasse;5b;;;01.04.2026;31.03.2027',
      '',
    ].join('\r\n');
    const response = await sendCsv(csv, 'wohnbau-maerz.csv');
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ outcome: 'applied', eventType: 'tenancyReport', eventCount: 2, senderId: KRIENS_REGISTER });
    const inboxId = response.json<{ inboxId: string }>().inboxId;
    expect(await inboxRow(inboxId)).toMatchObject({ status: 'applied', standard: 'tenancy-csv', file_name: 'wohnbau-maerz.csv', event_count: 2 });
    expect((await storedBody(inboxId)).equals(Buffer.from(csv, 'utf8'))).toBe(true);
    expect(await reportsOf('Wohnbau Kriens AG')).toEqual([
      { municipality_bfs: 1059, reporter_kind: 'landlord', reporter_name: 'Wohnbau Kriens AG', official_name: 'Da Silva', first_names: 'João Pedro', date_of_birth: '1985-11-03', street: 'Schachenstrasse', house_number: '5b', egid: null, ewid: null, lease_start: '2026-04-01', lease_end: '2027-03-31' },
      { municipality_bfs: 1059, reporter_kind: 'landlord', reporter_name: 'Wohnbau Kriens AG', official_name: 'Keller', first_names: 'Anna', date_of_birth: '1990-04-12', street: 'Luzernerstrasse', house_number: '21', egid: 190_100_001, ewid: 3, lease_start: '2026-03-01', lease_end: null },
    ]);
  });

  it('employer reports as CSV with commas and ISO dates: applied; the same file again is a duplicate', async () => {
    const csv = [CSV_HEADER.join(','), 'employer,"Hotel Pilatus, Luzern",1061,Rossi,Marco,1999-09-09,Pilatusstrasse,1,,,2026-05-01,2026-10-31', 'host,"Hotel Pilatus, Luzern",1061,Bernasconi,Lia,,,,,,2026-05-02,'].join('\n');
    const response = await sendCsv(csv);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ outcome: 'applied', eventCount: 2 });
    expect(await reportsOf('Hotel Pilatus, Luzern')).toEqual([
      { municipality_bfs: 1061, reporter_kind: 'host', reporter_name: 'Hotel Pilatus, Luzern', official_name: 'Bernasconi', first_names: 'Lia', date_of_birth: null, street: null, house_number: null, egid: null, ewid: null, lease_start: '2026-05-02', lease_end: null },
      { municipality_bfs: 1061, reporter_kind: 'employer', reporter_name: 'Hotel Pilatus, Luzern', official_name: 'Rossi', first_names: 'Marco', date_of_birth: '1999-09-09', street: 'Pilatusstrasse', house_number: '1', egid: null, ewid: null, lease_start: '2026-05-01', lease_end: '2026-10-31' },
    ]);
    const again = await sendCsv(csv);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ outcome: 'duplicate', status: 'applied', inboxId: response.json<{ inboxId: string }>().inboxId });
    expect(await reportsOf('Hotel Pilatus, Luzern')).toHaveLength(2);
  });

  it('a report file with a bad row: 422 exchange-invalid-report-file naming the line; no row of the file is stored', async () => {
    const csv = [CSV_HEADER.join(';'), 'landlord;Immo Fehler GmbH;1059;Gut;Gabi;;;;;;01.03.2026;', 'landlord;Immo Fehler GmbH;1059;Schlecht;Sepp;;;;;;31.02.2026;', 'caretaker;Immo Fehler GmbH;1059;Auch;Anna;;;;;;01.03.2026;'].join('\n');
    const response = await sendCsv(csv);
    const problem = await expectQuarantined(response, 'exchange-invalid-report-file', csv);
    expect(problem.detail).toContain('line 3');
    expect(problem.detail).toContain('lease_start');
    expect(problem.problems).toEqual([
      { line: 3, message: expect.stringContaining('31.02.2026') as string, path: null },
      { line: 4, message: expect.stringContaining('caretaker') as string, path: null },
    ]);
    expect(await reportsOf('Immo Fehler GmbH')).toEqual([]);
  });

  it('a report file saved by Excel in Windows-1252 is not stored with broken names (decoded right, or refused)', async () => {
    const csv = Buffer.from([CSV_HEADER.join(';'), 'landlord;Gebrüder Zürcher;1059;Bühler;Jürg;;;;;;01.03.2026;'].join('\r\n'), 'latin1');
    const response = await sendCsv(csv);
    expect([202, 422], response.body).toContain(response.statusCode);
    const stored = await database.db.selectFrom('tenancy_reports').select(['reporter_name', 'official_name', 'first_names']).where('tenant_id', '=', office.id).where('reporter_name', 'like', 'Gebr%').execute();
    if (response.statusCode === 202) expect(stored).toEqual([{ reporter_name: 'Gebrüder Zürcher', official_name: 'Bühler', first_names: 'Jürg' }]);
    else expect(stored).toEqual([]);
  });

  // --- answers in XML --------------------------------------------------------------------------------

  function receiptOf(response: LightMyRequestResponse): Receipt {
    expect(response.headers['content-type']).toContain('application/xml');
    const validation = validateXml(response.rawPayload);
    expect(validation.valid, JSON.stringify(validation)).toBe(true);
    const read = readMessage(response.body, countries());
    expect(read.kind).toBe('receipt');
    return (read as { receipt: Receipt }).receipt;
  }

  it('with Accept: application/xml the inbox answers with a schema-valid eCH-0058 receipt: positive when applied, negative with the reason when quarantined', async () => {
    const applied = moveInMessage(newKey({ officialName: 'Xmlantwort' }));
    const positive = await send(applied.xml, { accept: 'application/xml' });
    expect(positive.statusCode).toBe(202);
    expect(receiptOf(positive)).toMatchObject({ positive: true, header: { referenceMessageId: applied.messageId, recipientIds: [KRIENS_REGISTER], action: 9, senderId: 'migraflow-office-bad' } });

    const duplicate = await send(applied.xml, { accept: 'application/xml' });
    expect(duplicate.statusCode).toBe(202);
    expect(receiptOf(duplicate)).toMatchObject({ positive: true, header: { referenceMessageId: applied.messageId } });

    const unknown = message({ type: 'death', person: newKey({ officialName: 'Xmlunbekannt', firstNames: 'Xaver' }), dateOfDeath: '2025-01-01' });
    const negative = await send(unknown.xml, { accept: 'application/xml' });
    expect(negative.statusCode).toBe(422);
    const report = receiptOf(negative);
    expect(report).toMatchObject({ positive: false, header: { referenceMessageId: unknown.messageId, action: 8 } });
    expect(report.notice).toContain('Xaver Xmlunbekannt');
    expect(await inboxRowsOf(unknown.messageId)).toEqual([{ id: expect.any(String) as string, status: 'quarantined' }]);
  });

  it('with Accept: application/xml, the negative receipt for input without a message id (not XML) is schema-valid as well', async () => {
    const response = await send('this is not XML', { accept: 'application/xml' });
    expect(response.statusCode).toBe(422);
    expect(receiptOf(response)).toMatchObject({ positive: false });
  });
});
