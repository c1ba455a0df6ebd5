import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestContext } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import { IdParams, IsoDate, problemResponses } from '../../platform/http/schemas.js';
import { requireActor } from '../access/index.js';
import { parseIfMatch } from '../register/index.js';
import { toCsv, toXlsx, XLSX_TYPE } from '../reporting/index.js';
import { accountTable, addRevenueEntry, yearlyAccount } from './account.js';
import { decideWaiver, depositsOfPerson, orderDeposit, requestWaiver, settle } from './deposits.js';
import { feeDto, feePreviews, invoicePdf, invoicesOfCase, invoicesOfPerson, readInvoice, today } from './invoices.js';
import { clarificationList, importCamt, previewCamt, recordCounterPayment, resolveClarification } from './payments.js';
import { readSettings, saveSettings } from './settings.js';

function context(request: FastifyRequest): RequestContext {
  return { actor: requireActor(request), requestId: request.id };
}

/** Amounts travel as decimal text ('95.50'); a JSON number is accepted and read digit by digit. */
const Amount = Type.Union([Type.String({ maxLength: 20 }), Type.Number()], { description: "CHF or EUR, at most two decimals, e.g. '95.50'" });
const Any = Type.Unknown();
const XML_TYPES = ['application/xml', 'text/xml', 'application/octet-stream'];
/** A bank file of a large office's month is a few megabytes; 20 MiB leaves room. */
const CAMT_MAX_BYTES = 20 * 1024 * 1024;

function xmlBody(request: FastifyRequest): Buffer {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!XML_TYPES.includes(type) || !Buffer.isBuffer(request.body)) throw new AppError(415, 'unsupported-media-type', { type: type || '—', supported: XML_TYPES.join(', ') });
  if (request.body.length === 0) throw new AppError(422, 'camt-not-xml', { problem: 'the file is empty' });
  return request.body;
}

async function sendAccount(db: Db, request: FastifyRequest, year: number, reply: FastifyReply, format: 'csv' | 'xlsx') {
  const table = accountTable(await yearlyAccount(db, context(request), year));
  reply.header('content-disposition', `attachment; filename="account-${year}.${format}"`);
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(table));
  return reply.type(XLSX_TYPE).send(await toXlsx(table));
}

export function registerFinanceRoutes(root: FastifyInstance, db: Db): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['finance'];

  app.get('/api/v1/finance/settings', { config: { permission: 'finance:read' }, schema: { tags, summary: 'The office as creditor: name, address, account (QR-IBAN or IBAN)', response: { 200: Type.Union([Any, Type.Null()]), ...problemResponses(401, 403) } } }, async (request) => readSettings(db, context(request)));

  app.put(
    '/api/v1/finance/settings',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Set the office as creditor (first time without If-Match, then with the version read)',
        body: Type.Object(
          {
            officeName: Type.String({ minLength: 1, maxLength: 200 }),
            creditorName: Type.String({ minLength: 1, maxLength: 70 }),
            street: Type.String({ minLength: 1, maxLength: 70 }),
            buildingNumber: Type.Optional(Type.Union([Type.String({ maxLength: 16 }), Type.Null()])),
            postalCode: Type.String({ minLength: 1, maxLength: 16 }),
            town: Type.String({ minLength: 1, maxLength: 35 }),
            country: Type.String({ pattern: '^[A-Z]{2}$' }),
            account: Type.String({ minLength: 15, maxLength: 42 }),
            bic: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Z0-9]{8,11}$' }), Type.Null()])),
            paymentDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Any, ...problemResponses(400, 401, 403, 409, 422, 428) },
      },
    },
    async (request) => {
      const header = request.headers['if-match'];
      return saveSettings(db, context(request), header === undefined ? null : parseIfMatch(header), request.body);
    },
  );

  app.get(
    '/api/v1/finance/fee-preview',
    {
      config: { permission: 'finance:read' },
      schema: { tags, summary: 'What a step of a case type costs on a date, item by item with its legal basis', querystring: Type.Object({ caseType: Type.String({ maxLength: 63 }), transition: Type.String({ maxLength: 63 }), date: Type.Optional(IsoDate) }), response: { 200: Any, ...problemResponses(400, 401, 403) } },
    },
    async (request) => {
      const [fee] = await feePreviews(db, requireActor(request).tenantId, request.query.caseType, [request.query.transition], request.query.date ?? today());
      return feeDto(fee!);
    },
  );

  app.get('/api/v1/persons/:id/invoices', { config: { permission: 'finance:read' }, schema: { tags, summary: "A person's invoices with their payments", params: IdParams, response: { 200: Type.Array(Any), ...problemResponses(401, 403, 404) } } }, async (request) => invoicesOfPerson(db, context(request), request.params.id));
  app.get('/api/v1/cases/:id/invoices', { config: { permission: 'finance:read' }, schema: { tags, summary: "A case's invoices with their payments", params: IdParams, response: { 200: Type.Array(Any), ...problemResponses(401, 403, 404) } } }, async (request) => invoicesOfCase(db, context(request), request.params.id));
  app.get('/api/v1/invoices/:id', { config: { permission: 'finance:read' }, schema: { tags, summary: 'One invoice', params: IdParams, response: { 200: Any, ...problemResponses(401, 403, 404) } } }, async (request, reply) => {
    const invoice = await readInvoice(db, context(request), request.params.id);
    reply.header('etag', `"${invoice.version}"`);
    return invoice;
  });
  app.get(
    '/api/v1/invoices/:id/pdf',
    { config: { permission: 'finance:read' }, schema: { tags, summary: "The invoice as PDF in the addressee's language, with the Swiss QR-bill or a GiroCode", params: IdParams, produces: ['application/pdf'], response: problemResponses(401, 403, 404, 409) } },
    async (request, reply) => {
      const { fileName, pdf } = await invoicePdf(db, context(request), request.params.id);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${fileName}"`).send(pdf);
    },
  );

  app.post(
    '/api/v1/invoices/:id/payments',
    {
      config: { permission: 'finance:write' },
      schema: {
        tags,
        summary: 'Record a payment at the counter (If-Match: the invoice version)',
        params: IdParams,
        body: Type.Object({ amount: Amount, paidOn: Type.Optional(IsoDate), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: { 201: Any, ...problemResponses(400, 401, 403, 404, 409, 422, 428) },
      },
    },
    async (request, reply) => {
      const invoice = await recordCounterPayment(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body);
      return reply.status(201).header('etag', `"${invoice.version}"`).send(invoice);
    },
  );

  // Bank files arrive as the bytes the bank produced.
  root.register(async (scope) => {
    // Only bank files here: a body labelled JSON or text is refused as such (415), never parsed as one.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(XML_TYPES, { parseAs: 'buffer', bodyLimit: CAMT_MAX_BYTES }, (_request, body, done) => done(null, body));
    const files = scope.withTypeProvider<TypeBoxTypeProvider>();
    const schema = (summary: string) => ({ tags, summary, description: 'Body: the camt.053 or camt.054 XML as the bank delivered it (application/xml).', consumes: XML_TYPES, querystring: Type.Object({ fileName: Type.Optional(Type.String({ maxLength: 200 })) }), response: { 200: Any, ...problemResponses(400, 401, 403, 413, 415, 422) } });
    files.post('/api/v1/finance/camt/preview', { config: { permission: 'finance:book' }, bodyLimit: CAMT_MAX_BYTES, schema: schema('What booking a bank file would do: nothing is booked') }, async (request) => previewCamt(db, context(request), xmlBody(request)));
    files.post('/api/v1/finance/camt/imports', { config: { permission: 'finance:book' }, bodyLimit: CAMT_MAX_BYTES, schema: schema('Book a bank file (ISO 20022 camt.053/.054): matched credits are booked, the rest goes to the clarification list; the same file again changes nothing') }, async (request) =>
      importCamt(db, context(request), xmlBody(request), request.query.fileName ?? null),
    );
  });

  app.get(
    '/api/v1/finance/clarifications',
    { config: { permission: 'finance:book' }, schema: { tags, summary: 'The clarification list: partial payments, overpayments, unknown references, duplicates, reversals', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])) }), response: { 200: Type.Array(Any), ...problemResponses(401, 403) } } },
    async (request) => clarificationList(db, context(request), request.query.status ?? 'open'),
  );

  app.post(
    '/api/v1/finance/clarifications/:id/resolution',
    {
      config: { permission: 'finance:book' },
      schema: {
        tags,
        summary: 'Settle an item of the clarification list: book it to an invoice, record the refund, or acknowledge it (If-Match: its version)',
        params: IdParams,
        body: Type.Union([
          Type.Object({ action: Type.Literal('book'), invoiceId: Type.String({ format: 'uuid' }), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
          Type.Object({ action: Type.Literal('refund'), note: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
          Type.Object({ action: Type.Literal('acknowledge'), note: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
        ]),
        response: { 200: Any, ...problemResponses(400, 401, 403, 404, 409, 422, 428) },
      },
    },
    async (request) => resolveClarification(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body),
  );

  app.get('/api/v1/persons/:id/deposits', { config: { permission: 'finance:read' }, schema: { tags, summary: "A person's deposits (Kaution, NG § 15a) and the ledger of every movement", params: IdParams, response: { 200: Any, ...problemResponses(401, 403, 404) } } }, async (request) => depositsOfPerson(db, context(request), request.params.id));

  app.post(
    '/api/v1/persons/:id/deposits',
    {
      config: { permission: 'finance:write' },
      schema: {
        tags,
        summary: 'Order a deposit; the rule of NG § 15a decides whether one is owed and how much',
        params: IdParams,
        body: Type.Object({ caseId: Type.Optional(Type.String({ format: 'uuid' })), selfSupporting: Type.Optional(Type.Boolean()), instalments: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 })), firstDueOn: Type.Optional(IsoDate), language: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('fr'), Type.Literal('it'), Type.Literal('en')])) }, { additionalProperties: false }),
        response: { 201: Any, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await orderDeposit(db, context(request), { personId: request.params.id, ...request.body })),
  );

  app.post(
    '/api/v1/deposits/:id/waiver-request',
    { config: { permission: 'finance:write' }, schema: { tags, summary: 'Ask to waive a deposit in hardship, with the reason (If-Match)', params: IdParams, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: Any, ...problemResponses(400, 401, 403, 404, 409, 422, 428) } } },
    async (request) => requestWaiver(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.reason),
  );

  app.post(
    '/api/v1/deposits/:id/waiver-decision',
    { config: { permission: 'finance:approve' }, schema: { tags, summary: 'Approve or refuse a waiver: a second person, never the one who asked (If-Match)', params: IdParams, body: Type.Object({ approve: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }), response: { 200: Any, ...problemResponses(400, 401, 403, 404, 409, 428) } } },
    async (request) => decideWaiver(db, context(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body.approve, request.body.comment),
  );

  app.post(
    '/api/v1/deposits/:id/settlement',
    { config: { permission: 'finance:write' }, schema: { tags, summary: 'Settle a deposit on departure: open fees and fines first, the rest back to the person (If-Match)', params: IdParams, response: { 200: Any, ...problemResponses(401, 403, 404, 409, 428) } } },
    async (request) => settle(db, context(request), request.params.id, parseIfMatch(request.headers['if-match'])),
  );

  const Year = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
  app.get('/api/v1/finance/account', { config: { permission: 'finance:book' }, schema: { tags, summary: 'The yearly account: revenue by kind, refunds, fines for municipalities, deposits, open receivables by age', querystring: Year, response: { 200: Any, ...problemResponses(400, 401, 403) } } }, async (request) => yearlyAccount(db, context(request), request.query.year));
  app.get('/api/v1/finance/account.csv', { config: { permission: 'finance:book' }, schema: { tags, summary: 'The yearly account as CSV', querystring: Year, produces: ['text/csv'], response: problemResponses(400, 401, 403) } }, async (request, reply) => sendAccount(db, request, request.query.year, reply, 'csv'));
  app.get('/api/v1/finance/account.xlsx', { config: { permission: 'finance:book' }, schema: { tags, summary: 'The yearly account as XLSX', querystring: Year, produces: [XLSX_TYPE], response: problemResponses(400, 401, 403) } }, async (request, reply) => sendAccount(db, request, request.query.year, reply, 'xlsx'));

  app.post(
    '/api/v1/finance/revenue',
    {
      config: { permission: 'finance:book' },
      schema: {
        tags,
        summary: 'Book revenue without an invoice: federal refunds (Rückerstattung SEM), internal charges',
        body: Type.Object({ kind: Type.Union([Type.Literal('federal-refund'), Type.Literal('internal-charge'), Type.Literal('other')]), bookedOn: IsoDate, amount: Amount, text: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false }),
        response: { 201: Any, ...problemResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await addRevenueEntry(db, context(request), request.body)),
  );
}
