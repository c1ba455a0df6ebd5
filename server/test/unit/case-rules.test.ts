import { describe, expect, it } from 'vitest';
import { nextFireAt, recipientOf, stageToFire, STAGES } from '../../src/modules/deadlines/rules/stages.js';
import { afterAppeal, appealPeriodEnd, effectsHeldBack, legalForceAfterPeriod } from '../../src/modules/cases/rules/legal-force.js';
import { automaticStep, conditionHolds, fillTemplate, missingChecklistItems, splitEffects, stepOptions, type ConditionFacts } from '../../src/modules/cases/rules/workflow.js';
import { readShippedCaseTypes } from '../../src/modules/cases/case-type-files.js';

const times = { workingDueDate: '2026-12-28', reminderDays: 3, escalationDays: 5 };

describe('deadline stages', () => {
  it('fires the reminder, the due notice and the escalation at 06:00 UTC on their days', () => {
    expect(nextFireAt(times, STAGES.none)?.toISOString()).toBe('2026-12-25T06:00:00.000Z');
    expect(nextFireAt(times, STAGES.reminded)?.toISOString()).toBe('2026-12-28T06:00:00.000Z');
    expect(nextFireAt(times, STAGES.due)?.toISOString()).toBe('2027-01-02T06:00:00.000Z');
    expect(nextFireAt(times, STAGES.escalated)).toBeNull();
  });

  it('fires nothing before its time and only the latest stage when found late', () => {
    expect(stageToFire(times, STAGES.none, new Date('2026-12-25T05:59:59Z'))).toBeNull();
    expect(stageToFire(times, STAGES.none, new Date('2026-12-25T06:00:00Z'))).toBe(STAGES.reminded);
    expect(stageToFire(times, STAGES.none, new Date('2026-12-29T00:00:00Z'))).toBe(STAGES.due);
    expect(stageToFire(times, STAGES.reminded, new Date('2027-03-01T00:00:00Z'))).toBe(STAGES.escalated);
    expect(stageToFire(times, STAGES.escalated, new Date('2030-01-01T00:00:00Z'))).toBeNull();
  });

  it('tells the assigned person first and the team leads on escalation', () => {
    expect(recipientOf(STAGES.reminded, 'caseworker', 'unit-1', 'user-1')).toEqual({ userId: 'user-1', role: null, unitId: null });
    expect(recipientOf(STAGES.due, 'caseworker', 'unit-1', null)).toEqual({ userId: null, role: 'caseworker', unitId: 'unit-1' });
    expect(recipientOf(STAGES.escalated, 'caseworker', 'unit-1', 'user-1')).toEqual({ userId: null, role: 'team-lead', unitId: 'unit-1' });
    // A municipality has no team lead: its overdue duties go to the office's.
    expect(recipientOf(STAGES.reminded, 'municipal-clerk', 'gemeinde', null)).toEqual({ userId: null, role: 'municipal-clerk', unitId: 'gemeinde' });
    expect(recipientOf(STAGES.escalated, 'municipal-clerk', 'gemeinde', null)).toEqual({ userId: null, role: 'team-lead', unitId: null });
  });
});

describe('appeal period and legal force', () => {
  const weekendsOff = (date: string) => {
    const day = new Date(`${date}T12:00:00Z`).getUTCDay();
    const shift = day === 6 ? 2 : day === 0 ? 1 : 0;
    return new Date(Date.parse(`${date}T12:00:00Z`) + shift * 86_400_000).toISOString().slice(0, 10);
  };
  it('ends the period on the next working day and puts the decision in force the day after', () => {
    expect(appealPeriodEnd('2026-11-27', 30, weekendsOff)).toBe('2026-12-28');
    expect(appealPeriodEnd('2026-11-02', 30, weekendsOff)).toBe('2026-12-02');
    expect(legalForceAfterPeriod('2026-12-28')).toBe('2026-12-29');
    expect(legalForceAfterPeriod('2026-12-31')).toBe('2027-01-01');
  });
  it('decides what an appeal outcome means', () => {
    expect(afterAppeal('dismissed', '2027-02-01')).toEqual({ legalForceOn: '2027-02-01', reopen: false });
    expect(afterAppeal('withdrawn', '2027-02-01')).toEqual({ legalForceOn: '2027-02-01', reopen: false });
    expect(afterAppeal('upheld', '2027-02-01')).toEqual({ legalForceOn: null, reopen: true });
    expect(effectsHeldBack(true, true)).toBe(true);
    expect(effectsHeldBack(true, false)).toBe(false);
    expect(effectsHeldBack(false, true)).toBe(false);
  });
});

describe('workflow rules', () => {
  const extension = readShippedCaseTypes('CH').find((t) => t.slug === 'permit-extension')!;
  const german = readShippedCaseTypes('DE')[0]!;
  const facts: ConditionFacts = { today: '2026-11-22', receivedOn: '2026-11-20', mainPermitLastDay: '2026-12-31', hasMainPermit: true };
  const allDone = Object.fromEntries(extension.checklist.map((c) => [c.id, { done: true }]));

  it('offers the steps leaving the state and says what blocks each', () => {
    const inReview = { state: 'in-review', checklist: {}, fields: {}, hasPendingDecision: false, closed: false };
    const options = stepOptions(extension, inReview, ['caseworker'], facts);
    const extend = options.find((o) => o.transition.id === 'extend')!;
    expect(extend.blockers.map((b) => b.reason).sort()).toEqual(['checklist', 'fields']);
    expect(stepOptions(extension, { ...inReview, checklist: allDone, fields: { validUntil: '2028-01-01' } }, ['caseworker'], facts).find((o) => o.transition.id === 'extend')!.blockers).toEqual([]);
    expect(stepOptions(extension, inReview, ['municipal-clerk'], facts).every((o) => o.blockers.some((b) => b.reason === 'role'))).toBe(true);
    expect(stepOptions(extension, { ...inReview, closed: true }, ['caseworker'], facts)).toEqual([]);
  });

  it('lists the required checklist items not yet done', () => {
    expect(missingChecklistItems(extension, {}).length).toBe(extension.checklist.filter((c) => c.optional !== true).length);
    expect(missingChecklistItems(extension, allDone)).toEqual([]);
  });

  it('takes the Fiktionsbescheinigung step only for complete papers handed in before the title expires', () => {
    const papers = Object.fromEntries(german.checklist.filter((c) => c.kind === 'paper').map((c) => [c.id, { done: true }]));
    const received = { state: 'received', checklist: papers, fields: {}, hasPendingDecision: false, closed: false };
    expect(automaticStep(german, received, facts)?.id).toBe('issue-fiktionsbescheinigung');
    expect(automaticStep(german, received, { ...facts, receivedOn: '2027-01-05' })).toBeNull();
    expect(automaticStep(german, { ...received, checklist: {} }, facts)).toBeNull();
    expect(conditionHolds('applied-before-permit-expiry', { ...facts, mainPermitLastDay: null })).toBe(false);
    expect(conditionHolds('no-such-condition', facts)).toBe(false);
  });

  it('holds back effects that wait for legal force and fills letter placeholders', () => {
    const split = splitEffects([{ when: 'decision' as const, n: 1 }, { n: 2 }, { when: 'legal-force' as const, n: 3 }]);
    expect(split.now.map((e) => e.n)).toEqual([1, 2]);
    expect(split.atLegalForce.map((e) => e.n)).toEqual([3]);
    expect(fillTemplate('Guten Tag {{ person.fullName }}, bis {{fields.validUntil}}.', { 'person.fullName': 'Ana Kovačević', 'fields.validUntil': '30. November 2028' })).toBe('Guten Tag Ana Kovačević, bis 30. November 2028.');
  });
});
