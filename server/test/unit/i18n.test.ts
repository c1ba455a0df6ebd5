import { describe, expect, it } from 'vitest';
import { LOCALES, negotiateLocale, problemTexts } from '../../src/platform/i18n/messages.js';
import { problemDetail, problemTitle } from '../../src/platform/i18n/translate.js';

describe('language negotiation', () => {
  it.each([
    [undefined, 'de'],
    ['en', 'en'],
    ['fr-CH,fr;q=0.9,en;q=0.8', 'fr'],
    ['es, it;q=0.5', 'it'],
    ['en;q=0.2, de;q=0.9', 'de'],
    ['ja', 'de'],
    ['en;q=0', 'de'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});

describe('problem texts', () => {
  it('exist in every language for every code, without placeholders left over', () => {
    for (const code of Object.keys(problemTexts) as (keyof typeof problemTexts)[]) {
      for (const locale of LOCALES) {
        const detail = problemDetail(code, locale, { summary: 's', type: 't', until: new Date('2026-01-01T12:00:00Z'), seconds: 3, what: 'person', method: 'GET', url: '/x', current: 2, reason: 'r', requestId: 'id', count: 2, date: '2026-01-01', bfs: 1061, start: '2026-01-01', end: '2025-01-01', category: 'B', known: 'B, C', from: '2020-01-01', months: 12, value: 'x', state: 's', transition: 't', allowed: 'a', missing: 'm', condition: 'c', roles: 'r', letter: 'l', problems: 'p', slug: 's', latest: 1, minutes: 10, problem: 'p', root: 'r', supported: 's', line: 3, event: 'e', name: 'n', birth: '2000-01-01', municipality: 'm', code: '02', sender: 's', participant: 'p', status: 's', amount: '1.005', fee: 'CHF 95.00', account: 'CH00', open: '1.00', payment: 'CHF', invoice: 'EUR', max: 24, total: 40, year: 1999 });
        expect(problemTitle(code, locale).length).toBeGreaterThan(2);
        expect(detail).not.toMatch(/\{\{|problems\./);
      }
    }
  });

  it('formats dates and names nouns in the caller\u2019s language', () => {
    expect(problemDetail('account-locked', 'de', { until: new Date('2026-01-01T12:00:00Z') })).toContain('01.01.2026, 13:00');
    expect(problemDetail('not-found', 'fr', { what: 'person' })).toBe('La personne est introuvable.');
  });
});
