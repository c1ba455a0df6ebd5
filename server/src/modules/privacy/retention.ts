import { createHash, randomUUID } from 'node:crypto';
import { appendAudit, subjectOf, type AuditSubject } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { runPeriodically, type Periodic } from '../../platform/jobs/periodic.js';
import { problems } from '../../platform/errors.js';
import { catalogueOfTenant } from './catalogues.js';
import * as repo from './repository.js';
import type { RetentionAction, RetentionCatalogue, RetentionKind, RetentionRule } from './rules/catalogue.js';
import { auditCut, cutoffOf, isDue, leftOn, splitHeld } from './rules/due.js';

/**
 * The retention job. Per office one transaction: take the office's run lock, read the legal holds,
 * find under each rule what is due as of the date, act on it (unless a dry run) and store the report
 * of what was removed, all committed together and audited as `retention.run`. A failed office rolls
 * back alone; the next run picks up exactly what is still due (nothing is marked done that was not).
 */

export interface RunItem {
  rule: string;
  kind: RetentionKind;
  action: RetentionAction;
  /** Records with an event before this date were due; null for rules that keep. */
  cutoff: string | null;
  count: number;
  /** What was (in a dry run: would be) removed or anonymised. Ids only, never names. */
  ids: string[];
  /** Due, but kept by a legal hold. */
  heldIds: string[];
  /** Case files emptied along with anonymised persons. */
  alsoEmptiedCases?: string[];
  /** Audit chains cut: rows fromSeq..toSeq removed. */
  chains?: { chain: string; fromSeq: number; toSeq: number; stoppedByHold: boolean }[];
}

export interface RunReport {
  items: RunItem[];
}

export interface RunOutcome {
  runId: string | null;
  tenant: string;
  asOf: string;
  dryRun: boolean;
  /** 'busy': another process was running this office right now; 'done-today': the daily run had already happened. */
  status: 'done' | 'busy' | 'done-today';
  report: RunReport | null;
}

export interface RunOptions {
  /** yyyy-mm-dd; the periods count back from it. */
  asOf: string;
  dryRun: boolean;
  triggeredBy: string;
  /** One office (slug); all offices when absent. */
  tenantSlug?: string;
  /** Skip an office whose (non-dry) run for this date exists already: the daily scheduler. */
  oncePerDay?: boolean;
}

interface Holds {
  persons: Set<string>;
  cases: Set<string>;
  personsOfHeldCases: Set<string>;
}

function item(rule: RetentionRule, cutoff: string | null, ids: string[], heldIds: string[]): RunItem {
  return { rule: rule.id, kind: rule.kind, action: rule.action, cutoff, count: ids.length, ids, heldIds };
}

/** Session keys are secrets' hashes: the report names them by a short digest of the hash. */
function sessionRef(idHash: string): string {
  return createHash('sha256').update(idHash).digest('hex').slice(0, 12);
}

async function applyRule(trx: Trx, tenantId: string, runId: string, rule: RetentionRule, asOf: string, dryRun: boolean, holds: Holds): Promise<RunItem> {
  if (rule.action === 'keep' || rule.period === null) return item(rule, null, [], []);
  const cutoff = cutoffOf(asOf, rule.period);
  switch (rule.kind) {
    case 'closed-case': {
      const due = (await repo.closedCasesBefore(trx, tenantId, cutoff)).filter((c) => isDue(c.closed_on, cutoff));
      const { act, held } = splitHeld(due, (c) => holds.cases.has(c.id) || holds.persons.has(c.person_id));
      const ids = act.map((c) => c.id);
      if (!dryRun) {
        await repo.purgeCases(trx, ids);
        await repo.markApplied(trx, tenantId, runId, 'closed-case', ids);
      }
      return item(rule, cutoff, ids, held.map((c) => c.id));
    }
    case 'returned-papers': {
      const due = (await repo.returnedPapersBefore(trx, tenantId, cutoff)).filter((p) => p.returned_on !== null && isDue(p.returned_on, cutoff));
      // A hold on one case does not reach the person's papers journal; a hold on the person does.
      const { act, held } = splitHeld(due, (p) => holds.persons.has(p.person_id));
      const ids = act.map((p) => p.id);
      if (!dryRun) await repo.deletePapers(trx, ids);
      return item(rule, cutoff, ids, held.map((p) => p.id));
    }
    case 'ended-session': {
      const due = await repo.endedSessionsBefore(trx, tenantId, cutoff);
      if (!dryRun) await repo.deleteSessions(trx, due);
      return item(rule, cutoff, due.map(sessionRef), []);
    }
    case 'read-notification': {
      const due = await repo.readNotificationsBefore(trx, tenantId, cutoff);
      const { act, held } = splitHeld(due, (n) => (n.case_id !== null && holds.cases.has(n.case_id)) || n.person_ids.some((p) => holds.persons.has(p)));
      const ids = act.map((n) => n.id);
      if (!dryRun) await repo.deleteNotifications(trx, ids);
      return item(rule, cutoff, ids, held.map((n) => n.id));
    }
    case 'exchange-message': {
      // Messages received (applied, rejected, receipts) and sent (acknowledged or failed) hold
      // personal data in their bytes; quarantined and undelivered ones stay until dealt with.
      const due = await repo.settledExchangeMessagesBefore(trx, tenantId, cutoff);
      const { act, held } = splitHeld(due, (m) => m.person_ids.some((p) => holds.persons.has(p) || holds.personsOfHeldCases.has(p)));
      const ids = act.map((m) => m.id);
      if (!dryRun) await repo.deleteExchangeMessages(trx, act);
      return item(rule, cutoff, ids, held.map((m) => m.id));
    }
    case 'sent-mail': {
      // Mails carry names, addresses and links; once sent (or given up) they have done their work.
      // They name no person record, so a legal hold cannot keep one: the audit log keeps what was sent.
      const ids = await repo.settledMailsBefore(trx, tenantId, cutoff);
      if (!dryRun) await repo.deleteMails(trx, ids);
      return item(rule, cutoff, ids, []);
    }
    case 'portal-draft': {
      // Drafts nobody touched for the period go with the papers uploaded to them. A hold on the
      // person keeps them; a hold on a case does not reach a draft, which belongs to no case yet.
      const due = await repo.staleDraftsBefore(trx, tenantId, cutoff);
      const { act, held } = splitHeld(due, (d) => holds.persons.has(d.person_id));
      const ids = act.map((d) => d.id);
      if (!dryRun) await repo.deleteDrafts(trx, ids);
      return item(rule, cutoff, ids, held.map((d) => d.id));
    }
    case 'share-code': {
      // Codes withdrawn or expired before the cutoff show nothing any more; their label and views go.
      const due = await repo.endedShareCodesBefore(trx, tenantId, cutoff);
      const { act, held } = splitHeld(due, (c) => holds.persons.has(c.person_id));
      const ids = act.map((c) => c.id);
      if (!dryRun) await repo.deleteShareCodes(trx, ids);
      return item(rule, cutoff, ids, held.map((c) => c.id));
    }
    case 'departed-person': {
      const due = (await repo.departureCandidates(trx, tenantId)).filter((p) => {
        const left = leftOn({ openResidence: p.open_residence, lastDeparture: p.last_departure, deathDate: p.death_date });
        return left !== null && isDue(left, cutoff);
      });
      const { act, held } = splitHeld(due, (p) => holds.persons.has(p.id) || holds.personsOfHeldCases.has(p.id));
      const ids = act.map((p) => p.id);
      const emptied: string[] = [];
      if (!dryRun) {
        for (const id of ids) emptied.push(...(await repo.anonymisePerson(trx, id)));
        await repo.markApplied(trx, tenantId, runId, 'departed-person', ids);
        await repo.markApplied(trx, tenantId, runId, 'closed-case', emptied);
      } else if (ids.length > 0) {
        emptied.push(...(await trx.selectFrom('cases').select('id').where('person_id', 'in', ids).execute()).map((row) => row.id));
      }
      return { ...item(rule, cutoff, ids, held.map((p) => p.id)), alsoEmptiedCases: emptied };
    }
    case 'audit-log': {
      const heldPersons = [...new Set([...holds.persons, ...holds.personsOfHeldCases])];
      const chains = await repo.auditChains(trx, tenantId, cutoff, heldPersons, [...holds.cases]);
      // Which chains were stopped early by a held row (rather than by age) tells the reader why rows stayed.
      const byAgeOnly = heldPersons.length + holds.cases.size === 0 ? chains : await repo.auditChains(trx, tenantId, cutoff, [], []);
      const cuts: NonNullable<RunItem['chains']> = [];
      for (const chain of chains) {
        const cut = auditCut({ chain: chain.chain, checkpointSeq: chain.checkpoint_seq, maxSeq: chain.max_seq, firstKeptSeq: chain.first_kept_seq });
        const ageCut = auditCut({ chain: chain.chain, checkpointSeq: chain.checkpoint_seq, maxSeq: chain.max_seq, firstKeptSeq: byAgeOnly.find((c) => c.chain === chain.chain)?.first_kept_seq ?? null });
        const stoppedByHold = (ageCut?.toSeq ?? 0) > (cut?.toSeq ?? 0);
        if (!cut) {
          if (stoppedByHold) cuts.push({ chain: chain.chain, fromSeq: chain.checkpoint_seq + 1, toSeq: chain.checkpoint_seq, stoppedByHold });
          continue;
        }
        if (!dryRun) await repo.cutAuditChain(trx, chain.chain, cut.toSeq, cut.toSeq - cut.fromSeq + 1);
        cuts.push({ chain: chain.chain, ...cut, stoppedByHold });
      }
      const removed = cuts.filter((c) => c.toSeq >= c.fromSeq);
      return { ...item(rule, cutoff, removed.map((c) => `${c.chain}#${c.fromSeq}-${c.toSeq}`), []), count: removed.reduce((sum, c) => sum + c.toSeq - c.fromSeq + 1, 0), chains: cuts };
    }
  }
}

// Rules run in this order: case files first, then persons (whose remaining case files are emptied
// with them), then the audit log last so that it also sees this run's holds.
const ORDER: RetentionKind[] = ['closed-case', 'returned-papers', 'ended-session', 'read-notification', 'exchange-message', 'sent-mail', 'portal-draft', 'share-code', 'departed-person', 'audit-log'];

async function runTenant(db: Db, tenant: { id: string; slug: string; catalogue: RetentionCatalogue }, options: RunOptions): Promise<RunOutcome> {
  return inTransaction(db, async (trx) => {
    const base = { tenant: tenant.slug, asOf: options.asOf, dryRun: options.dryRun };
    if (!(await repo.lockTenantRun(trx, tenant.id))) return { ...base, runId: null, status: 'busy', report: null };
    if (options.oncePerDay && !options.dryRun && (await repo.ranOn(trx, tenant.id, options.asOf))) return { ...base, runId: null, status: 'done-today', report: null };
    const runId = randomUUID();
    const startedAt = new Date();
    const holds = await repo.heldSubjects(trx, tenant.id);
    const items: RunItem[] = [];
    const rules = [...tenant.catalogue.rules].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
    // The run row must exist before the records it marks as done point at it.
    await repo.insertRun(trx, { id: runId, tenantId: tenant.id, asOf: options.asOf, dryRun: options.dryRun, catalogue: tenant.catalogue.catalogue, startedAt, triggeredBy: options.triggeredBy, report: { items: [] } });
    for (const rule of rules) items.push(await applyRule(trx, tenant.id, runId, rule, options.asOf, options.dryRun, holds));
    const report: RunReport = { items };
    await trx.withTables<repo.PrivacyTables>().updateTable('retention_runs').set({ report: JSON.stringify(report), finished_at: new Date() }).where('id', '=', runId).execute();
    const subject: AuditSubject = { tenantId: tenant.id, actorId: null, actorKind: 'system', actorName: `retention (${options.triggeredBy})`, requestId: runId };
    await appendAudit(trx, subject, {
      action: 'retention.run',
      entityType: 'retention-run',
      entityId: runId,
      details: {
        asOf: options.asOf,
        dryRun: options.dryRun,
        catalogue: tenant.catalogue.catalogue,
        counts: Object.fromEntries(items.map((i) => [i.rule, i.count])),
        held: Object.fromEntries(items.map((i) => [i.rule, i.heldIds.length])),
        auditChains: items.find((i) => i.kind === 'audit-log')?.chains ?? [],
      },
    });
    return { ...base, runId, status: 'done', report };
  });
}

/** Runs retention for every office (or one), each in its own transaction. */
export async function runRetention(db: Db, options: RunOptions): Promise<RunOutcome[]> {
  let offices = await repo.tenants(db);
  if (options.tenantSlug !== undefined) {
    offices = offices.filter((t) => t.slug === options.tenantSlug);
    if (offices.length === 0) throw new RangeError(`There is no office "${options.tenantSlug}".`);
  }
  const outcomes: RunOutcome[] = [];
  for (const office of offices) {
    outcomes.push(await runTenant(db, { id: office.id, slug: office.slug, catalogue: catalogueOfTenant({ country: office.country, settings: office.settings }) }, options));
  }
  return outcomes;
}

export type RetentionScheduler = Periodic;

/**
 * The daily run inside the server: every `intervalMs` it runs each office whose run for today is
 * missing; the office lock and the once-per-day check make several processes run it once. No pass
 * at start-up: a restart should not act at once, and an interval later (an hour) is soon enough
 * for a once-a-day duty.
 */
export function startRetentionScheduler(db: Db, intervalMs: number, log: (error: unknown) => void): RetentionScheduler {
  return runPeriodically(intervalMs, () => runRetention(db, { asOf: new Date().toISOString().slice(0, 10), dryRun: false, triggeredBy: 'daily scheduler', oncePerDay: true }), log, { immediately: false });
}

// --- reading the rules and the reports -------------------------------------------------------

export async function rulesOfOffice(db: Db, context: RequestContext): Promise<RetentionCatalogue> {
  const tenant = await repo.letterheadOf(db, context.actor.tenantId);
  return catalogueOfTenant({ country: tenant.country, settings: tenant.settings });
}

export interface RunSummary {
  id: string;
  asOf: string;
  dryRun: boolean;
  catalogue: string;
  startedAt: string;
  finishedAt: string;
  triggeredBy: string;
  totals: { rule: string; kind: string; action: string; count: number; held: number }[];
}

function reportOf(value: unknown): RunReport {
  const items = typeof value === 'object' && value !== null && Array.isArray((value as RunReport).items) ? (value as RunReport).items : [];
  return { items };
}

type RunRow = Awaited<ReturnType<typeof repo.listRuns>>[number];

function summary(row: RunRow): RunSummary {
  return {
    id: row.id,
    asOf: String(row.as_of).slice(0, 10),
    dryRun: row.dry_run,
    catalogue: row.catalogue,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at.toISOString(),
    triggeredBy: row.triggered_by,
    totals: reportOf(row.report).items.map((i) => ({ rule: i.rule, kind: i.kind, action: i.action, count: i.count, held: i.heldIds.length })),
  };
}

export async function listRetentionRuns(db: Db, context: RequestContext, limit: number): Promise<RunSummary[]> {
  return (await repo.listRuns(db, context.actor.tenantId, limit)).map(summary);
}

/** One run with every id it touched; reading ids of persons is itself audited. */
export async function readRetentionRun(db: Db, context: RequestContext, id: string): Promise<RunSummary & { report: RunReport }> {
  return inTransaction(db, async (trx) => {
    const row = await repo.findRun(trx, context.actor.tenantId, id);
    if (!row) throw problems.notFound('retention-run');
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'retention.run-read', entityType: 'retention-run', entityId: id });
    return { ...summary(row), report: reportOf(row.report) };
  });
}
