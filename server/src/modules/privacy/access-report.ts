import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import { problems } from '../../platform/errors.js';
import { deadlinesOfPerson } from '../deadlines/index.js';
import { identityOf, visiblePerson, type Identity } from '../register/index.js';
import * as repo from './repository.js';
import { accessDetails, accessKind, applicationAnswers, type AccessDetails } from './rules/access-report.js';
import { mandateState, type MandateState } from '../portal/index.js';

/**
 * The right of access (Lucerne NG § 12 with the data-protection law): everything the office holds
 * on one person and who accessed it. A blocking note does not hide anything here — the person is
 * entitled to their own data — but the caller must be able to see the person at all.
 */

type Language = 'de' | 'fr' | 'it' | 'en';

const LANGUAGES: readonly Language[] = ['de', 'fr', 'it', 'en'];

/** An amount as the finance module gives it: two decimals, in the currency named beside it. */
export type Money = string;

export type FinancePayment = {
  bookingDate: string;
  valueDate: string | null;
  source: string;
  currency: string;
  amount: Money;
  /** The part of the amount booked to the invoice (the rest was refunded or is being clarified). */
  booked: Money;
  refunded: Money;
  reference: string | null;
  payerName: string | null;
  payerIban: string | null;
  remittanceText: string | null;
  clarification: string | null;
  clarificationStatus: string | null;
  resolution: string | null;
};

export type FinanceInvoice = {
  id: string;
  /** year-number as printed on the invoice, e.g. 2026-000123. */
  number: string;
  reference: string;
  kind: string;
  status: string;
  caseReference: string | null;
  beneficiaryBfs: number | null;
  currency: string;
  amount: Money;
  paid: Money;
  issuedOn: string;
  dueOn: string;
  paidOn: string | null;
  reminderLevel: number;
  language: string;
  /** The lines as charged, with their names in all four languages (the PDF prints the one of its language). */
  lines: { code: string; names: Record<Language, string>; legalBasis: string; amount: Money }[];
  adjustmentReason: string | null;
  payments: FinancePayment[];
};

export type FinanceDeposit = {
  id: string;
  basis: string;
  household: string;
  caseReference: string | null;
  currency: string;
  amount: Money;
  /** What the office holds for this deposit after the last ledger entry. */
  held: Money;
  instalments: number;
  status: string;
  waiverReason: string | null;
  orderedOn: string;
  settledOn: string | null;
  ledger: { date: string; kind: string; amount: Money; held: Money; invoiceNumber: string | null; note: string | null }[];
};

/**
 * What the online portal holds: accounts linked to the person (address, kind, dates; never
 * password or token data), mandates they gave, online applications with their answers and the
 * papers still waiting in a draft, the secure messages on their cases, share codes and link codes
 * (never the code: only its hash is stored) and the expiry notices sent to them.
 */
export type PortalSection = {
  accounts: { email: string; kind: string; language: string; createdAt: string; emailVerifiedAt: string | null; linkedAt: string | null }[];
  mandates: { id: string; representative: { name: string; email: string | null }; scope: string[]; validFrom: string; validUntil: string | null; grantedBy: string; grantedAt: string; revokedAt: string | null; state: MandateState }[];
  applications: {
    id: string;
    form: string;
    formVersion: number;
    state: string;
    answers: Record<string, string>;
    createdAt: string;
    updatedAt: string;
    submittedAt: string | null;
    caseReference: string | null;
    /** Papers uploaded to a draft and not yet sent (sent ones are documents of the case). */
    uploads: { slot: string; fileName: string; mediaType: string; sizeBytes: number; uploadedAt: string }[];
  }[];
  messages: { caseReference: string | null; direction: string; author: string; text: string; sentAt: string; readAt: string | null }[];
  shareCodes: { id: string; label: string | null; createdAt: string; validUntil: string; revokedAt: string | null; views: number; lastViewedAt: string | null }[];
  linkCodes: { createdAt: string; validUntil: string; usedAt: string | null; failedAttempts: number }[];
  expiryNotices: { permitId: string; permitValidUntil: string; sentAt: string; recipients: number }[];
};

export type AccessReport = {
  generatedAt: string;
  generatedBy: { displayName: string; roles: string[] };
  office: { name: string };
  /** The language the person's letters go out in (their latest case), if known. */
  personLanguage: Language | null;
  person: {
    id: string;
    identity: Identity;
    blockingNote: boolean;
    papersBlock: boolean;
    mergedInto: string | null;
    createdAt: string;
  };
  identityHistory: { aspect: string; validFrom: string; validTo: string | null; data: Record<string, unknown>; reason: string; recordedAt: string; recordedBy: string | null; supersededAt: string | null }[];
  residences: { kind: string; registrationType: string; municipality: string; address: string | null; egid: number | null; ewid: number | null; arrivalDate: string; arrivedFrom: string | null; departureDate: string | null; departedTo: string | null; recordedAt: string; supersededAt: string | null }[];
  relations: { kind: string; name: string | null; custody: boolean | null; validFrom: string | null; validTo: string | null; recordedAt: string; supersededAt: string | null }[];
  papers: { receiptNumber: number; kind: string; designation: string; number: string | null; issuingCountry: string; validUntil: string | null; depositedOn: string; feeChf: string; returnedOn: string | null }[];
  permits: { id: string; category: string; admissionReason: string; validFrom: string; validUntil: string | null; controlDate: string | null; endedOn: string | null; endReason: string | null; conditions: string | null; cardNumber: string | null; events: { event: string; date: string }[] }[];
  cases: {
    id: string;
    reference: string;
    type: string;
    state: string;
    phase: string;
    receivedOn: string;
    decidedAt: string | null;
    decision: { outcome: string | null; reason: string | null } | null;
    notifiedOn: string | null;
    appealStatus: string | null;
    legalForceOn: string | null;
    closedAt: string | null;
    fields: Record<string, string>;
    events: { at: string; kind: string; by: string; text: string | null }[];
    tasks: { title: string; dueOn: string | null; done: boolean; createdAt: string }[];
    notes: { at: string; kind: string; by: string; text: string | null }[];
  }[];
  documents: { id: string; caseReference: string | null; kind: string; template: string | null; title: string; fileName: string; mediaType: string; language: string | null; sizeBytes: number; createdAt: string }[];
  deadlines: { kind: string; legalBasis: string; dueDate: string; workingDueDate: string; status: string }[];
  notifications: { kind: string; createdAt: string; read: boolean; deadlineKind: string | null; dueDate: string | null }[];
  finance: { invoices: FinanceInvoice[]; deposits: FinanceDeposit[] };
  portal: PortalSection;
  legalHolds: { subject: 'person' | 'case'; caseReference: string | null; reason: string; placedBy: string; placedAt: string; liftedAt: string | null }[];
  accesses: { at: string; action: string; kind: 'listed' | 'read' | 'changed'; actor: { kind: string; displayName: string | null; roles: string[] }; details: AccessDetails }[];
};

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());
const day = (value: string | Date | null): string | null => (value === null ? null : typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10));

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** 9550 → '95.50', from integers only (amounts are stored in Rappen or cents). */
function money(minor: number): Money {
  const abs = Math.abs(minor);
  return `${minor < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const invoiceNumber = (year: number, number: number): string => `${year}-${String(number).padStart(6, '0')}`;

/** The lines of an invoice as stored (jsonb: [{code, names{de,fr,it,en}, legalBasis, amountMinor}]). */
function invoiceLines(value: unknown): FinanceInvoice['lines'] {
  const lines = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(lines)) return [];
  return lines.map((item) => {
    const line = asRecord(item);
    const names = asRecord(line.names);
    const code = typeof line.code === 'string' ? line.code : '';
    const text = (language: Language) => (typeof names[language] === 'string' ? names[language] : (LANGUAGES.map((l) => names[l]).find((n): n is string => typeof n === 'string') ?? code));
    return {
      code,
      names: { de: text('de'), fr: text('fr'), it: text('it'), en: text('en') },
      legalBasis: typeof line.legalBasis === 'string' ? line.legalBasis : '',
      amount: money(typeof line.amountMinor === 'number' ? line.amountMinor : 0),
    };
  });
}

function financeSection(data: Awaited<ReturnType<typeof repo.financeOf>>, currency: string, referenceOf: Map<string, string>): AccessReport['finance'] {
  const numberOf = new Map(data.invoices.map((i) => [i.id, invoiceNumber(i.year, i.number)]));
  const caseReference = (caseId: string | null) => (caseId === null ? null : (referenceOf.get(caseId) ?? null));
  return {
    invoices: data.invoices.map((i) => ({
      id: i.id,
      number: invoiceNumber(i.year, i.number),
      reference: i.reference,
      kind: i.kind,
      status: i.status,
      caseReference: caseReference(i.case_id),
      beneficiaryBfs: i.beneficiary_bfs,
      currency: i.currency,
      amount: money(i.amount_minor),
      paid: money(i.paid_minor),
      issuedOn: day(i.issued_on) ?? '',
      dueOn: day(i.due_on) ?? '',
      paidOn: day(i.paid_on),
      reminderLevel: i.reminder_level,
      language: i.language,
      lines: invoiceLines(i.lines),
      adjustmentReason: i.adjustment_reason,
      payments: data.payments
        .filter((p) => p.invoice_id === i.id)
        .map((p) => ({
          bookingDate: day(p.booking_date) ?? '',
          valueDate: day(p.value_date),
          source: p.source,
          currency: p.currency,
          amount: money(p.amount_minor),
          booked: money(p.booked_minor),
          refunded: money(p.refunded_minor),
          reference: p.reference,
          payerName: p.debtor_name,
          payerIban: p.debtor_iban,
          remittanceText: p.remittance_text,
          clarification: p.clarification,
          clarificationStatus: p.clarification_status,
          resolution: p.resolution,
        })),
    })),
    deposits: data.deposits.map((d) => {
      const ledger = data.ledger.filter((e) => e.deposit_id === d.id);
      return {
        id: d.id,
        basis: d.basis,
        household: d.household,
        caseReference: caseReference(d.case_id),
        currency,
        amount: money(d.amount_minor),
        held: money(ledger.at(-1)?.held_minor ?? 0),
        instalments: d.instalments,
        status: d.status,
        waiverReason: d.waiver_reason,
        orderedOn: day(d.ordered_on) ?? '',
        settledOn: day(d.settled_on),
        ledger: ledger.map((e) => ({ date: day(e.entry_date) ?? '', kind: e.kind, amount: money(e.amount_minor), held: money(e.held_minor), invoiceNumber: e.invoice_id === null ? null : (numberOf.get(e.invoice_id) ?? null), note: e.note })),
      };
    }),
  };
}

/** YYYY-MM-DD of an instant in the offices' calendar (Swiss time), as the portal dates mandates. */
function calendarDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Zurich', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function portalSection(data: Awaited<ReturnType<typeof repo.portalOf>>, today: string): PortalSection {
  return {
    accounts: data.accounts.map((a) => ({ email: a.email, kind: a.kind, language: a.language, createdAt: a.created_at.toISOString(), emailVerifiedAt: iso(a.email_verified_at), linkedAt: iso(a.person_linked_at) })),
    mandates: data.mandates.map((m) => {
      const scope = typeof m.scope === 'string' ? (JSON.parse(m.scope) as unknown) : m.scope;
      const validFrom = day(m.valid_from) ?? '';
      const validUntil = day(m.valid_until);
      return {
        id: m.id,
        representative: { name: m.display_name, email: m.email },
        scope: Array.isArray(scope) ? scope.map(String) : [],
        validFrom,
        validUntil,
        grantedBy: m.granted_by_kind,
        grantedAt: m.granted_at.toISOString(),
        revokedAt: iso(m.revoked_at),
        state: mandateState({ validFrom, validUntil, revokedAt: m.revoked_at }, today),
      };
    }),
    applications: data.applications.map((a) => ({
      id: a.id,
      form: a.form,
      formVersion: a.form_version,
      state: a.state,
      answers: applicationAnswers(a.answers),
      createdAt: a.created_at.toISOString(),
      updatedAt: a.updated_at.toISOString(),
      submittedAt: iso(a.submitted_at),
      caseReference: a.case_reference,
      uploads: data.uploads.filter((u) => u.application_id === a.id).map((u) => ({ slot: u.slot, fileName: u.file_name, mediaType: u.media_type, sizeBytes: u.size_bytes, uploadedAt: u.created_at.toISOString() })),
    })),
    messages: data.messages.map((m) => ({ caseReference: m.case_reference, direction: m.direction, author: m.author_name, text: m.body, sentAt: m.created_at.toISOString(), readAt: iso(m.read_at) })),
    shareCodes: data.shareCodes.map((c) => ({ id: c.id, label: c.label, createdAt: c.created_at.toISOString(), validUntil: c.valid_until.toISOString(), revokedAt: iso(c.revoked_at), views: c.views, lastViewedAt: iso(c.last_viewed_at) })),
    linkCodes: data.linkCodes.map((c) => ({ createdAt: c.created_at.toISOString(), validUntil: c.valid_until.toISOString(), usedAt: iso(c.used_at), failedAttempts: c.failed_attempts })),
    expiryNotices: data.expiryNotices.map((n) => ({ permitId: n.permit_id, permitValidUntil: day(n.valid_until) ?? '', sentAt: n.sent_at.toISOString(), recipients: n.recipients })),
  };
}

function addressOf(r: { street: string | null; house_number: string | null; postal_code: string | null; town: string | null }): string | null {
  const street = [r.street, r.house_number].filter(Boolean).join(' ');
  const town = [r.postal_code, r.town].filter(Boolean).join(' ');
  const parts = [street, town].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Produces the report in one transaction (one consistent picture) and audits it as privacy.access-report. */
export async function buildAccessReport(db: Db, context: RequestContext, personId: string, format: 'json' | 'pdf'): Promise<AccessReport> {
  const { actor } = context;
  return inTransaction(db, async (trx) => {
    // The caller's normal scope: a person they cannot see does not exist for them.
    if (!(await visiblePerson(trx, actor, personId))) throw problems.notFound('person');
    const person = await repo.personRow(trx, actor.tenantId, personId);
    if (!person) throw problems.notFound('person');
    const [versions, residences, relations, papers, permitData, cases, deadlines, notifications, office, finance] = await Promise.all([
      repo.identityVersions(trx, personId),
      repo.allResidences(trx, personId),
      repo.relationsWithNames(trx, personId),
      repo.papers(trx, personId),
      repo.permitsWithEvents(trx, personId),
      repo.casesOf(trx, actor.tenantId, personId),
      deadlinesOfPerson(trx, personId),
      repo.notificationsAbout(trx, actor.tenantId, personId),
      repo.letterheadOf(trx, actor.tenantId),
      repo.financeOf(trx, actor.tenantId, personId),
    ]);
    const caseIds = cases.map((c) => c.id);
    const [events, tasks, documents, holds, portal] = await Promise.all([
      repo.caseEvents(trx, caseIds),
      repo.caseTasks(trx, caseIds),
      repo.documentList(trx, actor.tenantId, personId, caseIds),
      repo.holdsOfSubjects(trx, actor.tenantId, [{ type: 'person', ids: [personId] }, { type: 'case', ids: caseIds }]),
      repo.portalOf(trx, actor.tenantId, personId, caseIds),
    ]);
    const entityIds = [...caseIds, ...permitData.permits.map((p) => p.id), ...documents.map((d) => d.id), ...papers.map((p) => p.id), ...finance.payments.map((p) => p.id)];
    const accesses = await repo.accessesOf(trx, actor.tenantId, personId, entityIds);
    const referenceOf = new Map(cases.map((c) => [c.id, c.reference]));
    const latestCase = cases[cases.length - 1];

    const generatedAt = new Date();
    const report: AccessReport = {
      generatedAt: generatedAt.toISOString(),
      generatedBy: { displayName: actor.displayName, roles: [...new Set(actor.roles.map((grant) => grant.role))] },
      office: { name: (asRecord(asRecord(office.settings).letterhead).officeName as string | undefined) ?? office.name },
      personLanguage: latestCase ? latestCase.language : null,
      person: {
        id: person.id,
        identity: identityOf(person),
        blockingNote: person.blocking_note,
        papersBlock: person.papers_block,
        mergedInto: person.merged_into,
        createdAt: person.created_at.toISOString(),
      },
      identityHistory: versions.map((v) => ({ aspect: v.aspect, validFrom: day(v.valid_from) ?? '', validTo: day(v.valid_to), data: asRecord(v.data), reason: v.reason, recordedAt: v.recorded_at.toISOString(), recordedBy: v.recorded_by, supersededAt: iso(v.superseded_at) })),
      residences: residences.map((r) => ({
        kind: r.kind,
        registrationType: r.registration_type,
        municipality: r.municipality_name,
        address: addressOf(r),
        egid: r.egid,
        ewid: r.ewid,
        arrivalDate: day(r.arrival_date) ?? '',
        arrivedFrom: r.arrived_from,
        departureDate: day(r.departure_date),
        departedTo: r.departed_to,
        recordedAt: r.recorded_at.toISOString(),
        supersededAt: iso(r.superseded_at),
      })),
      relations: relations.map((r) => ({
        kind: r.kind,
        name: r.official_name !== null ? `${r.official_name} ${r.first_names ?? ''}`.trim() : r.related_name,
        custody: r.custody,
        validFrom: day(r.valid_from),
        validTo: day(r.valid_to),
        recordedAt: r.recorded_at.toISOString(),
        supersededAt: iso(r.superseded_at),
      })),
      papers: papers.map((p) => ({ receiptNumber: p.receipt_number, kind: p.kind, designation: p.designation, number: p.number, issuingCountry: p.issuing_country, validUntil: day(p.valid_until), depositedOn: day(p.deposited_on) ?? '', feeChf: Number(p.fee_chf).toFixed(2), returnedOn: day(p.returned_on) })),
      permits: permitData.permits.map((p) => ({
        id: p.id,
        category: p.category,
        admissionReason: p.admission_reason,
        validFrom: day(p.valid_from) ?? '',
        validUntil: day(p.valid_until),
        controlDate: day(p.control_date),
        endedOn: day(p.ended_on),
        endReason: p.end_reason,
        conditions: p.conditions,
        cardNumber: p.card_number,
        events: permitData.events.filter((e) => e.permit_id === p.id).map((e) => ({ event: e.event, date: day(e.event_date) ?? '' })),
      })),
      cases: cases.map((c) => {
        const decision = asRecord(c.decision);
        const own = events.filter((e) => e.case_id === c.id).map((e) => ({ at: e.at.toISOString(), kind: e.kind, by: e.actor_name, text: e.text }));
        return {
          id: c.id,
          reference: c.reference,
          type: c.type_slug,
          state: c.state,
          phase: c.phase,
          receivedOn: day(c.received_on) ?? '',
          decidedAt: iso(c.decided_at),
          decision: c.decision === null ? null : { outcome: typeof decision.outcome === 'string' ? decision.outcome : null, reason: typeof decision.reason === 'string' ? decision.reason : null },
          notifiedOn: day(c.notified_on),
          appealStatus: c.appeal_status,
          legalForceOn: day(c.legal_force_on),
          closedAt: iso(c.closed_at),
          fields: c.fields,
          events: own,
          tasks: tasks.filter((t) => t.case_id === c.id).map((t) => ({ title: t.title, dueOn: day(t.due_on), done: t.done_at !== null, createdAt: t.created_at.toISOString() })),
          notes: own.filter((e) => e.kind === 'note' || e.kind === 'contact'),
        };
      }),
      documents: documents.map((d) => ({ id: d.id, caseReference: d.case_id === null ? null : (referenceOf.get(d.case_id) ?? null), kind: d.kind, template: d.template, title: d.title, fileName: d.file_name, mediaType: d.media_type, language: d.language, sizeBytes: d.size_bytes, createdAt: d.created_at.toISOString() })),
      deadlines: deadlines.map((d) => ({ kind: d.kind, legalBasis: d.legalBasis, dueDate: d.dueDate, workingDueDate: d.workingDueDate, status: d.status })),
      notifications: notifications.map((n) => {
        const message = asRecord(n.message);
        return { kind: n.kind, createdAt: n.created_at.toISOString(), read: n.read_at !== null, deadlineKind: typeof message.deadlineKind === 'string' ? message.deadlineKind : null, dueDate: typeof message.dueDate === 'string' ? message.dueDate : null };
      }),
      // Deposits carry no currency of their own: the office's, as the finance module invoices in.
      finance: financeSection(finance, office.country === 'CH' ? 'CHF' : 'EUR', referenceOf),
      portal: portalSection(portal, calendarDay(generatedAt)),
      legalHolds: holds.map((h) => ({ subject: h.subject_type, caseReference: h.subject_type === 'case' ? (referenceOf.get(h.subject_id) ?? null) : null, reason: h.reason, placedBy: h.placed_by, placedAt: h.placed_at.toISOString(), liftedAt: iso(h.lifted_at) })),
      accesses: accesses.map((a) => ({
        at: a.occurred_at.toISOString(),
        action: a.action,
        kind: accessKind(a.action, a.listed),
        actor: { kind: a.actor_kind, displayName: a.display_name ?? a.actor_name, roles: a.roles ? a.roles.split(',') : [] },
        details: a.listed ? {} : accessDetails(a.details),
      })),
    };
    await appendAudit(trx, subjectOf(actor, context.requestId), { action: 'privacy.access-report', entityType: 'person', entityId: personId, details: { format } });
    return report;
  });
}
