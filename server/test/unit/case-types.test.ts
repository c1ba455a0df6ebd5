import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readShippedCaseTypes } from '../../src/modules/cases/case-type-files.js';
import { parseCaseType, type CaseTypeDefinition } from '../../src/modules/cases/rules/definition.js';
import { ADMISSION_REASONS } from '../../src/modules/permits/rules/admission.js';

const CH_SLUGS = [
  'address-change',
  'change-of-canton',
  'duty-to-report',
  'family-reunification',
  'first-permit-eu',
  'first-permit-quota',
  'hardship',
  'permit-extension',
  'settlement-permit',
  'student-permit',
  'welcome-talk',
];
const DE_SLUGS = ['aufenthaltserlaubnis-extension'];

const ch = readShippedCaseTypes('CH');
const de = readShippedCaseTypes('DE');
const all = [...ch, ...de];

/** States reachable from the initial state by following the transitions. */
function reachable(type: CaseTypeDefinition): Set<string> {
  const seen = new Set([type.initialState]);
  const queue = [type.initialState];
  for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
    for (const transition of type.transitions) {
      if (transition.from.includes(state) && !seen.has(transition.to)) {
        seen.add(transition.to);
        queue.push(transition.to);
      }
    }
  }
  return seen;
}

/** A fresh, mutable copy of a shipped definition. */
function copyOf(slug: string): CaseTypeDefinition {
  const type = all.find((t) => t.slug === slug);
  if (!type) throw new Error(`no shipped case type ${slug}`);
  return structuredClone(type);
}

function refusalOf(type: CaseTypeDefinition, source: string): string {
  try {
    parseCaseType(type, source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${source} was accepted`);
}

describe('shipped case types', () => {
  it('loads every Swiss and German file', () => {
    expect(ch.map((t) => t.slug)).toEqual(CH_SLUGS);
    expect(de.map((t) => t.slug)).toEqual(DE_SLUGS);
    expect(all.every((t) => t.unit === 'aufenthalt')).toBe(true);
    // duty-to-report 2 names the reminder deadline a fine must wait for (NG § 18).
    expect(all.map((t) => `${t.slug}@${t.version}`)).toContain('duty-to-report@2');
  });

  it('reaches a decision or a closed state from the initial state', () => {
    for (const type of all) {
      const states = reachable(type);
      const ends = type.states.filter((s) => states.has(s.id) && (s.phase === 'decided' || s.phase === 'closed'));
      expect(ends.length, type.slug).toBeGreaterThan(0);
    }
  });

  it('leaves no state unreachable and no letter unused', () => {
    for (const type of all) {
      const states = reachable(type);
      expect(type.states.map((s) => s.id).filter((id) => !states.has(id)), type.slug).toEqual([]);
      const used = new Set(type.transitions.flatMap((t) => t.letters ?? []));
      expect(Object.keys(type.letters).filter((id) => !used.has(id)), type.slug).toEqual([]);
    }
  });

  it('uses only known admission reasons and permit categories in effects', () => {
    const codes = (file: string) => (JSON.parse(readFileSync(new URL(`../../catalogues/${file}`, import.meta.url), 'utf8')) as { categories: { code: string }[] }).categories.map((c) => c.code);
    const categories = { CH: codes('permit-categories-ch.json'), DE: codes('permit-categories-de.json') };
    for (const type of all) {
      for (const effect of type.transitions.flatMap((t) => t.decision?.effects ?? [])) {
        if ('admissionReason' in effect) expect(ADMISSION_REASONS, type.slug).toContain(effect.admissionReason);
        if ('category' in effect && effect.category !== undefined) expect(categories[type.country], type.slug).toContain(effect.category);
      }
    }
  });

  it('gives every decision letter an operative part and prints the appeal notice on refusals', () => {
    for (const type of all) {
      for (const transition of type.transitions.filter((t) => t.decision)) {
        for (const id of transition.letters ?? []) {
          const letter = type.letters[id];
          expect(letter?.decisionPoints?.de.length, `${type.slug} ${id}`).toBeGreaterThan(0);
          if (transition.decision?.outcome === 'negative') expect(letter?.appealNotice, `${type.slug} ${id}`).toBe(true);
        }
      }
    }
  });

  it('issues the German Fiktionsbescheinigung automatically on a timely application', () => {
    const type = copyOf('aufenthaltserlaubnis-extension');
    const issue = type.transitions.find((t) => t.id === 'issue-fiktionsbescheinigung');
    expect(issue).toMatchObject({ from: ['received'], to: 'certificate-issued', automatic: true, requiresPapers: true, condition: 'applied-before-permit-expiry' });
    expect(type.letters[issue?.letters?.[0] ?? '']?.kind).toBe('certificate');
    expect(type.appeal?.suspensive).toBe(false);
  });
});

describe('parseCaseType refuses a broken copy', () => {
  it('names the letter template and the missing field', () => {
    const type = copyOf('first-permit-eu');
    type.letters['request-papers']?.paragraphs.en.push('Bring {{fields.notThere}}.');
    const message = refusalOf(type, 'copy/first-permit-eu.json');
    expect(message).toContain('copy/first-permit-eu.json');
    expect(message).toContain('request-papers');
    expect(message).toContain('notThere');
  });

  it('refuses a negative decision without four-eyes approval', () => {
    const type = copyOf('permit-extension');
    const refuse = type.transitions.find((t) => t.id === 'refuse');
    if (!refuse?.decision) throw new Error('permit-extension has no refusal');
    delete refuse.decision.fourEyes;
    expect(refusalOf(type, 'copy/permit-extension.json')).toMatch(/transition "refuse" is a negative decision and needs four-eyes approval/);
  });

  it('refuses a transition to or from an unknown state', () => {
    const type = copyOf('duty-to-report');
    const reminder = type.transitions.find((t) => t.id === 'send-reminder');
    if (!reminder) throw new Error('duty-to-report has no send-reminder');
    reminder.to = 'nowhere';
    reminder.from = ['requested', 'limbo'];
    const message = refusalOf(type, 'copy/duty-to-report.json');
    expect(message).toContain('transition "send-reminder" leads to unknown state "nowhere"');
    expect(message).toContain('transition "send-reminder" starts from unknown state "limbo"');
  });
});
