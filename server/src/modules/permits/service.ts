import { addDays, format, parseISO } from 'date-fns';
import { appendAudit, subjectOf } from '../../platform/audit/audit.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { AppError, problems } from '../../platform/errors.js';
import { inTransaction, type Db, type Trx } from '../../platform/db/transaction.js';
import { closeOpenDeadlines, scheduleDeadline } from '../deadlines/index.js';
import { visiblePerson } from '../register/index.js';
import * as repo from './repository.js';
import { immigrationGroup, type AdmissionReason, type StatisticsGroup } from './rules/admission.js';
import { defaultValidity, exceedsMaximum, expiryNoticeDate, lastDayOf, lStayStart, overlaps, type ValidityRule } from './rules/validity.js';

const dayBefore = (date: string) => format(addDays(parseISO(date), -1), 'yyyy-MM-dd');

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function permitDto(permit: repo.PermitRow, events: Awaited<ReturnType<typeof repo.eventsOfPermits>> = []) {
  return {
    id: permit.id,
    personId: permit.person_id,
    category: permit.category,
    isMain: permit.is_main,
    admissionReason: permit.admission_reason,
    validFrom: permit.valid_from,
    validUntil: permit.valid_until,
    controlDate: permit.control_date,
    endedOn: permit.ended_on,
    endReason: permit.end_reason,
    conditions: permit.conditions,
    cardNumber: permit.card_number,
    lStayStart: permit.l_stay_start,
    immigrationGroup: permit.immigration_group,
    version: permit.version,
    history: events.filter((e) => e.permit_id === permit.id).map((e) => ({ event: e.event, date: e.event_date, details: e.details as Record<string, unknown>, recordedBy: e.recorded_by })),
  };
}

export type PermitDto = ReturnType<typeof permitDto>;

export async function listCategories(db: Db, tenantId: string) {
  const rows = await repo.categoriesOf(db, tenantId);
  return rows.map((row) => ({
    code: row.code,
    echCode: row.ech_code,
    legalBasis: row.legal_basis,
    names: row.names,
    isMain: row.is_main,
    statisticsGroup: row.statistics_group,
    validity: row.validity,
    active: row.active,
  }));
}

async function personOrThrow(trx: Trx, context: RequestContext, personId: string) {
  const person = await visiblePerson(trx, context.actor, personId);
  if (!person) throw problems.notFound('person');
  return person;
}

export async function permitsOfPerson(db: Db, context: RequestContext, personId: string): Promise<PermitDto[]> {
  return inTransaction(db, async (trx) => {
    await personOrThrow(trx, context, personId);
    const permits = await repo.permitsOfPerson(trx, personId);
    const events = await repo.eventsOfPermits(trx, permits.map((p) => p.id));
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'permit.list', entityType: 'person', entityId: personId });
    return permits.map((p) => permitDto(p, events));
  });
}

export interface GrantInput {
  category: string;
  admissionReason: AdmissionReason;
  validFrom: string;
  validUntil?: string | null;
  conditions?: string | null;
  cardNumber?: string | null;
}

/** The notice two months before expiry, as a deadline for the deadlines engine. */
async function scheduleExpiryNotice(trx: Trx, tenantId: string, permit: repo.PermitRow): Promise<void> {
  await closeOpenDeadlines(trx, permit.person_id, ['permit-expiry-notice'], 'cancelled');
  if (!permit.valid_until || !permit.is_main) return;
  await scheduleDeadline(trx, {
    tenantId,
    personId: permit.person_id,
    kind: 'permit-expiry-notice',
    legalBasis: `Permit ${permit.category} expires on ${permit.valid_until}: notify the holder two months before`,
    dueDate: expiryNoticeDate(permit.valid_until),
    source: `permit:${permit.id}`,
  });
}

/** Grants a permit in the caller's transaction; the rules decide validity, the L stay and the key-figure group. */
export async function grantInTransaction(trx: Trx, context: RequestContext, personId: string, input: GrantInput, event: 'granted' | 'category-changed' = 'granted'): Promise<repo.PermitRow> {
  const tenantId = context.actor.tenantId;
  const person = await personOrThrow(trx, context, personId);
  const categories = await repo.categoriesOf(trx, tenantId);
  const category = categories.find((c) => c.code === input.category && c.active);
  if (!category) throw new AppError(422, 'unknown-permit-category', { category: input.category, known: categories.filter((c) => c.active).map((c) => c.code).join(', ') });
  if (input.validUntil && input.validUntil < input.validFrom) throw new AppError(422, 'invalid-period', { start: input.validFrom, end: input.validUntil });
  if (!(await repo.isRegisteredOn(trx, personId, input.validFrom))) throw new AppError(422, 'not-registered-on-date', { date: input.validFrom });

  const rule = category.validity as ValidityRule;
  const defaults = defaultValidity(rule, person.nationality, input.validFrom);
  const validUntil = input.validUntil === undefined ? defaults.validUntil : input.validUntil;
  if (exceedsMaximum(rule, input.validFrom, validUntil)) throw new AppError(422, 'permit-too-long', { category: category.code, months: rule.maxMonths ?? 0 });

  const existing = await repo.permitsOfPerson(trx, personId);
  const periods = existing.map((p) => ({ permit: p, validFrom: p.valid_from, lastDay: lastDayOf({ validUntil: p.valid_until, endedOn: p.ended_on }) }));
  const mine = { validFrom: input.validFrom, lastDay: validUntil };
  if (category.is_main) {
    const clash = periods.find((p) => p.permit.is_main && overlaps(p, mine));
    if (clash) {
      throw new AppError(409, 'permit-overlap', { category: clash.permit.category, from: clash.validFrom, until: clash.lastDay ?? '—' }, { conflictingPermitId: clash.permit.id });
    }
  }
  const groupOf = new Map(categories.map((c) => [c.code, c.statistics_group as StatisticsGroup]));
  const earlier = periods.filter((p) => p.validFrom < input.validFrom && p.permit.is_main).map((p) => ({ statisticsGroup: groupOf.get(p.permit.category) ?? 'none', lastDay: p.lastDay }));
  const lStay = category.code === 'L'
    ? lStayStart(periods.filter((p) => p.permit.category === 'L').map((p) => ({ validFrom: p.validFrom, lastDay: p.lastDay, lStayStart: p.permit.l_stay_start })), input.validFrom)
    : null;
  const permit = await repo.insertPermit(trx, {
    tenant_id: tenantId,
    person_id: personId,
    category: category.code,
    is_main: category.is_main,
    admission_reason: input.admissionReason,
    valid_from: input.validFrom,
    valid_until: validUntil,
    control_date: defaults.controlDate,
    conditions: input.conditions ?? null,
    card_number: input.cardNumber ?? null,
    l_stay_start: lStay,
    immigration_group: category.is_main ? immigrationGroup(category.statistics_group as StatisticsGroup, input.admissionReason, earlier, dayBefore(input.validFrom)) : null,
  });
  await repo.insertEvent(trx, { tenantId, permitId: permit.id, event, date: input.validFrom, details: { admissionReason: input.admissionReason, validUntil }, by: context.actor.name });
  await scheduleExpiryNotice(trx, tenantId, permit);
  await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: `permit.${event}`, entityType: 'person', entityId: personId, details: { permitId: permit.id, category: permit.category, validFrom: permit.valid_from, validUntil } });
  return permit;
}

export async function grantPermit(db: Db, context: RequestContext, personId: string, input: GrantInput): Promise<PermitDto> {
  return inTransaction(db, async (trx) => {
    const permit = await grantInTransaction(trx, context, personId, input);
    return permitDto(permit, await repo.eventsOfPermits(trx, [permit.id]));
  });
}

async function lockPermit(trx: Trx, context: RequestContext, id: string, expectedVersion: number | null, set: Parameters<typeof repo.updatePermit>[3]): Promise<repo.PermitRow> {
  const permit = await repo.findPermit(trx, context.actor.tenantId, id);
  if (!permit) throw problems.notFound('permit');
  await personOrThrow(trx, context, permit.person_id);
  const updated = await repo.updatePermit(trx, id, expectedVersion, set);
  if (!updated) {
    const fresh = (await repo.findPermit(trx, context.actor.tenantId, id)) ?? permit;
    throw problems.versionConflict(fresh.version, permitDto(fresh));
  }
  return updated;
}

export async function extendPermit(db: Db, context: RequestContext, id: string, expectedVersion: number, validUntil: string): Promise<PermitDto> {
  return inTransaction(db, async (trx) => {
    const permit = await extendInTransaction(trx, context, id, expectedVersion, validUntil);
    return permitDto(permit, await repo.eventsOfPermits(trx, [id]));
  });
}

/** Extends a permit in the caller's transaction; `expectedVersion` null when a case decision acts on the permit as it is. */
export async function extendInTransaction(trx: Trx, context: RequestContext, id: string, expectedVersion: number | null, validUntil: string): Promise<repo.PermitRow> {
  const before = await repo.findPermit(trx, context.actor.tenantId, id);
  if (!before) throw problems.notFound('permit');
  if (before.ended_on) throw new AppError(409, 'permit-ended', { date: before.ended_on });
  if (before.valid_until === null || validUntil <= before.valid_until) throw new AppError(422, 'invalid-period', { start: before.valid_until ?? before.valid_from, end: validUntil });
  const later = (await repo.permitsOfPerson(trx, before.person_id)).filter((p) => p.id !== id && p.is_main && p.valid_from > before.valid_from);
  const clash = later.find((p) => overlaps({ validFrom: before.valid_from, lastDay: validUntil }, { validFrom: p.valid_from, lastDay: lastDayOf({ validUntil: p.valid_until, endedOn: p.ended_on }) }));
  if (clash) throw new AppError(409, 'permit-overlap', { category: clash.category, from: clash.valid_from, until: clash.valid_until ?? '—' }, { conflictingPermitId: clash.id });
  const categories = await repo.categoriesOf(trx, context.actor.tenantId);
  const rule = (categories.find((c) => c.code === before.category)?.validity ?? {}) as ValidityRule;
  if (exceedsMaximum(rule, before.l_stay_start ?? before.valid_from, validUntil) && before.category !== 'L') throw new AppError(422, 'permit-too-long', { category: before.category, months: rule.maxMonths ?? 0 });
  const permit = await lockPermit(trx, context, id, expectedVersion, { valid_until: validUntil });
  await repo.insertEvent(trx, { tenantId: context.actor.tenantId, permitId: id, event: 'extended', date: today(), details: { from: before.valid_until, to: validUntil }, by: context.actor.name });
  await scheduleExpiryNotice(trx, context.actor.tenantId, permit);
  await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'permit.extended', entityType: 'person', entityId: permit.person_id, details: { permitId: id, from: before.valid_until, to: validUntil } });
  return permit;
}

const END_EVENTS = { revoked: 'revoked', departure: 'ended-departure', death: 'ended-death', naturalised: 'ended-naturalisation' } as const;

export async function endPermit(db: Db, context: RequestContext, id: string, expectedVersion: number, input: { date: string; reason: 'revoked' | 'departure' | 'death' }): Promise<PermitDto> {
  return inTransaction(db, async (trx) => {
    const permit = await endInTransaction(trx, context, id, expectedVersion, input);
    return permitDto(permit, await repo.eventsOfPermits(trx, [id]));
  });
}

export async function endInTransaction(trx: Trx, context: RequestContext, id: string, expectedVersion: number | null, input: { date: string; reason: 'revoked' | 'departure' | 'death' }): Promise<repo.PermitRow> {
  const before = await repo.findPermit(trx, context.actor.tenantId, id);
  if (!before) throw problems.notFound('permit');
  if (before.ended_on) throw new AppError(409, 'permit-ended', { date: before.ended_on });
  if (input.date < before.valid_from) throw new AppError(422, 'invalid-period', { start: before.valid_from, end: input.date });
  const permit = await lockPermit(trx, context, id, expectedVersion, { ended_on: input.date, end_reason: input.reason });
  await repo.insertEvent(trx, { tenantId: context.actor.tenantId, permitId: id, event: END_EVENTS[input.reason], date: input.date, by: context.actor.name });
  await closeOpenDeadlines(trx, permit.person_id, ['permit-expiry-notice'], 'cancelled');
  await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: `permit.${END_EVENTS[input.reason]}`, entityType: 'person', entityId: permit.person_id, details: { permitId: id, date: input.date } });
  return permit;
}

/** A change of category (e.g. B → C): the old permit ends the day the new one starts. */
export async function changeCategory(db: Db, context: RequestContext, id: string, expectedVersion: number, input: GrantInput): Promise<PermitDto> {
  return inTransaction(db, async (trx) => {
    const permit = await changeCategoryInTransaction(trx, context, id, expectedVersion, input);
    return permitDto(permit, await repo.eventsOfPermits(trx, [permit.id]));
  });
}

export async function changeCategoryInTransaction(trx: Trx, context: RequestContext, id: string, expectedVersion: number | null, input: GrantInput): Promise<repo.PermitRow> {
  const before = await repo.findPermit(trx, context.actor.tenantId, id);
  if (!before) throw problems.notFound('permit');
  if (before.ended_on) throw new AppError(409, 'permit-ended', { date: before.ended_on });
  if (input.validFrom <= before.valid_from) throw new AppError(422, 'invalid-period', { start: before.valid_from, end: input.validFrom });
  await lockPermit(trx, context, id, expectedVersion, { ended_on: input.validFrom, end_reason: 'category-changed' });
  await repo.insertEvent(trx, { tenantId: context.actor.tenantId, permitId: id, event: 'category-changed', date: input.validFrom, details: { to: input.category }, by: context.actor.name });
  return grantInTransaction(trx, context, before.person_id, input, 'category-changed');
}

/** The person's main permit in force on a date (not ended, valid then), if any. */
/**
 * A correction of what was recorded (eCH-0020 correctResidencePermit): category and dates replaced
 * as reported, the earlier values kept in a 'corrected' event. Not a change of status: no new permit.
 */
export async function correctInTransaction(trx: Trx, context: RequestContext, id: string, input: { category: string; validFrom: string; validUntil: string | null }): Promise<repo.PermitRow> {
  const before = await repo.findPermit(trx, context.actor.tenantId, id);
  if (!before) throw problems.notFound('permit');
  const category = (await repo.categoriesOf(trx, context.actor.tenantId)).find((c) => c.code === input.category && c.active);
  if (!category) throw new AppError(422, 'unknown-permit-category', { category: input.category, known: '' });
  if (input.validUntil !== null && input.validUntil < input.validFrom) throw new AppError(422, 'invalid-period', { start: input.validFrom, end: input.validUntil });
  const permit = await lockPermit(trx, context, id, null, { category: category.code, is_main: category.is_main, valid_from: input.validFrom, valid_until: input.validUntil });
  await repo.insertEvent(trx, {
    tenantId: context.actor.tenantId,
    permitId: id,
    event: 'corrected',
    date: input.validFrom,
    details: { before: { category: before.category, validFrom: before.valid_from, validUntil: before.valid_until } },
    by: context.actor.name,
  });
  await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'permit.corrected', entityType: 'person', entityId: permit.person_id, details: { permitId: id, category: input.category, validFrom: input.validFrom, validUntil: input.validUntil } });
  return permit;
}

export async function mainPermitOn(trx: Trx, personId: string, date: string): Promise<repo.PermitRow | null> {
  const permits = await repo.permitsOfPerson(trx, personId);
  return permits.find((p) => p.is_main && p.valid_from <= date && (lastDayOf({ validUntil: p.valid_until, endedOn: p.ended_on }) ?? '9999-12-31') >= date) ?? null;
}

/** The person's latest main permit (the one an extension or change of category acts on). */
export async function latestMainPermit(trx: Trx, personId: string): Promise<repo.PermitRow | null> {
  const permits = (await repo.permitsOfPerson(trx, personId)).filter((p) => p.is_main && p.ended_on === null);
  return permits.sort((a, b) => b.valid_from.localeCompare(a.valid_from))[0] ?? null;
}

export async function expiryList(db: Db, context: RequestContext, withinDays: number, limit: number) {
  return inTransaction(db, async (trx) => {
    const rows = await repo.expiringPermits(trx, context.actor.tenantId, today(), withinDays, limit);
    await appendAudit(trx, subjectOf(context.actor, context.requestId), { action: 'permit.expiry-list', entityType: 'person', details: { withinDays, results: rows.map((r) => r.person_id) } });
    return rows.map((row) => ({
      permitId: row.permit_id,
      personId: row.person_id,
      officialName: row.official_name,
      firstNames: row.first_names,
      dateOfBirth: row.date_of_birth,
      nationality: row.nationality,
      category: row.category,
      validUntil: row.valid_until,
      daysLeft: row.days_left,
      expired: row.days_left < 0,
    }));
  });
}

/** When a person leaves the office's area, dies or is naturalised, their permits in force end that day (a register event). */
export async function endPermitsOnDeparture(trx: Trx, context: RequestContext, personId: string, date: string, reason: 'departure' | 'death' | 'naturalised' = 'departure'): Promise<void> {
  const open = (await repo.permitsOfPerson(trx, personId)).filter((p) => p.ended_on === null && p.valid_from <= date && (p.valid_until === null || p.valid_until >= date));
  for (const permit of open) {
    await repo.updatePermit(trx, permit.id, null, { ended_on: date, end_reason: reason });
    await repo.insertEvent(trx, { tenantId: context.actor.tenantId, permitId: permit.id, event: END_EVENTS[reason], date, by: context.actor.name });
  }
  if (open.length > 0) await closeOpenDeadlines(trx, personId, ['permit-expiry-notice'], 'cancelled');
}
