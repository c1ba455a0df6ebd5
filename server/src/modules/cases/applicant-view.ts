import type { Db, Trx } from '../../platform/db/transaction.js';
import { deadlinesOfCase } from '../deadlines/index.js';
import { documentsOfCase } from '../documents/index.js';
import { caseTypeById } from './case-types.js';
import * as repo from './repository.js';
import type { CaseRow } from './repository.js';
import type { LocalText as Names } from './rules/definition.js';
import { stateOf } from './rules/workflow.js';

/**
 * A case as the applicant sees it in the portal: where it stands, what is still missing and by
 * when, and the letters. No internal notes, checks, assignee or reasons in the making. The caller
 * (the portal) has already decided that the account may see the person's cases.
 */

export interface ApplicantCaseSummary {
  id: string;
  reference: string;
  type: { slug: string; names: Names };
  state: { id: string; names: Names };
  phase: string;
  receivedOn: string;
  decidedAt: string | null;
  closedAt: string | null;
}

export interface ApplicantCaseView extends ApplicantCaseSummary {
  outcome: 'positive' | 'negative' | null;
  notifiedOn: string | null;
  legalForceOn: string | null;
  /** Papers the office still needs (not optional, not yet handed in). */
  missing: { id: string; names: Names }[];
  /** The earliest open deadline of the applicant's (waiting) state: answer by this date. */
  answerBy: string | null;
  /** Letters and certificates of the office, and the files the applicant's side handed in. */
  documents: { id: string; kind: 'letter' | 'attachment'; title: string; fileName: string; mediaType: string; sizeBytes: number; createdAt: string }[];
}

async function summaryOf(db: Db | Trx, row: CaseRow): Promise<ApplicantCaseSummary> {
  const type = (await caseTypeById(db, row.case_type_id)).definition;
  return {
    id: row.id,
    reference: row.reference,
    type: { slug: row.type_slug, names: type.names },
    state: { id: row.state, names: stateOf(type, row.state).names },
    phase: row.phase,
    receivedOn: row.received_on,
    decidedAt: row.decided_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

/** A person's cases, newest first. */
export async function casesOfPerson(db: Db | Trx, tenantId: string, personId: string): Promise<ApplicantCaseSummary[]> {
  const rows = await db.selectFrom('cases').selectAll().where('tenant_id', '=', tenantId).where('person_id', '=', personId).orderBy('received_on', 'desc').orderBy('opened_at', 'desc').limit(100).execute();
  return Promise.all(rows.map((row) => summaryOf(db, row)));
}

/** One case for its applicant; null when it does not exist or belongs to another person. */
export async function applicantCase(db: Db | Trx, tenantId: string, caseId: string, personIds: readonly string[]): Promise<ApplicantCaseView | null> {
  const row = await repo.findCase(db, tenantId, caseId);
  if (!row || !personIds.includes(row.person_id)) return null;
  const type = (await caseTypeById(db, row.case_type_id)).definition;
  const state = stateOf(type, row.state);
  const decided = row.decision as { outcome?: 'positive' | 'negative' } | null;
  const waiting = state.phase === 'waiting';
  const waitingKinds = new Set((state.deadlines ?? []).map((deadline) => deadline.kind));
  const answerBy = waiting ? ((await deadlinesOfCase(db, row.id)).filter((d) => d.status === 'open' && waitingKinds.has(d.kind)).map((d) => d.workingDueDate).sort()[0] ?? null) : null;
  const missing = row.phase === 'open' || waiting ? type.checklist.filter((item) => item.kind === 'paper' && item.optional !== true && row.checklist[item.id]?.done !== true).map((item) => ({ id: item.id, names: item.names })) : [];
  const documents = (await documentsOfCase(db, row.id)).map((d) => ({ id: d.id, kind: d.kind, title: d.title, fileName: d.fileName, mediaType: d.mediaType, sizeBytes: d.sizeBytes, createdAt: d.createdAt }));
  return { ...(await summaryOf(db, row)), outcome: decided?.outcome ?? null, notifiedOn: row.notified_on, legalForceOn: row.legal_force_on, missing, answerBy, documents };
}
