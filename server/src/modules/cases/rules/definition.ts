import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * A case type is data, not code: states, transitions with their guards, the checklist with the
 * legal basis in plain words, the deadlines each state starts, the letters each transition
 * produces and the effects of a decision. A law change is a new version of this file; a running
 * case keeps the version it started with.
 */

const LANGUAGES = ['de', 'fr', 'it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const Id = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' });
const FieldId = Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,62}$' });
/** Every text in all four languages: letters go out in the addressee's language. */
const Text = Type.Object(
  { de: Type.String({ minLength: 1 }), fr: Type.String({ minLength: 1 }), it: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
const Paragraphs = Type.Object(
  { de: Type.Array(Type.String()), fr: Type.Array(Type.String()), it: Type.Array(Type.String()), en: Type.Array(Type.String()) },
  { additionalProperties: false },
);

const Field = Type.Object(
  {
    id: FieldId,
    type: Type.Union([Type.Literal('date'), Type.Literal('text'), Type.Literal('amount'), Type.Literal('permit-category'), Type.Literal('language-level')]),
    names: Text,
    /** Upper bound for amounts, e.g. NG § 18: a fine of at most CHF 1,000. */
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);

const ChecklistItem = Type.Object(
  {
    id: Id,
    /** 'paper': something the applicant hands in; 'check': something the office verifies. */
    kind: Type.Union([Type.Literal('paper'), Type.Literal('check')]),
    names: Text,
    legalBasis: Text,
    optional: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const StateDeadline = Type.Object(
  {
    kind: Id,
    names: Text,
    legalBasis: Text,
    /** Due this many calendar days after entering the state, or on the date in `dateField`. */
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    dateField: Type.Optional(FieldId),
    reminderDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    escalationDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  },
  { additionalProperties: false },
);

const State = Type.Object(
  {
    id: Id,
    names: Text,
    /** open: being worked; waiting: on the applicant; decided: a decision was taken; closed: nothing more to do. */
    phase: Type.Union([Type.Literal('open'), Type.Literal('waiting'), Type.Literal('decided'), Type.Literal('closed')]),
    deadlines: Type.Optional(Type.Array(StateDeadline)),
  },
  { additionalProperties: false },
);

const When = Type.Optional(Type.Union([Type.Literal('decision'), Type.Literal('legal-force')]));
const Effect = Type.Union([
  Type.Object({ type: Type.Literal('grant-permit'), when: When, category: Type.Optional(Type.String()), categoryField: Type.Optional(FieldId), admissionReason: Type.String(), validFromField: FieldId, validUntilField: Type.Optional(FieldId) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('extend-permit'), when: When, validUntilField: FieldId }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('change-category'), when: When, category: Type.String(), admissionReason: Type.String(), validFromField: FieldId, validUntilField: Type.Optional(FieldId) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('end-permit'), when: When, reason: Type.Literal('revoked'), dateField: Type.Optional(FieldId) }, { additionalProperties: false }),
  /**
   * A sum the person owes (a fine, a fee): invoiced by the finance module. `afterDeadline` names the
   * deadline (e.g. the reminder's) that must have passed unmet before it may be decided (NG § 18).
   */
  Type.Object({ type: Type.Literal('obligation'), when: When, kind: Type.Union([Type.Literal('deposit'), Type.Literal('fine'), Type.Literal('fee')]), amountField: FieldId, payWithinDays: Type.Integer({ minimum: 1, maximum: 365 }), afterDeadline: Type.Optional(Id) }, { additionalProperties: false }),
  /** A follow-up date, e.g. the review of an integration agreement. */
  Type.Object({ type: Type.Literal('schedule-deadline'), when: When, kind: Id, names: Text, legalBasis: Text, dateField: FieldId }, { additionalProperties: false }),
]);

const Decision = Type.Object(
  {
    outcome: Type.Union([Type.Literal('positive'), Type.Literal('negative')]),
    /** Negative decisions need a second person's approval. */
    fourEyes: Type.Optional(Type.Boolean()),
    effects: Type.Array(Effect),
  },
  { additionalProperties: false },
);

const Transition = Type.Object(
  {
    id: Id,
    from: Type.Array(Id, { minItems: 1 }),
    to: Id,
    names: Text,
    /** Roles allowed to take this step. */
    roles: Type.Array(Type.Union([Type.Literal('caseworker'), Type.Literal('team-lead')]), { minItems: 1 }),
    requiresChecklist: Type.Optional(Type.Boolean()),
    /** Only the papers the applicant hands in must be there (a complete application), not the office's checks. */
    requiresPapers: Type.Optional(Type.Boolean()),
    requiredFields: Type.Optional(Type.Array(FieldId)),
    /** A written reason is kept and shown (every decision needs one). */
    reasonRequired: Type.Optional(Type.Boolean()),
    /** A named pure check from the engine (see conditions.ts), e.g. 'applied-before-permit-expiry'. */
    condition: Type.Optional(Type.String()),
    /** Taken by the engine itself as soon as its guards pass (e.g. the Fiktionsbescheinigung). */
    automatic: Type.Optional(Type.Boolean()),
    /** Shown as the main button: the common path takes few clicks. */
    primary: Type.Optional(Type.Boolean()),
    letters: Type.Optional(Type.Array(Id)),
    decision: Type.Optional(Decision),
  },
  { additionalProperties: false },
);

const Letter = Type.Object(
  {
    kind: Type.Union([Type.Literal('decision'), Type.Literal('request'), Type.Literal('reminder'), Type.Literal('certificate'), Type.Literal('notice')]),
    title: Text,
    subject: Text,
    paragraphs: Paragraphs,
    /** The operative part of a decision (Dispositiv), numbered. */
    decisionPoints: Type.Optional(Paragraphs),
    /** Print the instructions on appeal (Rechtsmittelbelehrung) of the case type. */
    appealNotice: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Appeal = Type.Object(
  {
    days: Type.Integer({ minimum: 1, maximum: 365 }),
    /** Whether a filed appeal holds back the effects that wait for legal force. */
    suspensive: Type.Boolean(),
    heading: Text,
    notice: Text,
    /** Where the case goes when the appeal authority sets the decision aside. */
    reopenState: Id,
  },
  { additionalProperties: false },
);

export const CaseTypeSchema = Type.Object(
  {
    slug: Id,
    version: Type.Integer({ minimum: 1 }),
    country: Type.Union([Type.Literal('CH'), Type.Literal('DE')]),
    names: Text,
    description: Text,
    /** The unit (slug) new cases of this type go to. */
    unit: Id,
    initialState: Id,
    fields: Type.Array(Field),
    checklist: Type.Array(ChecklistItem),
    states: Type.Array(State, { minItems: 1 }),
    transitions: Type.Array(Transition),
    letters: Type.Record(Type.String(), Letter),
    appeal: Type.Optional(Appeal),
  },
  { additionalProperties: false },
);

export type CaseTypeDefinition = Static<typeof CaseTypeSchema>;
export type CaseState = Static<typeof State>;
export type CaseTransition = Static<typeof Transition>;
export type CaseEffect = Static<typeof Effect>;
export type CaseLetter = Static<typeof Letter>;
export type ChecklistEntry = Static<typeof ChecklistItem>;
export type LocalText = Static<typeof Text>;

/** The placeholders a letter may use besides `{{fields.<id>}}` of its case type. */
export const LETTER_PLACEHOLDERS = [
  'person.fullName',
  'person.firstName',
  'person.dateOfBirth',
  'person.nationality',
  'case.reference',
  'case.typeName',
  'case.openedOn',
  'office.name',
  'caseworker.name',
  'decision.reason',
  'decision.date',
  'missingPapers',
  'deadline.dueDate',
  'appeal.days',
  'permit.category',
  'permit.validUntil',
  'today',
] as const;

/** Named checks transitions may use as guards; the engine implements each as a pure function. */
export const CONDITIONS = ['applied-before-permit-expiry', 'has-main-permit', 'papers-deadline-passed'] as const;

export class CaseTypeError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Case type ${source} refused: ${problems.join('; ')}`);
  }
}

/** `{{ name }}` in a letter text. */
export const PLACEHOLDER = /\{\{\s*([^}]+?)\s*\}\}/g;

export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/**
 * Checks a case type file: its shape, then that every reference resolves (states, fields, letters,
 * checklist) and every letter placeholder names a known field. Returns the definition or throws
 * one error naming the file and everything wrong with it.
 */
export function parseCaseType(json: unknown, source: string): CaseTypeDefinition {
  if (!Value.Check(CaseTypeSchema, json)) {
    const problems = [...Value.Errors(CaseTypeSchema, json)].slice(0, 10).map((error) => `${error.instancePath || '/'} ${error.message}`);
    throw new CaseTypeError(source, problems);
  }
  const type = json;
  const problems: string[] = [];
  const states = new Set(type.states.map((s) => s.id));
  const fields = new Set(type.fields.map((f) => f.id));
  const letters = new Set(Object.keys(type.letters));
  const duplicates = (ids: string[], what: string) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${what} "${id}" is defined twice`);
      seen.add(id);
    }
  };
  duplicates(type.states.map((s) => s.id), 'state');
  duplicates(type.transitions.map((t) => t.id), 'transition');
  duplicates(type.fields.map((f) => f.id), 'field');
  duplicates(type.checklist.map((c) => c.id), 'checklist item');
  if (!states.has(type.initialState)) problems.push(`initial state "${type.initialState}" is not a state`);
  if (type.appeal && !states.has(type.appeal.reopenState)) problems.push(`appeal reopen state "${type.appeal.reopenState}" is not a state`);
  const needField = (field: string | undefined, where: string) => {
    if (field !== undefined && !fields.has(field)) problems.push(`${where} uses field "${field}", which the case type does not define`);
  };
  for (const state of type.states) {
    for (const deadline of state.deadlines ?? []) {
      if ((deadline.days === undefined) === (deadline.dateField === undefined)) problems.push(`deadline "${deadline.kind}" of state "${state.id}" needs either days or dateField`);
      needField(deadline.dateField, `deadline "${deadline.kind}"`);
    }
  }
  for (const transition of type.transitions) {
    const where = `transition "${transition.id}"`;
    for (const from of transition.from) if (!states.has(from)) problems.push(`${where} starts from unknown state "${from}"`);
    if (!states.has(transition.to)) problems.push(`${where} leads to unknown state "${transition.to}"`);
    for (const field of transition.requiredFields ?? []) needField(field, where);
    for (const letter of transition.letters ?? []) if (!letters.has(letter)) problems.push(`${where} produces unknown letter "${letter}"`);
    if (transition.condition !== undefined && !(CONDITIONS as readonly string[]).includes(transition.condition)) problems.push(`${where} uses unknown condition "${transition.condition}"`);
    if (transition.decision && transition.reasonRequired !== true) problems.push(`${where} is a decision and must require a written reason`);
    if (transition.decision?.outcome === 'negative' && transition.decision.fourEyes !== true) problems.push(`${where} is a negative decision and needs four-eyes approval`);
    for (const effect of transition.decision?.effects ?? []) {
      const effectWhere = `${where} effect "${effect.type}"`;
      if ('validFromField' in effect) needField(effect.validFromField, effectWhere);
      if ('validUntilField' in effect) needField(effect.validUntilField, effectWhere);
      if ('amountField' in effect) needField(effect.amountField, effectWhere);
      if ('dateField' in effect) needField(effect.dateField, effectWhere);
      if (effect.type === 'grant-permit') {
        needField(effect.categoryField, effectWhere);
        if ((effect.category === undefined) === (effect.categoryField === undefined)) problems.push(`${effectWhere} needs either category or categoryField`);
      }
      if (effect.when === 'legal-force' && !type.appeal) problems.push(`${effectWhere} waits for legal force but the case type has no appeal period`);
    }
  }
  for (const [id, letter] of Object.entries(type.letters)) {
    if (letter.appealNotice === true && !type.appeal) problems.push(`letter "${id}" prints the appeal notice but the case type has no appeal`);
    const texts = [
      ...Object.values(letter.title),
      ...Object.values(letter.subject),
      ...Object.values(letter.paragraphs).flat(),
      ...Object.values(letter.decisionPoints ?? {}).flat(),
    ];
    for (const language of LANGUAGES) {
      if (letter.paragraphs[language].length === 0) problems.push(`letter "${id}" has no ${language} text`);
    }
    for (const placeholder of new Set(texts.flatMap(placeholdersOf))) {
      const known = (LETTER_PLACEHOLDERS as readonly string[]).includes(placeholder) || (placeholder.startsWith('fields.') && fields.has(placeholder.slice('fields.'.length)));
      if (!known) problems.push(`letter template "${id}" uses field "${placeholder}", which does not exist`);
    }
  }
  if (problems.length > 0) throw new CaseTypeError(source, problems);
  return type;
}

export function textIn(text: LocalText, language: Language): string {
  return text[language];
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}
