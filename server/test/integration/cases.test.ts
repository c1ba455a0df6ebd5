import { addDays, addMonths, format } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/platform/db/database.js';
import { fireDueDeadlines } from '../../src/modules/deadlines/index.js';
import { readShippedCaseTypes, type CaseTypeDefinition } from '../../src/modules/cases/index.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/db.js';
import { addPersons, buildTestApp, createTenant, createTestUser, LUZERN, person, signIn, type Session, type TestTenant } from '../support/fixtures.js';

const TODAY = new Date().toISOString().slice(0, 10);
const day = (offset: number) => format(addDays(new Date(`${TODAY}T12:00:00Z`), offset), 'yyyy-MM-dd');
const monthsAhead = (months: number) => format(addDays(addMonths(new Date(`${TODAY}T12:00:00Z`), months), -1), 'yyyy-MM-dd');

interface Step {
  id: string;
  to: string;
  primary: boolean;
  allowed: boolean;
  requiredFields: string[];
  reasonRequired: boolean;
  decision: { outcome: string; fourEyes: boolean } | null;
}
interface CaseView {
  id: string;
  version: number;
  state: string;
  phase: string;
  fields: Record<string, string>;
  fieldDefinitions: { id: string; type: string }[];
  checklist: { id: string; done: boolean; optional: boolean; kind: string }[];
  steps: Step[];
  pendingDecision: { transition: string; proposedBy: string } | null;
  decision: { outcome: string; reason: string; decidedBy: string; approvedBy: string | null } | null;
  documents: { id: string; kind: string; template: string | null; sha256: string; title: string }[];
  deadlines: { kind: string; dueDate: string; workingDueDate: string; status: string; stage: number }[];
  timeline: { kind: string; actor: string; text: string | null }[];
  appeal: { until: string | null; status: string | null } | null;
  legalForceOn: string | null;
  closedAt: string | null;
}

/** A plausible value for each kind of case field, so that any shipped case type can be driven. */
function valueFor(id: string, type: string): string {
  if (type === 'amount') return '300';
  if (type === 'permit-category') return 'B';
  if (type === 'language-level') return 'A2';
  if (type === 'text') return '09:30';
  const dates: Record<string, string> = { validFrom: TODAY, validUntil: monthsAhead(11), papersDueDate: day(30), departureDate: day(90), appointmentDate: day(14), reviewDate: day(365), reminderDueDate: day(-10) };
  return dates[id] ?? day(20);
}

/** The shortest path of non-automatic steps from the initial state to a state where `wanted` is possible. */
function pathTo(type: CaseTypeDefinition, wanted: (transition: CaseTypeDefinition['transitions'][number]) => boolean): string[] | null {
  const queue: { state: string; path: string[] }[] = [{ state: type.initialState, path: [] }];
  const seen = new Set<string>([type.initialState]);
  while (queue.length > 0) {
    const { state, path } = queue.shift()!;
    const hit = type.transitions.find((t) => t.automatic !== true && t.from.includes(state) && wanted(t));
    if (hit) return [...path, hit.id];
    for (const transition of type.transitions.filter((t) => t.automatic !== true && t.from.includes(state) && t.decision === undefined)) {
      if (!seen.has(transition.to)) {
        seen.add(transition.to);
        queue.push({ state: transition.to, path: [...path, transition.id] });
      }
    }
  }
  return null;
}

describe.each(DATABASE_KINDS)('case workflows on %s', (kind) => {
  let database: Database;
  let app: FastifyInstance;
  let tenant: TestTenant;
  let worker: Session;
  let lead: Session;
  let otherUnit: Session;
  let personNumber = 0;

  async function call(session: Session, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, payload: payload as object | undefined, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en', ...headers } });
  }
  async function ok(response: LightMyRequestResponse, status = 200): Promise<CaseView> {
    if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
    return response.json<CaseView>();
  }
  const step = (session: Session, view: CaseView, transition: string, body: object) => call(session, 'POST', `/api/v1/cases/${view.id}/steps/${transition}`, body, { 'if-match': `"${view.version}"` });

  /** A person registered in Luzern since 2015, optionally holding a permit B that runs out in a month. */
  async function newPerson(withPermit: boolean, permitCategory = 'B', target: TestTenant = tenant, session: Session = worker): Promise<string> {
    personNumber++;
    const p = person(target.id, `Muster${personNumber}`, 'Alex', LUZERN, { nationality: 'BR', residences: [{ ...person(target.id, 'x', 'y', LUZERN).residences[0]!, arrivalDate: '2015-01-01' }] });
    await addPersons(database.db, [p]);
    if (withPermit) {
      const granted = await call(session, 'POST', `/api/v1/persons/${p.id}/permits`, { category: permitCategory, admissionReason: 'other', validFrom: day(-300), validUntil: day(30) });
      expect(granted.statusCode).toBe(201);
    }
    return p.id;
  }

  async function openCase(typeSlug: string, personId: string, complete = true, session: Session = worker, types: CaseTypeDefinition[] = swissTypes): Promise<CaseView> {
    const type = types.find((t) => t.slug === typeSlug)!;
    return ok(await call(session, 'POST', '/api/v1/cases', { typeSlug, personId, language: 'en', checklist: complete ? type.checklist.map((c) => c.id) : [] }), 201);
  }

  /** Takes a step with every field it needs; a four-eyes decision is approved by the team lead. */
  async function drive(view: CaseView, transition: string): Promise<CaseView> {
    const offered = view.steps.find((s) => s.id === transition);
    if (!offered) throw new Error(`step ${transition} not offered in ${view.state}: ${view.steps.map((s) => s.id).join(', ')}`);
    const fields = Object.fromEntries(offered.requiredFields.filter((f) => !view.fields[f]).map((f) => [f, valueFor(f, view.fieldDefinitions.find((d) => d.id === f)?.type ?? 'date')]));
    let next = await ok(await step(worker, view, transition, { reason: 'The conditions of the law are met.', fields }));
    if (offered.decision?.fourEyes) {
      expect(next.pendingDecision?.transition).toBe(transition);
      expect(next.state).toBe(view.state);
      const self = await call(worker, 'POST', `/api/v1/cases/${view.id}/approval`, { approve: true }, { 'if-match': `"${next.version}"` });
      expect(self.statusCode).toBe(403);
      next = await ok(await call(lead, 'POST', `/api/v1/cases/${view.id}/approval`, { approve: true, comment: 'Agreed.' }, { 'if-match': `"${next.version}"` }));
    }
    return next;
  }

  const swissTypes = readShippedCaseTypes('CH');
  const germanTypes = readShippedCaseTypes('DE');

  let admin: Session;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await buildTestApp(database);
    tenant = await createTenant(database.db, 'office-cases');
    await database.db.insertInto('units').values({ tenant_id: tenant.id, slug: 'asyl', name: 'Asyl', kind: 'office', bfs_number: null }).execute();
    await createTestUser(database.db, tenant, 'worker', 'caseworker', 'aufenthalt');
    await createTestUser(database.db, tenant, 'lead', 'team-lead', 'aufenthalt');
    await createTestUser(database.db, tenant, 'asylum', 'caseworker', 'asyl');
    await createTestUser(database.db, tenant, 'admin', 'admin');
    worker = await signIn(app, 'worker');
    lead = await signIn(app, 'lead');
    admin = await signIn(app, 'admin');
    otherUnit = await signIn(app, 'asylum');
  });

  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const needsPermit = (type: CaseTypeDefinition) => type.transitions.some((t) => t.decision?.effects.some((e) => ['extend-permit', 'change-category', 'end-permit'].includes(e.type)));

  it.each(swissTypes.map((t) => [t.slug, t] as const))('drives %s along its main path to a decision or close', async (_slug, type) => {
    let view = await openCase(type.slug, await newPerson(needsPermit(type)));
    // A complete application may move on at once by an automatic step (an interim confirmation).
    const automatic = type.transitions.filter((t) => t.automatic === true && t.from.includes(type.initialState)).map((t) => t.to);
    expect([type.initialState, ...automatic]).toContain(view.state);
    for (let guard = 0; guard < 8 && view.phase !== 'decided' && view.phase !== 'closed'; guard++) {
      const next = view.steps.find((s) => s.primary && s.allowed);
      expect(next, `a primary step in ${view.state}`).toBeDefined();
      view = await drive(view, next!.id);
    }
    expect(['decided', 'closed']).toContain(view.phase);
    const decisionStep = type.transitions.find((t) => t.decision && t.to === view.state);
    if (decisionStep) {
      expect(view.decision?.outcome).toBe('positive');
      expect(view.decision?.reason).toBe('The conditions of the law are met.');
      expect(view.timeline.some((e) => e.kind === 'effect') || decisionStep.decision!.effects.length === 0).toBe(true);
    }
    expect(view.documents.filter((d) => d.kind === 'letter').every((d) => /^[0-9a-f]{64}$/.test(d.sha256))).toBe(true);
  });

  it.each(swissTypes.map((t) => [t.slug, t] as const))('refuses what %s does not allow, and takes its refusal path with four eyes', async (_slug, type) => {
    const view = await openCase(type.slug, await newPerson(needsPermit(type)), false);
    const wrong = await step(worker, view, 'no-such-step', {});
    expect(wrong.statusCode).toBe(409);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json<{ allowed: string[] }>().allowed).toEqual(type.transitions.filter((t) => t.from.includes(type.initialState) && t.automatic !== true).map((t) => t.id));

    const path = pathTo(type, (t) => t.decision?.outcome === 'negative');
    if (!path) {
      // No negative decision in this procedure: the closing step still insists on the checklist.
      const guarded = pathTo(type, (t) => t.requiresChecklist === true)!;
      let current = view;
      for (const id of guarded.slice(0, -1)) current = await drive(current, id);
      const refused = await step(worker, current, guarded[guarded.length - 1]!, { reason: 'x', fields: {} });
      expect(refused.statusCode).toBe(422);
      expect(refused.json<{ code: string; missing: string[] }>()).toMatchObject({ code: 'checklist-incomplete' });
      return;
    }
    let current = view;
    for (const id of path) current = await drive(current, id);
    expect(current.decision).toMatchObject({ outcome: 'negative', decidedBy: 'Test worker', approvedBy: 'Test lead' });
    const letter = current.documents.find((d) => d.kind === 'letter' && d.template === type.transitions.find((t) => t.id === path[path.length - 1])?.letters?.[0]);
    expect(letter).toBeDefined();
    const pdf = await call(worker, 'GET', `/api/v1/documents/${letter!.id}`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers['x-content-sha256']).toBe(letter!.sha256);
  });

  it('lists missing papers when the checklist is incomplete and names them in plain words', async () => {
    let view = await openCase('permit-extension', await newPerson(true), false);
    view = await drive(view, 'start-review');
    const refused = await step(worker, view, 'extend', { reason: 'ok', fields: { validUntil: monthsAhead(11) } });
    expect(refused.statusCode).toBe(422);
    const problem = refused.json<{ code: string; missing: string[]; detail: string }>();
    expect(problem.code).toBe('checklist-incomplete');
    expect(problem.missing).toContain('passport');
    const german = await call(worker, 'POST', `/api/v1/cases/${view.id}/steps/extend`, { reason: 'ok' }, { 'if-match': `"${view.version}"`, 'accept-language': 'de' });
    expect(german.json<{ detail: string }>().detail).toMatch(/^Für diesen Schritt fehlt noch: /);
  });

  it('detects a decision on a case someone else changed meanwhile', async () => {
    const view = await drive(await openCase('permit-extension', await newPerson(true)), 'start-review');
    await ok(await call(lead, 'PATCH', `/api/v1/cases/${view.id}/fields`, { fields: { validUntil: monthsAhead(10) } }, { 'if-match': `"${view.version}"` }));
    const stale = await step(worker, view, 'extend', { reason: 'ok', fields: { validUntil: monthsAhead(11) } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ code: string }>().code).toBe('version-conflict');
    const after = await ok(await call(worker, 'GET', `/api/v1/cases/${view.id}`));
    expect(after.state).toBe('in-review');
    expect(after.fields.validUntil).toBe(monthsAhead(10));
  });

  it('keeps a failed decision from half-writing: a refused effect rolls back the step', async () => {
    // Extending needs a permit; without one the decision and its letter must not be stored.
    const view = await drive(await openCase('permit-extension', await newPerson(false)), 'start-review');
    const refused = await step(worker, view, 'extend', { reason: 'ok', fields: { validUntil: monthsAhead(11) } });
    expect(refused.statusCode).toBe(409);
    const after = await ok(await call(worker, 'GET', `/api/v1/cases/${view.id}`));
    expect(after).toMatchObject({ state: 'in-review', version: view.version, decision: null });
    expect(after.documents).toHaveLength(0);
  });

  it('hides cases of other units', async () => {
    const view = await openCase('permit-extension', await newPerson(true));
    expect((await call(otherUnit, 'GET', `/api/v1/cases/${view.id}`)).statusCode).toBe(404);
    const queue = (await call(otherUnit, 'GET', '/api/v1/cases')).json<{ items: unknown[] }>();
    expect(queue.items).toHaveLength(0);
  });

  it('runs the appeal period on working days and puts a refusal into force through the scheduler', async () => {
    const personId = await newPerson(true);
    let view = await openCase('permit-extension', personId);
    view = await drive(await drive(view, 'start-review'), 'refuse');
    expect(view.phase).toBe('decided');
    // The permit ends only when the refusal is in force.
    const permitsBefore = (await call(worker, 'GET', `/api/v1/persons/${personId}/permits`)).json<{ endedOn: string | null }[]>();
    expect(permitsBefore[0]?.endedOn).toBeNull();
    // Notified on Friday 2026-11-27: 30 days later is Sunday 2026-12-27, so the period ends on Monday the 28th.
    view = await ok(await call(worker, 'POST', `/api/v1/cases/${view.id}/notification`, { notifiedOn: '2026-11-27' }, { 'if-match': `"${view.version}"` }));
    expect(view.appeal?.until).toBe('2026-12-28');
    expect(view.legalForceOn).toBe('2026-12-29');
    await fireDueDeadlines(database.db, { now: new Date('2026-12-29T07:00:00Z') });
    const inForce = await ok(await call(worker, 'GET', `/api/v1/cases/${view.id}`));
    expect(inForce.closedAt).not.toBeNull();
    expect(inForce.timeline.some((e) => e.kind === 'legal-force')).toBe(true);
    const permitsAfter = (await call(worker, 'GET', `/api/v1/persons/${personId}/permits`)).json<{ endedOn: string | null }[]>();
    expect(permitsAfter[0]?.endedOn).toBe(day(90));
  });

  it('holds the effects while a suspensive appeal runs, and reopens the case when the appeal is upheld', async () => {
    const personId = await newPerson(true);
    let view = await drive(await drive(await openCase('permit-extension', personId), 'start-review'), 'refuse');
    view = await ok(await call(worker, 'POST', `/api/v1/cases/${view.id}/notification`, { notifiedOn: '2026-11-27' }, { 'if-match': `"${view.version}"` }));
    const late = await call(worker, 'POST', `/api/v1/cases/${view.id}/appeal`, { filedOn: '2026-12-29' }, { 'if-match': `"${view.version}"` });
    expect(late.statusCode).toBe(422);
    view = await ok(await call(worker, 'POST', `/api/v1/cases/${view.id}/appeal`, { filedOn: '2026-12-15' }, { 'if-match': `"${view.version}"` }));
    expect(view.appeal?.status).toBe('filed');
    expect(view.legalForceOn).toBeNull();
    await fireDueDeadlines(database.db, { now: new Date('2027-01-05T07:00:00Z') });
    const permits = (await call(worker, 'GET', `/api/v1/persons/${personId}/permits`)).json<{ endedOn: string | null }[]>();
    expect(permits[0]?.endedOn).toBeNull();
    view = await ok(await call(worker, 'GET', `/api/v1/cases/${view.id}`));
    view = await ok(await call(worker, 'POST', `/api/v1/cases/${view.id}/appeal-outcome`, { outcome: 'upheld', decidedOn: '2027-02-01' }, { 'if-match': `"${view.version}"` }));
    expect(view).toMatchObject({ state: 'in-review', phase: 'open', decision: null, closedAt: null });
  });

  it('moves a deadline off a weekend, reminds the caseworker once and escalates to the team lead', async () => {
    let view = await openCase('permit-extension', await newPerson(true));
    // Saturday 2026-12-26 (and Stephanstag) → Monday 2026-12-28.
    view = await ok(await step(worker, view, 'request-papers', { fields: { papersDueDate: '2026-12-26' } }));
    const deadline = view.deadlines.find((d) => d.kind === 'papers-due');
    expect(deadline).toMatchObject({ dueDate: '2026-12-26', workingDueDate: '2026-12-28', status: 'open' });
    const letter = view.documents.find((d) => d.template === 'request-papers');
    expect(letter).toBeDefined();
    const byId = (await database.db.selectFrom('deadlines').select('id').where('case_id', '=', view.id).where('kind', '=', 'papers-due').executeTakeFirstOrThrow()).id;
    const firings = () => database.db.selectFrom('deadline_firings').select(['stage']).where('deadline_id', '=', byId).orderBy('stage').execute();
    await fireDueDeadlines(database.db, { now: new Date('2026-12-25T07:00:00Z') });
    await fireDueDeadlines(database.db, { now: new Date('2026-12-25T08:00:00Z') });
    expect((await firings()).map((f) => f.stage)).toEqual([1]);
    const mine = (await call(worker, 'GET', '/api/v1/notifications')).json<{ kind: string; caseId: string }[]>();
    expect(mine.filter((n) => n.caseId === view.id).map((n) => n.kind)).toEqual(['deadline-reminder']);
    await fireDueDeadlines(database.db, { now: new Date('2027-01-05T07:00:00Z') });
    expect((await firings()).map((f) => f.stage)).toEqual([1, 3]);
    const leads = (await call(lead, 'GET', '/api/v1/notifications')).json<{ kind: string; caseId: string }[]>();
    expect(leads.filter((n) => n.caseId === view.id).map((n) => n.kind)).toContain('deadline-escalation');
  });

  it('shows the team lead backlog, approvals waiting, decisions per week and processing times', async () => {
    const waiting = await drive(await openCase('permit-extension', await newPerson(true)), 'start-review');
    await ok(await step(worker, waiting, 'refuse', { reason: 'Income no longer sufficient.', fields: { departureDate: day(90) } }));
    const overview = (await call(lead, 'GET', '/api/v1/case-overview')).json<{ backlog: { typeSlug: string; count: number }[]; awaitingApproval: { id: string }[]; decisionsPerWeek: { positive: number; negative: number }[]; processingTimes: { typeSlug: string; decided: number; medianDays: number }[] }>();
    expect(overview.awaitingApproval.map((c) => c.id)).toContain(waiting.id);
    expect(overview.backlog.reduce((sum, row) => sum + row.count, 0)).toBeGreaterThan(0);
    expect(overview.decisionsPerWeek.reduce((sum, w) => sum + w.positive + w.negative, 0)).toBeGreaterThan(0);
    expect(overview.processingTimes.find((t) => t.typeSlug === 'permit-extension')?.decided).toBeGreaterThan(0);
    expect((await call(worker, 'GET', '/api/v1/case-overview')).statusCode).toBe(403);
  });

  it('pages the work queue with a cursor, oldest application first', async () => {
    const first = (await call(worker, 'GET', '/api/v1/cases?limit=3')).json<{ items: { id: string; receivedOn: string }[]; nextCursor: string | null }>();
    expect(first.items).toHaveLength(3);
    const second = (await call(worker, 'GET', `/api/v1/cases?limit=3&cursor=${first.nextCursor}`)).json<{ items: { id: string; receivedOn: string }[] }>();
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const dates = [...first.items, ...second.items].map((i) => i.receivedOn);
    expect([...dates].sort()).toEqual(dates);
  });

  it('records every queue page in the audit log with the persons it showed, an empty page too', async () => {
    const lastQueueRow = async () =>
      (await database.db.selectFrom('audit_log').select(['actor_name', 'details']).where('action', '=', 'case.queue').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()) as {
        actor_name: string;
        details: { filter: Record<string, unknown>; results: string[] };
      };
    const page = (await call(worker, 'GET', '/api/v1/cases?limit=4&sort=due')).json<{ items: { personId: string }[] }>();
    expect(page.items.length).toBeGreaterThan(0);
    const row = await lastQueueRow();
    expect(row.actor_name).toBe('worker');
    expect(row.details.results).toEqual(page.items.map((item) => item.personId));
    expect(row.details.filter).toMatchObject({ limit: 4, sort: 'due' });

    const nobody = '00000000-0000-4000-8000-000000000000';
    const empty = (await call(worker, 'GET', `/api/v1/cases?person=${nobody}`)).json<{ items: unknown[] }>();
    expect(empty.items).toEqual([]);
    expect((await lastQueueRow()).details).toMatchObject({ filter: { person: nobody }, results: [] });
  });

  it('issues the German Fiktionsbescheinigung at once for a complete application before expiry, not for an incomplete one', async () => {
    const office = await createTenant(database.db, 'abh-berlin', { country: 'DE', region: 'BE' });
    await createTestUser(database.db, office, 'sachbearbeiter', 'caseworker', 'aufenthalt');
    const german = await signIn(app, 'sachbearbeiter');
    const timely = await openCase('aufenthaltserlaubnis-extension', await newPerson(true, 'AE-18b', office, german), true, german, germanTypes);
    expect(timely.state).toBe('certificate-issued');
    expect(timely.documents.map((d) => d.template)).toEqual(['fiktionsbescheinigung']);
    const incomplete = await openCase('aufenthaltserlaubnis-extension', await newPerson(true, 'AE-18b', office, german), false, german, germanTypes);
    expect(incomplete.state).toBe('received');
    expect(incomplete.documents).toHaveLength(0);
  });

  it('lets an administrator add a new version; running cases keep theirs, and a broken template is refused by name', async () => {
    const before = await openCase('student-permit', await newPerson(false));
    const shipped = swissTypes.find((t) => t.slug === 'student-permit')!;
    const broken = structuredClone(shipped);
    broken.version = 2;
    broken.letters['request-papers']!.paragraphs.en.push('Please bring {{fields.shoeSize}}.');
    const refused = await call(admin, 'POST', '/api/v1/case-types', broken);
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ problems: string[] }>().problems).toContain('letter template "request-papers" uses field "fields.shoeSize", which does not exist');
    expect((await call(worker, 'POST', '/api/v1/case-types', shipped)).statusCode).toBe(403);
    expect((await call(admin, 'POST', '/api/v1/case-types', shipped)).statusCode).toBe(409);

    const next = structuredClone(shipped);
    next.version = 2;
    next.names.en = 'Student permit (2027 rules)';
    expect((await call(admin, 'POST', '/api/v1/case-types', next)).json()).toEqual({ slug: 'student-permit', version: 2 });
    const after = await openCase('student-permit', await newPerson(false));
    const versionOf = async (id: string) => (await call(worker, 'GET', `/api/v1/cases/${id}`)).json<{ type: { version: number; names: { en: string } } }>().type;
    expect(await versionOf(before.id)).toMatchObject({ version: 1 });
    expect(await versionOf(after.id)).toMatchObject({ version: 2, names: { en: 'Student permit (2027 rules)' } });
  });

  it('files notes, contacts, tasks and uploaded papers, and refuses a file that is not what it claims', async () => {
    const view = await openCase('permit-extension', await newPerson(true));
    await ok(await call(worker, 'POST', `/api/v1/cases/${view.id}/notes`, { kind: 'contact', text: 'Called about the missing pay slip.', channel: 'phone' }), 201);
    await ok(await call(worker, 'POST', `/api/v1/cases/${view.id}/tasks`, { title: 'Check the employer', dueOn: day(7) }), 201);
    const pdf = Buffer.from('%PDF-1.4\n% a tiny file\n');
    const upload = await app.inject({ method: 'POST', url: `/api/v1/cases/${view.id}/attachments`, payload: pdf, headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrfToken, 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('Lohnausweis Müller.pdf') } });
    const filed = await ok(upload, 201);
    const attachment = filed.documents.find((d) => d.kind === 'attachment');
    expect(attachment?.title).toBe('Lohnausweis Müller.pdf');
    const stored = await call(worker, 'GET', `/api/v1/documents/${attachment!.id}`);
    expect(stored.rawPayload.equals(pdf)).toBe(true);
    const fake = await app.inject({ method: 'POST', url: `/api/v1/cases/${view.id}/attachments`, payload: Buffer.from('MZ not a pdf'), headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrfToken, 'content-type': 'application/pdf' } });
    expect(fake.statusCode).toBe(415);
    const detail = await ok(await call(worker, 'GET', `/api/v1/cases/${view.id}`));
    expect(detail.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['contact', 'task', 'attachment']));
    expect(detail.documents.filter((d) => d.kind === 'attachment')).toHaveLength(1);
  });

  it('concludes an integration agreement with its review date as a deadline', async () => {
    let view = await openCase('welcome-talk', await newPerson(true));
    view = await drive(view, 'invite');
    view = await drive(view, 'conclude-agreement');
    expect(view.phase).toBe('closed');
    expect(view.deadlines.find((d) => d.kind === 'integration-review')).toMatchObject({ dueDate: day(365), status: 'open' });
    expect(view.documents.map((d) => d.template)).toEqual(expect.arrayContaining(['invitation', 'agreement']));
  });

  it('names each malformed field value in the caller\u2019s language', async () => {
    let view = await openCase('duty-to-report', await newPerson(false));
    view = await drive(await drive(view, 'send-request'), 'send-reminder');
    const refused = await step(worker, view, 'impose-fine', { reason: 'x', fields: { fineAmount: '1500', shoeSize: '44', reminderDueDate: '2026-02-30' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ errors: { field: string; message: string }[] }>().errors).toEqual(
      expect.arrayContaining([
        { field: 'fields.fineAmount', message: 'is above the allowed maximum' },
        { field: 'fields.shoeSize', message: 'does not exist in this case type' },
        { field: 'fields.reminderDueDate', message: 'is not a valid date' },
      ]),
    );
    const german = await call(worker, 'POST', `/api/v1/cases/${view.id}/steps/impose-fine`, { reason: 'x', fields: { fineAmount: 'zweihundert' } }, { 'if-match': `"${view.version}"`, 'accept-language': 'de' });
    expect(german.json<{ errors: { message: string }[] }>().errors[0]?.message).toBe('ist kein Betrag (z. B. 250 oder 250.50)');
    const notNotified = await call(worker, 'POST', `/api/v1/cases/${view.id}/appeal`, { filedOn: TODAY }, { 'if-match': `"${view.version}"` });
    expect(notNotified.json<{ code: string }>().code).toBe('not-decided');
  });
});
