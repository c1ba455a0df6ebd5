import type { RoleSlug } from '../../../platform/db/tables.js';
import { PLACEHOLDER, type CaseTransition, type CaseTypeDefinition, type ChecklistEntry } from './definition.js';

/** Pure rules of working a case: which steps are possible now and why the others are not. */

export interface CaseSnapshot {
  state: string;
  checklist: Record<string, { done: boolean }>;
  fields: Record<string, string>;
  hasPendingDecision: boolean;
  closed: boolean;
}

/** Facts the named conditions look at, gathered by the service before it asks. */
export interface ConditionFacts {
  today: string;
  receivedOn: string;
  /** The last day of the person's current main permit, if any. */
  mainPermitLastDay: string | null;
  hasMainPermit: boolean;
}

export type Blocker =
  | { reason: 'role'; roles: string[] }
  | { reason: 'checklist'; missing: string[] }
  | { reason: 'fields'; missing: string[] }
  | { reason: 'condition'; condition: string }
  | { reason: 'pending-decision' };

export interface StepOption {
  transition: CaseTransition;
  blockers: Blocker[];
}

export function missingChecklistItems(type: CaseTypeDefinition, checklist: CaseSnapshot['checklist']): ChecklistEntry[] {
  return type.checklist.filter((item) => item.optional !== true && checklist[item.id]?.done !== true);
}

export function conditionHolds(condition: string, facts: ConditionFacts): boolean {
  switch (condition) {
    // AufenthG § 81 (4): only an application made while the title is still valid continues it.
    case 'applied-before-permit-expiry':
      return facts.mainPermitLastDay !== null && facts.receivedOn <= facts.mainPermitLastDay;
    case 'has-main-permit':
      return facts.hasMainPermit;
    default:
      return false;
  }
}

/** The transitions leaving the current state, each with what (if anything) stands in its way. */
export function stepOptions(type: CaseTypeDefinition, snapshot: CaseSnapshot, roles: readonly RoleSlug[], facts: ConditionFacts, given: Record<string, string> = {}): StepOption[] {
  if (snapshot.closed) return [];
  return type.transitions
    .filter((transition) => transition.from.includes(snapshot.state))
    .map((transition) => ({ transition, blockers: blockersOf(type, transition, snapshot, roles, facts, given) }));
}

export function blockersOf(type: CaseTypeDefinition, transition: CaseTransition, snapshot: CaseSnapshot, roles: readonly RoleSlug[], facts: ConditionFacts, given: Record<string, string>): Blocker[] {
  const blockers: Blocker[] = [];
  if (!transition.roles.some((role) => roles.includes(role))) blockers.push({ reason: 'role', roles: transition.roles });
  if (snapshot.hasPendingDecision) blockers.push({ reason: 'pending-decision' });
  if (transition.requiresChecklist === true || transition.requiresPapers === true) {
    const missing = missingChecklistItems(type, snapshot.checklist)
      .filter((item) => transition.requiresChecklist === true || item.kind === 'paper')
      .map((item) => item.id);
    if (missing.length > 0) blockers.push({ reason: 'checklist', missing });
  }
  const missingFields = (transition.requiredFields ?? []).filter((field) => !(given[field] ?? snapshot.fields[field]));
  if (missingFields.length > 0) blockers.push({ reason: 'fields', missing: missingFields });
  if (transition.condition !== undefined && !conditionHolds(transition.condition, facts)) blockers.push({ reason: 'condition', condition: transition.condition });
  return blockers;
}

/** The first automatic transition whose guards all pass, if any: the engine takes it on its own. */
export function automaticStep(type: CaseTypeDefinition, snapshot: CaseSnapshot, facts: ConditionFacts): CaseTransition | null {
  const candidates = type.transitions.filter((t) => t.automatic === true && t.from.includes(snapshot.state));
  for (const transition of candidates) {
    // The engine acts with the rights the case type grants the step itself.
    if (blockersOf(type, transition, snapshot, transition.roles, facts, {}).length === 0) return transition;
  }
  return null;
}

export function stateOf(type: CaseTypeDefinition, id: string) {
  const state = type.states.find((s) => s.id === id);
  if (!state) throw new Error(`Case type ${type.slug} v${type.version} has no state ${id}`);
  return state;
}

/** Effects applied with the decision now, and those held back until the decision is in force. */
export function splitEffects<T extends { when?: 'decision' | 'legal-force' | undefined }>(effects: readonly T[]): { now: T[]; atLegalForce: T[] } {
  return { now: effects.filter((e) => e.when !== 'legal-force'), atLegalForce: effects.filter((e) => e.when === 'legal-force') };
}

/** Fills `{{name}}` placeholders; the case type loader has already refused unknown names. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? '');
}
