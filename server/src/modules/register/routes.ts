import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import { IdParams, IfMatch, IsoDate, Nullable, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { registerArrival, registerDeparture, registerMove } from './front-desk.js';
import { depositPapers, journalCsv, papersJournal, papersReceiptPdf, returnPapers } from './papers.js';
import { listMunicipalities, reconciliationList, recordTenancyReport } from './reports.js';
import { addRelation, changePerson, checkDuplicates, discloseBlockedData, mergePersons, parseIfMatch, readPersonFile, readPersonHistory, searchPersons, today } from './service.js';

/** eCH dates: 00 for an unknown month or day. */
const EchDate = Type.String({ pattern: '^[0-9]{4}-(0[0-9]|1[0-2])-([0-2][0-9]|3[01])$', description: 'YYYY-MM-DD; 00 for an unknown month or day' });
const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2; XS stateless, XX unknown' });
const Sex = Type.Union([Type.Literal('m'), Type.Literal('f'), Type.Literal('x')]);
const CivilStatus = Type.Union(['single', 'married', 'widowed', 'divorced', 'registered-partnership', 'dissolved-partnership', 'unknown'].map((s) => Type.Literal(s)));
const RegistrationType = Type.Union(['settled', 'stay', 'guest', 'private-lodging', 'weekly-commuter', 'self-employed'].map((s) => Type.Literal(s)));
const PaperKind = Type.Union(['passport', 'identity-card', 'heimatschein', 'family-book', 'residence-certificate', 'other'].map((s) => Type.Literal(s)));
const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });

const PersonHit = Type.Object(
  {
    id: Type.String(),
    officialName: Type.String(),
    firstNames: Type.String(),
    dateOfBirth: Type.String(),
    sex: Sex,
    nationality: Type.String(),
    municipality: Nullable(Type.String()),
    blocked: Type.Boolean(),
    score: Type.Number(),
    reasons: Type.Array(Type.String(), { description: 'ahvn13, document-number, date-of-birth, birth-year, exact-name, name-without-diacritics, similar-spelling, sounds-alike' }),
  },
  { $id: 'PersonHit' },
);

const Residence = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  registrationType: Type.String(),
  municipalityBfs: Type.Integer(),
  municipalityName: Type.String(),
  street: Nullable(Type.String()),
  houseNumber: Nullable(Type.String()),
  postalCode: Nullable(Type.String()),
  town: Nullable(Type.String()),
  egid: Nullable(Type.Integer()),
  ewid: Nullable(Type.Integer()),
  householdId: Nullable(Type.String()),
  arrivalDate: Type.String(),
  arrivedFrom: Nullable(Type.String()),
  departureDate: Nullable(Type.String()),
  departedTo: Nullable(Type.String()),
});

const Paper = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    receiptNumber: Type.Integer(),
    kind: Type.String(),
    designation: Type.String(),
    number: Nullable(Type.String()),
    issuingCountry: Type.String(),
    validUntil: Nullable(Type.String()),
    depositedOn: Type.String(),
    feeChf: Type.String(),
    returnedOn: Nullable(Type.String()),
    returnedBy: Nullable(Type.String()),
    receiptUrl: Type.String(),
  },
  { $id: 'Paper' },
);

const Deadline = Type.Object({ id: Type.String(), kind: Type.String(), legalBasis: Type.String(), dueDate: Type.String(), status: Type.String() });

const IdentityFields = {
  ahvn13: Nullable(Type.String()),
  officialName: Type.String(),
  firstNames: Type.String(),
  callName: Nullable(Type.String()),
  maidenName: Nullable(Type.String()),
  allianceName: Nullable(Type.String()),
  nameInForeignPassport: Nullable(Type.String()),
  aliasName: Nullable(Type.String()),
  sex: Sex,
  dateOfBirth: Type.String(),
  placeOfBirth: Nullable(Type.String()),
  countryOfBirth: Nullable(Type.String()),
  nationality: Type.String(),
  placeOfOrigin: Nullable(Type.String()),
  civilStatus: Type.String(),
  civilStatusDate: Nullable(Type.String()),
  fatherName: Nullable(Type.String()),
  motherName: Nullable(Type.String()),
  legalCapacity: Nullable(Type.String()),
  fireServiceDuty: Nullable(Type.Boolean()),
  religion: Nullable(Type.String()),
};

const PersonFile = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer(),
    asOf: Nullable(Type.String()),
    identity: Type.Object(IdentityFields),
    blockingNote: Type.Boolean(),
    papersBlock: Type.Boolean(),
    mergedInto: Nullable(Type.String()),
    dateOfDeath: Nullable(Type.String({ format: 'date' })),
    residences: Type.Array(Residence),
    relations: Type.Array(
      Type.Object({ id: Type.String(), kind: Type.String(), relatedPersonId: Nullable(Type.String()), relatedName: Nullable(Type.String()), custody: Nullable(Type.Boolean()), validFrom: Nullable(Type.String()), validTo: Nullable(Type.String()) }),
    ),
    papers: Type.Array(Paper),
    deadlines: Type.Array(Deadline),
  },
  { $id: 'PersonFile' },
);

/** What a caller may change; names, civil status and nationality keep their history. */
const PersonChanges = Type.Object(
  {
    ahvn13: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    officialName: Type.Optional(Text()),
    firstNames: Type.Optional(Text()),
    callName: Type.Optional(Nullable(Text())),
    maidenName: Type.Optional(Nullable(Text())),
    allianceName: Type.Optional(Nullable(Text())),
    nameInForeignPassport: Type.Optional(Nullable(Text())),
    aliasName: Type.Optional(Nullable(Text())),
    sex: Type.Optional(Sex),
    dateOfBirth: Type.Optional(EchDate),
    placeOfBirth: Type.Optional(Nullable(Text())),
    countryOfBirth: Type.Optional(Nullable(Country)),
    nationality: Type.Optional(Country),
    placeOfOrigin: Type.Optional(Nullable(Text())),
    civilStatus: Type.Optional(CivilStatus),
    civilStatusDate: Type.Optional(Nullable(IsoDate)),
    fatherName: Type.Optional(Nullable(Text())),
    motherName: Type.Optional(Nullable(Text())),
    legalCapacity: Type.Optional(Nullable(Type.Union([Type.Literal('full'), Type.Literal('limited'), Type.Literal('none')]))),
    fireServiceDuty: Type.Optional(Nullable(Type.Boolean())),
    religion: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{3,6}$' }))),
    blockingNote: Type.Optional(Type.Boolean()),
    papersBlock: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Answers a versioned record with its version as ETag, for the next If-Match. */
function withEtag<T extends { version: number }>(reply: FastifyReply, record: T): T {
  reply.header('etag', `"${record.version}"`);
  return record;
}

function context(request: FastifyRequest): RequestContext {
  return { actor: requireActor(request), requestId: request.id };
}

export function registerRegisterRoutes(root: FastifyInstance, db: Db): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const read = { permission: 'persons:read' as const };
  const write = { permission: 'persons:write' as const };

  app.get(
    '/api/v1/persons',
    {
      config: read,
      schema: {
        tags: ['register'],
        summary: 'Search the persons the caller may see',
        description:
          'One search box: names (ignoring case and diacritics, tolerating typos, transliterations and sound-alikes), a date of birth (31.12.1980 or 1980-12-31), a birth year, an AHVN13 or a document number. Hits are ranked by likeness and carry the reasons of the match. An empty q lists persons alphabetically.',
        querystring: Type.Object({ q: Type.String({ default: '', maxLength: 200 }), limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) }, { additionalProperties: false }),
        response: { 200: Type.Array(PersonHit), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => searchPersons(db, context(request), request.query.q, request.query.limit),
  );

  app.get(
    '/api/v1/persons/:id',
    {
      config: read,
      schema: {
        tags: ['register'],
        summary: 'The person file, as of today or as of a date',
        params: IdParams,
        querystring: Type.Object({ asOf: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: { 200: PersonFile, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await readPersonFile(db, context(request), request.params.id, request.query.asOf ?? null)),
  );

  app.get(
    '/api/v1/persons/:id/history',
    {
      config: read,
      schema: {
        tags: ['register'],
        summary: 'Every version of names, civil status, nationality and residence, corrected ones included',
        params: IdParams,
        response: {
          200: Type.Object({
            versions: Type.Array(
              Type.Object({
                id: Type.String(),
                aspect: Type.String(),
                validFrom: Type.String(),
                validTo: Nullable(Type.String()),
                data: Type.Record(Type.String(), Type.Unknown()),
                reason: Type.String(),
                recordedAt: Type.String(),
                recordedBy: Nullable(Type.String()),
                supersededAt: Nullable(Type.String()),
              }),
            ),
            residences: Type.Array(Type.Intersect([Residence, Type.Object({ recordedAt: Type.String(), supersededAt: Nullable(Type.String()) })])),
          }),
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request) => readPersonHistory(db, context(request), request.params.id),
  );

  app.post(
    '/api/v1/persons/:id/disclosure',
    {
      config: { permission: 'persons:disclose' },
      schema: {
        tags: ['register'],
        summary: 'Show the address data a blocking note hides, for a recorded reason',
        description: 'The reason is written to the audit log with the disclosure (NG §§ 13, 14).',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 10, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ blockingNote: Type.Boolean(), residences: Type.Array(Residence) }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => discloseBlockedData(db, context(request), request.params.id, request.body.reason.trim()),
  );

  app.patch(
    '/api/v1/persons/:id',
    {
      config: write,
      schema: {
        tags: ['register'],
        summary: 'Change (from a date) or correct a person’s data',
        params: IdParams,
        headers: IfMatch,
        body: Type.Object({ changes: PersonChanges, validFrom: Type.Optional(IsoDate), correction: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: PersonFile, ...problemResponses(400, 401, 403, 404, 409, 428) },
      },
    },
    async (request, reply) => withEtag(reply, await changePerson(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)),
  );

  app.post(
    '/api/v1/persons/duplicates',
    {
      config: read,
      schema: {
        tags: ['register'],
        summary: 'Likely duplicates of a person about to be registered',
        body: Type.Object({ officialName: Text(), firstNames: Text(), dateOfBirth: EchDate, ahvn13: Type.Optional(Nullable(Type.String({ maxLength: 20 }))) }, { additionalProperties: false }),
        response: { 200: Type.Array(PersonHit), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => checkDuplicates(db, context(request), request.body),
  );

  app.post(
    '/api/v1/persons/:id/merge',
    {
      config: write,
      schema: {
        tags: ['register'],
        summary: 'Merge a duplicate record into this person; both histories are kept',
        params: IdParams,
        headers: IfMatch,
        body: Type.Object({ duplicateId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: PersonFile, ...problemResponses(400, 401, 403, 404, 409, 428) },
      },
    },
    async (request) => mergePersons(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.duplicateId),
  );

  app.post(
    '/api/v1/persons/:id/relations',
    {
      config: write,
      schema: {
        tags: ['register'],
        summary: 'Record a spouse, registered partner or child (with custody)',
        params: IdParams,
        headers: IfMatch,
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('spouse'), Type.Literal('registered-partner'), Type.Literal('child')]),
            relatedPersonId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
            relatedName: Type.Optional(Nullable(Text())),
            custody: Type.Optional(Nullable(Type.Boolean())),
            validFrom: Type.Optional(Nullable(IsoDate)),
          },
          { additionalProperties: false },
        ),
        response: { 200: PersonFile, ...problemResponses(400, 401, 403, 404, 409, 428) },
      },
    },
    async (request, reply) => withEtag(reply, await addRelation(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)),
  );

  app.post(
    '/api/v1/register/arrivals',
    {
      config: write,
      schema: {
        tags: ['register'],
        summary: 'Arrival (Zuzug) of a new or known person; starts the legal deadline',
        body: Type.Object(
          {
            personId: Type.Optional(Type.String({ format: 'uuid' })),
            person: Type.Optional(
              Type.Object(
                {
                  ahvn13: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
                  officialName: Text(),
                  firstNames: Text(),
                  sex: Sex,
                  dateOfBirth: EchDate,
                  nationality: Country,
                  placeOfOrigin: Type.Optional(Nullable(Text())),
                  civilStatus: Type.Optional(CivilStatus),
                  placeOfBirth: Type.Optional(Nullable(Text())),
                  countryOfBirth: Type.Optional(Nullable(Country)),
                  callName: Type.Optional(Nullable(Text())),
                  maidenName: Type.Optional(Nullable(Text())),
                },
                { additionalProperties: false },
              ),
            ),
            confirmNotDuplicate: Type.Optional(Type.Boolean()),
            residence: Type.Object(
              {
                kind: Type.Union([Type.Literal('main'), Type.Literal('secondary')]),
                registrationType: RegistrationType,
                municipalityBfs: Type.Integer({ minimum: 1, maximum: 9999 }),
                street: Text(),
                houseNumber: Text(20),
                postalCode: Type.String({ pattern: '^[0-9]{4}$' }),
                town: Text(),
                egid: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 999999999 }))),
                ewid: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 999 }))),
                arrivalDate: IsoDate,
                arrivedFrom: Type.Optional(Nullable(Text())),
                householdOf: Type.Optional(Nullable(Type.String({ format: 'uuid', description: 'Join the household of this person' }))),
              },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ person: PersonFile, deadline: Deadline }), ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const result = await registerArrival(db, context(request), request.body);
      reply.status(201).header('location', `/api/v1/persons/${result.person.id}`).header('etag', `"${result.person.version}"`);
      return result;
    },
  );

  app.post(
    '/api/v1/persons/:id/moves',
    {
      config: write,
      schema: {
        tags: ['register'],
        summary: 'Move within the municipality or building (NG § 2a)',
        params: IdParams,
        headers: IfMatch,
        body: Type.Object(
          {
            date: IsoDate,
            street: Text(),
            houseNumber: Text(20),
            postalCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{4}$' }))),
            egid: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 999999999 }))),
            ewid: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 999 }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: PersonFile, ...problemResponses(400, 401, 403, 404, 409, 422, 428) },
      },
    },
    async (request, reply) => withEtag(reply, await registerMove(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)),
  );

  app.post(
    '/api/v1/persons/:id/departure',
    {
      config: write,
      schema: {
        tags: ['register'],
        summary: 'Departure (Wegzug)',
        params: IdParams,
        headers: IfMatch,
        body: Type.Object({ date: IsoDate, departedTo: Text() }, { additionalProperties: false }),
        response: { 200: PersonFile, ...problemResponses(400, 401, 403, 404, 409, 422, 428) },
      },
    },
    async (request, reply) => withEtag(reply, await registerDeparture(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)),
  );

  app.post(
    '/api/v1/persons/:id/papers',
    {
      config: write,
      schema: {
        tags: ['register'],
        summary: 'Deposit identity papers against a receipt (NG §§ 3, 10)',
        params: IdParams,
        body: Type.Object(
          {
            kind: PaperKind,
            designation: Text(),
            number: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
            issuingCountry: Country,
            validUntil: Type.Optional(Nullable(IsoDate)),
            depositedOn: IsoDate,
            feeChf: Type.Number({ minimum: 0, maximum: 10000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Paper, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const paper = await depositPapers(db, context(request), request.params.id, request.body);
      reply.status(201);
      return paper;
    },
  );

  app.get(
    '/api/v1/papers/:id/receipt.pdf',
    {
      config: read,
      schema: { tags: ['register'], summary: 'The papers receipt (Schriftenempfangsschein, NG § 10) as PDF', params: IdParams, produces: ['application/pdf'] },
    },
    async (request, reply) => {
      const { pdf, receiptNumber } = await papersReceiptPdf(db, context(request), request.params.id);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="schriftenempfangsschein-${receiptNumber}.pdf"`).send(pdf);
    },
  );

  app.post(
    '/api/v1/papers/:id/return',
    {
      config: write,
      schema: {
        tags: ['register'],
        summary: 'Return deposited papers (free, NG § 14); refused under a papers block',
        params: IdParams,
        body: Type.Object({ date: IsoDate }, { additionalProperties: false }),
        response: { 200: Paper, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => returnPapers(db, context(request), request.params.id, request.body.date),
  );

  app.get(
    '/api/v1/papers/journal',
    {
      config: read,
      schema: {
        tags: ['register'],
        summary: 'Journal of papers in and out (NG § 12), chronological or alphabetical; CSV with Accept: text/csv or format=csv',
        querystring: Type.Object(
          {
            order: Type.Union([Type.Literal('chronological'), Type.Literal('alphabetical')], { default: 'chronological' }),
            from: Type.Optional(IsoDate),
            to: Type.Optional(IsoDate),
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const entries = await papersJournal(db, context(request), { order: request.query.order, from: request.query.from ?? '1900-01-01', to: request.query.to ?? today() });
      const wantsCsv = request.query.format === 'csv' || (request.query.format === undefined && (request.headers.accept ?? '').includes('text/csv'));
      if (wantsCsv) {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="papers-journal-${request.query.order}.csv"`).send(journalCsv(entries));
      }
      return { entries };
    },
  );

  app.post(
    '/api/v1/register/tenancy-reports',
    {
      config: write,
      schema: {
        tags: ['register'],
        summary: 'A landlord’s, host’s, collective household’s or employer’s report (NG § 17)',
        body: Type.Object(
          {
            reporterKind: Type.Union([Type.Literal('landlord'), Type.Literal('host'), Type.Literal('collective-household'), Type.Literal('employer')]),
            reporterName: Text(),
            municipalityBfs: Type.Integer({ minimum: 1, maximum: 9999 }),
            officialName: Text(),
            firstNames: Text(),
            dateOfBirth: Type.Optional(Nullable(EchDate)),
            street: Type.Optional(Nullable(Text())),
            houseNumber: Type.Optional(Nullable(Text(20))),
            egid: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 999999999 }))),
            ewid: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 999 }))),
            leaseStart: Type.Optional(Nullable(IsoDate)),
            leaseEnd: Type.Optional(Nullable(IsoDate)),
            receivedOn: Type.Optional(IsoDate),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return recordTenancyReport(db, context(request), request.body);
    },
  );

  app.get(
    '/api/v1/register/reconciliation',
    {
      config: read,
      schema: {
        tags: ['register'],
        summary: 'Who must be asked to report (NG § 16): reported but not registered, or registered but reported as moved out',
        querystring: Type.Object({ asOf: Type.Optional(IsoDate) }, { additionalProperties: false }),
      },
    },
    async (request) => ({ items: await reconciliationList(db, context(request), request.query.asOf ?? today()) }),
  );

  app.get(
    '/api/v1/register/municipalities',
    {
      config: read,
      schema: {
        tags: ['register'],
        summary: 'The municipalities the caller may register in',
        response: { 200: Type.Array(Type.Object({ bfs: Type.Integer(), name: Type.String(), postalCode: Nullable(Type.String()) })) },
      },
    },
    async (request) => listMunicipalities(db, context(request)),
  );
}
