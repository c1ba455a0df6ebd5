import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Online application forms are data (server/catalogues/portal-forms/<country>.json), like case
 * types: steps with questions, the register data shown instead of asked (once-only), the papers
 * to upload and the checklist item each one hands in. These are the pure rules: reading a form
 * file, checking answers, and what a sent application gives its case.
 */

const Text = Type.Object(
  { de: Type.String({ minLength: 1 }), fr: Type.String({ minLength: 1 }), it: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
const Slug = Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$' });
const QuestionId = Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,62}$' });

/** Register data a question starts with, or a register step shows: the person does not type what the office knows. */
export const PREFILL_SOURCES = [
  'person.officialName',
  'person.firstNames',
  'person.dateOfBirth',
  'person.nationality',
  'residence.street',
  'residence.houseNumber',
  'residence.postalCode',
  'residence.town',
  'permit.category',
  'permit.validUntil',
] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];
const Prefill = Type.Union(PREFILL_SOURCES.map((source) => Type.Literal(source)));

const Question = Type.Object(
  {
    id: QuestionId,
    /** 'country': an ISO 3166 alpha-2 code (the page offers the country names). */
    type: Type.Union([Type.Literal('text'), Type.Literal('longtext'), Type.Literal('date'), Type.Literal('choice'), Type.Literal('email'), Type.Literal('phone'), Type.Literal('number'), Type.Literal('country')]),
    label: Text,
    hint: Type.Optional(Text),
    required: Type.Boolean(),
    options: Type.Optional(Type.Array(Type.Object({ value: Slug, label: Text }, { additionalProperties: false }), { minItems: 2 })),
    prefill: Type.Optional(Prefill),
    /** Asked only when another question has this answer (e.g. the new address only when it changed). */
    showIf: Type.Optional(Type.Object({ question: QuestionId, equals: Type.String() }, { additionalProperties: false })),
    /** The case field the answer fills (e.g. the date of the move). */
    caseField: Type.Optional(QuestionId),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  { additionalProperties: false },
);

const Upload = Type.Object(
  {
    slot: Slug,
    label: Text,
    hint: Type.Optional(Text),
    /** Needed before the application can be sent; optional papers can follow later. */
    required: Type.Boolean(),
    /** The case type's checklist item the paper hands in (ticked when the case opens). */
    checklistItem: Slug,
    maxFiles: Type.Integer({ minimum: 1, maximum: 10 }),
  },
  { additionalProperties: false },
);

const Step = Type.Object(
  {
    id: Slug,
    title: Text,
    intro: Type.Optional(Text),
    /** 'register': shows what the office knows (read-only, prefill sources); 'questions'; 'uploads'. */
    kind: Type.Union([Type.Literal('register'), Type.Literal('questions'), Type.Literal('uploads')]),
    shows: Type.Optional(Type.Array(Prefill)),
    questions: Type.Optional(Type.Array(Question)),
    uploads: Type.Optional(Type.Array(Upload)),
  },
  { additionalProperties: false },
);

export const FormSchema = Type.Object(
  {
    slug: Slug,
    version: Type.Integer({ minimum: 1 }),
    caseType: Slug,
    names: Text,
    summary: Text,
    /** Offered only to persons whose main permit is of one of these categories; everyone linked when absent. */
    forPermits: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** The form the "your permit expires in two months" mail links to (an extension). */
    offerBeforeExpiry: Type.Optional(Type.Boolean()),
    /**
     * Whom the case is for, when not the applicant: a family member abroad, recorded in the
     * register from these answers (question ids), so that the case and its permit are theirs.
     */
    caseFor: Type.Optional(
      Type.Object(
        {
          relative: Type.Object(
            { officialName: QuestionId, firstNames: QuestionId, dateOfBirth: QuestionId, nationality: QuestionId, sex: QuestionId, kind: QuestionId },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    steps: Type.Array(Step, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export const FormFileSchema = Type.Object({ forms: Type.Array(FormSchema, { minItems: 1 }) }, { additionalProperties: false });

export type ApplicationForm = Static<typeof FormSchema>;
export type FormQuestion = Static<typeof Question>;
export type FormUpload = Static<typeof Upload>;
export type Answers = Record<string, string>;

export class FormFileError extends Error {}

/** Reads a form file: the schema first, then what a schema cannot say (unique ids, options of choices, showIf targets). */
export function parseFormFile(raw: unknown, source: string): ApplicationForm[] {
  if (!Value.Check(FormFileSchema, raw)) {
    const first = Value.Errors(FormFileSchema, raw)[0];
    throw new FormFileError(`${source}: ${first ? `${first.instancePath || '/'} ${first.message}` : 'not a form file'}`);
  }
  const forms = raw.forms;
  const slugs = new Set<string>();
  for (const form of forms) {
    if (slugs.has(form.slug)) throw new FormFileError(`${source}: form ${form.slug} twice`);
    slugs.add(form.slug);
    const ids = new Set<string>();
    const slots = new Set<string>();
    for (const step of form.steps) {
      if (step.kind === 'questions' && !step.questions?.length) throw new FormFileError(`${source}: ${form.slug}/${step.id} has no questions`);
      if (step.kind === 'uploads' && !step.uploads?.length) throw new FormFileError(`${source}: ${form.slug}/${step.id} has no uploads`);
      if (step.kind === 'register' && !step.shows?.length) throw new FormFileError(`${source}: ${form.slug}/${step.id} shows nothing`);
      for (const question of step.questions ?? []) {
        if (ids.has(question.id)) throw new FormFileError(`${source}: ${form.slug} asks ${question.id} twice`);
        if (question.type === 'choice' && !question.options) throw new FormFileError(`${source}: ${form.slug}/${question.id} is a choice without options`);
        if (question.showIf && !ids.has(question.showIf.question)) throw new FormFileError(`${source}: ${form.slug}/${question.id} depends on ${question.showIf.question}, which is not asked before it`);
        ids.add(question.id);
      }
      for (const upload of step.uploads ?? []) {
        if (slots.has(upload.slot)) throw new FormFileError(`${source}: ${form.slug} has upload ${upload.slot} twice`);
        slots.add(upload.slot);
      }
    }
    checkRelativeMapping(form, source);
  }
  return forms;
}

const RELATIVE_CHOICES = { sex: ['m', 'f', 'x'], kind: ['spouse', 'registered-partner', 'child'] } as const;

/** The relative's answers must be required questions that are always asked, of a type that fits the register field. */
function checkRelativeMapping(form: ApplicationForm, source: string): void {
  const mapping = form.caseFor?.relative;
  if (!mapping) return;
  const questions = questionsOf(form);
  const wanted: Record<keyof typeof mapping, FormQuestion['type']> = { officialName: 'text', firstNames: 'text', dateOfBirth: 'date', nationality: 'country', sex: 'choice', kind: 'choice' };
  for (const [field, type] of Object.entries(wanted) as [keyof typeof mapping, FormQuestion['type']][]) {
    const question = questions.find((candidate) => candidate.id === mapping[field]);
    if (!question || !question.required || question.showIf || question.type !== type) throw new FormFileError(`${source}: ${form.slug} maps the relative's ${field} to ${mapping[field]}, which must be a required ${type} question asked always`);
    if (field === 'sex' || field === 'kind') {
      const allowed: readonly string[] = RELATIVE_CHOICES[field];
      if (!question.options?.every((option) => allowed.includes(option.value))) throw new FormFileError(`${source}: ${form.slug}/${question.id} may only offer ${allowed.join(', ')}`);
    }
  }
}

/** The family member to record from the answers of a complete application, when the form says the case is theirs. */
export function relativeOf(form: ApplicationForm, answers: Answers): { officialName: string; firstNames: string; dateOfBirth: string; nationality: string; sex: 'm' | 'f' | 'x'; kind: 'spouse' | 'registered-partner' | 'child' } | null {
  const mapping = form.caseFor?.relative;
  if (!mapping) return null;
  const value = (id: string) => answers[id]?.trim() ?? '';
  return {
    officialName: value(mapping.officialName),
    firstNames: value(mapping.firstNames),
    dateOfBirth: value(mapping.dateOfBirth),
    nationality: value(mapping.nationality),
    sex: value(mapping.sex) as 'm' | 'f' | 'x',
    kind: value(mapping.kind) as 'spouse' | 'registered-partner' | 'child',
  };
}

export function questionsOf(form: ApplicationForm): FormQuestion[] {
  return form.steps.flatMap((step) => step.questions ?? []);
}

export function uploadsOf(form: ApplicationForm): FormUpload[] {
  return form.steps.flatMap((step) => step.uploads ?? []);
}

/** Whether a question is asked, given the answers so far (a hidden question's answer does not count). */
export function isAsked(question: FormQuestion, answers: Answers): boolean {
  return question.showIf === undefined || answers[question.showIf.question] === question.showIf.equals;
}

export interface AnswerProblem {
  field: string;
  message: 'unknown-question' | 'required' | 'not-a-date' | 'not-an-option' | 'too-long' | 'not-an-email' | 'not-a-number' | 'not-a-country';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_MAX_LENGTH = 500;

function validDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Checks answers against the form. A draft (`complete: false`) may leave questions open; a sent
 * application must answer every required question that is asked. Empty strings count as no answer.
 */
export function checkAnswers(form: ApplicationForm, answers: Answers, complete: boolean): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const questions = questionsOf(form);
  for (const id of Object.keys(answers)) {
    if (!questions.some((question) => question.id === id)) problems.push({ field: `answers.${id}`, message: 'unknown-question' });
  }
  for (const question of questions) {
    const field = `answers.${question.id}`;
    const value = answers[question.id]?.trim() ?? '';
    if (value === '') {
      if (complete && question.required && isAsked(question, answers)) problems.push({ field, message: 'required' });
      continue;
    }
    if (value.length > (question.maxLength ?? (question.type === 'longtext' ? 5000 : DEFAULT_MAX_LENGTH))) problems.push({ field, message: 'too-long' });
    else if (question.type === 'date' && !validDate(value)) problems.push({ field, message: 'not-a-date' });
    else if (question.type === 'choice' && !question.options?.some((option) => option.value === value)) problems.push({ field, message: 'not-an-option' });
    else if (question.type === 'email' && !/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(value)) problems.push({ field, message: 'not-an-email' });
    else if (question.type === 'number' && !/^\d{1,6}$/.test(value)) problems.push({ field, message: 'not-a-number' });
    else if (question.type === 'country' && !/^[A-Z]{2}$/.test(value)) problems.push({ field, message: 'not-a-country' });
  }
  return problems;
}

/** Required upload slots without a file. */
export function missingUploads(form: ApplicationForm, filledSlots: ReadonlySet<string>): string[] {
  return uploadsOf(form).filter((upload) => upload.required && !filledSlots.has(upload.slot)).map((upload) => upload.slot);
}

/** What the case opens with: the checklist items the uploaded papers hand in, and the case fields the answers fill. */
export function caseStartOf(form: ApplicationForm, answers: Answers, filledSlots: ReadonlySet<string>): { checklist: string[]; fields: Record<string, string> } {
  const checklist = [...new Set(uploadsOf(form).filter((upload) => filledSlots.has(upload.slot)).map((upload) => upload.checklistItem))];
  const fields: Record<string, string> = {};
  for (const question of questionsOf(form)) {
    const value = answers[question.id]?.trim();
    if (question.caseField && value && isAsked(question, answers)) fields[question.caseField] = value;
  }
  return { checklist, fields };
}

/** Answers without those to questions no longer asked (the person changed an earlier answer). */
export function askedAnswers(form: ApplicationForm, answers: Answers): Answers {
  const kept: Answers = {};
  for (const question of questionsOf(form)) {
    const value = answers[question.id];
    if (value !== undefined && value.trim() !== '' && isAsked(question, answers)) kept[question.id] = value.trim();
  }
  return kept;
}

/** Whether the form is offered to a person with this main permit category. */
export function formOffered(form: ApplicationForm, permitCategory: string | null): boolean {
  return form.forPermits === undefined || (permitCategory !== null && form.forPermits.includes(permitCategory));
}

/** Upload limits: per file, and per application (what one person reasonably hands in). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_APPLICATION_BYTES = 40 * 1024 * 1024;
