import { describe, expect, it } from 'vitest';
import { loadRetentionCatalogues } from '../../src/modules/privacy/catalogues.js';
import { accessDetails, accessKind, applicationAnswers } from '../../src/modules/privacy/rules/access-report.js';
import { ANONYMISED_NAME, anonymousReference, birthYearOnly, decisionRemains, personAnonymisation } from '../../src/modules/privacy/rules/anonymise.js';
import { parseRetentionCatalogue, RETENTION_KINDS, RetentionCatalogueError } from '../../src/modules/privacy/rules/catalogue.js';
import { auditCut, cutoffOf, isDue, leftOn, splitHeld } from '../../src/modules/privacy/rules/due.js';

const texts = { de: 'd', fr: 'f', it: 'i', en: 'e' };
function rule(kind: string, extra: Record<string, unknown> = {}) {
  return { id: kind, kind, action: kind === 'closed-case' ? 'purge' : kind === 'departed-person' ? 'anonymise' : 'delete', period: { years: 1 }, startsAt: texts, legalBasis: texts, effect: texts, ...extra };
}
const valid = () => ({ catalogue: 'ch', country: 'CH', names: texts, rules: RETENTION_KINDS.map((kind) => rule(kind)) });

describe('retention catalogue', () => {
  it('loads the shipped catalogues with a rule for every kind and texts in four languages', () => {
    const catalogues = loadRetentionCatalogues();
    expect([...catalogues.keys()]).toEqual(['ch', 'de']);
    for (const catalogue of catalogues.values()) {
      expect(catalogue.rules.map((r) => r.kind).sort()).toEqual([...RETENTION_KINDS].sort());
      for (const r of catalogue.rules) expect(r.legalBasis.fr.length).toBeGreaterThan(10);
    }
    expect(catalogues.get('ch')?.rules.find((r) => r.kind === 'closed-case')?.period).toEqual({ years: 10, months: 0, days: 0 });
  });

  it('refuses a catalogue that forgets a kind, doubles one, or gives an action the kind does not know', () => {
    const missing = valid();
    missing.rules.pop();
    expect(() => parseRetentionCatalogue(missing, 'x.json')).toThrow(/audit-log needs exactly one rule, it has 0/);
    const doubled = valid();
    doubled.rules.push(rule('ended-session', { id: 'other' }));
    expect(() => parseRetentionCatalogue(doubled, 'x.json')).toThrow(/ended-session needs exactly one rule, it has 2/);
    const wrongAction = valid();
    wrongAction.rules[0] = rule('closed-case', { action: 'anonymise' });
    expect(() => parseRetentionCatalogue(wrongAction, 'x.json')).toThrow(RetentionCatalogueError);
  });

  it('needs a period except for keep, and never a zero period', () => {
    const zero = valid();
    zero.rules[1] = rule('returned-papers', { period: { days: 0 } });
    expect(() => parseRetentionCatalogue(zero, 'x.json')).toThrow(/zero/);
    const audit = RETENTION_KINDS.indexOf('audit-log');
    const keep = valid();
    keep.rules[audit] = { ...rule('audit-log', { action: 'keep' }), period: undefined } as unknown as ReturnType<typeof rule>;
    expect(parseRetentionCatalogue(keep, 'x.json').rules[audit]).toMatchObject({ action: 'keep', period: null });
    const keepWithPeriod = valid();
    keepWithPeriod.rules[audit] = rule('audit-log', { action: 'keep' });
    expect(() => parseRetentionCatalogue(keepWithPeriod, 'x.json')).toThrow(/keeps has no period/);
  });

  it('deletes portal drafts after 180 days and ended share codes after a year, in both catalogues', () => {
    for (const catalogue of loadRetentionCatalogues().values()) {
      expect(catalogue.rules.find((r) => r.kind === 'portal-draft')).toMatchObject({ id: 'portal-drafts', action: 'delete', period: { years: 0, months: 0, days: 180 } });
      expect(catalogue.rules.find((r) => r.kind === 'share-code')).toMatchObject({ id: 'share-codes', action: 'delete', period: { years: 1, months: 0, days: 0 } });
    }
    const purgeDrafts = valid();
    purgeDrafts.rules[RETENTION_KINDS.indexOf('portal-draft')] = rule('portal-draft', { action: 'purge' });
    expect(() => parseRetentionCatalogue(purgeDrafts, 'x.json')).toThrow(/portal-draft one of delete, keep/);
    const keepCodes = valid();
    keepCodes.rules[RETENTION_KINDS.indexOf('share-code')] = { ...rule('share-code', { action: 'keep' }), period: undefined } as unknown as ReturnType<typeof rule>;
    expect(parseRetentionCatalogue(keepCodes, 'x.json').rules.find((r) => r.kind === 'share-code')).toMatchObject({ action: 'keep', period: null });
  });

  it('names the missing language', () => {
    const noItalian = valid();
    noItalian.rules[0] = rule('closed-case', { legalBasis: { de: 'd', fr: 'f', en: 'e' } });
    expect(() => parseRetentionCatalogue(noItalian, 'x.json')).toThrow(/rules\[0\]\.legalBasis\.it/);
  });
});

describe('which records are due', () => {
  it('counts years and months back on the calendar, then days', () => {
    expect(cutoffOf('2030-06-15', { years: 10, months: 0, days: 0 })).toBe('2020-06-15');
    expect(cutoffOf('2024-02-29', { years: 1, months: 0, days: 0 })).toBe('2023-02-28');
    expect(cutoffOf('2030-03-31', { years: 0, months: 1, days: 0 })).toBe('2030-02-28');
    expect(cutoffOf('2030-01-10', { years: 0, months: 0, days: 90 })).toBe('2029-10-12');
    expect(cutoffOf('2030-01-15', { years: 0, months: 13, days: 0 })).toBe('2028-12-15');
  });

  it('is due only once the whole period has passed', () => {
    const cutoff = cutoffOf('2030-05-01', { years: 10, months: 0, days: 0 });
    expect(isDue('2020-04-30', cutoff)).toBe(true);
    expect(isDue('2020-05-01', cutoff)).toBe(false);
    expect(isDue('2020-04-30T23:00:00.000Z', cutoff)).toBe(true);
  });

  it('dates a departure by death first, else the last move away when nothing is open', () => {
    expect(leftOn({ openResidence: false, lastDeparture: '2015-06-30', deathDate: null })).toBe('2015-06-30');
    expect(leftOn({ openResidence: true, lastDeparture: '2015-06-30', deathDate: null })).toBeNull();
    expect(leftOn({ openResidence: true, lastDeparture: null, deathDate: '2016-02-01' })).toBe('2016-02-01');
    expect(leftOn({ openResidence: false, lastDeparture: null, deathDate: null })).toBeNull();
  });

  it('cuts an audit chain only as a prefix, ending before the first row that must stay', () => {
    expect(auditCut({ chain: 'c', checkpointSeq: 0, maxSeq: 10, firstKeptSeq: 7 })).toEqual({ fromSeq: 1, toSeq: 6 });
    expect(auditCut({ chain: 'c', checkpointSeq: 4, maxSeq: 10, firstKeptSeq: null })).toEqual({ fromSeq: 5, toSeq: 10 });
    expect(auditCut({ chain: 'c', checkpointSeq: 6, maxSeq: 10, firstKeptSeq: 7 })).toBeNull();
    expect(auditCut({ chain: 'c', checkpointSeq: 0, maxSeq: 10, firstKeptSeq: 1 })).toBeNull();
  });

  it('sets aside what a hold keeps', () => {
    expect(splitHeld([1, 2, 3, 4], (n) => n % 2 === 0)).toEqual({ act: [1, 3], held: [2, 4] });
  });
});

describe('anonymisation', () => {
  it('replaces the identity and keeps only the birth year', () => {
    const replaced = personAnonymisation({ id: '0a1b2c3d-4e5f-6789-abcd-ef0123456789', dateOfBirth: '1984-07-12' });
    expect(replaced).toMatchObject({ official_name: ANONYMISED_NAME, first_names: '#0a1b2c3d', ahvn13: null, date_of_birth: '1984-00-00', father_name: null, mother_name: null, religion: null, place_of_origin: null });
    // Sex, nationality and civil status are not touched: the statistics count them.
    expect(Object.keys(replaced)).not.toContain('nationality');
    expect(Object.keys(replaced)).not.toContain('sex');
    expect(birthYearOnly('1980-00-00')).toBe('1980-00-00');
    expect(anonymousReference('ffffffff-0000-0000-0000-000000000000')).toBe('#ffffffff');
  });

  it('keeps of a decision the step, the outcome and the date, not the reason or who decided', () => {
    expect(decisionRemains({ transition: 'grant', outcome: 'positive', reason: 'Frau Muster hat …', decidedBy: 'Anna', approvedBy: null, decidedAt: '2020-01-01T10:00:00Z' })).toEqual({ transition: 'grant', outcome: 'positive', decidedAt: '2020-01-01T10:00:00Z' });
    expect(decisionRemains(null)).toBeNull();
  });
});

describe('access report', () => {
  it('shows only details that point at the person’s own records', () => {
    expect(accessDetails({ caseId: 'c1', reference: '2026-000001', query: 'Muster Anna', results: ['p1', 'p2'], duplicateIdentity: { officialName: 'X' }, relatedName: 'Someone' })).toEqual({ caseId: 'c1', reference: '2026-000001' });
    expect(accessDetails(null)).toEqual({});
  });

  it('names reads, changes and appearances in lists', () => {
    expect(accessKind('person.read', false)).toBe('read');
    expect(accessKind('case.note', false)).toBe('changed');
    expect(accessKind('person.search', true)).toBe('listed');
    expect(accessKind('privacy.access-report', false)).toBe('read');
  });

  it('counts the portal’s looks at the file as reads, and its writes as changes', () => {
    for (const action of ['portal.case-read', 'portal.document-downloaded', 'portal.share-code-viewed', 'portal.mandates-read', 'case.messages-read', 'case.application-read']) expect(accessKind(action, false)).toBe('read');
    for (const action of ['portal.message-sent', 'portal.share-code-created', 'portal.account-linked', 'portal.application-submitted']) expect(accessKind(action, false)).toBe('changed');
    // A share code's view names the code (the person's own record), never the viewer's address.
    expect(accessDetails({ shareCode: 'c1', ip: '203.0.113.7' })).toEqual({ shareCode: 'c1' });
  });

  it('reads application answers as texts, whatever the column holds', () => {
    expect(applicationAnswers({ sameAddress: 'yes', children: 2, empty: null })).toEqual({ sameAddress: 'yes', children: '2' });
    expect(applicationAnswers('{"newTown":"Luzern"}')).toEqual({ newTown: 'Luzern' });
    expect(applicationAnswers('not json')).toEqual({});
    expect(applicationAnswers([])).toEqual({});
  });
});
