import { stringify } from 'csv-stringify/sync';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError, invalidFields, problems } from '../../platform/errors.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import type { PaperKind } from '../../platform/db/tables.js';
import { closeOpenDeadlines } from '../deadlines/index.js';
import * as repo from './repository.js';
import { renderPapersReceipt } from './papers-receipt.js';
import { buildPersonFile, paperDto, scopeOf } from './service.js';

/** Deposited identity papers (NG §§ 3, 10, 12, 14). */

export interface DepositInput {
  kind: PaperKind;
  designation: string;
  number?: string | null;
  issuingCountry: string;
  validUntil?: string | null;
  depositedOn: string;
  feeChf: number;
}

/** Deadlines that depositing papers meets. */
// The duty-to-report case's request and reminder are met too: whoever hands in their papers has complied (NG § 16),
// and a fine is no longer possible (NG § 18).
const MET_BY_DEPOSIT = ['deposit-papers', 'register-stay', 'report-private-lodging', 'proof-of-residence', 'registration-due', 'reminder-due'];

export async function depositPapers(db: Db, context: RequestContext, personId: string, input: DepositInput) {
  if (Math.round(input.feeChf * 100) !== input.feeChf * 100) throw invalidFields({ field: 'feeChf', message: 'too-many-decimals' });
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const person = await repo.findVisiblePerson(trx, scope, personId);
    if (!person || person.merged_into) throw problems.notFound('person');
    const residence = (await repo.residencesOf(trx, personId)).filter((r) => r.departure_date === null && (scope.municipalities === null || scope.municipalities.includes(r.municipality_bfs))).at(-1);
    if (!residence) throw new AppError(409, 'already-departed');
    const receiptNumber = await repo.nextReceiptNumber(trx, context.actor.tenantId);
    const paper = await repo.insertPaper(trx, {
      tenantId: context.actor.tenantId,
      personId,
      municipalityBfs: residence.municipality_bfs,
      receiptNumber,
      kind: input.kind,
      designation: input.designation,
      number: input.number ? input.number.toUpperCase() : null,
      issuingCountry: input.issuingCountry.toUpperCase(),
      validUntil: input.validUntil ?? null,
      depositedOn: input.depositedOn,
      feeChf: input.feeChf,
    });
    await closeOpenDeadlines(trx, personId, MET_BY_DEPOSIT, 'met');
    await appendAudit(trx, subjectOf(context.actor, context.requestId), {
      action: 'register.papers-deposited',
      entityType: 'person',
      entityId: personId,
      details: { paperId: paper.id, receiptNumber, kind: input.kind },
    });
    return paperDto(paper);
  });
}

/** Papers go back free of charge on departure (§ 14.1) — never while a papers block is set (§ 14.3). */
export async function returnPapers(db: Db, context: RequestContext, paperId: string, date: string) {
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const paper = await repo.findPaper(trx, context.actor.tenantId, paperId);
    if (!paper || (scope.municipalities !== null && !scope.municipalities.includes(paper.municipality_bfs))) throw problems.notFound('paper');
    const person = await repo.findVisiblePerson(trx, { tenantId: context.actor.tenantId, municipalities: null }, paper.person_id);
    if (person?.papers_block) {
      await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'register.papers-return-refused', entityType: 'person', entityId: paper.person_id, details: { paperId, reason: 'papers-block' } });
      throw new AppError(409, 'papers-blocked');
    }
    if (paper.returned_on) throw new AppError(409, 'papers-already-returned', { date: paper.returned_on });
    if (date < paper.deposited_on) throw new AppError(422, 'invalid-period', { start: paper.deposited_on, end: date });
    const returned = await repo.markPaperReturned(trx, paperId, date, context.actor.name);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'register.papers-returned', entityType: 'person', entityId: paper.person_id, details: { paperId, date } });
    return paperDto(returned);
  });
}

export async function papersReceiptPdf(db: Db, context: RequestContext, paperId: string): Promise<{ pdf: Buffer; receiptNumber: number }> {
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const paper = await repo.findPaper(trx, context.actor.tenantId, paperId);
    if (!paper || (scope.municipalities !== null && !scope.municipalities.includes(paper.municipality_bfs))) throw problems.notFound('paper');
    const person = await repo.findVisiblePerson(trx, { tenantId: context.actor.tenantId, municipalities: null }, paper.person_id);
    if (!person) throw problems.notFound('person');
    // The address and papers as they were on the day of the deposit.
    const residence = (await repo.residencesOf(trx, person.id))
      .filter((r) => r.municipality_bfs === paper.municipality_bfs && r.arrival_date <= paper.deposited_on && (r.departure_date === null || r.departure_date > paper.deposited_on))
      .at(-1);
    const sameDay = (await repo.papersOf(trx, person.id)).filter((p) => p.receipt_number === paper.receipt_number);
    const tenant = await trx.selectFrom('tenants').select('name').where('id', '=', context.actor.tenantId).executeTakeFirstOrThrow();
    // The receipt shows the person as registered on the day of the deposit.
    const identity = (await buildPersonFile(trx, person, paper.deposited_on)).identity;
    const pdf = await renderPapersReceipt({
      officeName: tenant.name,
      municipalityName: residence?.municipality_name ?? String(paper.municipality_bfs),
      receiptNumber: paper.receipt_number,
      dateOfIssue: paper.deposited_on,
      officialName: identity.officialName,
      firstNames: identity.firstNames,
      dateOfBirth: identity.dateOfBirth,
      civilStatus: identity.civilStatus,
      placeOfOrigin: identity.placeOfOrigin ?? `— (Staatsangehörigkeit ${identity.nationality})`,
      address: residence ? `${residence.street ?? ''} ${residence.house_number ?? ''}, ${residence.postal_code ?? ''} ${residence.town ?? residence.municipality_name}`.replace(/\s+/g, ' ').trim() : '—',
      papers: sameDay.map((p) => ({ designation: p.number ? `${p.designation} Nr. ${p.number}` : p.designation, validUntil: p.valid_until })),
      feeChf: Number(paper.fee_chf).toFixed(2),
    });
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'register.papers-receipt-printed', entityType: 'person', entityId: person.id, details: { paperId, receiptNumber: paper.receipt_number } });
    return { pdf, receiptNumber: paper.receipt_number };
  });
}

export interface JournalEntry {
  date: string;
  event: 'deposit' | 'return';
  receiptNumber: number;
  paperId: string;
  personId: string;
  officialName: string;
  firstNames: string;
  dateOfBirth: string;
  designation: string;
  number: string | null;
  validUntil: string | null;
  feeChf: string;
}

/** The chronological or alphabetical record of papers in and out (§ 12). */
export async function papersJournal(db: Db, context: RequestContext, options: { order: 'chronological' | 'alphabetical'; from: string; to: string }): Promise<JournalEntry[]> {
  if (options.to < options.from) throw new AppError(422, 'invalid-period', { start: options.from, end: options.to });
  return inTransaction(db, async (trx) => {
    const scope = await scopeOf(trx, context.actor);
    const rows = await repo.papersJournal(trx, context.actor.tenantId, scope.municipalities, options.from, options.to, options.order);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'register.papers-journal', entityType: 'person', details: { ...options, entries: rows.length } });
    return rows.map((row) => ({
      date: row.date,
      event: row.event,
      receiptNumber: row.receipt_number,
      paperId: row.paper_id,
      personId: row.person_id,
      officialName: row.official_name,
      firstNames: row.first_names,
      dateOfBirth: row.date_of_birth,
      designation: row.designation,
      number: row.number,
      validUntil: row.valid_until,
      feeChf: Number(row.fee_chf).toFixed(2),
    }));
  });
}

export function journalCsv(entries: JournalEntry[]): string {
  return stringify(
    entries.map((e) => [e.date, e.event, e.receiptNumber, e.officialName, e.firstNames, e.dateOfBirth, e.designation, e.number ?? '', e.validUntil ?? '', e.feeChf]),
    { header: true, columns: ['date', 'event', 'receipt_number', 'official_name', 'first_names', 'date_of_birth', 'designation', 'number', 'valid_until', 'fee_chf'] },
  );
}
