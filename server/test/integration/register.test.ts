import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { buildTestApp, createTenant, createTestUser, signIn, type Session } from '../support/fixtures.js';

interface PersonFile {
  id: string;
  version: number;
  identity: Record<string, unknown> & { officialName: string; firstNames: string; civilStatus: string };
  residences: { id: string; municipalityBfs: number; street: string | null; arrivalDate: string; departureDate: string | null; departedTo: string | null }[];
  papers: { id: string; receiptNumber: number; receiptUrl: string; returnedOn: string | null }[];
  deadlines: { kind: string; dueDate: string; legalBasis: string }[];
  papersBlock: boolean;
}

const newcomer = {
  person: { officialName: 'Gonçalves Pereira', firstNames: 'Ana Rita', sex: 'f', dateOfBirth: '1991-07-14', nationality: 'PT', ahvn13: '756.9217.0769.85' },
  residence: { kind: 'main', registrationType: 'settled', municipalityBfs: 1061, street: 'Baselstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern', egid: 190_123_456, ewid: 3, arrivalDate: '2026-03-02', arrivedFrom: 'PT' },
};

describe.each(DATABASE_KINDS)('register and front desk on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let clerk: Session;
  let caseworker: Session;
  let personId: string;

  async function call(session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, payload: payload as object | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en', ...headers } });
  }
  async function file(id: string, asOf?: string): Promise<PersonFile> {
    const response = await call(caseworker, 'GET', `/api/v1/persons/${id}${asOf ? `?asOf=${asOf}` : ''}`);
    expect(response.statusCode).toBe(200);
    return response.json() as PersonFile;
  }
  async function count(table: 'persons' | 'residences' | 'deposited_papers'): Promise<number> {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    const tenant = await createTenant(database.db, 'office-a');
    await createTestUser(database.db, tenant, 'clerk-lu', 'municipal-clerk', 'gemeinde-1061');
    await createTestUser(database.db, tenant, 'worker', 'caseworker', 'aufenthalt');
    clerk = await signIn(app, 'clerk-lu');
    caseworker = await signIn(app, 'worker');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('registers an arrival with its 14-day papers deadline (NG § 3), audited', async () => {
    const response = await call(clerk, 'POST', '/api/v1/register/arrivals', newcomer);
    expect(response.statusCode).toBe(201);
    const body = response.json() as { person: PersonFile; deadline: { kind: string; dueDate: string; legalBasis: string } };
    personId = body.person.id;
    expect(body.person.identity).toMatchObject({ officialName: 'Gonçalves Pereira', ahvn13: '7569217076985', nationality: 'PT' });
    expect(body.person.residences).toMatchObject([{ municipalityBfs: 1061, street: 'Baselstrasse', arrivalDate: '2026-03-02', departureDate: null }]);
    expect(body.deadline).toMatchObject({ kind: 'deposit-papers', dueDate: '2026-03-16' });
    expect(body.deadline.legalBasis).toContain('§ 3');
    const audit = await database.db.selectFrom('audit_log').select(['actor_name', 'entity_id']).where('action', '=', 'register.arrival').execute();
    expect(audit).toContainEqual({ actor_name: 'clerk-lu', entity_id: personId });
  });

  it('starts the deadline the registration type prescribes', async () => {
    const cases: [string, string, string][] = [
      ['private-lodging', 'report-private-lodging', '2026-03-12'],
      ['guest', 'guest-exemption-ends', '2026-05-02'],
      ['weekly-commuter', 'proof-of-residence', '2026-04-02'],
    ];
    for (const [registrationType, deadlineKind, due] of cases) {
      const response = await call(clerk, 'POST', '/api/v1/register/arrivals', {
        person: { officialName: `Test ${registrationType}`, firstNames: 'Kim', sex: 'x', dateOfBirth: '1970-00-00', nationality: 'DE' },
        confirmNotDuplicate: true,
        residence: { ...newcomer.residence, registrationType, kind: registrationType === 'weekly-commuter' ? 'secondary' : 'main' },
      });
      expect(response.statusCode).toBe(201);
      expect((response.json() as { deadline: { kind: string; dueDate: string } }).deadline).toMatchObject({ kind: deadlineKind, dueDate: due });
    }
  });

  it('refuses a likely duplicate until the clerk decides, and can reuse the known person', async () => {
    const again = { ...newcomer, person: { ...newcomer.person, officialName: 'Goncalves Pereira', ahvn13: null } };
    const refused = await call(clerk, 'POST', '/api/v1/register/arrivals', again);
    expect(refused.statusCode).toBe(409);
    const problem = refused.json() as { code: string; candidates: { id: string; reasons: string[] }[] };
    expect(problem.code).toBe('possible-duplicate');
    expect(problem.candidates[0]).toMatchObject({ id: personId, reasons: expect.arrayContaining(['date-of-birth']) });
    const before = await count('persons');
    const reuse = await call(clerk, 'POST', '/api/v1/register/arrivals', { personId, residence: { ...newcomer.residence, kind: 'secondary', registrationType: 'stay', street: 'Zürichstrasse' } });
    expect(reuse.statusCode).toBe(201);
    expect(await count('persons')).toBe(before);
  });

  it('puts a newcomer into the household of a person already living here', async () => {
    const child = await call(clerk, 'POST', '/api/v1/register/arrivals', {
      person: { officialName: 'Gonçalves Pereira', firstNames: 'Tiago', sex: 'm', dateOfBirth: '2019-02-02', nationality: 'PT' },
      confirmNotDuplicate: true,
      residence: { ...newcomer.residence, arrivalDate: '2026-03-05', householdOf: personId },
    });
    expect(child.statusCode).toBe(201);
    const childHome = (child.json() as { person: { residences: { householdId: string | null }[] } }).person.residences[0]!;
    const parentHome = (await file(personId)).residences.find((r) => r.street === 'Baselstrasse') as unknown as { householdId: string | null };
    expect(childHome.householdId).not.toBeNull();
    expect(childHome.householdId).toBe(parentHome.householdId);
    const taken = await call(clerk, 'POST', '/api/v1/register/arrivals', { ...newcomer, confirmNotDuplicate: true });
    expect(taken.statusCode).toBe(400);
    expect(taken.json()).toMatchObject({ errors: [{ field: 'person.ahvn13', message: 'already belongs to another person in the register' }] });
    const nobody = await call(clerk, 'POST', '/api/v1/register/arrivals', { ...newcomer, person: { ...newcomer.person, ahvn13: null }, confirmNotDuplicate: true, residence: { ...newcomer.residence, householdOf: '00000000-0000-4000-8000-000000000000' } });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json()).toMatchObject({ errors: [{ field: 'residence.householdOf' }] });
  });

  it('refuses bad input with a clear problem and writes nothing', async () => {
    const persons = await count('persons');
    const residences = await count('residences');
    const badAhv = await call(clerk, 'POST', '/api/v1/register/arrivals', { ...newcomer, person: { ...newcomer.person, ahvn13: '756.9217.0769.84' } });
    expect(badAhv.statusCode).toBe(400);
    expect(badAhv.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'person.ahvn13', message: expect.stringContaining('check digit') }] });
    const unknown = await call(caseworker, 'POST', '/api/v1/register/arrivals', { ...newcomer, confirmNotDuplicate: true, residence: { ...newcomer.residence, municipalityBfs: 9999 } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'unknown-municipality', detail: 'The municipality with BFS number 9999 does not belong to this office.' });
    const elsewhere = await call(clerk, 'POST', '/api/v1/register/arrivals', { ...newcomer, confirmNotDuplicate: true, residence: { ...newcomer.residence, municipalityBfs: 1059 } });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json()).toMatchObject({ code: 'not-your-municipality' });
    const badDate = await call(clerk, 'POST', '/api/v1/register/arrivals', { ...newcomer, confirmNotDuplicate: true, residence: { ...newcomer.residence, arrivalDate: '2026-02-30' } });
    expect(badDate.statusCode).toBe(400);
    expect(await count('persons')).toBe(persons);
    expect(await count('residences')).toBe(residences);
  });

  it('moves a person within the municipality under optimistic locking', async () => {
    const current = await file(personId);
    const noVersion = await call(clerk, 'POST', `/api/v1/persons/${personId}/moves`, { date: '2026-05-01', street: 'Bruchstrasse', houseNumber: '5' });
    expect(noVersion.statusCode).toBe(428);
    const stale = await call(clerk, 'POST', `/api/v1/persons/${personId}/moves`, { date: '2026-05-01', street: 'Bruchstrasse', houseNumber: '5' }, { 'if-match': `"${current.version - 1}"` });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version-conflict', currentVersion: current.version, current: { id: personId, version: current.version } });
    const early = await call(clerk, 'POST', `/api/v1/persons/${personId}/moves`, { date: '2026-01-01', street: 'Bruchstrasse', houseNumber: '5' }, { 'if-match': `"${current.version}"` });
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'invalid-period' });
    const moved = await call(clerk, 'POST', `/api/v1/persons/${personId}/moves`, { date: '2026-05-01', street: 'Bruchstrasse', houseNumber: '5', egid: 190_999_001, ewid: 1 }, { 'if-match': `"${current.version}"` });
    expect(moved.statusCode).toBe(200);
    const after = moved.json() as PersonFile;
    expect(after.version).toBe(current.version + 1);
    const main = after.residences.filter((r) => r.municipalityBfs === 1061 && r.street !== 'Zürichstrasse');
    expect(main.map((r) => [r.street, r.arrivalDate, r.departureDate])).toEqual([
      ['Baselstrasse', '2026-03-02', '2026-05-01'],
      ['Bruchstrasse', '2026-05-01', null],
    ]);
    const history = (await call(caseworker, 'GET', `/api/v1/persons/${personId}/history`)).json() as { residences: { street: string; supersededAt: string | null }[] };
    expect(history.residences.filter((r) => r.street === 'Baselstrasse').map((r) => r.supersededAt !== null).sort()).toEqual([false, true]);
    const asOfApril = await file(personId, '2026-04-01');
    expect(asOfApril.residences.map((r) => r.street)).toContain('Baselstrasse');
    expect(asOfApril.residences.map((r) => r.street)).not.toContain('Bruchstrasse');
  });

  it('lets only one of two clerks editing at once win; the other gets 409 with the current version', async () => {
    const { version } = await file(personId);
    const [a, b] = await Promise.all([
      call(clerk, 'PATCH', `/api/v1/persons/${personId}`, { changes: { callName: 'Ana' } }, { 'if-match': `"${version}"` }),
      call(caseworker, 'PATCH', `/api/v1/persons/${personId}`, { changes: { callName: 'Rita' } }, { 'if-match': `"${version}"` }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json()).toMatchObject({ code: 'version-conflict', currentVersion: version + 1 });
  });

  it('keeps names and civil status as valid-time history; corrections keep the earlier version', async () => {
    let current = await file(personId);
    const married = await call(caseworker, 'PATCH', `/api/v1/persons/${personId}`, { changes: { officialName: 'Meier', maidenName: 'Gonçalves Pereira', civilStatus: 'married', civilStatusDate: '2026-06-20' }, validFrom: '2026-06-20' }, { 'if-match': `"${current.version}"` });
    expect(married.statusCode).toBe(200);
    current = married.json() as PersonFile;
    expect((await file(personId, '2026-06-01')).identity).toMatchObject({ officialName: 'Gonçalves Pereira', civilStatus: 'unknown' });
    expect((await file(personId, '2026-07-01')).identity).toMatchObject({ officialName: 'Meier', maidenName: 'Gonçalves Pereira', civilStatus: 'married' });
    const corrected = await call(caseworker, 'PATCH', `/api/v1/persons/${personId}`, { changes: { officialName: 'Meyer' }, validFrom: '2026-07-01', correction: true }, { 'if-match': `"${current.version}"` });
    expect(corrected.statusCode).toBe(200);
    expect((corrected.json() as PersonFile).identity.officialName).toBe('Meyer');
    expect((await file(personId, '2026-06-01')).identity.officialName).toBe('Gonçalves Pereira');
    const history = (await call(caseworker, 'GET', `/api/v1/persons/${personId}/history`)).json() as { versions: { aspect: string; data: { officialName?: string }; reason: string; supersededAt: string | null }[] };
    const names = history.versions.filter((v) => v.aspect === 'name');
    expect(names.find((v) => v.data.officialName === 'Meier')?.supersededAt).not.toBeNull();
    expect(names.find((v) => v.data.officialName === 'Meyer' && v.supersededAt === null)?.reason).toBe('correction');
  });

  it('finds persons by spelling variants, sound, date of birth, AHVN13 and document number, with reasons', async () => {
    const add = async (officialName: string, firstNames: string, dateOfBirth: string) =>
      (await call(clerk, 'POST', '/api/v1/register/arrivals', { person: { officialName, firstNames, sex: 'm', dateOfBirth, nationality: 'CH' }, confirmNotDuplicate: true, residence: newcomer.residence })).json() as { person: PersonFile };
    await add('Müller', 'Hans', '1960-01-02');
    await add('Kovačević', 'Marko', '1985-03-12');
    await add('Muhammad', 'Ali', '1990-09-09');
    const search = async (q: string) => (await call(caseworker, 'GET', `/api/v1/persons?q=${encodeURIComponent(q)}`)).json() as { officialName: string; reasons: string[] }[];
    expect((await search('Mueller'))[0]).toMatchObject({ officialName: 'Müller', reasons: expect.arrayContaining(['similar-spelling']) });
    expect((await search('Muller Hans'))[0]?.officialName).toBe('Müller');
    expect((await search('kovacevic'))[0]).toMatchObject({ officialName: 'Kovačević', reasons: expect.arrayContaining(['name-without-diacritics']) });
    expect((await search('Mohammed'))[0]).toMatchObject({ officialName: 'Muhammad', reasons: expect.arrayContaining(['sounds-alike']) });
    expect((await search('12.03.1985'))[0]).toMatchObject({ officialName: 'Kovačević', reasons: ['date-of-birth'] });
    expect((await search('kovacevic 1985'))[0]?.reasons).toEqual(expect.arrayContaining(['birth-year']));
    expect((await search('7569217076985'))[0]).toMatchObject({ officialName: 'Meyer', reasons: ['ahvn13'] });
  });

  it('deposits papers against a § 10 receipt, meets the deadline, journals them and returns them', async () => {
    const { version } = await file(personId);
    const deposit = await call(clerk, 'POST', `/api/v1/persons/${personId}/papers`, { kind: 'passport', designation: 'Reisepass Portugal', number: 'cb123456', issuingCountry: 'PT', validUntil: '2031-01-31', depositedOn: '2026-03-10', feeChf: 30 });
    expect(deposit.statusCode).toBe(201);
    const paper = deposit.json() as { id: string; receiptNumber: number; number: string; receiptUrl: string; feeChf: string };
    expect(paper).toMatchObject({ receiptNumber: 1, number: 'CB123456', feeChf: '30.00' });
    expect((await file(personId)).deadlines.map((d) => d.kind)).not.toContain('deposit-papers');
    expect((await file(personId)).version).toBe(version);

    const tooPrecise = await call(clerk, 'POST', `/api/v1/persons/${personId}/papers`, { kind: 'other', designation: 'x', issuingCountry: 'PT', depositedOn: '2026-03-10', feeChf: 30.005 });
    expect(tooPrecise.statusCode).toBe(400);

    const pdf = await call(clerk, 'GET', paper.receiptUrl);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(path.join(tmpdir(), 'mf-receipt-'));
    try {
      writeFileSync(path.join(dir, 'r.pdf'), pdf.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      for (const expected of ['Schriftenempfangsschein', 'Tag der Ausstellung', '10.03.2026', 'Gonçalves Pereira Ana Rita', '14.07.1991', 'Familienstand', 'Heimatort', 'Baselstrasse 12, 6003 Luzern', 'Reisepass Portugal Nr. CB123456', '31.01.2031', 'CHF 30.00']) {
        expect(text).toContain(expected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const bySearch = await call(caseworker, 'GET', '/api/v1/persons?q=CB123456');
    expect((bySearch.json() as { id: string; reasons: string[] }[])[0]).toMatchObject({ id: personId, reasons: ['document-number'] });

    const journal = (await call(clerk, 'GET', '/api/v1/papers/journal?order=alphabetical&from=2026-01-01&to=2026-12-31')).json() as { entries: { event: string; receiptNumber: number }[] };
    expect(journal.entries).toEqual([expect.objectContaining({ event: 'deposit', receiptNumber: 1 })]);
    const csv = await call(clerk, 'GET', '/api/v1/papers/journal?from=2026-01-01&to=2026-12-31', undefined, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toBe('date,event,receipt_number,official_name,first_names,date_of_birth,designation,number,valid_until,fee_chf');
    expect(csv.body).toContain('2026-03-10,deposit,1,');

    // A papers block (§ 14) stops the return, and nothing changes.
    const blockedVersion = (await file(personId)).version;
    expect((await call(caseworker, 'PATCH', `/api/v1/persons/${personId}`, { changes: { papersBlock: true } }, { 'if-match': `"${blockedVersion}"` })).statusCode).toBe(200);
    const refused = await call(clerk, 'POST', `/api/v1/papers/${paper.id}/return`, { date: '2026-08-01' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'papers-blocked', detail: expect.stringContaining('§ 14') });
    expect((await file(personId)).papers[0]?.returnedOn).toBeNull();
    const unblockedVersion = (await file(personId)).version;
    await call(caseworker, 'PATCH', `/api/v1/persons/${personId}`, { changes: { papersBlock: false } }, { 'if-match': `"${unblockedVersion}"` });
    const returned = await call(clerk, 'POST', `/api/v1/papers/${paper.id}/return`, { date: '2026-08-01' });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ returnedOn: '2026-08-01', returnedBy: 'clerk-lu' });
    const chronological = (await call(clerk, 'GET', '/api/v1/papers/journal?from=2026-01-01&to=2026-12-31')).json() as { entries: { event: string; feeChf: string }[] };
    expect(chronological.entries.map((e) => [e.event, e.feeChf])).toEqual([['deposit', '30.00'], ['return', '0.00']]);
  });

  it('registers a departure once; a second departure or a move afterwards is refused', async () => {
    const { version } = await file(personId);
    const before = await call(clerk, 'POST', `/api/v1/persons/${personId}/departure`, { date: '2020-01-01', departedTo: 'PT' }, { 'if-match': `"${version}"` });
    expect(before.statusCode).toBe(422);
    const gone = await call(clerk, 'POST', `/api/v1/persons/${personId}/departure`, { date: '2026-09-30', departedTo: 'PT' }, { 'if-match': `"${version}"` });
    expect(gone.statusCode).toBe(200);
    const after = gone.json() as PersonFile;
    expect(after.residences.every((r) => r.departureDate !== null)).toBe(true);
    const again = await call(clerk, 'POST', `/api/v1/persons/${personId}/departure`, { date: '2026-10-01', departedTo: 'PT' }, { 'if-match': `"${after.version}"` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'already-departed' });
    const move = await call(clerk, 'POST', `/api/v1/persons/${personId}/moves`, { date: '2026-10-01', street: 'X', houseNumber: '1' }, { 'if-match': `"${after.version}"` });
    expect(move.statusCode).toBe(409);
  });

  it('records spouses both ways and children with custody', async () => {
    const add = async (officialName: string, firstNames: string, dateOfBirth: string) =>
      ((await call(clerk, 'POST', '/api/v1/register/arrivals', { person: { officialName, firstNames, sex: 'f', dateOfBirth, nationality: 'IT' }, confirmNotDuplicate: true, residence: newcomer.residence })).json() as { person: PersonFile }).person;
    const wife = await add('Rossi', 'Giulia', '1988-01-01');
    const husband = await add('Bianchi', 'Marco', '1987-02-02');
    const married = await call(clerk, 'POST', `/api/v1/persons/${wife.id}/relations`, { kind: 'spouse', relatedPersonId: husband.id, validFrom: '2015-05-05' }, { 'if-match': `"${wife.version}"` });
    expect(married.statusCode).toBe(200);
    const withChild = await call(clerk, 'POST', `/api/v1/persons/${wife.id}/relations`, { kind: 'child', relatedName: 'Bianchi Sofia (born 2018, abroad)', custody: true }, { 'if-match': `"${(married.json() as PersonFile).version}"` });
    expect(withChild.statusCode).toBe(200);
    expect((withChild.json() as { relations: unknown[] }).relations).toEqual([
      expect.objectContaining({ kind: 'spouse', relatedPersonId: husband.id, validFrom: '2015-05-05' }),
      expect.objectContaining({ kind: 'child', relatedName: 'Bianchi Sofia (born 2018, abroad)', custody: true }),
    ]);
    expect(((await file(husband.id)) as unknown as { relations: unknown[] }).relations).toEqual([expect.objectContaining({ kind: 'spouse', relatedPersonId: wife.id })]);
    const nobody = await call(clerk, 'POST', `/api/v1/persons/${husband.id}/relations`, { kind: 'spouse' }, { 'if-match': '"99"' });
    expect(nobody.statusCode).toBe(400);
  });

  it('merges two records of one person, keeping both histories', async () => {
    const first = (await call(clerk, 'POST', '/api/v1/register/arrivals', { person: { officialName: 'Berisha', firstNames: 'Arben', sex: 'm', dateOfBirth: '1979-02-11', nationality: 'XK' }, confirmNotDuplicate: true, residence: newcomer.residence })).json() as { person: PersonFile };
    const second = (await call(clerk, 'POST', '/api/v1/register/arrivals', { person: { officialName: 'Berischa', firstNames: 'Arben', sex: 'm', dateOfBirth: '1979-02-11', nationality: 'XK', ahvn13: '7561234567897' }, confirmNotDuplicate: true, residence: { ...newcomer.residence, street: 'Hertensteinstrasse' } })).json() as { person: PersonFile };
    const merged = await call(caseworker, 'POST', `/api/v1/persons/${first.person.id}/merge`, { duplicateId: second.person.id }, { 'if-match': `"${first.person.version}"` });
    expect(merged.statusCode).toBe(200);
    const survivor = merged.json() as PersonFile;
    expect(survivor.identity.ahvn13).toBe('7561234567897');
    expect(survivor.residences.map((r) => r.street).sort()).toEqual(['Baselstrasse', 'Hertensteinstrasse']);
    const hits = (await call(caseworker, 'GET', '/api/v1/persons?q=Berisha Arben')).json() as { id: string }[];
    expect(hits.map((h) => h.id)).toContain(first.person.id);
    expect(hits.map((h) => h.id)).not.toContain(second.person.id);
    const audit = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'person.merge').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ survivor: first.person.id, duplicate: second.person.id });
  });

  it('lists who must be asked to report from landlord reports (NG §§ 16, 17)', async () => {
    const report = (body: object) => call(clerk, 'POST', '/api/v1/register/tenancy-reports', { reporterKind: 'landlord', reporterName: 'Wohnbau AG', municipalityBfs: 1061, ...body });
    expect((await report({ officialName: 'Unbekannt', firstNames: 'Nora', egid: 190_555_555, ewid: 2, leaseStart: '2026-01-01' })).statusCode).toBe(201);
    expect((await report({ officialName: 'Berisha', firstNames: 'Arben', egid: 190_123_456, ewid: 3, leaseStart: '2025-01-01', leaseEnd: '2026-02-28' })).statusCode).toBe(201);
    const invalid = await report({ officialName: 'X', firstNames: 'Y', leaseStart: '2026-05-01', leaseEnd: '2026-04-01' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({ code: 'invalid-period' });
    const list = (await call(clerk, 'GET', '/api/v1/register/reconciliation?asOf=2026-04-01')).json() as { items: { kind: string; officialName: string; personId: string | null }[] };
    expect(list.items).toContainEqual(expect.objectContaining({ kind: 'reported-not-registered', officialName: 'Unbekannt', personId: null }));
    expect(list.items).toContainEqual(expect.objectContaining({ kind: 'registered-but-moved-out', officialName: 'Berisha' }));
  });
});
