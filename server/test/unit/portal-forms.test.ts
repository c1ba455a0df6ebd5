import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readShippedCaseTypes } from '../../src/modules/cases/case-type-files.js';
import type { CaseTypeDefinition } from '../../src/modules/cases/rules/definition.js';
import {
  askedAnswers,
  caseStartOf,
  checkAnswers,
  FormFileError,
  formOffered,
  missingUploads,
  parseFormFile,
  questionsOf,
  uploadsOf,
  type Answers,
  type ApplicationForm,
  type FormQuestion,
} from '../../src/modules/portal/application-rules.js';

type Country = 'CH' | 'DE';

function shippedJson(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../catalogues/${file}`, import.meta.url), 'utf8'));
}

const rawForms: Record<Country, unknown> = { CH: shippedJson('portal-forms/ch.json'), DE: shippedJson('portal-forms/de.json') };
const forms: Record<Country, ApplicationForm[]> = { CH: parseFormFile(rawForms.CH, 'portal-forms/ch.json'), DE: parseFormFile(rawForms.DE, 'portal-forms/de.json') };
const caseTypes: Record<Country, CaseTypeDefinition[]> = { CH: readShippedCaseTypes('CH'), DE: readShippedCaseTypes('DE') };
const permitCodes = (file: string) => (shippedJson(file) as { categories: { code: string }[] }).categories.map((c) => c.code);
const permitCategories: Record<Country, string[]> = { CH: permitCodes('permit-categories-ch.json'), DE: permitCodes('permit-categories-de.json') };
const allForms = (['CH', 'DE'] as const).flatMap((country) => forms[country].map((form) => [`${country} ${form.slug}`, country, form] as const));

function caseTypeOf(country: Country, form: ApplicationForm): CaseTypeDefinition {
  const type = caseTypes[country].find((t) => t.slug === form.caseType);
  if (!type) throw new Error(`${country} ${form.slug}: no case type ${form.caseType}`);
  return type;
}

/** Every string in a JSON value (to look at the wording of a whole file). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

/** A valid answer for every question that is asked, choosing `choices[id]` (else the first option) for choice questions. */
function fullAnswers(form: ApplicationForm, choices: Answers = {}): Answers {
  const answers: Answers = {};
  const sample = (question: FormQuestion): string => {
    switch (question.type) {
      case 'choice':
        return choices[question.id] ?? question.options?.[0]?.value ?? '';
      case 'date':
        return '2026-03-01';
      case 'number':
        return '3';
      case 'email':
        return 'ana@example.org';
      case 'country':
        return 'XK';
      default:
        return question.id === 'newPostalCode' ? '6003' : `Answer ${question.id}`.slice(0, question.maxLength);
    }
  };
  // In order: a question's showIf always points back, so its target is answered first.
  for (const question of questionsOf(form)) {
    const asked = question.showIf === undefined || answers[question.showIf.question] === question.showIf.equals;
    if (asked) answers[question.id] = sample(question);
  }
  return answers;
}

describe('shipped portal forms', () => {
  it('parses both files with the expected forms', () => {
    expect(forms.CH.map((f) => f.slug)).toEqual(['permit-extension', 'family-reunification', 'student-permit', 'change-of-address']);
    expect(forms.DE.map((f) => f.slug)).toEqual(['aufenthaltserlaubnis-extension']);
    expect(forms.CH.find((f) => f.slug === 'change-of-address')?.caseType).toBe('address-change');
  });

  it.each(allForms)('%s opens a case type of its country, hands in its papers and fills its fields', (_name, country, form) => {
    const type = caseTypeOf(country, form);
    const papers = new Set(type.checklist.filter((item) => item.kind === 'paper').map((item) => item.id));
    for (const upload of uploadsOf(form)) expect(papers, `${form.slug}/${upload.slot}`).toContain(upload.checklistItem);
    for (const question of questionsOf(form).filter((q) => q.caseField !== undefined)) {
      const field = type.fields.find((f) => f.id === question.caseField);
      expect(field, `${form.slug}/${question.id} → ${question.caseField}`).toBeDefined();
      // A date field gets a checked date, not free text.
      if (field?.type === 'date') expect(question.type, `${form.slug}/${question.id}`).toBe('date');
    }
    for (const code of form.forPermits ?? []) expect(permitCategories[country], form.slug).toContain(code);
  });

  it.each(allForms)('%s shows a question only after the choice it depends on, and only for one of its options', (_name, _country, form) => {
    const questions = questionsOf(form);
    questions.forEach((question, index) => {
      if (!question.showIf) return;
      const target = questions.slice(0, index).find((q) => q.id === question.showIf?.question);
      expect(target?.type, `${form.slug}/${question.id}`).toBe('choice');
      expect(target?.options?.map((o) => o.value), `${form.slug}/${question.id}`).toContain(question.showIf.equals);
    });
  });

  it.each(allForms)('%s starts with what the office knows and ends with the papers', (_name, _country, form) => {
    const first = form.steps[0];
    const last = form.steps[form.steps.length - 1];
    expect(first?.kind).toBe('register');
    expect(first?.shows).toEqual(expect.arrayContaining(['person.officialName', 'person.firstNames', 'person.dateOfBirth', 'person.nationality', 'permit.category', 'permit.validUntil']));
    expect(last?.kind).toBe('uploads');
    expect(form.steps.slice(1, -1).every((step) => step.kind === 'questions')).toBe(true);
    // One topic per step: a handful of questions at most.
    for (const step of form.steps) expect((step.questions ?? []).length, `${form.slug}/${step.id}`).toBeLessThanOrEqual(6);
  });

  it.each(allForms)('%s can be sent with every required answer and paper, and the case opens with its papers ticked', (_name, country, form) => {
    const type = caseTypeOf(country, form);
    // Once with the first option of every choice, once with the last (e.g. "no, I have moved").
    const lastOptions = Object.fromEntries(questionsOf(form).flatMap((q) => (q.options ? [[q.id, q.options[q.options.length - 1]!.value]] : [])));
    for (const answers of [fullAnswers(form), fullAnswers(form, lastOptions)]) expect(checkAnswers(form, answers, true), JSON.stringify(answers)).toEqual([]);
    const required = new Set(uploadsOf(form).filter((u) => u.required).map((u) => u.slot));
    expect(missingUploads(form, required)).toEqual([]);
    const start = caseStartOf(form, fullAnswers(form), required);
    expect(start.checklist.length).toBe(required.size);
    expect(start.checklist.every((id) => type.checklist.some((item) => item.id === id && item.kind === 'paper'))).toBe(true);
  });

  it('asks Swiss B holders for their extension and tells the German office the health insurer', () => {
    const extension = forms.CH.find((f) => f.slug === 'permit-extension')!;
    expect(extension.forPermits).toEqual(['B']);
    expect(formOffered(extension, 'B')).toBe(true);
    expect(formOffered(extension, 'C')).toBe(false);
    expect(uploadsOf(extension).map((u) => [u.checklistItem, u.required])).toEqual([
      ['passport', true],
      ['proof-of-income', true],
      ['debt-register-extract', false],
    ]);
    const german = forms.DE[0]!;
    expect(questionsOf(german).some((q) => q.id === 'healthInsurer' && q.required)).toBe(true);
    // Every paper the German case type needs can be handed in online.
    const papers = caseTypeOf('DE', german).checklist.filter((item) => item.kind === 'paper' && item.optional !== true).map((item) => item.id);
    expect(uploadsOf(german).filter((u) => u.required).map((u) => u.checklistItem).sort()).toEqual([...papers].sort());
  });

  it('gives a reported move everything the address change needs to be recorded', () => {
    const form = forms.CH.find((f) => f.slug === 'change-of-address')!;
    const type = caseTypeOf('CH', form);
    const record = type.transitions.find((t) => t.id === 'record');
    expect(record?.requiresChecklist).toBe(true);
    const start = caseStartOf(form, fullAnswers(form), new Set(['rental-contract']));
    expect(Object.keys(start.fields)).toEqual(expect.arrayContaining(record?.requiredFields ?? ['missing']));
    expect(start.fields).toMatchObject({ newPostalCode: '6003', movedOn: '2026-03-01' });
    expect(start.checklist).toEqual(['rental-contract']);
    // The office's own check stays open: the case is not recorded by the upload alone.
    expect(type.checklist.find((item) => item.id === 'register-updated')?.kind).toBe('check');
  });

  it('writes Swiss German without ß and German German with it', () => {
    expect(stringsOf(rawForms.CH).filter((s) => s.includes('ß'))).toEqual([]);
    expect(stringsOf(rawForms.DE).some((s) => s.includes('ß'))).toBe(true);
  });
});

// --- the pure rules, on a small form of their own ------------------------------------------------

const text = (words: string) => ({ de: words, fr: words, it: words, en: words });
const YES_NO = [
  { value: 'yes', label: text('Yes') },
  { value: 'no', label: text('No') },
];

function rawForm(): { forms: Record<string, unknown>[] } {
  return {
    forms: [
      {
        slug: 'move',
        version: 1,
        caseType: 'address-change',
        names: text('Move'),
        summary: text('Tell us your new address.'),
        forPermits: ['B'],
        steps: [
          { id: 'about', title: text('About you'), kind: 'register', shows: ['person.officialName', 'residence.street'] },
          {
            id: 'address',
            title: text('Address'),
            kind: 'questions',
            questions: [
              { id: 'sameAddress', type: 'choice', label: text('Same address?'), required: true, options: YES_NO },
              { id: 'newStreet', type: 'text', label: text('Street'), required: true, showIf: { question: 'sameAddress', equals: 'no' }, caseField: 'newStreet' },
              { id: 'movedOn', type: 'date', label: text('Moved on'), required: true, showIf: { question: 'sameAddress', equals: 'no' }, caseField: 'movedOn' },
            ],
          },
          {
            id: 'more',
            title: text('More'),
            kind: 'questions',
            questions: [
              { id: 'remarks', type: 'longtext', label: text('Remarks'), required: false },
              { id: 'nickname', type: 'text', label: text('Nickname'), required: false, maxLength: 5, caseField: 'nickname' },
              { id: 'email', type: 'email', label: text('E-mail'), required: false },
              { id: 'rooms', type: 'number', label: text('Rooms'), required: false },
            ],
          },
          {
            id: 'papers',
            title: text('Papers'),
            kind: 'uploads',
            uploads: [
              { slot: 'passport', label: text('Passport'), required: true, checklistItem: 'passport', maxFiles: 2 },
              { slot: 'contract', label: text('Contract'), required: false, checklistItem: 'housing', maxFiles: 1 },
              { slot: 'landlord-letter', label: text('Landlord letter'), required: false, checklistItem: 'housing', maxFiles: 1 },
            ],
          },
        ],
      },
    ],
  };
}

const form = parseFormFile(rawForm(), 'test/move.json')[0]!;

function refusalOf(raw: unknown): string {
  try {
    parseFormFile(raw, 'test/broken.json');
  } catch (error) {
    expect(error).toBeInstanceOf(FormFileError);
    return (error as Error).message;
  }
  throw new Error('the broken form file was accepted');
}

describe('checkAnswers', () => {
  it('lets a draft leave required questions open but not a sent application', () => {
    expect(checkAnswers(form, {}, false)).toEqual([]);
    expect(checkAnswers(form, {}, true)).toEqual([{ field: 'answers.sameAddress', message: 'required' }]);
    // Blank counts as no answer.
    expect(checkAnswers(form, { sameAddress: '   ' }, true)).toEqual([{ field: 'answers.sameAddress', message: 'required' }]);
  });

  it('requires a dependent question only when it is asked', () => {
    expect(checkAnswers(form, { sameAddress: 'yes' }, true)).toEqual([]);
    expect(checkAnswers(form, { sameAddress: 'no' }, true)).toEqual([
      { field: 'answers.newStreet', message: 'required' },
      { field: 'answers.movedOn', message: 'required' },
    ]);
    expect(checkAnswers(form, { sameAddress: 'no', newStreet: 'Hertensteinstrasse 3', movedOn: '2026-02-28' }, true)).toEqual([]);
  });

  it('refuses dates that do not exist, also in a draft', () => {
    expect(checkAnswers(form, { sameAddress: 'no', newStreet: 'x', movedOn: '2026-02-30' }, true)).toEqual([{ field: 'answers.movedOn', message: 'not-a-date' }]);
    expect(checkAnswers(form, { movedOn: '2026-02-30' }, false)).toEqual([{ field: 'answers.movedOn', message: 'not-a-date' }]);
    expect(checkAnswers(form, { movedOn: '1.3.2026' }, false)).toEqual([{ field: 'answers.movedOn', message: 'not-a-date' }]);
    expect(checkAnswers(form, { movedOn: '2028-02-29' }, false)).toEqual([]);
    expect(checkAnswers(form, { movedOn: '2027-02-29' }, false)).toEqual([{ field: 'answers.movedOn', message: 'not-a-date' }]);
  });

  it('names an unknown question and an answer that is not one of the options', () => {
    expect(checkAnswers(form, { shoeSize: '44' }, false)).toEqual([{ field: 'answers.shoeSize', message: 'unknown-question' }]);
    expect(checkAnswers(form, { sameAddress: 'maybe' }, true)).toEqual([{ field: 'answers.sameAddress', message: 'not-an-option' }]);
    expect(checkAnswers(form, { sameAddress: 'YES' }, false)).toEqual([{ field: 'answers.sameAddress', message: 'not-an-option' }]);
  });

  it('checks length, e-mail addresses and numbers', () => {
    expect(checkAnswers(form, { nickname: 'Sasha' }, false)).toEqual([]);
    expect(checkAnswers(form, { nickname: 'Alexandra' }, false)).toEqual([{ field: 'answers.nickname', message: 'too-long' }]);
    expect(checkAnswers(form, { remarks: 'a'.repeat(5000) }, false)).toEqual([]);
    expect(checkAnswers(form, { remarks: 'a'.repeat(5001) }, false)).toEqual([{ field: 'answers.remarks', message: 'too-long' }]);
    expect(checkAnswers(form, { email: 'ana@example.org' }, false)).toEqual([]);
    expect(checkAnswers(form, { email: 'ana.example.org' }, false)).toEqual([{ field: 'answers.email', message: 'not-an-email' }]);
    expect(checkAnswers(form, { rooms: '4' }, false)).toEqual([]);
    expect(checkAnswers(form, { rooms: '3.5' }, false)).toEqual([{ field: 'answers.rooms', message: 'not-a-number' }]);
    expect(checkAnswers(form, { rooms: '-1' }, false)).toEqual([{ field: 'answers.rooms', message: 'not-a-number' }]);
  });
});

describe('uploads and the case an application opens', () => {
  it('lists the required slots without a file', () => {
    expect(missingUploads(form, new Set())).toEqual(['passport']);
    expect(missingUploads(form, new Set(['contract']))).toEqual(['passport']);
    expect(missingUploads(form, new Set(['passport']))).toEqual([]);
  });

  it('ticks the checklist items of the uploaded slots, each once', () => {
    expect(caseStartOf(form, {}, new Set(['passport', 'contract', 'landlord-letter'])).checklist).toEqual(['passport', 'housing']);
    expect(caseStartOf(form, {}, new Set(['landlord-letter'])).checklist).toEqual(['housing']);
    expect(caseStartOf(form, {}, new Set()).checklist).toEqual([]);
  });

  it('fills a case field only from a question that is asked', () => {
    const moved = { sameAddress: 'no', newStreet: '  Hertensteinstrasse 3 ', movedOn: '2026-02-28', remarks: 'Thanks' };
    expect(caseStartOf(form, moved, new Set()).fields).toEqual({ newStreet: 'Hertensteinstrasse 3', movedOn: '2026-02-28' });
    // The person first said they moved, then changed their mind: the street typed meanwhile is not used.
    expect(caseStartOf(form, { ...moved, sameAddress: 'yes' }, new Set()).fields).toEqual({});
    expect(caseStartOf(form, { sameAddress: 'yes', nickname: 'Sasha' }, new Set()).fields).toEqual({ nickname: 'Sasha' });
    expect(caseStartOf(form, { sameAddress: 'yes', nickname: '  ' }, new Set()).fields).toEqual({});
  });

  it('drops the answers to questions no longer asked, and blank ones', () => {
    expect(askedAnswers(form, { sameAddress: 'yes', newStreet: 'Old street', movedOn: '2026-01-01', remarks: '  Hello  ', email: ' ' })).toEqual({ sameAddress: 'yes', remarks: 'Hello' });
    expect(askedAnswers(form, { sameAddress: 'no', newStreet: 'New street' })).toEqual({ sameAddress: 'no', newStreet: 'New street' });
    expect(askedAnswers(form, { shoeSize: '44' })).toEqual({});
  });

  it('offers a form only to the permit categories it names, or to everyone when it names none', () => {
    expect(formOffered(form, 'B')).toBe(true);
    expect(formOffered(form, 'C')).toBe(false);
    expect(formOffered(form, null)).toBe(false);
    const open = { ...form, forPermits: undefined };
    expect(formOffered(open, null)).toBe(true);
    expect(formOffered(open, 'L')).toBe(true);
  });
});

describe('parseFormFile refuses a broken file', () => {
  const steps = (raw: { forms: Record<string, unknown>[] }) => raw.forms[0]!.steps as { id: string; questions?: Record<string, unknown>[]; uploads?: Record<string, unknown>[] }[];

  it('accepts the fixture and names the file when the shape is wrong', () => {
    expect(parseFormFile(rawForm(), 'test/move.json').map((f) => f.slug)).toEqual(['move']);
    const raw = rawForm();
    raw.forms[0]!.names = { de: 'Umzug', en: 'Move' };
    expect(refusalOf(raw)).toMatch(/^test\/broken\.json: \/forms\/0\/names/);
    expect(refusalOf({ forms: [] })).toMatch(/^test\/broken\.json: /);
  });

  it('refuses a question id asked twice, also in different steps', () => {
    const raw = rawForm();
    steps(raw)[2]!.questions!.push({ id: 'sameAddress', type: 'text', label: text('Again'), required: false });
    expect(refusalOf(raw)).toBe('test/broken.json: move asks sameAddress twice');
  });

  it('refuses a showIf that points forward (or to nothing)', () => {
    const raw = rawForm();
    steps(raw)[1]!.questions![0]!.showIf = { question: 'remarks', equals: 'x' };
    expect(refusalOf(raw)).toBe('test/broken.json: move/sameAddress depends on remarks, which is not asked before it');
    const nowhere = rawForm();
    steps(nowhere)[2]!.questions![0]!.showIf = { question: 'shoeSize', equals: 'x' };
    expect(refusalOf(nowhere)).toContain('depends on shoeSize');
  });

  it('refuses a choice without options, an upload slot twice and an empty step', () => {
    const choice = rawForm();
    delete steps(choice)[1]!.questions![0]!.options;
    expect(refusalOf(choice)).toBe('test/broken.json: move/sameAddress is a choice without options');
    const slot = rawForm();
    steps(slot)[3]!.uploads!.push({ slot: 'passport', label: text('Passport again'), required: false, checklistItem: 'passport', maxFiles: 1 });
    expect(refusalOf(slot)).toBe('test/broken.json: move has upload passport twice');
    const empty = rawForm();
    steps(empty)[2]!.questions = [];
    expect(refusalOf(empty)).toBe('test/broken.json: move/more has no questions');
  });
});
